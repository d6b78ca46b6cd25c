/**
 * Internal to `ManifestPolicy`: `networkpolicy-blocks-flow`. Every flow the objects declare
 * (`manifests/flows.ts`) must pass their NetworkPolicies; each blocked flow is reported once, on
 * the policy that stops it (the source's egress policy, else the destination's ingress policy),
 * named from end to end. Where the ingress controller, Prometheus and the cluster DNS run are options.
 */
import { family, RuleFamily } from './rule-kit';
import { blockedFlows, DEFAULT_FLOW_WORLD, describeBlockedFlow, FlowWorld, OutsidePods } from '../../manifests';
import { ManifestPolicyOptions, PolicyLevel } from '../policy-types';

/** Where the options put the outside world, with the defaults. */
export function flowWorld(options: ManifestPolicyOptions): FlowWorld {
  const place = (base: OutsidePods, namespace?: string, labels?: { [key: string]: string }): OutsidePods =>
    ({ namespace: namespace ?? base.namespace, labels: { ...labels ?? base.labels }, ports: base.ports });
  const controller = DEFAULT_FLOW_WORLD.ingressController;
  const placed = options.ingressControllerNamespace !== undefined || options.ingressControllerPodLabels !== undefined;
  return {
    // A controller the caller places serves every Ingress; the default one only its own class.
    ingressController: {
      ...place(controller, options.ingressControllerNamespace, options.ingressControllerPodLabels),
      classes: placed ? undefined : controller.classes,
    },
    prometheus: place(DEFAULT_FLOW_WORLD.prometheus, options.prometheusNamespace, options.prometheusPodLabels),
    clusterDns: place(DEFAULT_FLOW_WORLD.clusterDns, options.clusterDnsNamespace, options.clusterDnsPodLabels),
  };
}

function outside(pods: OutsidePods): string {
  return `pods of namespace ${pods.namespace} labeled ${Object.entries(pods.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'anything'}`;
}

export const FLOW_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'networkpolicy-blocks-flow',
    level: PolicyLevel.ERROR,
    description: 'the NetworkPolicies admit every flow the objects declare: the ingress controller to Ingress backends, Prometheus to ServiceMonitor, PodMonitor and annotated targets, restricted egress to the cluster DNS, a pod to the Services its env, args and ConfigMaps name, and to the address blocks it is given',
    set: (index, at) => {
      const world = flowWorld(at.tuning.options);
      for (const flow of blockedFlows(index, world)) {
        const egress = flow.egressBlockedBy.length > 0;
        const policy = egress ? flow.egressBlockedBy[0] : flow.ingressBlockedBy[0];
        const source = flow.kind === 'ingress' ? `the ingress controller (${outside(world.ingressController)})`
          : flow.kind === 'metrics' ? `Prometheus (${outside(world.prometheus)})` : flow.from.text;
        const why = egress
          ? `no egress rule of ${flow.from.text} admits ${flow.to.text} on port ${flow.port}/${flow.protocol}`
          : `no ingress rule of ${flow.to.text} admits ${source} on port ${flow.port}/${flow.protocol}`;
        at.report(policy, egress ? 'spec.egress' : 'spec.ingress',
          `${describeBlockedFlow(flow)}: ${why} (declared by ${flow.via} of ${flow.declaredBy.kind} ${flow.declaredBy.name})`, flow.declaredBy);
      }
    },
  },
]);
