import { Rule } from '../findings';

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

/**
 * An Azure OpenAI endpoint: an https URL whose path includes "/openai/" (seed 003's rule), or whose
 * host is a `*.openai.azure.com` resource (seed 003's own example, `https://your-resource.openai.azure.com/`,
 * has no such path; Azure's SDKs add it themselves).
 */
export const azureOpenAiEndpoint: Rule<string> = (value) => {
  try {
    const url = new URL(value);
    const ok = url.protocol === 'https:' && (url.pathname.includes('/openai/') || /^[a-z0-9-]+\.openai\.azure\.com$/.test(url.hostname));
    if (ok) return undefined;
  } catch {
    // fall through
  }
  return 'an https URL that includes the "/openai/" path, or an https://<resource>.openai.azure.com/ endpoint';
};
