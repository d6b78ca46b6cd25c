import * as path from 'path';
import { CatalogImporter, CatalogSource, CatalogSourceType } from './catalog-source';
import { SampleCatalog } from './sample-catalog';
import { Findings } from '../core/findings';
import { httpsUrl, absolutePath } from '../core/rules/urls';
import { duplicates, shellWord } from '../core/text';
import { ContainerImage } from '../pod/container-image';
import { ResourceLimits } from '../pod/resource-limits';

/**
 * How the catalogs of one workload get into its holotree volume (the room's surface for workloads,
 * not exported from the package): an init container fetches the ZIP files into a scratch volume
 * (from the catalog image, or over https), and a second one verifies each file's size and SHA-256
 * against the catalog and imports it, failing the pod on any mismatch before importing anything.
 */

/** Pod volume holding the fetched ZIP files. @internal */
export const CATALOG_STAGING_VOLUME = 'catalogs';
/** Where the fetched ZIP files are, in the fetch and import containers. @internal */
export const CATALOG_STAGING_PATH = '/mnt/catalogs';
/** Init container that fetches the ZIP files. @internal */
export const CATALOG_FETCH_CONTAINER = 'catalog-fetch';
/** Init container that verifies and imports them. @internal */
export const CATALOG_IMPORT_CONTAINER = 'catalog-import';
/** The default import command (the ZIP file is appended). @internal */
export const DEFAULT_IMPORT_COMMAND = ['rcc', 'holotree', 'import'];

/** A container of the catalog import, before the workload adds its security context and mounts. @internal */
export interface CatalogContainer {
  readonly name: string;
  /** Undefined when the workload has no image to lend the importer (a JavaScript caller left it out; reported by the props check). */
  readonly image: ContainerImage | undefined;
  readonly command: string[];
  readonly env?: Record<string, string>;
}

/** What a workload needs to import its catalogs. @internal */
export interface CatalogImportPlan {
  /** ROBOCORP_HOME: the holotree volume must be mounted here. */
  readonly robocorpHomePath: string;
  /** emptyDir size limit of the staging volume: the files' total plus a tenth, in MiB. */
  readonly stagingSizeLimit: string;
  readonly fetch: CatalogContainer;
  readonly verifyAndImport: CatalogContainer;
  /** Requests and limits of both, when the importer gives them (else the workload container's). */
  readonly resources?: ResourceLimits;
  /** The folder holding every catalog file on the synth machine (absolute), when they share one. */
  readonly localFolder?: string;
}

/**
 * The `sh -c` script of the import container: in `$CATALOG_DIR`, every file must exist and have the
 * catalog's size and SHA-256 (else it prints what it found and exits 1, so the pod never starts and
 * nothing is imported); then each file is imported with `command`.
 * @internal
 */
