/**
 * What a Helm user expects of any chart HelmChart writes, proven with the real helm on rendered
 * objects: releases side by side, another namespace, the standard values, image registries, config
 * checksums, the helm test, lint with each values file. Used for the example charts and for a chart
 * made from a plain cdk8s-plus-28 app.
 */
import * as fs from 'fs';
import * as path from 'path';
import { render } from './harness';
import { ManifestSet, PodTemplateRef, ingressBackends, labelSelectorMatches, mapSelects, referencedNames } from '../../src/manifests';
import { assertValidManifests } from '../util/manifests';
import { runHelm } from '../util/tools';

/** `Kind/name` of every object. */
export function kindNames(objects: any[]): string[] {
  return objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort();
}

/**
 * Everything in one release that does not resolve inside it: references to ConfigMaps, Secrets,
 * claims, ServiceAccounts, Services, Issuers and scale targets, selectors that select no pod of the
 * release, and in-cluster DNS names of Services the release does not have or in another namespace.
 * `external`: Secrets the user creates (their names come from values, not from the release).
 */
export function unresolved(objects: any[], namespace: string, external: readonly string[] = []): string[] {
  const set = new ManifestSet(objects);
  const has = (kind: string, name: unknown) => typeof name === 'string' && set.find(kind, name) !== undefined;
  const certSecrets = new Set(set.ofKind('Certificate').map((c) => c.raw.spec?.secretName));
  const problems: string[] = [];
  const id = (o: any) => `${o.kind}/${o.metadata?.name}`;
  const selects = (selector: any, matches: (labels: any) => boolean) => set.pods.some((p) => matches(p.labels)) || problems.push(`${selector} selects no pod`);
  for (const pod of set.pods) {
    const o = pod.obj.raw;
    // kube-root-ca.crt is published into every namespace by the cluster (a ServiceAccount token volume reads its CA there).
    for (const n of referencedNames(pod.spec, 'ConfigMap')) if (!has('ConfigMap', n) && n !== 'kube-root-ca.crt') problems.push(`${id(o)} reads ConfigMap ${n}`);
    for (const n of referencedNames(pod.spec, 'Secret')) if (!has('Secret', n) && !certSecrets.has(n) && !external.includes(n)) problems.push(`${id(o)} reads Secret ${n}`);
    for (const n of referencedNames(pod.spec, 'PersistentVolumeClaim')) {
      const template = (o.spec?.volumeClaimTemplates ?? []).some((t: any) => t.metadata?.name === n);
      if (!has('PersistentVolumeClaim', n) && !template) problems.push(`${id(o)} mounts claim ${n}`);
    }
    const sa = pod.spec.serviceAccountName;
    if (sa !== undefined && !has('ServiceAccount', sa)) problems.push(`${id(o)} runs as ServiceAccount ${sa}`);
    if (o.kind !== 'CronJob' && o.kind !== 'Job' && o.kind !== 'Pod' && !labelSelectorMatches(o.spec?.selector, pod.labels)) problems.push(`${id(o)} selector misses its pods`);
    if (o.kind === 'StatefulSet' && !has('Service', o.spec?.serviceName)) problems.push(`${id(o)} serviceName ${o.spec?.serviceName}`);
  }
  for (const svc of set.ofKind('Service')) {
    if (svc.raw.spec?.selector) selects(id(svc.raw), (l: any) => mapSelects(svc.raw.spec.selector, l));
  }
  for (const pdb of set.ofKind('PodDisruptionBudget')) selects(id(pdb.raw), (l: any) => labelSelectorMatches(pdb.raw.spec?.selector, l));
  for (const np of set.ofKind('NetworkPolicy')) {
    const spec = np.raw.spec ?? {};
    if (Object.keys(spec.podSelector?.matchLabels ?? {}).length > 0) selects(id(np.raw), (l: any) => labelSelectorMatches(spec.podSelector, l));
    for (const rule of [...spec.ingress ?? [], ...spec.egress ?? []]) {
      for (const peer of [...rule.from ?? [], ...rule.to ?? []]) {
        if (peer.podSelector && !peer.namespaceSelector) selects(`${id(np.raw)} peer`, (l: any) => labelSelectorMatches(peer.podSelector, l));
        const nsName = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
        if (peer.podSelector && nsName === namespace) selects(`${id(np.raw)} peer`, (l: any) => labelSelectorMatches(peer.podSelector, l));
      }
    }
  }
  for (const hpa of set.ofKind('HorizontalPodAutoscaler')) {
    const t = hpa.raw.spec?.scaleTargetRef;
    if (!has(t?.kind, t?.name)) problems.push(`${id(hpa.raw)} scales ${t?.kind}/${t?.name}`);
  }
  for (const ing of set.ofKind('Ingress')) {
    for (const b of ingressBackends(ing.raw)) if (b.serviceName && !has('Service', b.serviceName)) problems.push(`${id(ing.raw)} routes to Service ${b.serviceName}`);
    for (const t of ing.raw.spec?.tls ?? []) if (!certSecrets.has(t.secretName) && !has('Secret', t.secretName) && !external.includes(t.secretName)) problems.push(`${id(ing.raw)} TLS Secret ${t.secretName}`);
  }
  for (const cert of set.ofKind('Certificate')) {
    if (!has(cert.raw.spec?.issuerRef?.kind ?? 'Issuer', cert.raw.spec?.issuerRef?.name)) problems.push(`${id(cert.raw)} issuer ${cert.raw.spec?.issuerRef?.name}`);
  }
  for (const issuer of set.ofKind('Issuer')) {
    const ca = issuer.raw.spec?.ca?.secretName;
    if (ca !== undefined && !certSecrets.has(ca)) problems.push(`${id(issuer.raw)} CA Secret ${ca}`);
  }
  // In-cluster DNS names anywhere in the objects: a Service of the release, in the release namespace.
  const text = JSON.stringify(objects);
  for (const m of text.matchAll(/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?/g)) {
    if (!has('Service', m[1]) || m[3] !== namespace) problems.push(`DNS name ${m[0]}`);
  }
  return problems;
}

