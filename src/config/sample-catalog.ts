import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { Findings } from '../core/findings';
import { objectLabels, checkObjectLabels, ObjectLabelProps } from '../core/labels';
import { CATALOG_FILES } from './private/catalog-file';
import { dns1123Label } from '../core/rules/names';
import { positiveInteger } from '../core/rules/numbers';
import { dataVolume } from '../pod/volumes';
import { WorkloadVolume } from '../pod/workload-volume';
import { agreesWithPython, catalogConfigMapName, catalogConfigMapNameFor, catalogName, condaDependency, isInside, pythonVersion, relativePathInside, sha256Hex } from './private/catalog-rules';
import { absolutePath } from '../core/rules/urls';
import { checkArgs, checkProps } from '../core/validation';

/** Props of a SampleCatalog (seed 000 Sample Catalog: a pre-built hololib ZIP file). */
export interface SampleCatalogProps extends ObjectLabelProps {
  /**
   * The catalog's identifier: letters, digits, "-" and "_", unique within the chart. The ConfigMap
   * is named `<catalogName>-catalog`, lowercased with "_" as "-".
   */
  readonly catalogName: string;
  /** Path of the ZIP file relative to `baseDirectory`, such as "catalogs/python311.zip". */
  readonly zipFilePath: string;
  /**
   * The folder `zipFilePath` is resolved against; the file must lie inside it.
   * @default - the current working directory
   */
  readonly baseDirectory?: string;
  /** Python version of the catalog's environment, MAJOR.MINOR.PATCH, such as "3.11.5". */
  readonly pythonVersion: string;
  /** Conda match specs of the environment, such as ["python=3.11.5", "numpy=1.26.4"]; each non-empty. */
  readonly condaDependencies: string[];
  /** Where RCC keeps environments (ROBOCORP_HOME) on the target, an absolute path such as "/opt/robocorp". */
  readonly robocorpHomePath: string;
  /** Size of the ZIP file in bytes, a positive integer equal to the file's size. */
  readonly sizeBytes: number;
  /** SHA-256 of the ZIP file, 64 lowercase hex digits (`sha256sum` output); must match the file. */
  readonly checksumSha256: string;
  /**
   * Namespace of the ConfigMap.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
}

/**
 * A pre-built hololib catalog (seed 000 Sample Catalog), published as a ConfigMap
 * `<catalogName>-catalog` whose `catalog.json` holds the catalog's metadata (name, file name, Python
 * version, conda dependencies, ROBOCORP_HOME, size and SHA-256), never the file itself: a catalog
 * is 50-200 MB. The file reaches the pods through a `DeploymentManifest`'s `catalogs` and
 * `catalogSource` (an init container verifies its size and SHA-256 again and imports it into the
 * holotree volume); one catalog may serve several deployment manifests.
 *
 * Rules (each a synth finding naming the field): a catalog name of letters, digits, "-" and "_",
 * unique within the chart, that gives a DNS-1123 ConfigMap name; a relative ZIP path that stays
 * inside `baseDirectory` (also through symbolic links); the file exists and is a whole ZIP archive
 * (yauzl, a maintained ZIP reader, reads its end records and every central directory entry, never the
 * entries' data); `sizeBytes` a positive integer equal to the file's size; `checksumSha256` 64
 * lowercase hex digits equal to the file's SHA-256; a MAJOR.MINOR.PATCH Python version that a
 * "python=" dependency agrees with; non-empty conda dependencies; an absolute `robocorpHomePath`.
 *
 * The file is checked at synth time. Its SHA-256 is computed by reading it in 1 MiB chunks; both
 * checks are remembered per path, size and modification time, so catalogs sharing a file read it once.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { SampleCatalog } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'robots', { namespace: 'robots' });
 *
 * // The ConfigMap "python311-data-science-catalog" describes catalogs/python311.zip; at synth the
 * // file must exist, be a whole ZIP archive and match this size and SHA-256.
 * new SampleCatalog(chart, 'python311', {
 *   catalogName: 'python311_data-science',
 *   zipFilePath: 'catalogs/python311.zip',
 *   pythonVersion: '3.11.5',
 *   condaDependencies: ['python=3.11.5', 'numpy=1.26.4'],
 *   robocorpHomePath: '/opt/robocorp',
 *   sizeBytes: 73400320,
 *   checksumSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
 * });
 */
export class SampleCatalog extends Construct {
  /** Whether `x` is a SampleCatalog. */
  public static isSampleCatalog(x: any): x is SampleCatalog {
    return x !== null && typeof x === 'object' && SAMPLE_CATALOG in x;
  }

