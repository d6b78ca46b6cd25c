import { spawnSync } from 'child_process';

/**
 * The ZIP structure check of a sample catalog, done by yauzl (a maintained ZIP reader, bundled).
 *
 * yauzl reads an archive by random access: the End Of Central Directory record (and its ZIP64
 * counterparts) at the end of the file, then every central directory entry it points to, never the
 * entries' data. So a 200 MB catalog is checked by reading a few kilobytes, not the whole file.
 *
 * yauzl is asynchronous only, and cdk8s validations are synchronous; the check therefore runs yauzl
 * in a short-lived Node process (`spawnSync` of this Node binary), which prints one JSON line. The
 * script below is the whole bridge: it opens the file with `lazyEntries`, walks every entry, and
 * reports the entry count or yauzl's error.
 */
const CHECK_SCRIPT = `
const [yauzlPath, file] = process.argv.slice(1);
const yauzl = require(yauzlPath);
const done = (result) => { process.stdout.write(JSON.stringify(result)); };
yauzl.open(file, { lazyEntries: true, autoClose: true, decodeStrings: true, validateEntrySizes: true }, (err, zip) => {
  if (err) return done({ problem: err.message });
  let entries = 0;
  zip.on('error', (e) => done({ problem: e.message, entries }));
  zip.on('entry', () => { entries += 1; zip.readEntry(); });
  zip.on('end', () => done({ entries }));
  zip.readEntry();
});
`;

/** What yauzl says about an archive. */
export interface ZipReport {
  /** The number of central directory entries read. */
  readonly entries: number;
  /** yauzl's error, when the file is no whole ZIP archive. */
  readonly problem?: string;
}

/**
 * Reads the central directory of the ZIP archive `file` with yauzl. Throws when the check itself
 * cannot run (no Node binary, no yauzl), never for a bad archive: that is `problem`.
 */
export function readZipDirectory(file: string): ZipReport {
  const result = spawnSync(process.execPath, ['-e', CHECK_SCRIPT, require.resolve('yauzl'), file], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 1024 * 1024,
  });
  if (result.error) throw result.error;
  try {
    const parsed = JSON.parse(result.stdout) as { entries?: number; problem?: string };
    return { entries: parsed.entries ?? 0, problem: parsed.problem };
  } catch {
    throw new Error(`the ZIP check exited with ${result.status}: ${(result.stderr || result.stdout).trim().slice(0, 300)}`);
  }
}

/**
 * What is wrong with `file` as a ZIP archive, or undefined when yauzl reads its whole central
 * directory: an End Of Central Directory record in its last 65557 bytes, ZIP64 records where the
 * archive needs them, and every central directory entry where the end record says, each with its
 * signature, within the file.
 */
export function zipArchiveProblem(file: string): string | undefined {
  const report = readZipDirectory(file);
  if (report.problem === undefined) return undefined;
  const problem = report.problem.replace(/\.$/, '');
  return report.entries > 0
    ? `a whole ZIP archive; its central directory breaks after ${report.entries} entr${report.entries === 1 ? 'y' : 'ies'}: ${problem}`
    : `a whole ZIP archive; yauzl cannot read it: ${problem}`;
}
