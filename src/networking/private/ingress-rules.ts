import { Rule } from '../../core/findings';

// ingress-nginx (>= 1.8, strict path validation) and the Ingress API both accept Prefix paths made of
// "/"-separated segments of unreserved URL characters; "." and ".." segments and "//" are refused.
const PREFIX_PATH = /^\/[A-Za-z0-9\-._~/]*$/;

/**
 * An Ingress path of type Prefix: starts with "/", only letters, digits, "-", ".", "_", "~" and "/",
 * no empty, "." or ".." segment.
 */
export const ingressPathPrefix: Rule<string> = (value) => {
  const segments = value.split('/').slice(1);
  const inner = value.endsWith('/') ? segments.slice(0, -1) : segments;
  const ok = PREFIX_PATH.test(value) && (value === '/' || inner.every((s) => s !== '' && s !== '.' && s !== '..'));
  return ok
    ? undefined
    : 'a path prefix such as "/" or "/api": starts with "/", then letters, digits, "-", ".", "_", "~" and "/" (no "//", "/./" or "/../")';
};

/** The same Prefix path with any trailing "/" dropped ("/api/" and "/api" match the same requests). */
export function normalizePathPrefix(value: string): string {
  return value.length > 1 ? value.replace(/\/+$/, '') || '/' : value;
}
