import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { Chart, Testing, Yaml } from 'cdk8s';
import { readZipDirectory, zipArchiveProblem } from '../../src/config/private/zip-archive';
import {
  clearFileDigests, fileDigestsComputed, fileSha256, SampleCatalog, SampleCatalogProps,
} from '../../src/config/sample-catalog';
import { ContainerImage } from '../../src/pod/container-image';
import { DeploymentManifest } from '../../src/workloads/deployment-manifest';
import { findObject, synthError, synthManifests } from '../util/manifests';

// ---- ZIP fixtures, made at test time with adm-zip (fixed entry times, so the bytes are stable) ----

/** A ZIP archive of these entries, written by adm-zip (deflated), optionally with an archive comment. */
function zipOf(entries: Record<string, Buffer | string>, comment = ''): Buffer {
  const zip = new AdmZip();
  for (const [name, content] of Object.entries(entries)) {
    zip.addFile(name, Buffer.isBuffer(content) ? content : Buffer.from(content));
    zip.getEntry(name)!.header.time = new Date(2024, 0, 1);
  }
  if (comment) zip.addZipComment(comment);
  return zip.toBuffer();
}

/** The same archive with ZIP64 end records, as writers emit for more than 65535 entries or 4 GiB. */
function zip64Of(entries: Record<string, Buffer | string>): Buffer {
  const classic = zipOf(entries);
  const end = classic.subarray(classic.length - 22);
  const body = classic.subarray(0, classic.length - 22);
  const record = Buffer.alloc(56);
  record.writeUInt32LE(0x06064b50, 0);
  record.writeBigUInt64LE(44n, 4); // size of the rest of the record
  record.writeUInt16LE(45, 12);
  record.writeUInt16LE(45, 14);
  record.writeBigUInt64LE(BigInt(end.readUInt16LE(8)), 24);
  record.writeBigUInt64LE(BigInt(end.readUInt16LE(10)), 32);
  record.writeBigUInt64LE(BigInt(end.readUInt32LE(12)), 40);
  record.writeBigUInt64LE(BigInt(end.readUInt32LE(16)), 48);
  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(body.length), 8);
  locator.writeUInt32LE(1, 16);
  const end64 = Buffer.from(end);
  end64.writeUInt16LE(0xffff, 8);
  end64.writeUInt16LE(0xffff, 10);
  end64.writeUInt32LE(0xffffffff, 12);
  end64.writeUInt32LE(0xffffffff, 16);
  return Buffer.concat([body, record, locator, end64]);
}

/** An empty archive: only the End Of Central Directory record. */
const EMPTY_ZIP = Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]);

/** A small hololib-like catalog. */
const CATALOG_ZIP = zipOf({
  'catalog/python311.yaml': 'python: 3.11.5\nchannels: [conda-forge]\n',
  'library/ab/cd/abcd0123': 'hololib blob',
}, 'built by rcc');

