/**
 * What makes an object release-aware (see `release-names.ts`): its name, the names it uses of
 * other objects the release makes, its instance labels and selectors, its namespace references and
 * the in-cluster DNS names in its text.
 *
 * - Known kinds (workloads, Services, Ingresses, HPAs, PDBs, NetworkPolicies...): the reference
 *   fields Kubernetes defines (volumes, env, envFrom, `serviceName`, backends, `scaleTargetRef`...).
 * - Any other kind (CRDs such as cert-manager's, ServiceMonitors, RBAC): every `name`, `*Name` and
 *   `*Names` field outside `metadata` that holds the name of an object the release makes, every
 *   `matchLabels` that selects the chart's pods or objects, and every `namespace`, `namespaces` or
 *   `matchNames` field that holds the objects' namespace.
 * - Selectors that select the chart's pods and the pod labels get the instance label: the plain one
 *   follows the release, and where there is none a release other than the plain one adds it, so two
 *   releases in one namespace never select each other's pods.
 * - A NetworkPolicy peer's namespace: the objects' own becomes `.Release.Namespace`, any other a value
 *   (`networkPolicy.ingressControllerNamespace` for the ingress controller, else `networkPolicy.namespaces.<name>`).
 */
import { DnsIndex } from './dns';
import { Derived } from './workload';
import { PodTemplateRef, ingressBackends, labelSelectorMatches, objectRef, podTemplateOf } from '../../../manifests';
import { ReleaseNames } from '../release-names';
import { ParamSpec, Slot, camelCase, valuesRef } from '../template-model';
import { Layout } from '../value-sections';

export const INSTANCE = 'app.kubernetes.io/instance';
const NS_LABEL = 'kubernetes.io/metadata.name';
/** Kinds whose reference fields are known; any other kind is read generically. */
const KNOWN_KINDS = new Set([
  'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod', 'Service', 'Ingress', 'ConfigMap', 'Secret',
  'PersistentVolumeClaim', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'NetworkPolicy', 'ServiceAccount', 'Namespace',
]);

/** Everything release-awareness needs about one environment's objects. */
export interface ReleaseContext {
  readonly layout: Layout;
  readonly release: ReleaseNames;
  readonly dns: DnsIndex;
}

/** A JSON pointer of a dotted path such as `spec.template.spec`. */
export function pointerOf(path: string): string[] {
  return path.split('.');
}

function inline(pointer: string[], expr: string): Slot {
  return { pointer, render: { mode: 'inline', expr } };
}

/** The name slot of a reference to `name` (of `kind`) at `pointer`, if the release makes that object. */
export function nameRef(ctx: ReleaseContext, pointer: string[], name: unknown, kind?: string): Slot[] {
  return typeof name === 'string' && ctx.release.has(name, kind) ? [inline(pointer, ctx.release.text(name, kind))] : [];
}

/**
 * Go expression of a value that names an object (`tls.secretName`): when the release makes the
 * object `plain` names, the value's default follows the release; any other name is used as written.
 */
export function nameValueExpr(ctx: ReleaseContext, path: string[], plain: string, kind?: string): string {
  const ref = valuesRef(path);
  if (!ctx.release.has(plain, kind)) return ref;
  return `ternary (${ctx.release.expr(plain, kind)}) ${ref} (eq ${ref} ${JSON.stringify(plain)})`;
}

/** The instance label of selected pods (if they carry one). */
function podsInstance(pods: PodTemplateRef[]): string | undefined {
  return pods.map((p) => p.labels[INSTANCE]).find((v) => v !== undefined);
}

/**
 * A selector map (`matchLabels`, a Service's `selector`) at `pointer` that selects `pods`: its
 * instance label follows the release, or a release other than the plain one adds one.
 */
function selectorSlots(ctx: ReleaseContext, map: any, pointer: string[], pods: PodTemplateRef[]): Slot[] {
  if (!map || typeof map !== 'object' || Object.keys(map).length === 0 || pods.length === 0) return [];
  const own = map[INSTANCE];
  if (typeof own === 'string') return [inline([...pointer, INSTANCE], ctx.release.instanceText(own))];
  const value = podsInstance(pods);
  const expr = value !== undefined ? ctx.release.instanceExpr(value) : undefined;
  return [addedInstance(ctx, [...pointer, INSTANCE], expr)];
}

function addedInstance(ctx: ReleaseContext, pointer: string[], expr?: string): Slot {
  return {
    pointer,
    placement: 'last',
    render: {
      mode: 'line',
      wrap: (indent) => (expr === undefined ? ctx.release.addedInstanceLine(indent)
        : `${indent}{{- if not $plain }}\n${indent}${INSTANCE}: {{ ${expr} | quote }}\n${indent}{{- end }}`),
    },
  };
}

