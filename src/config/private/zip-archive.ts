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
