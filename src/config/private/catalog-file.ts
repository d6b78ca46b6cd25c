import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { zipArchiveProblem } from './zip-archive';

/**
 * What a sample catalog's file checks cost, paid once per file: its SHA-256 (read in 1 MiB chunks)
 * and its ZIP structure (yauzl reads only the central directory), each remembered per path, size and
 * modification time, so catalogs sharing a file, and repeated synths, read it once.
 */

/** Bytes read per chunk when hashing. */
const CHUNK_BYTES = 1024 * 1024;

function withFile<T>(file: string, use: (fd: number) => T): T {
  const fd = fs.openSync(file, 'r');
  try {
    return use(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The key of a file's current version: absolute path, size and modification time. */
function versionKey(file: string): { absolute: string; key: string } {
  const absolute = path.resolve(file);
  const stat = fs.statSync(absolute);
  return { absolute, key: `${absolute}\u0000${stat.size}\u0000${stat.mtimeMs}` };
}

/** SHA-256 digests and ZIP problems of files, remembered per (path, size, modification time). */
class CatalogFileCache {
  /** How many files were read and hashed (cache misses). */
  public computed = 0;
  private readonly digests = new Map<string, string>();
  private readonly zipProblems = new Map<string, string | undefined>();

  /** The SHA-256 (lowercase hex) of `file`, read in 1 MiB chunks unless known for its size and mtime. */
  public sha256(file: string): string {
    const { absolute, key } = versionKey(file);
    const known = this.digests.get(key);
    if (known !== undefined) return known;
    const hash = crypto.createHash('sha256');
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    withFile(absolute, (fd) => {
      let position = 0;
      for (;;) {
        const n = fs.readSync(fd, buffer, 0, CHUNK_BYTES, position);
        if (n === 0) break;
        hash.update(buffer.subarray(0, n));
        position += n;
      }
    });
    const digest = hash.digest('hex');
    this.computed += 1;
    this.digests.set(key, digest);
    return digest;
  }

  /** What is wrong with `file` as a ZIP archive (undefined: nothing), unless known for its size and mtime. */
  public zipProblem(file: string): string | undefined {
    const { absolute, key } = versionKey(file);
    if (this.zipProblems.has(key)) return this.zipProblems.get(key);
    const problem = zipArchiveProblem(absolute);
    this.zipProblems.set(key, problem);
    return problem;
  }

  public clear(): void {
    this.digests.clear();
    this.zipProblems.clear();
    this.computed = 0;
  }
}

/** The process-wide cache SampleCatalogs share. */
export const CATALOG_FILES = new CatalogFileCache();