function sha256(data: Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

let base: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-catalog-'));
  fs.mkdirSync(path.join(base, 'catalogs'));
  fs.writeFileSync(path.join(base, 'catalogs', 'python311.zip'), CATALOG_ZIP);
  clearFileDigests();
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

function props(overrides: Partial<SampleCatalogProps> = {}): SampleCatalogProps {
  return {
    catalogName: 'python311_data-science',
    zipFilePath: 'catalogs/python311.zip',
    baseDirectory: base,
    pythonVersion: '3.11.5',
    condaDependencies: ['python=3.11.5', 'numpy=1.26.4', 'pandas=2.1.4'],
    robocorpHomePath: '/opt/robocorp',
    sizeBytes: CATALOG_ZIP.length,
    checksumSha256: sha256(CATALOG_ZIP),
    ...overrides,
  };
}

function catalog(overrides: Partial<SampleCatalogProps> = {}): { chart: Chart; catalog: SampleCatalog } {
  const chart = Testing.chart();
  (chart as any).namespace = 'rcc';
  return { chart, catalog: new SampleCatalog(chart, 'python311', props(overrides)) };
}

/** Writes `data` as catalogs/<name> in the base folder; returns the relative path. */
function write(name: string, data: Buffer): string {
  fs.writeFileSync(path.join(base, 'catalogs', name), data);
  return `catalogs/${name}`;
}

describe('the fixtures are real ZIP archives', () => {
  test('adm-zip reads back the entries, their contents and the comment', () => {
    const zip = new AdmZip(CATALOG_ZIP);
    expect(zip.getEntries().map((e) => e.entryName)).toEqual(['catalog/python311.yaml', 'library/ab/cd/abcd0123']);
    expect(zip.readAsText('library/ab/cd/abcd0123')).toBe('hololib blob');
    expect(zip.getZipComment()).toBe('built by rcc');
    expect(zipOf({ a: 'x' })).toEqual(zipOf({ a: 'x' }));
  });
});

describe('zipArchiveProblem (yauzl, run in a child process)', () => {
  const check = (archive: Buffer) => zipArchiveProblem(write('check.zip', archive).replace(/^/, `${base}/`));

  test('deflated archives, stored ones and the bare empty archive pass', () => {
    const written = new AdmZip();
    written.addFile('a.txt', Buffer.from('hello '.repeat(1000)));
    written.addFile('dir/b.bin', crypto.randomBytes(4096));
    for (const archive of [written.toBuffer(), CATALOG_ZIP, EMPTY_ZIP]) expect(check(archive)).toBeUndefined();
    expect(readZipDirectory(path.join(base, 'catalogs', 'python311.zip'))).toEqual({ entries: 2, problem: undefined });
  });

  test('the entries\' data is never read: damage inside it passes the structure check (the SHA-256 catches it)', () => {
    const zip = new AdmZip();
    zip.addFile('library/blob', Buffer.alloc(64 * 1024, 1));
    zip.getEntry('library/blob')!.header.method = 0; // stored
    const archive = zip.toBuffer();
    archive.fill(0xee, 1024, 32 * 1024); // inside the stored data
    expect(() => new AdmZip(archive).readFile('library/blob')).toThrow(); // a full reader sees the bad CRC
    expect(check(archive)).toBeUndefined();
  });

  test('ZIP64 end records are followed to the central directory', () => {
    const archive = zip64Of({ 'a.txt': 'hello', 'b.txt': 'world' });
    expect(new AdmZip(archive).getEntries().map((e) => e.entryName)).toEqual(['a.txt', 'b.txt']);
    expect(check(archive)).toBeUndefined();
  });

  test('a ZIP64 locator pointing nowhere is damage', () => {
    const broken = zip64Of({ 'a.txt': 'hello' });
    broken.writeBigUInt64LE(3n, broken.length - 22 - 20 + 8);
    expect(check(broken)).toMatch(/^a whole ZIP archive; yauzl cannot read it: invalid zip64 end of central directory record signature/);
  });

  test('a split archive is refused', () => {
    const split = Buffer.from(CATALOG_ZIP);
    split.writeUInt16LE(1, split.length - 22 - 12 + 4);
    expect(check(split)).toMatch(/^a whole ZIP archive; yauzl cannot read it: multi-disk zip files are not supported: found disk number: 1$/);
  });

  test('a comment holding an end record signature does not fool the search', () => {
    const archive = zipOf({ 'a.txt': 'hello' }, 'PK\x05\x06 in the comment');
    expect(new AdmZip(archive).getEntries()).toHaveLength(1);
    expect(check(archive)).toBeUndefined();
  });
});

describe('SampleCatalog', () => {
  test('renders the catalog ConfigMap (snapshot)', () => {
    const { chart } = catalog({ appName: 'rcc-remote', instance: 'rcc', partOf: 'rcc' });
    expect(Yaml.stringify(...synthManifests(chart))).toMatchSnapshot();
  });

  test('the ConfigMap holds the metadata as catalog.json, never the file', () => {
    const { chart, catalog: c } = catalog();
    const objects = synthManifests(chart);
    expect(objects).toHaveLength(1);
    const cm = findObject(objects, 'ConfigMap', 'python311-data-science-catalog');
    expect(cm.metadata.namespace).toBe('rcc');
    expect(cm.metadata.labels).toEqual({
      'app.kubernetes.io/name': 'python311-data-science-catalog',
      'app.kubernetes.io/instance': 'python311-data-science-catalog',
      'app.kubernetes.io/managed-by': 'cdk8s-deploykit',
    });
    expect(Object.keys(cm.data)).toEqual(['catalog.json']);
    expect(JSON.parse(cm.data['catalog.json'])).toEqual({
      name: 'python311_data-science',
      fileName: 'python311.zip',
      pythonVersion: '3.11.5',
      condaDependencies: ['python=3.11.5', 'numpy=1.26.4', 'pandas=2.1.4'],
      robocorpHome: '/opt/robocorp',
      sizeBytes: CATALOG_ZIP.length,
      sha256: sha256(CATALOG_ZIP),
    });
    expect(JSON.stringify(objects)).not.toContain('hololib blob');
    expect(JSON.stringify(objects)).not.toContain(base);

    expect(c.configMapName).toBe('python311-data-science-catalog');
    expect(c.catalogName).toBe('python311_data-science');
    expect(c.resolvedPath).toBe(path.join(base, 'catalogs', 'python311.zip'));
    expect(c.baseDirectory).toBe(base);
    expect(c.sizeBytes).toBe(CATALOG_ZIP.length);
    expect(c.condaDependencies).toEqual(['python=3.11.5', 'numpy=1.26.4', 'pandas=2.1.4']);
  });

  test('volume() mounts the ConfigMap read-only into a workload', () => {
    const { chart, catalog: c } = catalog();
    const volume = c.volume('/etc/rcc/catalogs/python311');
    expect(volume).toEqual({
      name: 'python311-data-science-catalog',
      mountPath: '/etc/rcc/catalogs/python311',
      readOnly: true,
      configMapName: 'python311-data-science-catalog',
    });
    new DeploymentManifest(chart, 'rcc-remote', {
      image: new ContainerImage(chart, 'image', { repository: 'robocorp/rcc-remote', tag: '18.1.0' }),
      ports: [{ containerPort: 4653 }],
      volumes: [volume],
    });
    const pod = findObject(synthManifests(chart), 'Deployment', 'rcc-remote').spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: 'python311-data-science-catalog', configMap: { name: 'python311-data-science-catalog' } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: 'python311-data-science-catalog', mountPath: '/etc/rcc/catalogs/python311', readOnly: true });
  });

  test('volume() with a relative mount path is a finding', () => {
    const { chart, catalog: c } = catalog();
    c.volume('etc/catalogs');
    expect(synthError(chart)).toMatch(/\[test\/python311\] volume\(mountPath\): got "etc\/catalogs"; expected an absolute path/);
  });

  test('baseDirectory defaults to the working directory', () => {
    const cwd = process.cwd();
    process.chdir(base);
    try {
      const chart = Testing.chart();
      const c = new SampleCatalog(chart, 'c', { ...props(), baseDirectory: undefined });
      expect(c.baseDirectory).toBe(process.cwd());
      expect(() => Testing.synth(chart)).not.toThrow();
    } finally {
      process.chdir(cwd);
    }
  });

  test('an empty archive (a bare End Of Central Directory record) is a valid ZIP', () => {
    const file = write('empty.zip', EMPTY_ZIP);
    const { chart } = catalog({ zipFilePath: file, sizeBytes: 22, checksumSha256: sha256(EMPTY_ZIP) });
    expect(() => synthManifests(chart)).not.toThrow();
  });

  test('a file of several MiB is hashed in chunks to the same SHA-256', () => {
    const big = zipOf({ 'library/blob': Buffer.alloc(3 * 1024 * 1024 + 12345, 7) });
    const file = write('big.zip', big);
    expect(fileSha256(path.join(base, file))).toBe(sha256(big));
    const { chart } = catalog({ zipFilePath: file, sizeBytes: big.length, checksumSha256: sha256(big) });
    expect(() => synthManifests(chart)).not.toThrow();
  });

  test('two catalogs on the same file hash it once; a changed file is hashed again', () => {
    const chart = Testing.chart();
    new SampleCatalog(chart, 'a', props({ catalogName: 'a' }));
    new SampleCatalog(chart, 'b', props({ catalogName: 'b' }));
    Testing.synth(chart);
    Testing.synth(chart);
    expect(fileDigestsComputed()).toBe(1);

    const changed = zipOf({ 'catalog/other.yaml': 'python: 3.11.5\n' });
    fs.writeFileSync(path.join(base, 'catalogs', 'python311.zip'), changed);
    fs.utimesSync(path.join(base, 'catalogs', 'python311.zip'), new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(synthError(chart)).toMatch(/\[test\/a\] checksumSha256: got "[0-9a-f]{64}"; expected the SHA-256 of the file, [0-9a-f]{64}/);
    expect(fileDigestsComputed()).toBe(2);
  });

  describe('each rule', () => {
    test('catalogName: letters, digits, "-" and "_" only', () => {
      expect(synthError(catalog({ catalogName: 'data science!' }).chart))
        .toMatch(/\[test\/python311\] catalogName: got "data science!"; expected a catalog name of letters, digits, "-" and "_"/);
      expect(synthError(catalog({ catalogName: '' }).chart)).toMatch(/catalogName: got ""; expected a catalog name/);
    });

    test('catalogName: the ConfigMap name must still be DNS-1123', () => {
      expect(synthError(catalog({ catalogName: '_python311' }).chart))
        .toMatch(/catalogName: got "-python311-catalog"; expected a DNS-1123 subdomain.*so start it with a letter or digit/);
    });

    test('catalogName: unique within the chart', () => {
      const chart = Testing.chart();
      new SampleCatalog(chart, 'first', props({ catalogName: 'py311' }));
      new SampleCatalog(chart, 'second', props({ catalogName: 'py311' }));
      new SampleCatalog(chart, 'third', props({ catalogName: 'py312' }));
      const message = synthError(chart);
      expect(message).toMatch(/\[test\/first\] catalogName: got "py311"; expected a catalog name unique within the chart; test\/second uses it too/);
      expect(message).toMatch(/\[test\/second\] catalogName: got "py311"; expected a catalog name unique within the chart; test\/first uses it too/);
      expect(message).not.toMatch(/test\/third/);
    });

    test('catalogName: two names that give the same ConfigMap name', () => {
      const chart = Testing.chart();
      new SampleCatalog(chart, 'upper', props({ catalogName: 'Py_311' }));
      new SampleCatalog(chart, 'lower', props({ catalogName: 'py-311' }));
      expect(synthError(chart)).toMatch(
        /\[test\/upper\] catalogName: got "Py_311"; expected a catalog name whose ConfigMap name "py-311-catalog" is unique within the chart; test\/lower \("py-311"\) maps to it too/);
    });

    test('catalogs of different charts may share a name', () => {
      const app = Testing.app();
      for (const id of ['dev', 'prod']) new SampleCatalog(new Chart(app, id), 'python311', props());
      expect(() => app.synth()).not.toThrow();
    });

    test('zipFilePath: the file must exist', () => {
      expect(synthError(catalog({ zipFilePath: 'catalogs/missing.zip' }).chart))
        .toMatch(/zipFilePath: got "catalogs\/missing.zip"; expected an existing ZIP file; there is no file .*catalogs\/missing.zip/);
    });

    test('zipFilePath: a folder is no ZIP file', () => {
      expect(synthError(catalog({ zipFilePath: 'catalogs' }).chart)).toMatch(/zipFilePath: got "catalogs"; expected a ZIP file; .* is no regular file/);
    });

    test('zipFilePath: not a ZIP', () => {
      const text = Buffer.from('this is a tarball, honestly\n'.repeat(4));
      const file = write('python311.tar.gz', text);
      expect(synthError(catalog({ zipFilePath: file, sizeBytes: text.length, checksumSha256: sha256(text) }).chart))
        .toMatch(/zipFilePath: got "catalogs\/python311.tar.gz"; expected a whole ZIP archive; yauzl cannot read it: End of central directory record signature not found\. Either not a zip file, or file is truncated \(.*python311.tar.gz\)/);
    });

    test('zipFilePath: a tiny file is no ZIP', () => {
      const file = write('tiny.zip', Buffer.from('PK'));
      expect(synthError(catalog({ zipFilePath: file, sizeBytes: 2, checksumSha256: sha256(Buffer.from('PK')) }).chart))
        .toMatch(/zipFilePath: got "catalogs\/tiny.zip"; expected a whole ZIP archive; yauzl cannot read it: End of central directory record signature not found\. Either not a zip file, or file is truncated/);
    });

    test('zipFilePath: a truncated ZIP has no End Of Central Directory record', () => {
      const half = CATALOG_ZIP.subarray(0, Math.floor(CATALOG_ZIP.length / 2));
      const file = write('truncated.zip', half);
      expect(synthError(catalog({ zipFilePath: file, sizeBytes: half.length, checksumSha256: sha256(half) }).chart))
        .toMatch(/zipFilePath: got "catalogs\/truncated.zip"; expected a whole ZIP archive; yauzl cannot read it: End of central directory record signature not found\. Either not a zip file, or file is truncated/);
    });

    test('zipFilePath: an end record pointing past the file (entries cut out of the middle)', () => {
      const cut = Buffer.concat([CATALOG_ZIP.subarray(0, 40), CATALOG_ZIP.subarray(CATALOG_ZIP.length - 22 - 12)]);
      const file = write('cut.zip', cut);
      expect(synthError(catalog({ zipFilePath: file, sizeBytes: cut.length, checksumSha256: sha256(cut) }).chart))
        .toMatch(/zipFilePath: got "catalogs\/cut.zip"; expected a whole ZIP archive; yauzl cannot read it: unexpected EOF/);
    });

    test('zipFilePath: a central directory that does not start with its signature', () => {
      const damaged = Buffer.from(CATALOG_ZIP);
      const directoryOffset = damaged.readUInt32LE(damaged.length - 22 - 12 + 16);
      damaged.write('XX', directoryOffset, 'latin1');
      const file = write('damaged.zip', damaged);
      expect(synthError(catalog({ zipFilePath: file, sizeBytes: damaged.length, checksumSha256: sha256(damaged) }).chart))
        .toMatch(/zipFilePath: got "catalogs\/damaged.zip"; expected a whole ZIP archive; yauzl cannot read it: invalid central directory file header signature: 0x[0-9a-f]+/);
    });

    test('zipFilePath: an absolute path is refused', () => {
      const absolute = path.join(base, 'catalogs', 'python311.zip');
      expect(synthError(catalog({ zipFilePath: absolute }).chart))
        .toMatch(/zipFilePath: got ".*python311.zip"; expected a path relative to baseDirectory, such as "catalogs\/python311.zip", not an absolute path/);
    });

    test('zipFilePath: ".." may not lead out of baseDirectory', () => {
      fs.writeFileSync(path.join(path.dirname(base), `outside-${path.basename(base)}.zip`), CATALOG_ZIP);
      try {
        const message = synthError(catalog({ zipFilePath: `../outside-${path.basename(base)}.zip` }).chart);
        expect(message).toMatch(/zipFilePath: got "\.\.\/outside-.*\.zip"; expected a path inside baseDirectory, such as "catalogs\/python311.zip"; "\.\." may not lead out of it/);
        expect(message).not.toMatch(/checksumSha256/);
      } finally {
        fs.rmSync(path.join(path.dirname(base), `outside-${path.basename(base)}.zip`));
      }
      expect(() => Testing.synth(catalog({ zipFilePath: 'catalogs/../catalogs/./python311.zip' }).chart)).not.toThrow();
    });

    test('zipFilePath: a symbolic link may not lead out of baseDirectory', () => {
      const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-outside-'));
      try {
        fs.writeFileSync(path.join(outside, 'python311.zip'), CATALOG_ZIP);
        fs.symlinkSync(path.join(outside, 'python311.zip'), path.join(base, 'catalogs', 'linked.zip'));
        expect(synthError(catalog({ zipFilePath: 'catalogs/linked.zip' }).chart))
          .toMatch(/zipFilePath: got "catalogs\/linked.zip"; expected a file inside baseDirectory .*; through a symbolic link it is .*python311.zip/);
      } finally {
        fs.rmSync(outside, { recursive: true, force: true });
      }
    });

    test('sizeBytes: must equal the file size', () => {
      expect(synthError(catalog({ sizeBytes: 1024 }).chart))
        .toMatch(new RegExp(`\\[test/python311\\] sizeBytes: got 1024; expected the size of the file, ${CATALOG_ZIP.length} bytes`));
    });

    test('sizeBytes: a positive integer', () => {
      for (const bad of [0, -5, 1.5]) {
        const message = synthError(catalog({ sizeBytes: bad }).chart);
        expect(message).toMatch(new RegExp(`sizeBytes: got ${bad}; expected a positive whole number`));
        expect(message).not.toMatch(/expected the size of the file/);
      }
    });

    test('checksumSha256: must match the file', () => {
      const wrong = sha256(Buffer.from('something else'));
      expect(synthError(catalog({ checksumSha256: wrong }).chart))
        .toMatch(new RegExp(`checksumSha256: got "${wrong}"; expected the SHA-256 of the file, ${sha256(CATALOG_ZIP)}`));
    });

    test('checksumSha256: 64 lowercase hex digits', () => {
      for (const bad of [sha256(CATALOG_ZIP).toUpperCase(), 'abc123', `sha256:${sha256(CATALOG_ZIP)}`]) {
        const message = synthError(catalog({ checksumSha256: bad }).chart);
        expect(message).toMatch(/checksumSha256: got ".*"; expected a SHA-256 digest of 64 lowercase hex digits/);
        expect(message).not.toMatch(/expected the SHA-256 of the file/);
      }
      expect(fileDigestsComputed()).toBe(0);
    });

    test('pythonVersion: MAJOR.MINOR.PATCH', () => {
      for (const bad of ['3.11', 'v3.11.5', '3.11.5rc1', 'python3']) {
        expect(synthError(catalog({ pythonVersion: bad, condaDependencies: [] }).chart))
          .toMatch(/pythonVersion: got ".*"; expected a Python version MAJOR.MINOR.PATCH such as "3.11.5"/);
      }
    });

    test('condaDependencies: each non-empty', () => {
      const message = synthError(catalog({ condaDependencies: ['numpy=1.26.4', '', '  '] }).chart);
      expect(message).toMatch(/condaDependencies\[1\]: got ""; expected a non-empty conda match spec such as "numpy=1.26.4"/);
      expect(message).toMatch(/condaDependencies\[2\]: got "  "; expected a non-empty conda match spec/);
      expect(message).not.toMatch(/condaDependencies\[0\]/);
    });

    test('condaDependencies: a python pin must agree with pythonVersion', () => {
      expect(synthError(catalog({ condaDependencies: ['python=3.10.12'] }).chart))
        .toMatch(/condaDependencies\[0\]: got "python=3.10.12"; expected a python dependency that agrees with pythonVersion "3.11.5", such as "python=3.11.5"/);
      expect(() => synthManifests(catalog({ condaDependencies: ['python=3.11', 'pip=23.3'] }).chart)).not.toThrow();
    });

    test('robocorpHomePath: absolute', () => {
      expect(synthError(catalog({ robocorpHomePath: 'robocorp/home' }).chart))
        .toMatch(/robocorpHomePath: got "robocorp\/home"; expected an absolute path starting with "\/"/);
    });

    test('labels and namespace are checked', () => {
      const message = synthError(catalog({ namespace: 'RCC', labels: { 'bad key!': 'x' } }).chart);
      expect(message).toMatch(/namespace: got "RCC"; expected a DNS-1123 label/);
      expect(message).toMatch(/labels key: got "bad key!"; expected a label key/);
    });
  });

  test('several mistakes are reported together', () => {
    const { chart } = catalog({
      catalogName: 'py 311',
      pythonVersion: '3.11',
      condaDependencies: [''],
      robocorpHomePath: 'home',
      sizeBytes: 10,
      checksumSha256: '0'.repeat(64),
    });
    const message = synthError(chart);
    const lines = message.split('\n').filter((l) => l.includes('[test/python311]'));
    expect(lines.map((l) => l.trim().replace(/^\[test\/python311\] /, '').replace(/: got.*/, ''))).toEqual([
      'catalogName', 'pythonVersion', 'condaDependencies[0]', 'robocorpHomePath', 'sizeBytes', 'checksumSha256',
    ]);
  });
});