/** The instance label of a label map at `pointer`: it follows the release; `add`: a release other than the plain one adds it. */
function labelMapSlots(ctx: ReleaseContext, labels: any, pointer: string[], add: boolean): Slot[] {
  if (!labels || typeof labels !== 'object') return [];
  const own = labels[INSTANCE];
  if (typeof own === 'string') return [inline([...pointer, INSTANCE], ctx.release.instanceText(own))];
  return add ? [addedInstance(ctx, [...pointer, INSTANCE])] : [];
}

/** Pods of the chart in the object's namespace a LabelSelector's matchLabels select. */
function podsOf(ctx: ReleaseContext, selector: any, namespace: string): PodTemplateRef[] {
  const ml = selector?.matchLabels;
  if (!ml || Object.keys(ml).length === 0) return [];
  return ctx.layout.set.podsMatching(selector, namespace);
}

/** A peer's or term's pods are in the object's own namespace (no namespaceSelector, or one naming it). */
function ownNamespace(ctx: ReleaseContext, holder: any): boolean {
  if (Array.isArray(holder?.namespaces) && holder.namespaces.length > 0) return holder.namespaces.every((n: string) => ctx.layout.namespaces.has(n));
  const sel = holder?.namespaceSelector;
  if (sel === undefined) return true;
  const name = sel?.matchLabels?.[NS_LABEL];
  return typeof name === 'string' && ctx.layout.namespaces.has(name);
}

/** Slots of a pod spec (at `base`): references to the release's objects and label selectors of affinity terms and spread constraints. */
export function podSpecSlots(ctx: ReleaseContext, spec: any, base: string[], namespace: string): Slot[] {
  const slots: Slot[] = [];
  (spec?.volumes ?? []).forEach((v: any, i: number) => {
    const vp = [...base, 'volumes', String(i)];
    slots.push(...nameRef(ctx, [...vp, 'configMap', 'name'], v?.configMap?.name, 'ConfigMap'));
    (v?.projected?.sources ?? []).forEach((s: any, j: number) => {
      slots.push(...nameRef(ctx, [...vp, 'projected', 'sources', String(j), 'configMap', 'name'], s?.configMap?.name, 'ConfigMap'));
    });
  });
  for (const group of ['initContainers', 'containers', 'ephemeralContainers']) {
    (spec?.[group] ?? []).forEach((c: any, i: number) => {
      const cp = [...base, group, String(i)];
      (c?.env ?? []).forEach((e: any, j: number) => {
        slots.push(...nameRef(ctx, [...cp, 'env', String(j), 'valueFrom', 'configMapKeyRef', 'name'], e?.valueFrom?.configMapKeyRef?.name, 'ConfigMap'));
      });
      (c?.envFrom ?? []).forEach((e: any, j: number) => {
        slots.push(...nameRef(ctx, [...cp, 'envFrom', String(j), 'configMapRef', 'name'], e?.configMapRef?.name, 'ConfigMap'));
      });
    });
  }
  const affinity = spec?.affinity;
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const a = affinity?.[kind];
    (a?.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t: any, i: number) => {
      if (!ownNamespace(ctx, t)) return;
      const p = [...base, 'affinity', kind, 'requiredDuringSchedulingIgnoredDuringExecution', String(i), 'labelSelector', 'matchLabels'];
      slots.push(...selectorSlots(ctx, t?.labelSelector?.matchLabels, p, podsOf(ctx, t?.labelSelector, namespace)));
    });
    (a?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((w: any, i: number) => {
      const t = w?.podAffinityTerm;
      if (!ownNamespace(ctx, t)) return;
      const p = [...base, 'affinity', kind, 'preferredDuringSchedulingIgnoredDuringExecution', String(i), 'podAffinityTerm', 'labelSelector', 'matchLabels'];
      slots.push(...selectorSlots(ctx, t?.labelSelector?.matchLabels, p, podsOf(ctx, t?.labelSelector, namespace)));
    });
  }
  (spec?.topologySpreadConstraints ?? []).forEach((t: any, i: number) => {
    const p = [...base, 'topologySpreadConstraints', String(i), 'labelSelector', 'matchLabels'];
    slots.push(...selectorSlots(ctx, t?.labelSelector?.matchLabels, p, podsOf(ctx, t?.labelSelector, namespace)));
  });
  return slots;
}

