import { Rule } from '../../core/findings';
import { httpUrl } from '../../core/rules/urls';

/** A Helm values path: camelCase keys joined by ".", such as "image.tag" or "backend.replicaCount". */
export const valuesPath: Rule<string> = (value) =>
  /^[a-z][a-zA-Z0-9]*(\.[a-z][a-zA-Z0-9]*)*$/.test(value) && value.length <= 253
    ? undefined
    : 'a values path of camelCase keys joined by ".", such as "image.tag" (each key starts with a lowercase letter; no "-" or "_")';

const RANGE_PART = /^(?:[<>]=?|=|~|\^)?v?(?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,2}(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/**
 * A SemVer version or range as Helm's dependency `version` accepts it: "1.2.3", "^1.2.0", "~1.2",
 * ">=1.0.0 <2.0.0", "1.x", joined by spaces, "," or "||", with optional "a - b" hyphen ranges.
 */
export const semverRange: Rule<string> = (value) => {
  const alternatives = value.split('||').map((a) => a.trim());
  const ok = value.trim().length > 0 && alternatives.every((alt) => {
    const parts = alt.replace(/\s+-\s+/g, ' ').split(/[\s,]+/).filter((p) => p.length > 0);
    return parts.length > 0 && parts.every((p) => RANGE_PART.test(p));
  });
  return ok ? undefined : 'a SemVer version or range such as "1.2.3", "^12.1.0", "~1.2" or ">=1.0.0 <2.0.0"';
};

/** A chart repository as Chart.yaml accepts it: an http(s) or oci:// URL, file://<path>, or "@alias". */
export const chartRepository: Rule<string> = (value) => {
  if (httpUrl(value) === undefined) return undefined;
  if (/^oci:\/\/[^\s/]+(\/[^\s]+)?$/.test(value)) return undefined;
  if (/^file:\/\/\S+$/.test(value)) return undefined;
  if (/^(@|alias:)[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) return undefined;
  return 'a chart repository: an https:// or oci:// URL, file://<path>, or "@<repo alias>"';
};

/** An e-mail address (practical form: local@domain.tld). */
export const emailAddress: Rule<string> = (value) =>
  /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? undefined : 'an e-mail address such as "team@example.com"';

/**
 * A regular expression that both JavaScript and Helm's schema validator (Go RE2) accept: RE2 has no
 * lookaround and no backreferences.
 */
export const portableRegex: Rule<string> = (value) => {
  try {
    new RegExp(value);
  } catch {
    return 'a valid regular expression';
  }
  return /\(\?(=|!|<=|<!)|\\[1-9]|\\k</.test(value)
    ? 'a regular expression without lookahead, lookbehind or backreferences (Helm checks patterns with Go RE2)'
    : undefined;
};
