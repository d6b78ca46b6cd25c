/**
 * What makes an object release-aware (see `release-names.ts`): its name, the names it uses of
 * other objects the release makes, its instance labels and selectors, its namespace references and
 * the in-cluster DNS names in its text. The planner adds these to every object, whatever its kind.
 *
 * - Known kinds (workloads, Services, Ingresses, HPAs, PDBs, NetworkPolicies...): the reference
 *   fields Kubernetes defines (`known-kinds.ts`).
 * - Any other kind (CRDs such as cert-manager's, ServiceMonitors, RBAC): read generically (`generic.ts`).
 * - Selectors that select the chart's pods and the pod labels get the instance label: the plain one
 *   follows the release, and where there is none a release other than the plain one adds it, so two
 *   releases in one namespace never select each other's pods.
 * - A NetworkPolicy peer's namespace: the objects' own becomes `.Release.Namespace`, any other a value
 *   (`networkPolicy.ingressControllerNamespace` for the ingress controller, else `networkPolicy.namespaces.<name>`).
 */
import { dnsSlots, genericSlots } from './generic';
import { KNOWN_KINDS, ReleaseSlots, knownSlots } from './known-kinds';
import { labelMapSlots, nameRef } from './release-kit';
import { KubeObject } from '../../../../manifests';
import { ParamSpec } from '../../model/template-model';
import { ReleaseContext } from '../deriver';

/** The release-aware slots of an object, and the values they read (its own values and links come from its deriver and `labels.ts`). */
export function releaseSlots(ctx: ReleaseContext, doc: KubeObject): ReleaseSlots {
  const namespace = doc.metadata?.namespace ?? '';
  const slots = [...nameRef(ctx, ['metadata', 'name'], doc.metadata?.name, doc.kind)];
  slots.push(...labelMapSlots(ctx, doc.metadata?.labels, ['metadata', 'labels'], true));
  const params: ParamSpec[] = [];
  if (KNOWN_KINDS.has(doc.kind)) {
    const known = knownSlots(ctx, doc, namespace);
    slots.push(...known.slots);
    params.push(...known.params);
  } else {
    slots.push(...genericSlots(ctx, doc, namespace));
  }
  slots.push(...dnsSlots(ctx, doc));
  return { slots, params };
}
