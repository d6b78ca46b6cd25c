import * as path from 'path';
import { Rule } from '../../core/findings';
import { dns1123Subdomain } from '../../core/rules/names';

/**
 * Rules of a sample catalog (seed 000 Sample Catalog: pre-built hololib ZIP files) and the ZIP
 * structure check. Everything here is pure: the ZIP check reads the file through a callback.
 */

/** A catalog name: letters, digits, "-" and "_" (seed: "alphanumeric with hyphens/underscores"). */
export const catalogName: Rule<string> = (value) =>
  /^[A-Za-z0-9_-]+$/.test(value) && value.length <= 245
    ? undefined
    : 'a catalog name of letters, digits, "-" and "_" (1-245 characters), such as "python311_data-science"';

/**
 * The ConfigMap name of a catalog: `<catalogName>-catalog`, lowercased, "_" turned into "-".
 * It may still break DNS-1123 (a leading "-" or "_"); `catalogConfigMapName` then says so.
 */
export function catalogConfigMapNameFor(name: string): string {
  return `${name.toLowerCase().replace(/_/g, '-')}-catalog`;
}

/** The derived ConfigMap name must be a DNS-1123 subdomain. */
export const catalogConfigMapName: Rule<string> = (value) => {
  const expected = dns1123Subdomain(value);
  return expected === undefined
    ? undefined
    : `${expected}; the catalog name becomes the ConfigMap name "<name>-catalog" (lowercased, "_" as "-"), so start it with a letter or digit`;
};

/** A Python version as MAJOR.MINOR.PATCH, such as "3.11.5". */
export const pythonVersion: Rule<string> = (value) =>
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/.test(value)
    ? undefined
    : 'a Python version MAJOR.MINOR.PATCH such as "3.11.5"';

/** One conda dependency (a match spec such as "numpy=1.26.4"): non-empty, no surrounding whitespace. */
export const condaDependency: Rule<string> = (value) =>
  value.trim().length > 0 && value.trim() === value && !/[\r\n]/.test(value)
    ? undefined
    : 'a non-empty conda match spec such as "numpy=1.26.4" (no leading or trailing whitespace)';

/**
 * A rule: a `python=X.Y[.Z]` conda dependency must agree with the catalog's Python version
 * ("python=3.11" agrees with "3.11.5"). Other dependencies pass.
 */
export function agreesWithPython(version: string): Rule<string> {
  return (dependency) => {
    const m = /^python\s*={1,2}\s*(\d+(?:\.\d+){0,2})$/.exec(dependency);
    if (!m) return undefined;
    const pinned = m[1].split('.');
    const actual = version.split('.');
    return pinned.every((part, i) => part === actual[i])
      ? undefined
      : `a python dependency that agrees with pythonVersion "${version}", such as "python=${version}"`;
  };
}

/** A SHA-256 digest: 64 lowercase hex digits. */
export const sha256Hex: Rule<string> = (value) =>
  /^[0-9a-f]{64}$/.test(value)
    ? undefined
    : 'a SHA-256 digest of 64 lowercase hex digits (as `sha256sum` prints it)';

/**
 * A relative file path that stays inside the directory it is resolved against: not absolute
 * (POSIX or Windows form), and no ".." leading out of it after normalization.
 */
export const relativePathInside: Rule<string> = (value) => {
  if (value.trim() === '') return 'a relative path to the ZIP file, such as "catalogs/python311.zip"';
  if (path.posix.isAbsolute(value) || path.win32.isAbsolute(value)) {
    return 'a path relative to baseDirectory, such as "catalogs/python311.zip", not an absolute path';
  }
  const normalized = path.posix.normalize(value.replace(/\\/g, '/'));
  if (normalized === '..' || normalized.startsWith('../')) {
    return 'a path inside baseDirectory, such as "catalogs/python311.zip"; ".." may not lead out of it';
  }
  return undefined;
};

/** Whether `child` (absolute) lies inside `parent` (absolute) or is it. */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