export function verifyAndImportScript(catalogs: readonly SampleCatalog[], command: readonly string[]): string {
  const lines = [
    'set -eu',
    'cd "$CATALOG_DIR"',
    'verify() {',
    '  [ -f "$1" ] || { echo "catalog $1: no such file in $CATALOG_DIR" >&2; exit 1; }',
    '  size=$(($(wc -c < "$1")))',
    '  [ "$size" = "$2" ] || { echo "catalog $1: $size bytes, expected $2 (sizeBytes); nothing imported" >&2; exit 1; }',
    '  sum=$(sha256sum "$1"); sum=${sum%% *}',
    '  [ "$sum" = "$3" ] || { echo "catalog $1: SHA-256 $sum, expected $3 (checksumSha256); nothing imported" >&2; exit 1; }',
    '  echo "catalog $1: $2 bytes, SHA-256 $3 verified"',
    '}',
    ...catalogs.map((c) => `verify ${shellWord(c.fileName)} ${c.sizeBytes} ${shellWord(c.checksumSha256)}`),
    ...catalogs.map((c) => [...command, c.fileName].map(shellWord).join(' ')),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Checks the catalogs, source and importer of one workload and plans the two init containers;
 * undefined when there is nothing to import (every problem is a finding).
 * @internal
 */
export function planCatalogImport(
  findings: Findings,
  catalogs: readonly SampleCatalog[] | undefined,
  source: CatalogSource | undefined,
  importer: CatalogImporter | undefined,
  workloadImage: ContainerImage | undefined,
): CatalogImportPlan | undefined {
  const list = catalogs ?? [];
  if (list.length === 0) {
    if (source !== undefined) findings.add('catalogSource', source.type, 'catalogs to fetch (or no catalogSource)');
    if (importer !== undefined) findings.add('catalogImporter', importer.command ?? DEFAULT_IMPORT_COMMAND, 'catalogs to import (or no catalogImporter)');
    return undefined;
  }
  if (source === undefined) {
    findings.add('catalogSource', undefined,
      'where the pods fetch the catalog ZIP files: CatalogSource.fromImage(image) or CatalogSource.fromUrl(baseUrl, curlImage) (the ZIPs never go into a ConfigMap)');
    return undefined;
  }
  for (const dup of duplicates(list.map((c) => c.node.path))) findings.add('catalogs', dup, 'each catalog listed once');
  for (const dup of duplicates(list.map((c) => c.fileName))) {
    findings.add('catalogs', dup, 'catalogs with different file names: the pods fetch each ZIP by its file name');
  }
  const homes = [...new Set(list.map((c) => c.robocorpHomePath))];
  if (homes.length > 1) {
    findings.add('catalogs', homes, 'catalogs sharing one robocorpHomePath: they are imported into one holotree volume');
  }
  // A catalog without a robocorpHomePath string (a JavaScript caller's bad value, which the catalog
  // reports) leaves nothing to import into.
  if (typeof homes[0] !== 'string') return undefined;
  if (source.type === CatalogSourceType.IMAGE) {
    const dir = source.directory ?? '';
    if (findings.check('catalogSource.directory', dir, absolutePath)) {
      const normalized = path.posix.normalize(dir);
      if (normalized === CATALOG_STAGING_PATH || normalized.startsWith(`${CATALOG_STAGING_PATH}/`) || CATALOG_STAGING_PATH.startsWith(`${normalized.replace(/\/$/, '')}/`)) {
        findings.add('catalogSource.directory', dir, `a folder apart from ${CATALOG_STAGING_PATH}, where the files are copied to`);
      }
    }
  } else {
    findings.check('catalogSource.baseUrl', source.baseUrl ?? '', httpsUrl);
  }
  const command = importer?.command ?? DEFAULT_IMPORT_COMMAND;
  if (command.length === 0 || command.some((part) => part.trim() === '')) {
    findings.add('catalogImporter.command', command, 'a command of non-empty words, such as ["rcc", "holotree", "import"]');
  }

  const totalBytes = list.reduce((sum, c) => sum + (Number.isFinite(c.sizeBytes) && c.sizeBytes > 0 ? c.sizeBytes : 0), 0);
  const folders = [...new Set(list.map((c) => path.dirname(c.resolvedPath)))];
  return {
    robocorpHomePath: homes[0],
    stagingSizeLimit: `${Math.max(1, Math.ceil((totalBytes * 1.1) / (1024 * 1024)))}Mi`,
    fetch: { name: CATALOG_FETCH_CONTAINER, image: source.image, command: fetchCommand(source, list) },
    verifyAndImport: {
      name: CATALOG_IMPORT_CONTAINER,
      image: importer?.image ?? workloadImage,
      command: ['sh', '-c', verifyAndImportScript(list, command)],
      env: { CATALOG_DIR: CATALOG_STAGING_PATH, ROBOCORP_HOME: homes[0] },
    },
    localFolder: folders.length === 1 ? folders[0] : undefined,
    resources: importer?.resourceLimits,
  };
}

/** `cp` out of the catalog image, or one `curl` for every file. */
function fetchCommand(source: CatalogSource, catalogs: readonly SampleCatalog[]): string[] {
  if (source.type === CatalogSourceType.IMAGE) {
    const dir = (source.directory ?? '/catalogs').replace(/\/+$/, '');
    return ['cp', ...catalogs.map((c) => `${dir}/${c.fileName}`), `${CATALOG_STAGING_PATH}/`];
  }
  const base = (source.baseUrl ?? '').replace(/\/+$/, '');
  return [
    'curl', '-fsSL', '--proto', '=https', '--retry', '3',
    ...catalogs.flatMap((c) => ['-o', `${CATALOG_STAGING_PATH}/${c.fileName}`, `${base}/${encodeURIComponent(c.fileName)}`]),
  ];
}
