/**
 * Catalogs delivered into the pods (seed 000 Sample Catalog, many-to-many with Deployment Manifest):
 * a DeploymentManifest's `catalogs` become two init containers, `catalog-fetch` (from an image or an
 * https folder into a scratch volume) and `catalog-import` (size and SHA-256 verified again, then
 * `rcc holotree import` into the holotree volume). The verification script is run here with a real
 * shell against ZIP fixtures made at test time.
 */
import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import AdmZip from 'adm-zip';
import { Chart, Testing } from 'cdk8s';
import {
  AccessMode, CatalogSource, ContainerImage, DeploymentManifest, DeploymentManifestProps, Environment, ManifestType,
  PersistentStorage, ResourceLimits, SampleCatalog, SampleCatalogProps,
} from '../../src';
import { clearFileDigests } from '../../src/config/sample-catalog';
import { findObject, synthError, synthManifests } from '../util/manifests';

/** A small hololib-like catalog ZIP, made with adm-zip (fixed entry times: stable bytes). */
function catalogZip(text: string): Buffer {
  const zip = new AdmZip();
  for (const [name, content] of Object.entries({ 'catalog/env.yaml': `python: 3.11.5\n# ${text}\n`, 'library/ab/cd/blob': text.repeat(50) })) {
    zip.addFile(name, Buffer.from(content));
    zip.getEntry(name)!.header.time = new Date(2024, 0, 1);
  }
  return zip.toBuffer();
}

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const PY311 = catalogZip('python 3.11');
const PY312 = catalogZip('python 3.12');

let base: string;
beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'deploykit-catalog-import-'));
  fs.mkdirSync(path.join(base, 'catalogs'));
  fs.writeFileSync(path.join(base, 'catalogs', 'python311.zip'), PY311);
  fs.writeFileSync(path.join(base, 'catalogs', 'python312.zip'), PY312);
  clearFileDigests();
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

function catalog(scope: Chart, id: string, overrides: Partial<SampleCatalogProps> = {}): SampleCatalog {
  const data = id === 'py312' ? PY312 : PY311;
  return new SampleCatalog(scope, id, {
    catalogName: id,
    baseDirectory: base,
    zipFilePath: `catalogs/${id === 'py312' ? 'python312' : 'python311'}.zip`,
    pythonVersion: id === 'py312' ? '3.12.1' : '3.11.5',
    condaDependencies: [],
    robocorpHomePath: '/opt/robocorp',
    sizeBytes: data.length,
    checksumSha256: sha256(data),
    ...overrides,
  });
}

function chart(): Chart {
  const c = Testing.chart();
  (c as any).namespace = 'rcc';
  return c;
}

function holotree(scope: Chart, accessMode = AccessMode.READ_WRITE_MANY, id = 'holotree'): PersistentStorage {
  return new PersistentStorage(scope, id, { name: id, accessMode, size: '10Gi', mountPath: '/opt/robocorp' });
}

function server(scope: Chart, props: Partial<DeploymentManifestProps> = {}, id = 'rcc-remote'): DeploymentManifest {
  return new DeploymentManifest(scope, id, {
    image: new ContainerImage(scope, `${id}-image`, { repository: 'acme/rccremote', tag: '18.17.2' }),
    ports: [{ name: 'https', containerPort: 4653 }],
    ...props,
    storage: props.storage ?? [holotree(scope, AccessMode.READ_WRITE_MANY, id === 'rcc-remote' ? 'holotree' : `${id}-holotree`)],
  });
}

const imageSource = (scope: Chart, tag = '1.0.0') => CatalogSource.fromImage(new ContainerImage(scope, 'catalog-image', { repository: 'acme/rcc-catalogs', tag }));

function pod(objects: any[], name = 'rcc-remote'): any {
  return findObject(objects, 'Deployment', name).spec.template.spec;
}