/** Slots of the known reference fields of an object's kind. */
function knownSlots(ctx: ReleaseContext, doc: any, namespace: string, derived: Derived): Slot[] {
  const slots: Slot[] = [];
  const obj = objectRef(doc)!;
  const pod = podTemplateOf(obj);
  if (pod) {
    slots.push(...labelMapSlots(ctx, pod.meta.labels, [...pointerOf(pod.metaPath), 'labels'], true));
    slots.push(...podSpecSlots(ctx, pod.spec, pointerOf(pod.specPath), namespace));
    if (doc.kind !== 'Pod' && doc.kind !== 'Job' && doc.kind !== 'CronJob') {
      slots.push(...selectorSlots(ctx, doc.spec?.selector?.matchLabels, ['spec', 'selector', 'matchLabels'], [pod]));
    }
    if (doc.kind === 'CronJob') slots.push(...labelMapSlots(ctx, doc.spec?.jobTemplate?.metadata?.labels, ['spec', 'jobTemplate', 'metadata', 'labels'], false));
  }
  switch (doc.kind) {
    case 'StatefulSet':
      slots.push(...nameRef(ctx, ['spec', 'serviceName'], doc.spec?.serviceName, 'Service'));
      (doc.spec?.volumeClaimTemplates ?? []).forEach((t: any, i: number) => {
        slots.push(...labelMapSlots(ctx, t?.metadata?.labels, ['spec', 'volumeClaimTemplates', String(i), 'metadata', 'labels'], false));
      });
      break;
    case 'Service':
      slots.push(...selectorSlots(ctx, doc.spec?.selector, ['spec', 'selector'],
        ctx.layout.set.podsSelectedByMap(doc.spec?.selector, namespace)));
      break;
    case 'Ingress':
      for (const b of ingressBackends(doc)) {
        if (!b.legacy) slots.push(...nameRef(ctx, [...pointerOf(b.path.replace(/\[(\d+)\]/g, '.$1')), 'service', 'name'], b.serviceName, 'Service'));
      }
      break;
    case 'HorizontalPodAutoscaler':
      slots.push(...nameRef(ctx, ['spec', 'scaleTargetRef', 'name'], doc.spec?.scaleTargetRef?.name, doc.spec?.scaleTargetRef?.kind));
      break;
    case 'PodDisruptionBudget':
      slots.push(...selectorSlots(ctx, doc.spec?.selector?.matchLabels, ['spec', 'selector', 'matchLabels'], podsOf(ctx, doc.spec?.selector, namespace)));
      break;
    case 'NetworkPolicy':
      slots.push(...networkPolicySlots(ctx, doc, namespace, derived));
      break;
    default:
  }
  return slots;
}

/** The values of the namespaces NetworkPolicies name besides their own. */
export function foreignNamespacePath(ctx: ReleaseContext, doc: any, namespace: string): string[] {
  // The ingress controller: the namespace a policy admits traffic from to pods an Ingress routes to.
  const routed = ctx.layout.set.ofKind('Ingress').some((ing) => ingressBackends(ing.raw).some((b) => {
    const svc = b.serviceName ? ctx.layout.find('Service', b.serviceName, ing.namespace) : undefined;
    return svc && ctx.layout.set.podsSelectedByMap(svc.spec?.selector, ing.namespace)
      .some((p) => labelSelectorMatches(doc.spec?.podSelector ?? {}, p.labels));
  }));
  return routed ? ['networkPolicy', 'ingressControllerNamespace'] : ['networkPolicy', 'namespaces', camelCase(namespace)];
}

function networkPolicySlots(ctx: ReleaseContext, doc: any, namespace: string, derived: Derived): Slot[] {
  const slots: Slot[] = [];
  const spec = doc.spec ?? {};
  slots.push(...selectorSlots(ctx, spec.podSelector?.matchLabels, ['spec', 'podSelector', 'matchLabels'], podsOf(ctx, spec.podSelector, namespace)));
  for (const [dir, peersKey] of [['ingress', 'from'], ['egress', 'to']] as const) {
    (spec[dir] ?? []).forEach((rule: any, i: number) => {
      (rule?.[peersKey] ?? []).forEach((peer: any, j: number) => {
        const pp = ['spec', dir, String(i), peersKey, String(j)];
        const nsName = peer?.namespaceSelector?.matchLabels?.[NS_LABEL];
        if (typeof nsName === 'string') {
          const at = [...pp, 'namespaceSelector', 'matchLabels', NS_LABEL];
          if (ctx.layout.namespaces.has(nsName)) {
            slots.push(inline(at, '{{ $.Release.Namespace }}'));
          } else {
            // The ingress controller is admitted by namespace alone; a peer naming pods there too (Prometheus) is another namespace value.
            const path = dir === 'ingress' && !peer.podSelector ? foreignNamespacePath(ctx, doc, nsName) : ['networkPolicy', 'namespaces', camelCase(nsName)];
            const role = path[1] === 'ingressControllerNamespace' ? 'the ingress controller\'s namespace, ' : '';
            derived.params.push({
              path,
              type: 'string',
              value: nsName,
              pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
              description: `Namespace the NetworkPolicies name (${role}${nsName} in the plain YAML)`,
            } as ParamSpec);
            slots.push(inline(at, `{{ ${valuesRef(path)} | quote }}`));
          }
        }
        if (peer?.podSelector && ownNamespace(ctx, peer)) {
          slots.push(...selectorSlots(ctx, peer.podSelector.matchLabels, [...pp, 'podSelector', 'matchLabels'], podsOf(ctx, peer.podSelector, namespace)));
        }
      });
    });
  }
  return slots;
}

