import { Rule } from './findings';

/** An absolute http(s) URL. */
export const httpUrl: Rule<string> = (value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'an http:// or https:// URL';
  } catch {
    return 'an http:// or https:// URL';
  }
};

/** An absolute https URL. */
export const httpsUrl: Rule<string> = (value) => {
  try {
    return new URL(value).protocol === 'https:' ? undefined : 'an https:// URL';
  } catch {
    return 'an https:// URL';
  }
};

/** An absolute path in a URL or a file system: starts with "/". */
export const absolutePath: Rule<string> = (value) =>
  value.startsWith('/') && !/\s/.test(value) ? undefined : 'an absolute path starting with "/", without spaces';