describe('catalog init containers', () => {
  test('an image source: catalog-fetch copies the files out of the image, catalog-import verifies and imports them', () => {
    const c = chart();
    server(c, { catalogs: [catalog(c, 'py311'), catalog(c, 'py312')], catalogSource: imageSource(c) });
    const spec = pod(synthManifests(c)); // also: Kubernetes 1.28 schema and the restricted profile
    const [fetch, imp] = spec.initContainers;
    const main = spec.containers[0];

    expect(spec.initContainers.map((i: any) => i.name)).toEqual(['catalog-fetch', 'catalog-import']);
    expect(fetch.image).toBe('acme/rcc-catalogs:1.0.0');
    expect(fetch.imagePullPolicy).toBe('Always');
    expect(fetch.command).toEqual(['cp', '/catalogs/python311.zip', '/catalogs/python312.zip', '/mnt/catalogs/']);
    expect(fetch.volumeMounts).toEqual([{ name: 'catalogs', mountPath: '/mnt/catalogs' }]);

    expect(imp.image).toBe('acme/rccremote:18.17.2'); // the workload's image has rcc
    expect(imp.command.slice(0, 2)).toEqual(['sh', '-c']);
    expect(imp.command[2]).toContain(`verify python311.zip ${PY311.length} ${sha256(PY311)}`);
    expect(imp.command[2]).toContain(`verify python312.zip ${PY312.length} ${sha256(PY312)}`);
    expect(imp.command[2]).toMatch(/verify python312\.zip[^\n]*\nrcc holotree import python311\.zip\nrcc holotree import python312\.zip\n$/);
    expect(imp.env).toEqual([{ name: 'CATALOG_DIR', value: '/mnt/catalogs' }, { name: 'ROBOCORP_HOME', value: '/opt/robocorp' }]);
    expect(imp.volumeMounts).toEqual([
      { name: 'catalogs', mountPath: '/mnt/catalogs', readOnly: true },
      { name: 'holotree', mountPath: '/opt/robocorp' },
      { name: 'tmp', mountPath: '/tmp' },
    ]);

    // Both run exactly as restricted as the server, with its resources.
    for (const init of [fetch, imp]) {
      expect(init.securityContext).toEqual(main.securityContext);
      expect(init.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000,
        runAsGroup: 1000,
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(init.resources).toEqual(main.resources);
    }
    // The ZIPs go into a scratch volume sized for them, never into a ConfigMap; the server does not mount it.
    const total = PY311.length + PY312.length;
    expect(spec.volumes).toContainEqual({ name: 'catalogs', emptyDir: { sizeLimit: `${Math.ceil((total * 1.1) / 1048576)}Mi` } });
    expect(main.volumeMounts.map((m: any) => m.name)).not.toContain('catalogs');
    expect(JSON.stringify(synthManifests(c))).not.toContain('library/ab/cd/blob');
  });

  test('an https source: one curl downloads every file by name, https only', () => {
    const c = chart();
    server(c, {
      catalogs: [catalog(c, 'py311')],
      catalogSource: CatalogSource.fromUrl('https://files.example.com/rcc/catalogs/', new ContainerImage(c, 'curl', { repository: 'curlimages/curl', tag: '8.11.1' })),
    });
    const fetch = pod(synthManifests(c)).initContainers[0];
    expect(fetch.image).toBe('curlimages/curl:8.11.1');
    expect(fetch.command).toEqual([
      'curl', '-fsSL', '--proto', '=https', '--retry', '3',
      '-o', '/mnt/catalogs/python311.zip', 'https://files.example.com/rcc/catalogs/python311.zip',
    ]);
  });

  test('the importer image, command and resources can be given', () => {
    const c = chart();
    server(c, {
      catalogs: [catalog(c, 'py311')],
      catalogSource: imageSource(c),
      catalogImporter: {
        image: new ContainerImage(c, 'rcc', { repository: 'acme/rcc', tag: '18.17.2' }),
        command: ['rcc', 'holotree', 'import', '--silent'],
        resourceLimits: new ResourceLimits(c, 'import-resources', { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
      },
    });
    const [fetch, imp] = pod(synthManifests(c)).initContainers;
    expect(imp.image).toBe('acme/rcc:18.17.2');
    expect(imp.command[2]).toContain('\nrcc holotree import --silent python311.zip\n');
    // Ephemeral storage comes with the defaults of ResourceLimits (64Mi requested, 256Mi limited).
    for (const init of [fetch, imp]) {
      expect(init.resources).toEqual({ requests: { 'cpu': '100m', 'memory': '256Mi', 'ephemeral-storage': '64Mi' }, limits: { 'cpu': '1', 'memory': '1Gi', 'ephemeral-storage': '256Mi' } });
    }
  });

  test('one catalog serves several deployment manifests (many-to-many)', () => {
    const c = chart();
    const shared = catalog(c, 'py311');
    server(c, { catalogs: [shared, catalog(c, 'py312')], catalogSource: imageSource(c) }, 'rcc-a');
    new DeploymentManifest(c, 'rcc-b', {
      image: new ContainerImage(c, 'rcc-b-image', { repository: 'acme/rccremote', tag: '18.17.2' }),
      ports: [{ name: 'https', containerPort: 4653 }],
      storage: [new PersistentStorage(c, 'holotree-b', { name: 'holotree-b', accessMode: AccessMode.READ_WRITE_MANY, size: '10Gi', mountPath: '/opt/robocorp' })],
      catalogs: [shared],
      catalogSource: CatalogSource.fromImage(new ContainerImage(c, 'catalog-image-b', { repository: 'acme/rcc-catalogs', tag: '1.0.0' })),
    });
    const objects = synthManifests(c);
    expect(pod(objects, 'rcc-a').initContainers[1].command[2]).toMatch(/import python311\.zip\nrcc holotree import python312\.zip/);
    expect(pod(objects, 'rcc-b').initContainers[1].command[2]).toMatch(/verify python311\.zip[^\n]*\nrcc holotree import python311\.zip\n$/);
    expect(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name)).toEqual(['py311-catalog', 'py312-catalog']);
  });
});

describe('the verification step of catalog-import, run with a real shell', () => {
  /** Runs the synthesized import script in `dir` with a fake `rcc` that records its calls. */
  function runImport(files: Record<string, Buffer>): { status: number; stdout: string; stderr: string; imported: string } {
    const c = chart();
    server(c, { catalogs: [catalog(c, 'py311'), catalog(c, 'py312')], catalogSource: imageSource(c) });
    const imp = pod(synthManifests(c)).initContainers[1];
    const staging = path.join(base, 'staging');
    const bin = path.join(base, 'bin');
    fs.mkdirSync(staging);
    fs.mkdirSync(bin);
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(staging, name), data);
    const log = path.join(base, 'rcc.log');
    fs.writeFileSync(path.join(bin, 'rcc'), `#!/bin/sh\necho "$ROBOCORP_HOME $*" >> '${log}'\n`, { mode: 0o755 });
    const env = Object.fromEntries(imp.env.map((e: any) => [e.name, e.value]));
    const r = spawnSync(imp.command[0], imp.command.slice(1), {
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, ...env, CATALOG_DIR: staging },
    });
    return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, imported: fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '' };
  }

  test('good files are verified, then imported into ROBOCORP_HOME', () => {
    const r = runImport({ 'python311.zip': PY311, 'python312.zip': PY312 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`catalog python311.zip: ${PY311.length} bytes, SHA-256 ${sha256(PY311)} verified`);
    expect(r.imported).toBe('/opt/robocorp holotree import python311.zip\n/opt/robocorp holotree import python312.zip\n');
  });

  test('a file of the right size but other bytes fails on its checksum; nothing is imported', () => {
    const tampered = Buffer.from(PY312);
    tampered[tampered.length - 30] ^= 0xff; // eslint-disable-line no-bitwise
    const r = runImport({ 'python311.zip': PY311, 'python312.zip': tampered });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`catalog python312.zip: SHA-256 ${sha256(tampered)}, expected ${sha256(PY312)} (checksumSha256); nothing imported\n`);
    expect(r.imported).toBe('');
  });

  test('a file of another size fails on its size; nothing is imported', () => {
    const r = runImport({ 'python311.zip': Buffer.concat([PY311, Buffer.from('x')]), 'python312.zip': PY312 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`catalog python311.zip: ${PY311.length + 1} bytes, expected ${PY311.length} (sizeBytes); nothing imported\n`);
    expect(r.imported).toBe('');
  });

  test('a missing file fails; nothing is imported', () => {
    const r = runImport({ 'python311.zip': PY311 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^catalog python312\.zip: no such file in .*staging\n$/);
    expect(r.imported).toBe('');
  });
});

describe('catalog rules', () => {
  test('catalogs need a source; a source or importer needs catalogs', () => {
    const c = chart();
    server(c, { catalogs: [catalog(c, 'py311')] }, 'no-source');
    server(c, { catalogSource: imageSource(c), catalogImporter: { command: ['rcc', 'holotree', 'import'] } }, 'no-catalogs');
    const message = synthError(c);
    expect(message).toMatch(/\[test\/no-source\] catalogSource: got nothing; expected where the pods fetch the catalog ZIP files: CatalogSource.fromImage\(image\) or CatalogSource.fromUrl\(baseUrl, curlImage\) \(the ZIPs never go into a ConfigMap\)/);
    expect(message).toMatch(/\[test\/no-catalogs\] catalogSource: got "image"; expected catalogs to fetch \(or no catalogSource\)/);
    expect(message).toMatch(/\[test\/no-catalogs\] catalogImporter: got \["rcc","holotree","import"\]; expected catalogs to import/);
  });

  test('the holotree volume must be mounted, writable, at the catalogs\' robocorpHomePath', () => {
    const c = chart();
    server(c, { storage: [], catalogs: [catalog(c, 'py311', { robocorpHomePath: '/home/rcc' })], catalogSource: imageSource(c) });
    expect(synthError(c)).toMatch(/\[test\/rcc-remote\] catalogs: got "\/home\/rcc"; expected a volume mounted at the catalogs' robocorpHomePath to import into \(the holotree: a PersistentStorage in `storage` with that mountPath\)/);
  });

  test('catalogs of one manifest share robocorpHomePath and have distinct file names; each is listed once', () => {
    const c = chart();
    const a = catalog(c, 'py311');
    const other = new SampleCatalog(c, 'copy', { ...propsOf(a), catalogName: 'copy', robocorpHomePath: '/srv/robocorp' });
    server(c, { catalogs: [a, a, other], catalogSource: imageSource(c) });
    const message = synthError(c);
    expect(message).toMatch(/catalogs: got "test\/py311"; expected each catalog listed once/);
    expect(message).toMatch(/catalogs: got "python311.zip"; expected catalogs with different file names: the pods fetch each ZIP by its file name/);
    expect(message).toMatch(/catalogs: got \["\/opt\/robocorp","\/srv\/robocorp"\]; expected catalogs sharing one robocorpHomePath/);
  });

  test('the source: https only; the image folder apart from the scratch folder; a pinned image outside development', () => {
    const c = chart();
    const curl = new ContainerImage(c, 'curl', { repository: 'curlimages/curl', tag: '8.11.1' });
    server(c, { catalogs: [catalog(c, 'py311')], catalogSource: CatalogSource.fromUrl('http://files.example.com/catalogs', curl) }, 'plain-http');
    const c2 = chart();
    server(c2, { catalogs: [catalog(c2, 'py311')], catalogSource: CatalogSource.fromImage(new ContainerImage(c2, 'img', { repository: 'acme/cat', tag: '1.0.0' }), '/mnt') });
    const c3 = chart();
    server(c3, { catalogs: [catalog(c3, 'py311')], catalogSource: CatalogSource.fromImage(new ContainerImage(c3, 'img', { repository: 'acme/cat' })) });
    expect(synthError(c)).toMatch(/\[test\/plain-http\] catalogSource.baseUrl: got "http:\/\/files.example.com\/catalogs"; expected an https:\/\/ URL/);
    expect(synthError(c2)).toMatch(/catalogSource.directory: got "\/mnt"; expected a folder apart from \/mnt\/catalogs, where the files are copied to/);
    expect(synthError(c3)).toMatch(/catalogs.catalog-fetch.image.tag: got "latest"; expected a pinned semantic version \(or a digest\) in production/);
  });

  test('docker-compose: the catalogs must share a folder, which compose bind-mounts', () => {
    const c = chart();
    fs.mkdirSync(path.join(base, 'more'));
    fs.copyFileSync(path.join(base, 'catalogs', 'python312.zip'), path.join(base, 'more', 'python312.zip'));
    server(c, {
      type: ManifestType.DOCKER_COMPOSE,
      storage: [holotree(c, AccessMode.READ_WRITE_ONCE)],
      catalogs: [catalog(c, 'py311'), catalog(c, 'py312', { zipFilePath: 'more/python312.zip' })],
      catalogSource: imageSource(c),
    });
    expect(synthError(c)).toMatch(/catalogs: got \["catalogs\/python311.zip","more\/python312.zip"\]; expected catalogs in one folder for a docker-compose manifest/);
  });

  test('docker-compose: the Deployment names the catalog folder (relative to the working directory) and the fetch compose skips', () => {
    const c = chart();
    server(c, {
      type: ManifestType.DOCKER_COMPOSE,
      storage: [holotree(c, AccessMode.READ_WRITE_ONCE)],
      catalogs: [catalog(c, 'py311')],
      catalogSource: imageSource(c),
    });
    const annotations = findObject(synthManifests(c), 'Deployment', 'rcc-remote').metadata.annotations;
    expect(annotations).toEqual({
      'deploykit.io/manifest-type': 'docker-compose',
      'bind.compose.deploykit.io/catalogs': path.relative(process.cwd(), path.join(base, 'catalogs')),
      'skip.compose.deploykit.io/catalog-fetch': 'the catalog folder is bind-mounted read-only into the import instead',
    });
  });
});

function propsOf(c: SampleCatalog): SampleCatalogProps {
  return {
    catalogName: c.catalogName,
    baseDirectory: c.baseDirectory,
    zipFilePath: c.zipFilePath,
    pythonVersion: c.pythonVersion,
    condaDependencies: c.condaDependencies,
    robocorpHomePath: c.robocorpHomePath,
    sizeBytes: c.sizeBytes,
    checksumSha256: c.checksumSha256,
  };
}

describe('replica rule (seed 000: 1 for docker-compose, 2+ for kubernetes)', () => {
  const manifest = (environment: Environment, props: Partial<DeploymentManifestProps> = {}) => {
    const c = chart();
    new DeploymentManifest(c, 'api', {
      environment,
      image: new ContainerImage(c, 'image', { repository: 'acme/api', tag: '1.0.0' }),
      ports: [{ containerPort: 8080 }],
      ...props,
    });
    return c;
  };

  test.each([Environment.PRODUCTION, Environment.STAGING])('a kubernetes manifest with 1 replica and no autoscaling is an error in %s', (environment) => {
    expect(synthError(manifest(environment, { replicaCount: 1 })))
      .toMatch(new RegExp(`\\[test/api\\] replicaCount: got 1; expected 2 or more for a kubernetes manifest in ${environment} \\(seed 000: replica_count is 2\\+ for kubernetes`));
  });

  test('1 replica is allowed in development, with autoscaling, and with a single-writer volume', () => {
    expect(() => synthManifests(manifest(Environment.DEVELOPMENT, { replicaCount: 1 }))).not.toThrow();
    const scaling = { minReplicas: 1, maxReplicas: 3, targetCpuPercent: 70 };
    expect(() => synthManifests(manifest(Environment.PRODUCTION, { scalingConfig: scaling }))).not.toThrow();
    const c = chart();
    new DeploymentManifest(c, 'db', {
      image: new ContainerImage(c, 'image', { repository: 'acme/db', tag: '1.0.0' }),
      ports: [{ containerPort: 8080 }],
      replicaCount: 1,
      storage: [new PersistentStorage(c, 'data', { name: 'data', size: '1Gi', mountPath: '/data' })],
    });
    expect(() => synthManifests(c)).not.toThrow();
    expect(findObject(synthManifests(manifest(Environment.PRODUCTION)), 'Deployment', 'api').spec.replicas).toBe(2);
  });

  test('a docker-compose manifest with other than 1 replica stays an error', () => {
    expect(synthError(manifest(Environment.PRODUCTION, { type: ManifestType.DOCKER_COMPOSE, replicaCount: 2 })))
      .toMatch(/\[test\/api\] replicaCount: got 2; expected 1 for a docker-compose manifest/);
    expect(() => synthManifests(manifest(Environment.PRODUCTION, { type: ManifestType.DOCKER_COMPOSE }))).not.toThrow();
  });
});

describe('composeHealthcheckCommand', () => {
  const manifest = (props: Partial<DeploymentManifestProps>) => {
    const c = chart();
    new DeploymentManifest(c, 'api', {
      image: new ContainerImage(c, 'image', { repository: 'acme/api', tag: '1.0.0' }),
      ports: [{ containerPort: 8080 }],
      ...props,
    });
    return c;
  };

  test('rejected for kubernetes, as an empty command, or without a liveness endpoint', () => {
    expect(synthError(manifest({ composeHealthcheckCommand: ['curl', '-fsk'] })))
      .toMatch(/composeHealthcheckCommand: got \["curl","-fsk"\]; expected nothing for a kubernetes manifest \(the kubelet probes it\), or type ManifestType.DOCKER_COMPOSE/);
    expect(synthError(manifest({ type: ManifestType.DOCKER_COMPOSE, composeHealthcheckCommand: ['curl', ''] })))
      .toMatch(/composeHealthcheckCommand: got \["curl",""\]; expected a command of non-empty words such as \["curl", "-fsk"\]; the endpoint URL is appended/);
    expect(synthError(manifest({ type: ManifestType.DOCKER_COMPOSE, composeHealthcheckCommand: ['curl', '-fsk'], healthEndpoints: [] })))
      .toMatch(/composeHealthcheckCommand: got \["curl","-fsk"\]; expected a liveness HealthEndpoint to probe \(HTTP or HTTPS\)/);
  });

  test('is recorded on a docker-compose Deployment for the compose synth', () => {
    const objects = synthManifests(manifest({ type: ManifestType.DOCKER_COMPOSE, composeHealthcheckCommand: ['wget', '-q', '-O', '/dev/null'] }));
    expect(findObject(objects, 'Deployment', 'api').metadata.annotations['deploykit.io/compose-healthcheck-command']).toBe('["wget","-q","-O","/dev/null"]');
  });
});