/** The selectors of `a` (Services, workloads, PDBs, NetworkPolicies) that select any pod of `b`. */
export function crossSelections(a: any[], b: any[]): string[] {
  const pods: PodTemplateRef[] = new ManifestSet(b).pods;
  const out: string[] = [];
  for (const o of new ManifestSet(a).objects) {
    const spec = o.raw.spec ?? {};
    const matchers: ((l: any) => boolean)[] = [];
    if (o.kind === 'Service' && spec.selector) matchers.push((l) => mapSelects(spec.selector, l));
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'PodDisruptionBudget'].includes(o.kind) && spec.selector) matchers.push((l) => labelSelectorMatches(spec.selector, l));
    if (o.kind === 'NetworkPolicy' && Object.keys(spec.podSelector?.matchLabels ?? {}).length > 0) matchers.push((l) => labelSelectorMatches(spec.podSelector, l));
    if (matchers.some((m) => pods.some((p) => m(p.labels)))) out.push(`${o.kind}/${o.name}`);
  }
  return out;
}

/** Every value of a key anywhere in the objects, with its path. */
export function valuesOfKey(value: any, key: string, at = ''): [string, unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => valuesOfKey(v, key, `${at}/${i}`));
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [...(k === key ? [[`${at}/${k}`, v] as [string, unknown]] : []), ...valuesOfKey(v, key, `${at}/${k}`)]);
}

/**
 * References to `plainNamespace` left in objects rendered for another namespace: `namespace` fields,
 * namespace selectors naming it, DNS names in it (`.<ns>.svc`), `matchNames`.
 */
