/**
 * Internal to `policy`: the CustomResourceDefinitions the library ships, in `crds/` at the package
 * root. **To ship another CRD:** copy its upstream file into `crds/` and add its file name here
 * (one line); `crds/README.md` records where each file comes from.
 */
import * as fs from 'fs';
import * as path from 'path';

/** File names in `crds/`, one per CRD. */
export const SHIPPED_CRDS: readonly string[] = [
  'cert-manager.io_certificates.yaml',
  'cert-manager.io_issuers.yaml',
  'cert-manager.io_clusterissuers.yaml',
  'monitoring.coreos.com_servicemonitors.yaml',
  'monitoring.coreos.com_podmonitors.yaml',
  'monitoring.coreos.com_prometheusrules.yaml',
  'bitnami.com_sealedsecrets.yaml',
  'external-secrets.io_externalsecrets.yaml',
];

/** The YAML text of every shipped CRD. */
export function shippedCrdTexts(packageRoot: string): string[] {
  return SHIPPED_CRDS.map((file) => fs.readFileSync(path.join(packageRoot, 'crds', file), 'utf8'));
}
