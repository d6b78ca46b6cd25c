/**
 * What makes two Kubernetes objects the same object: API group, kind, namespace and name (the
 * version does not count: apps/v1 and apps/v1beta2 Deployments are one object). Cluster-scoped kinds
 * ignore the namespace. `kubectl apply` of two objects with one identity keeps only the last, and
 * a Helm chart cannot hold both; so a chart, a `deploykit check` input and a Helm chart hold each
 * identity once.
 */
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
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
 * `scope`, and in different charts of an app that writes them all into one file
 * (`YamlOutputType.FILE_PER_APP`); once per chart and app, however often called; nothing for a scope
 * outside any chart. One finding per pair of constructs, naming both construct paths and the objects
 * they share. Every construct of the library calls it through `Findings.attach`, so no user has to ask.
 */
export function checkObjectIdentities(scope: IConstruct): void {
  let chart: Chart;
  try {
    chart = Chart.of(scope);
  } catch {
    return;
  }
  if (!CHECKED.has(chart)) {
    CHECKED.add(chart);
    chart.node.addValidation({ validate: () => duplicatePairs(chart, (c) => c === chart).map((p) => describePair(p, 'a chart')) });
  }
  // An app that writes every chart into one file applies them together: the objects of different
  // charts must differ too. (Charts written to files of their own are often alternative
  // environments of one system, with the same names in the same namespace.)
  const app = chart.node.root;
  if (app instanceof App && !CHECKED.has(app)) {
    CHECKED.add(app);
    app.node.addValidation({
      validate: () => (app.yamlOutputType !== YamlOutputType.FILE_PER_APP ? []
        // Pairs inside one chart are that chart's own finding already.
        : duplicatePairs(app, () => true).filter((p) => !p.sameChart).map((p) => describePair(p, 'an app written to one file'))),
    });
  }
}

/** Two constructs that make objects of the same identities. */
interface DuplicatePair {
  readonly earlier: IConstruct;
  readonly later: IConstruct;
  readonly objects: ApiObject[];
  readonly sameChart: boolean;
}

/** Every pair of constructs below `scope` (in charts `inScope` accepts) that make objects of one identity. */
function duplicatePairs(scope: IConstruct, inScope: (chart: Chart) => boolean): DuplicatePair[] {
  const first = new Map<string, ApiObject>();
  // One pair per two constructs that make the same objects, listing every object repeated.
  const pairs = new Map<string, DuplicatePair>();
  for (const node of scope.node.findAll()) {
    // An ApiObject keeps its chart (`Chart.of` at construction): no walk up the tree per object.
    if (!ApiObject.isApiObject(node) || !inScope(node.chart)) continue;
    const key = identityKey(node.apiVersion, node.kind, node.metadata.namespace, String(node.name));
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, node);
      continue;
    }
    const [a, b] = owners(earlier, node);
    const pairKey = `${a.node.path}\u0000${b.node.path}`;
    const pair = pairs.get(pairKey) ?? { earlier: a, later: b, objects: [], sameChart: earlier.chart === node.chart };
    pair.objects.push(node);
    pairs.set(pairKey, pair);
  }
  return [...pairs.values()];
}

/** The finding of one pair, naming both construct paths and the objects they share. */
function describePair({ earlier, later, objects }: DuplicatePair, where: string): string {
  const kinds = objects.map((o) => o.kind);
  const list = kinds.length === 1 ? kinds[0] : `${kinds.slice(0, -1).join(', ')} and ${kinds[kinds.length - 1]}`;
  const names = [...new Set(objects.map((o) => (isClusterScoped(o.kind) || !o.metadata.namespace ? String(o.name) : `${o.metadata.namespace}/${o.name}`)))];
  return `${later.node.path}: got the ${list} ${JSON.stringify(names.join(', '))}, which ${earlier.node.path} makes too; expected one object per `
    + `API group, kind, namespace and name in ${where} (kubectl apply keeps only the last ${objects[0].kind}, and a Helm chart cannot hold both): `
    + 'give one of them another name or namespace';
}

/** The constructs that tell two objects apart: the children where their construct paths part. */
function owners(a: IConstruct, b: IConstruct): [IConstruct, IConstruct] {
  const pathA = a.node.scopes;
  const pathB = b.node.scopes;
  let i = 0;
  while (i < pathA.length && i < pathB.length && pathA[i] === pathB[i]) i++;
  return [pathA[i] ?? a, pathB[i] ?? b];
}
