/**
 * Internal to `ManifestPolicy`: the rules over selection and traffic: a workload's selector, Services
 * and the pods they select, Ingress backends, NetworkPolicies.
 */
import { family, list, namespaceText, RuleFamily, show } from './rule-kit';
import { ingressBackends, isEmptySelector, isKubernetesNetworkPolicy, labelSelectorMatches, otherNetworkPolicies, PodTemplateRef, runningContainers } from '../../manifests';
import { PolicyLevel } from '../policy-types';

/** The ports of the containers a Service routes to: regular containers and native sidecars (restartable init containers). */
function servingPorts(pod: PodTemplateRef): any[] {
  return runningContainers(pod).flatMap(({ c }) => list(c.ports));
}

/** "the pods of Deployment web" (or of several objects), for messages. */
function describePods(pods: PodTemplateRef[]): string {
  return `the pods of ${pods.slice(0, 3).map((p) => `${p.obj.kind} ${p.obj.name}`).join(', ')}${pods.length > 3 ? ` and ${pods.length - 3} more` : ''}`;
}

export const SERVICE_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'selector-matches-template',
    level: PolicyLevel.ERROR,
    description: 'a workload\'s spec.selector matches its template labels',
    kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'],
    object: (obj, at) => {
      const selector = obj.raw.spec?.selector;
      // A Job's selector is generated when unset.
      if (obj.kind === 'Job' && selector === undefined) return;
      const labels = at.index.podOf(obj)?.labels ?? {};
      if (isEmptySelector(selector)) {
        at.report('spec.selector', 'spec.selector is empty; it must select the template labels');
      } else if (!labelSelectorMatches(selector, labels)) {
        at.report('spec.selector', `spec.selector ${JSON.stringify(selector)} does not match the template labels ${JSON.stringify(labels)}`);
      }
    },
  },
  {
    id: 'service-selects-pods',
    level: PolicyLevel.WARNING,
    description: 'a Service with a selector selects a pod template in its namespace (ExternalName Services and Services without a selector, whose endpoints are written by hand or by a controller, are not checked). A warning, not an error: the pods may come from outside the input (an operator\'s custom resource, another release)',
    kinds: ['Service'],
    object: (obj, at) => {
      const spec = obj.raw.spec ?? {};
      const selector = spec.selector;
      if (spec.type === 'ExternalName' || !selector || typeof selector !== 'object' || Object.keys(selector).length === 0) return;
      if (!at.index.podsSelectedByService(obj).length) {
        at.report('spec.selector', `selector ${JSON.stringify(selector)} matches no pod template in namespace ${show(obj.namespace)}; unless an operator or another release runs such pods, the Service has no endpoints`);
      }
    },
  },
  {
    id: 'service-target-port-name',
    level: PolicyLevel.ERROR,
    description: 'a Service\'s named targetPort is the name of a container port (same protocol) of a pod template it selects: else the Service has no endpoints for that port',
    kinds: ['Service'],
    object: (obj, at) => {
      const pods = at.index.podsSelectedByService(obj);
      if (!pods.length) return;
      list(obj.raw.spec?.ports).forEach((p: any, i: number) => {
        const target = p?.targetPort;
        if (typeof target !== 'string' || /^\d+$/.test(target)) return;
        const protocol = p.protocol ?? 'TCP';
        if (pods.some((pod) => servingPorts(pod).some((port) => port?.name === target && (port.protocol ?? 'TCP') === protocol))) return;
        at.report(`spec.ports[${i}].targetPort`,
          `targetPort ${show(target)} (${protocol}) is no port name of the containers of ${describePods(pods)}; the Service gets no endpoints for port ${show(p.port)}`);
      });
    },
  },
  {
    id: 'service-target-port-declared',
    level: PolicyLevel.WARNING,
    description: 'a Service\'s targetPort number (its port when unset) is a containerPort of the pods it selects, when they declare ports and no mesh injector completes a container at admission. A warning, not an error: containerPort is informational, and traffic reaches any port the container listens on',
    kinds: ['Service'],
    object: (obj, at) => {
      const pods = at.index.podsSelectedByService(obj);
      // An injected proxy (Istio's gateway: image auto) listens where its mesh configuration says.
      if (pods.some((pod) => pod.containers.some((c) => c.injected))) return;
      const declared = pods.flatMap((pod) => servingPorts(pod)).map((port) => port?.containerPort);
      if (!declared.length) return;
      list(obj.raw.spec?.ports).forEach((p: any, i: number) => {
        const target = p?.targetPort ?? p?.port;
        const number = typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : target;
        if (typeof number !== 'number' || declared.includes(number)) return;
        at.report(`spec.ports[${i}].${p?.targetPort === undefined ? 'port' : 'targetPort'}`,
          `targetPort ${number} is no containerPort of ${describePods(pods)} (they declare ${[...new Set(declared)].map((n) => show(n)).join(', ')}); traffic reaches the pods only if a container listens there undeclared`);
      });
    },
  },
  {
    id: 'ingress-backend-exists',
    level: PolicyLevel.WARNING,
    description: 'each Ingress backend (networking.k8s.io/v1 or legacy serviceName/servicePort) names a synthesized Service and one of its ports',
    kinds: ['Ingress'],
    object: (obj, at) => {
      for (const backend of ingressBackends(obj.raw)) {
        const field = (name: 'name' | 'port') => `${backend.path}.${backend.legacy ? { name: 'serviceName', port: 'servicePort' }[name] : `service.${name}`}`;
        if (backend.serviceName === undefined) {
          at.report(field('name'), 'the backend names no Service, so the path routes nowhere');
          continue;
        }
        const svc = at.index.find('Service', backend.serviceName, obj.namespace);
        if (!svc) {
          at.report(field('name'), `Service ${show(backend.serviceName)} is not among the objects of ${namespaceText(obj.namespace)}`);
          continue;
        }
        const port = typeof backend.port === 'string' && /^\d+$/.test(backend.port) ? Number(backend.port) : backend.port;
        const ports = list(svc.raw.spec?.ports);
        const ok = typeof port === 'number' ? ports.some((p) => p?.port === port) : port !== undefined && ports.some((p) => p?.name === port);
        if (!ok) {
          at.report(field('port'), port === undefined ? `the backend names no port of Service ${svc.name}` : `Service ${svc.name} has no port ${show(port)}`);
        }
      }
    },
  },
  {
    id: 'ingress-tls',
    level: PolicyLevel.WARNING,
    description: 'an Ingress has spec.tls',
    kinds: ['Ingress'],
    object: (obj, at) => {
      const tls = obj.raw.spec?.tls;
      if (!Array.isArray(tls) || tls.length === 0) at.report('spec.tls', 'the Ingress has no TLS; traffic reaches it unencrypted');
    },
  },
  {
    id: 'service-not-nodeport',
    level: PolicyLevel.WARNING,
    description: 'a Service is not of type NodePort',
    kinds: ['Service'],
    object: (obj, at) => {
      if (obj.raw.spec?.type === 'NodePort') {
        at.report('spec.type', 'type is NodePort, which opens the port on every node; use ClusterIP (behind an Ingress) or LoadBalancer');
      }
    },
  },
  {
    id: 'networkpolicy-covers-pod',
    level: PolicyLevel.WARNING,
    description: 'NetworkPolicies selecting each pod template cover Ingress and Egress (not host-network pods, which no NetworkPolicy governs, nor pods another engine\'s policies may govern)',
    pod: (pod, at) => {
      if (pod.spec.hostNetwork === true) return;
      if (otherNetworkPolicies(at.index).some((p) => !p.namespace || p.namespace === pod.obj.namespace)) return;
      const types = new Set<string>();
      for (const np of at.index.networkPoliciesSelecting(pod)) for (const t of policyTypes(np.raw.spec)) types.add(t);
      const missing = ['Ingress', 'Egress'].filter((t) => !types.has(t));
      if (!missing.length) return;
      at.report(`${pod.metaPath}.labels`, types.size === 0
        ? 'no NetworkPolicy selects these pods; add one covering Ingress and Egress'
        : `the NetworkPolicies selecting these pods do not cover ${missing.join(' or ')}`);
    },
  },
  {
    id: 'networkpolicy-selects-something',
    level: PolicyLevel.WARNING,
    description: 'each NetworkPolicy podSelector matches a pod template in its namespace',
    kinds: ['NetworkPolicy'],
    object: (obj, at) => {
      // Calico's and Antrea's NetworkPolicy kinds select pods by other fields.
      if (!isKubernetesNetworkPolicy(obj)) return;
      const selector = obj.raw.spec?.podSelector ?? {};
      if (!at.index.podsMatching(selector, obj.namespace).length) {
        at.report('spec.podSelector', `podSelector ${JSON.stringify(selector)} matches no pod template in namespace ${show(obj.namespace)}`);
      }
    },
  },
]);

/** The policy types of a NetworkPolicy spec: `policyTypes`, or implied (Ingress always, Egress with egress rules). */
export function policyTypes(spec: any): string[] {
  if (Array.isArray(spec?.policyTypes) && spec.policyTypes.length) return spec.policyTypes.map(String);
  return Array.isArray(spec?.egress) ? ['Ingress', 'Egress'] : ['Ingress'];
}
