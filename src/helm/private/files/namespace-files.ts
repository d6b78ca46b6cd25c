/**
 * Namespace objects stay out of the templates.
 *
 * Helm stores a release in its namespace, so that namespace must exist before `helm install`; a
 * Namespace template would then fail the install ("invalid ownership metadata" on a namespace Helm
 * did not create), and `--create-namespace` collides the same way. So the chart folder holds the
 * plain Namespace object(s), Pod Security Admission labels included, in files Helm does not render,
 * one per values file: `namespace.yaml` goes with values.yaml, `namespace-<env>.yaml` with
 * values-<env>.yaml. They are applied with `kubectl apply -f` before `helm install`, and stay in the
 * packaged chart so `helm pull --untar` gives them too.
 */
import { KubeObject } from '../../../manifests';
import { emitYaml } from '../model/yaml-text';

/** One namespace file: the Namespace objects of one environment. */
export interface NamespaceFile {
  /** File name in the chart folder: `namespace.yaml` or `namespace-<env>.yaml`. */
  readonly file: string;
  /** The values file it goes with: `values.yaml` or `values-<env>.yaml`. */
  readonly valuesFile: string;
  /** Environment name, for the header. */
  readonly environment: string;
  /** The plain Namespace objects. */
  readonly docs: KubeObject[];
  /** Namespace of the environment's other objects (for the install command). */
  readonly releaseNamespace?: string;
}

/** Label keys of Pod Security Admission. */
export const PSA_LABEL_PREFIX = 'pod-security.kubernetes.io/';

/** True for an object that goes to a namespace file instead of templates/. */
export function isNamespace(doc: KubeObject | undefined): boolean {
  return doc?.kind === 'Namespace';
}

/** The Pod Security Admission labels of the Namespace objects (first one wins per key). */
export function psaLabels(docs: readonly KubeObject[]): [string, string][] {
  const out = new Map<string, string>();
  for (const d of docs) {
    for (const [k, v] of Object.entries(d.metadata?.labels ?? {})) {
      if (k.startsWith(PSA_LABEL_PREFIX) && typeof v === 'string' && !out.has(k)) out.set(k, v);
    }
  }
  return [...out];
}

/** `kubectl label namespace <ns> k=v ...` with the PSA labels, or undefined when there are none. */
export function labelCommand(namespace: string, labels: [string, string][]): string | undefined {
  if (labels.length === 0) return undefined;
  return `kubectl label namespace ${namespace} ${labels.map(([k, v]) => `${k}=${v}`).join(' ')}`;
}

/**
 * The install command of a values file: `helm install <chart> ./<chart> [-f ...] [--namespace ...]`
 * (the release named after the chart renders exactly the plain YAML; another name renames every object).
 */
export function installCommand(chartName: string, valuesFile: string, namespace: string | undefined): string {
  const f = valuesFile === 'values.yaml' ? '' : ` -f ./${chartName}/${valuesFile}`;
  return `helm install ${chartName} ./${chartName}${f}${namespace ? ` --namespace ${namespace}` : ''}`;
}

/** Text of a namespace file: a header saying how to use it, then the plain objects. */
export function namespaceFileText(chartName: string, nf: NamespaceFile): string {
  const names = nf.docs.map((d) => d.metadata?.name).join(', ');
  const header = [
    `# Namespace ${names} of the ${nf.environment} environment (goes with ${nf.valuesFile}), as plain YAML.`,
    '# Helm stores the release in this namespace, so it must exist before `helm install`; the chart does',
    '# not template it. Helm does not read this file. Create the namespace first:',
    `#   kubectl apply -f ./${chartName}/${nf.file}`,
    `#   ${installCommand(chartName, nf.valuesFile, nf.releaseNamespace)}`,
  ].join('\n');
  return `${header}\n${nf.docs.map((d) => emitYaml(d)).join('---\n')}`;
}
