import { Rule } from '../findings';

// SemVer 2.0.0, from semver.org's recommended expression.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** A SemVer 2 version such as "1.0.0" or "2.1.0-rc.1". */
export const semver: Rule<string> = (value) =>
  SEMVER.test(value) ? undefined : 'a semantic version such as "1.0.0" or "2.1.0-rc.1" (MAJOR.MINOR.PATCH)';

/** An image tag that is a semantic version, optionally with a leading "v" ("v1.0.0", "1.2.3"), or "latest". */
export const semverOrLatestTag: Rule<string> = (value) =>
  value === 'latest' || SEMVER.test(value.replace(/^v/, ''))
    ? undefined
    : 'an image tag that is a semantic version such as "1.0.0" or "v1.0.0", or "latest"';

/** Parses "1.28", "v1.28.3" or "1.28.0-0" into [major, minor, patch], or undefined. */
export function parseKubernetesVersion(value: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$/.exec(value);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}