  /** The catalog name. */
  public readonly catalogName: string;
  /** The ZIP path as given, relative to `baseDirectory`. */
  public readonly zipFilePath: string;
  /** The absolute folder the ZIP path is resolved against. */
  public readonly baseDirectory: string;
  /** The absolute path of the ZIP file. */
  public readonly resolvedPath: string;
  /** The ZIP file's name (the last part of `zipFilePath`): pods fetch and import it under this name. */
  public readonly fileName: string;
  /** The Python version. */
  public readonly pythonVersion: string;
  /** The conda dependencies. */
  public readonly condaDependencies: string[];
  /** ROBOCORP_HOME on the target. */
  public readonly robocorpHomePath: string;
  /** The declared size in bytes. */
  public readonly sizeBytes: number;
  /** The declared SHA-256. */
  public readonly checksumSha256: string;
  /** Name of the ConfigMap holding `catalog.json`. */
  public readonly configMapName: string;
  /** The catalog's metadata ConfigMap (an escape hatch). */
  public readonly apiObject: k8s.KubeConfigMap;

  private readonly findings: Findings;

  constructor(scope: Construct, id: string, props: SampleCatalogProps) {
    super(scope, id);
    Object.defineProperty(this, SAMPLE_CATALOG, { value: true });
    const findings = Findings.attach(this);
    props = checkProps(findings, 'SampleCatalogProps', props);
    this.findings = findings;
    this.catalogName = props.catalogName;
    this.zipFilePath = props.zipFilePath;
    this.baseDirectory = path.resolve(props.baseDirectory ?? process.cwd());
    this.resolvedPath = path.resolve(this.baseDirectory, props.zipFilePath ?? '');
    this.fileName = path.posix.basename((props.zipFilePath ?? '').replace(/\\/g, '/'));
    this.pythonVersion = props.pythonVersion;
    this.condaDependencies = [...(props.condaDependencies ?? [])];
    this.robocorpHomePath = props.robocorpHomePath;
    this.sizeBytes = props.sizeBytes;
    this.checksumSha256 = props.checksumSha256;
    this.configMapName = catalogConfigMapNameFor(props.catalogName ?? '');

    if (findings.check('catalogName', props.catalogName, catalogName)) {
      findings.check('catalogName', this.configMapName, catalogConfigMapName);
    }
    findings.check('zipFilePath', props.zipFilePath, relativePathInside);
    const pythonOk = props.pythonVersion !== undefined && findings.check('pythonVersion', props.pythonVersion, pythonVersion);
    this.condaDependencies.forEach((dependency, i) => {
      const ok = findings.check(`condaDependencies[${i}]`, dependency, condaDependency);
      if (ok && pythonOk) findings.check(`condaDependencies[${i}]`, dependency, agreesWithPython(props.pythonVersion));
    });
    findings.check('robocorpHomePath', props.robocorpHomePath, absolutePath);
    findings.check('sizeBytes', props.sizeBytes, positiveInteger);
    findings.check('checksumSha256', props.checksumSha256, sha256Hex);
    findings.check('namespace', props.namespace, dns1123Label);
    checkObjectLabels(findings, props, this.configMapName, 'catalogName');

    // The file and the other catalogs of the chart are checked when the tree is complete.
    this.node.addValidation({ validate: () => this.lateFindings().messages() });

    const metadata = {
      name: props.catalogName,
      fileName: this.fileName,
      pythonVersion: props.pythonVersion,
      condaDependencies: this.condaDependencies,
      robocorpHome: props.robocorpHomePath,
      sizeBytes: props.sizeBytes,
      sha256: props.checksumSha256,
    };
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: this.configMapName,
        namespace: props.namespace,
        labels: { ...objectLabels(this.configMapName, props) },
      },
      data: { 'catalog.json': `${JSON.stringify(metadata, undefined, 2)}\n` },
    });
  }

  /**
   * The ConfigMap as a read-only volume holding `catalog.json`.
   * @param mountPath where to mount it (absolute path), such as "/etc/catalogs/python311"
   */
  public volume(mountPath: string): WorkloadVolume {
    [mountPath] = checkArgs(this.findings, 'SampleCatalog', 'volume', [mountPath]) as [string];
    return dataVolume(this.findings, this.configMapName, undefined, mountPath, { configMapName: this.configMapName });
  }

  /** The findings that need the file and the whole chart; computed at every validation. */
  private lateFindings(): Findings {
    const findings = new Findings();
    this.checkUnique(findings);
    if (relativePathInside(this.zipFilePath ?? '') === undefined) this.checkFile(findings);
    return findings;
  }

  private checkUnique(findings: Findings): void {
    const others = catalogsOf(Chart.of(this)).filter((c) => c !== this);
    const sameName = others.filter((c) => c.catalogName === this.catalogName);
    if (sameName.length > 0) {
      findings.add('catalogName', this.catalogName,
        `a catalog name unique within the chart; ${sameName.map((c) => c.node.path).join(', ')} uses it too`);
      return;
    }
    const sameConfigMap = others.filter((c) => c.configMapName === this.configMapName);
    if (sameConfigMap.length > 0) {
      findings.add('catalogName', this.catalogName,
        `a catalog name whose ConfigMap name "${this.configMapName}" is unique within the chart; `
        + sameConfigMap.map((c) => `${c.node.path} ("${c.catalogName}")`).join(', ') + ' maps to it too');
    }
  }

  private checkFile(findings: Findings): void {
    const file = this.resolvedPath;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      findings.add('zipFilePath', this.zipFilePath, `an existing ZIP file; there is no file ${file} (zipFilePath inside baseDirectory ${this.baseDirectory})`);
      return;
    }
    if (!stat.isFile()) {
      findings.add('zipFilePath', this.zipFilePath, `a ZIP file; ${file} is no regular file`);
      return;
    }
    const real = fs.realpathSync(file);
    const realBase = realPathOr(this.baseDirectory);
    if (!isInside(realBase, real)) {
      findings.add('zipFilePath', this.zipFilePath, `a file inside baseDirectory ${this.baseDirectory}; through a symbolic link it is ${real}`);
      return;
    }

    let zipProblem: string | undefined;
    try {
      zipProblem = CATALOG_FILES.zipProblem(file);
    } catch (e) {
      findings.add('zipFilePath', this.zipFilePath, `a readable ZIP file; checking ${file} failed: ${(e as Error).message}`);
      return;
    }
    if (zipProblem !== undefined) findings.add('zipFilePath', this.zipFilePath, `${zipProblem} (${file})`);

    if (positiveInteger(this.sizeBytes) === undefined && this.sizeBytes !== stat.size) {
      findings.add('sizeBytes', this.sizeBytes, `the size of the file, ${stat.size} bytes (${file})`);
    }
    if (sha256Hex(this.checksumSha256) === undefined) {
      const actual = fileSha256(file);
      if (actual !== this.checksumSha256) {
        findings.add('checksumSha256', this.checksumSha256, `the SHA-256 of the file, ${actual} (${file})`);
      }
    }
  }
}

const SAMPLE_CATALOG = Symbol.for('cdk8s-deploykit.SampleCatalog');

function catalogsOf(scope: IConstruct): SampleCatalog[] {
  return scope.node.findAll().filter((c): c is SampleCatalog => SampleCatalog.isSampleCatalog(c));
}

function realPathOr(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** The SHA-256 (lowercase hex) of a file, hashed once per (path, size, modification time). @internal */
export function fileSha256(file: string): string {
  return CATALOG_FILES.sha256(file);
}

/** How many files the shared cache has hashed since it was last cleared (tests). @internal */
export function fileDigestsComputed(): number {
  return CATALOG_FILES.computed;
}

/** Forgets every remembered digest and ZIP check (tests). @internal */
export function clearFileDigests(): void {
  CATALOG_FILES.clear();
}
