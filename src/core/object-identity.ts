/**
 * What makes two Kubernetes objects the same object: API group, kind, namespace and name (the
 * version does not count: apps/v1 and apps/v1beta2 Deployments are one object). Cluster-scoped kinds
 * ignore the namespace. `kubectl apply` of two objects with one identity keeps only the last, and
 * a Helm chart cannot hold both; so a chart, a `deploykit check` input and a Helm chart hold each
 * identity once.
 */
import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** Kinds that live outside namespaces. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'CertificateSigningRequest', 'FlowSchema',
  'PriorityLevelConfiguration', 'PodSecurityPolicy', 'ClusterIssuer', 'VolumeSnapshotClass',
]);

/** Whether objects of this kind are cluster-scoped (no namespace). */
export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

/** The API group of an apiVersion (`apps/v1` → `apps`, `v1` → the core group ``). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** The identity key of an object: group, kind, namespace (none for cluster-scoped kinds) and name. */
export function identityKey(apiVersion: string, kind: string, namespace: string | undefined, name: string): string {
  return [apiGroupOf(apiVersion), kind, isClusterScoped(kind) ? '' : namespace ?? '', name].join('\u0000');
}

/** "Deployment shop/api", or "ClusterRole reader": how messages name an object. */
export function identityText(kind: string, namespace: string | undefined, name: string): string {
  return `${kind} ${namespace && !isClusterScoped(kind) ? `${namespace}/` : ''}${name}`;
}

const CHECKED = new WeakSet<IConstruct>();

/**
 * Makes `app.synth()` and `chart.toJson()` report two objects of one identity in the chart holding
 * `scope` (once per chart, however often called; nothing for a scope outside any chart): one finding
 * per pair of constructs, naming both construct paths and the objects they share. Every construct
 * of the library calls it through `Findings.attach`, so no user has to ask.
 */
export function checkObjectIdentities(scope: IConstruct): void {
  let chart: Chart;
  try {
    chart = Chart.of(scope);
  } catch {
    return;
  }
  if (CHECKED.has(chart)) return;
  CHECKED.add(chart);
  chart.node.addValidation({ validate: () => duplicateObjectProblems(chart) });
}

/** The findings of the identity check of one chart. */
function duplicateObjectProblems(chart: Chart): string[] {
  const first = new Map<string, ApiObject>();
  // One finding per pair of constructs that make the same objects, listing every object repeated.
  const pairs = new Map<string, { earlier: IConstruct; later: IConstruct; objects: ApiObject[] }>();
  for (const node of chart.node.findAll()) {
    if (!ApiObject.isApiObject(node) || Chart.of(node) !== chart) continue;
    const key = identityKey(node.apiVersion, node.kind, node.metadata.namespace, String(node.name));
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, node);
      continue;
    }
    const [a, b] = owners(earlier, node);
    const pairKey = `${a.node.path}\u0000${b.node.path}`;
    const pair = pairs.get(pairKey) ?? { earlier: a, later: b, objects: [] };
    pair.objects.push(node);
    pairs.set(pairKey, pair);
  }
  return [...pairs.values()].map(({ earlier, later, objects }) => {
    const kinds = objects.map((o) => o.kind);
    const list = kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}`;
    const names = [...new Set(objects.map((o) => (isClusterScoped(o.kind) || !o.metadata.namespace ? String(o.name) : `${o.metadata.namespace}/${o.name}`)))];
    return `${later.node.path}: got the ${list} ${JSON.stringify(names.join(', '))}, which ${earlier.node.path} makes too; expected one object per `
      + `API group, kind, namespace and name in a chart (kubectl apply keeps only the last ${objects[0].kind}, and a Helm chart cannot hold both): `
      + 'give one of them another name or namespace';
  });
}

/** The constructs that tell two objects apart: the children where their construct paths part. */
function owners(a: IConstruct, b: IConstruct): [IConstruct, IConstruct] {
  const pathA = a.node.scopes;
  const pathB = b.node.scopes;
  let i = 0;
  while (i < pathA.length && i < pathB.length && pathA[i] === pathB[i]) i++;
  return [pathA[i] ?? a, pathB[i] ?? b];
}