export function namespaceLeftovers(objects: any[], plainNamespace: string): string[] {
  const out: string[] = [];
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata?.name}`;
    for (const [at, v] of valuesOfKey(o, 'namespace')) if (v === plainNamespace) out.push(`${id} ${at}`);
    for (const [at, v] of valuesOfKey(o, 'kubernetes.io/metadata.name')) if (v === plainNamespace) out.push(`${id} ${at}`);
    for (const [at, v] of valuesOfKey(o, 'matchNames')) if (Array.isArray(v) && v.includes(plainNamespace)) out.push(`${id} ${at}`);
    if (JSON.stringify(o).includes(`.${plainNamespace}.svc`)) out.push(`${id} DNS name in ${plainNamespace}`);
  }
  return out;
}

/** The pod spec of the named workload (any pod kind) among rendered objects. */
export function podSpecOfWorkload(objects: any[], kind: string, name: string): any {
  const set = new ManifestSet(objects);
  const obj = set.find(kind, name);
  if (!obj) throw new Error(`no ${kind}/${name} among ${kindNames(objects).join(', ')}`);
  return set.podOf(obj)!;
}

/** Every image of every pod (init containers and sidecars included). */
export function allImages(objects: any[]): string[] {
  return new ManifestSet(objects).pods.flatMap((p) => p.containers.map((c) => c.c.image));
}

/** `helm lint --strict` with values.yaml and with each values file of the chart: no failure. */
export function expectLintWithEveryValuesFile(dir: string): void {
  const files = fs.readdirSync(dir).filter((f) => /^values-.*\.yaml$/.test(f));
  for (const args of [[], ...files.map((f) => ['-f', path.join(dir, f)])]) {
    const r = runHelm(['lint', '--strict', dir, ...args]);
    expect({ args, status: r.status, stderr: r.stderr, failed: r.stdout.includes('0 chart(s) failed') }).toEqual({ args, status: 0, stderr: '', failed: true });
  }
}

/** A release name as long as Helm allows (53 characters): every name and label value it makes must stay valid. */
export const LONGEST_RELEASE = 'my-longest-release-name-helm-allows-has-53-characters';

/**
 * Renders two releases in one namespace, and each beside the release named after the chart (the
 * plain one, whose selectors are the plain YAML's); asserts they share no (kind, name), each
 * resolves inside itself and selects only its own pods. A release with the longest name Helm
 * allows renders valid objects too. Every object is checked against the 1.28 schema and the
 * restricted profile, except those of `unvalidatedGroups` (custom kinds whose CRD the suite does not hold).
 */
export function expectReleasesApart(
  dir: string, namespace: string, external: readonly string[] = [], args: string[] = [], unvalidatedGroups: readonly string[] = [],
): { alpha: any[]; beta: any[] } {
  const alpha = render(dir, namespace, args, 'alpha', true);
  const beta = render(dir, namespace, args, 'beta', true);
  const plain = render(dir, namespace, args, path.basename(dir), true);
  const longest = render(dir, namespace, args, LONGEST_RELEASE, true);
  const validated = (objects: any[]) => objects.filter((o) => !unvalidatedGroups.some((g) => String(o.apiVersion).startsWith(`${g}/`)));
  assertValidManifests(validated(alpha));
  assertValidManifests(validated(beta));
  assertValidManifests(validated(longest));
  const pairs: [string, any[], string, any[]][] = [
    ['alpha', alpha, 'beta', beta],
    ['plain', plain, 'alpha', alpha],
    ['plain', plain, 'longest', longest],
  ];
  for (const [an, a, bn, b] of pairs) {
    const shared = kindNames(a).filter((k) => kindNames(b).includes(k));
    expect({ an, bn, shared }).toEqual({ an, bn, shared: [] });
    expect({ an, bn, aSelectsB: crossSelections(a, b), bSelectsA: crossSelections(b, a) })
      .toEqual({ an, bn, aSelectsB: [], bSelectsA: [] });
  }
  const resolving = (objects: any[]) => unresolved(objects, namespace, external);
  expect({ alpha: resolving(alpha), beta: resolving(beta), longest: resolving(longest) }).toEqual({ alpha: [], beta: [], longest: [] });
  // The instance label follows the release: the release name, or, where the plain YAML has instances of
  // its own (one per MCP server, say), the release name before each.
  for (const o of alpha.filter((x) => x.metadata?.labels?.['app.kubernetes.io/instance'] !== undefined)) {
    const instance = o.metadata.labels['app.kubernetes.io/instance'];
    expect({ o: `${o.kind}/${o.metadata.name}`, instance: /^alpha(-[a-z0-9-]+)?$/.test(instance) ? 'alpha…' : instance })
      .toEqual({ o: `${o.kind}/${o.metadata.name}`, instance: 'alpha…' });
  }
  return { alpha, beta };
}