/** The generic reading of an object of any other kind (see the file comment). */
function genericSlots(ctx: ReleaseContext, doc: any, namespace: string): Slot[] {
  const slots: Slot[] = [];
  const walk = (v: any, pointer: string[], key: string): void => {
    if (Array.isArray(v)) {
      v.forEach((x, i) => {
        const p = [...pointer, String(i)];
        if (typeof x === 'string') {
          // Namespace lists first: `matchNames` also ends in "Names", and a namespace may share an object's name.
          if (key === 'namespaces' || key === 'matchNames') {
            if (ctx.layout.namespaces.has(x)) slots.push(inline(p, '{{ $.Release.Namespace }}'));
          } else if (/Names$/.test(key) && ctx.release.has(x)) {
            slots.push(inline(p, ctx.release.text(x)));
          }
        } else {
          walk(x, p, key);
        }
      });
      return;
    }
    if (!v || typeof v !== 'object') return;
    for (const [k, x] of Object.entries(v)) {
      const p = [...pointer, k];
      if (typeof x === 'string') {
        if ((k === 'name' || /Name$/.test(k)) && ctx.release.has(x)) slots.push(inline(p, ctx.release.text(x)));
        else if (k === 'namespace' && ctx.layout.namespaces.has(x)) slots.push(inline(p, '{{ $.Release.Namespace }}'));
      } else if (k === 'matchLabels' && x && typeof x === 'object') {
        slots.push(...selectorSlots(ctx, x, p, selectedThings(ctx, x, namespace)));
      } else if (k === 'metadata') {
        // The object's own metadata is read by releaseSlots; a nested one (a template) has labels.
        if (pointer.length > 0) slots.push(...labelMapSlots(ctx, (x as any)?.labels, [...p, 'labels'], false));
      } else {
        walk(x, p, k);
      }
    }
  };
  walk(doc, [], '');
  return slots;
}

/** Pods of the chart a generic `matchLabels` selects, or the pods of the Services it selects (a ServiceMonitor). */
function selectedThings(ctx: ReleaseContext, matchLabels: any, namespace: string): PodTemplateRef[] {
  const selector = { matchLabels };
  const pods = podsOf(ctx, selector, namespace);
  if (pods.length > 0) return pods;
  for (const svc of ctx.layout.set.ofKind('Service')) {
    if (Object.keys(matchLabels).length > 0 && labelSelectorMatches(selector, svc.labels)) {
      const selected = ctx.layout.set.podsSelectedByMap(svc.raw.spec?.selector, svc.namespace);
      if (selected.length > 0) return selected;
    }
  }
  return [];
}

/** Every string of the object (outside its name, namespace and labels) that names a Service of the chart. */
function dnsSlots(ctx: ReleaseContext, doc: any): Slot[] {
  const slots: Slot[] = [];
  if (ctx.dns.empty) return slots;
  const walk = (v: any, pointer: string[]): void => {
    if (typeof v === 'string') {
      const parts = v.length > 3 && ctx.dns.scan(v);
      if (parts) slots.push(inline(pointer, `{{ ${ctx.dns.expr(parts)} | quote }}`));
      return;
    }
    if (!v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, [...pointer, String(i)]));
      return;
    }
    for (const [k, x] of Object.entries(v)) {
      if (pointer.length === 1 && pointer[0] === 'metadata' && k !== 'annotations') continue;
      if (k === 'labels' || k === 'matchLabels' || k === 'selector') continue;
      walk(x, [...pointer, k]);
    }
  };
  walk(doc, []);
  return slots;
}

/** The release-aware slots of an object (its own values and links come from the other derive steps). */
export function releaseSlots(ctx: ReleaseContext, doc: any, derived: Derived): Slot[] {
  const namespace = doc.metadata?.namespace ?? '';
  const slots: Slot[] = [...nameRef(ctx, ['metadata', 'name'], doc.metadata?.name, doc.kind)];
  slots.push(...labelMapSlots(ctx, doc.metadata?.labels, ['metadata', 'labels'], true));
  if (KNOWN_KINDS.has(doc.kind)) slots.push(...knownSlots(ctx, doc, namespace, derived));
  else slots.push(...genericSlots(ctx, doc, namespace));
  slots.push(...dnsSlots(ctx, doc));
  return slots;
}
