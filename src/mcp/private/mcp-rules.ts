/** Rules of the MCP registry entities (seed 004 Registry and Server). */
import { Rule } from '../../core/findings';

const REGISTRY_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?$/;

/** A registry name: 1-64 letters, digits and hyphens, starting and ending with a letter or digit (seed 004). @internal */
export const registryName: Rule<string> = (value) =>
  REGISTRY_NAME.test(value)
    ? undefined
    : 'a registry name of 1-64 letters, digits and hyphens, starting and ending with a letter or digit, such as "toolhive-official"';

/**
 * A registry endpoint: an absolute http:// or https:// URL with a host, and no user name or password
 * in it (credentials go in `authConfig`, a Secret reference). @internal
 */
export const registryUrl: Rule<string> = (value) => {
  const expected = 'an http:// or https:// endpoint URL with a host, such as "https://registry.example.com/v0/servers"';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return expected;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || /\s/.test(value)) return expected;
  if (url.username !== '' || url.password !== '') return `${expected}, without credentials in it (use authConfig, a reference to a Secret)`;
  return undefined;
};

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** A server version: a semantic version ("1.2.0", "v1.2.0") or an image tag ("2024-06-01", "stable") (seed 004). @internal */
export const versionOrTag: Rule<string> = (value) =>
  SEMVER.test(value) || TAG.test(value)
    ? undefined
    : 'a semantic version such as "1.2.0" or a tag of letters, digits, "_", "." and "-" (at most 128, not starting with "." or "-")';

/** A category or capability tag: 1-63 characters without whitespace or control characters. @internal */
export const catalogTag: Rule<string> = (value) =>
  value.length > 0 && value.length <= 63 && !/[\s\u0000-\u001f\u007f]/.test(value)
    ? undefined
    : 'a tag of 1-63 characters without whitespace, such as "developer-tools" or "create_issue"';
