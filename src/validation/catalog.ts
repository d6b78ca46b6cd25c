import * as path from 'path';
import { Rule } from './findings';
import { dns1123Subdomain } from './names';

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

/** Reads up to `length` bytes at `offset` of a file. */
export type ReadAt = (offset: number, length: number) => Buffer;

const LOCAL_FILE_HEADER = 0x04034b50; // "PK\x03\x04"
const CENTRAL_DIRECTORY_HEADER = 0x02014b50; // "PK\x01\x02"
const END_OF_CENTRAL_DIRECTORY = 0x06054b50; // "PK\x05\x06"
const ZIP64_LOCATOR = 0x07064b50; // "PK\x06\x07"
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50; // "PK\x06\x06"
const EOCD_SIZE = 22;
/** The End Of Central Directory record (22 bytes) plus the longest comment (65535) it may carry. */
export const EOCD_SEARCH_BYTES = EOCD_SIZE + 0xffff;

/** The central directory an archive's end records point to. */
export interface ZipDirectory {
  /** Number of entries. */
  readonly entries: number;
  /** Offset of the central directory. */
  readonly offset: number;
  /** Size of the central directory. */
  readonly size: number;
}

/**
 * What is wrong with a file as a ZIP archive, or undefined when it looks whole: it starts with a
 * local file header "PK\x03\x04" (or is an empty archive, a bare End Of Central Directory record),
 * has an End Of Central Directory record "PK\x05\x06" in its last 65557 bytes, and the central
 * directory that record (or its ZIP64 counterpart) points to lies inside the file and starts with
 * "PK\x01\x02". Only the ends of the file are read, never the entries.
 */
export function zipArchiveProblem(size: number, readAt: ReadAt): string | undefined {
  const form = 'a ZIP archive';
  if (size < EOCD_SIZE) return `${form}: the file has ${size} bytes, fewer than the ${EOCD_SIZE} of an empty archive`;
  const tailStart = Math.max(0, size - EOCD_SEARCH_BYTES);
  const tail = readAt(tailStart, size - tailStart);
  let at = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY && i + EOCD_SIZE + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  const head = readAt(0, 4);
  const signature = head.length === 4 ? head.readUInt32LE(0) : -1;
  const eocd = at < 0 ? undefined : tailStart + at;
  const emptyArchive = eocd === 0 && signature === END_OF_CENTRAL_DIRECTORY && tail.readUInt16LE(at + 10) === 0;
  if (signature !== LOCAL_FILE_HEADER && !emptyArchive) {
    return `${form} starting with a local file header "PK\\x03\\x04"; the file starts with 0x${head.toString('hex') || '(nothing)'}`;
  }
  if (eocd === undefined) {
    return `${form} with an End Of Central Directory record "PK\\x05\\x06" in its last ${EOCD_SEARCH_BYTES} bytes; there is none, so the file is truncated or no ZIP`;
  }
  if (tail.readUInt16LE(at + 4) !== 0 || tail.readUInt16LE(at + 6) !== 0) {
    return `${form} in one file; this one is split or spanned over several disks`;
  }
  const directory = readDirectory(tail, at, eocd, readAt);
  if (typeof directory === 'string') return `${form}: ${directory}`;
  if (directory.offset + directory.size > directory.end) {
    return `${form} whose central directory (offset ${directory.offset}, ${directory.size} bytes) lies inside the file before its end record at ${directory.end}; the file is truncated or damaged`;
  }
  if (directory.entries > 0) {
    const first = readAt(directory.offset, 4);
    if (first.length !== 4 || first.readUInt32LE(0) !== CENTRAL_DIRECTORY_HEADER) {
      return `${form} whose central directory at offset ${directory.offset} starts with "PK\\x01\\x02"; the file is damaged`;
    }
  }
  return undefined;
}

/** The central directory of the EOCD at `tail[at]` (file offset `eocd`), via the ZIP64 records when present. */
function readDirectory(tail: Buffer, at: number, eocd: number, readAt: ReadAt): (ZipDirectory & { end: number }) | string {
  const classic = { entries: tail.readUInt16LE(at + 10), size: tail.readUInt32LE(at + 12), offset: tail.readUInt32LE(at + 16), end: eocd };
  const locator = eocd >= 20 ? readAt(eocd - 20, 20) : Buffer.alloc(0);
  if (locator.length !== 20 || locator.readUInt32LE(0) !== ZIP64_LOCATOR) {
    const needsZip64 = classic.entries === 0xffff || classic.size === 0xffffffff || classic.offset === 0xffffffff;
    return needsZip64 ? 'a ZIP64 end of central directory locator "PK\\x06\\x07" before the end record; there is none' : classic;
  }
  const recordOffset = Number(locator.readBigUInt64LE(8));
  const record = recordOffset + 56 <= eocd - 20 ? readAt(recordOffset, 56) : Buffer.alloc(0);
  if (record.length !== 56 || record.readUInt32LE(0) !== ZIP64_END_OF_CENTRAL_DIRECTORY) {
    return `a ZIP64 end of central directory record "PK\\x06\\x06" at offset ${recordOffset}, as its locator says; it is missing`;
  }
  return {
    entries: Number(record.readBigUInt64LE(32)),
    size: Number(record.readBigUInt64LE(40)),
    offset: Number(record.readBigUInt64LE(48)),
    end: recordOffset,
  };
}
