/**
 * The traffic the objects themselves declare, and whether their NetworkPolicies let it pass:
 * - the ingress controller to each Ingress backend's pods (the Service's `targetPort`, a named one
 *   resolved per pod);
 * - Prometheus to each ServiceMonitor and PodMonitor target port, and to pods with the
 *   `prometheus.io/scrape` and `prometheus.io/port` annotations;
 * - every pod whose egress is restricted (and that may connect anywhere at all) to the cluster DNS;
 * - a pod to each Service its environment, arguments or the ConfigMap entries it reads name by URL,
 *   `host:port` or `<service>.<namespace>.svc` DNS name (`service-references.ts`), except itself;
 * - a pod to each address block its egress rules name (the external hosts it is given).
 * The ingress controller, Prometheus and the cluster DNS run outside the objects: `FlowWorld` says
 * where (namespace and pod labels), with the conventional defaults. A Service without pods in the
 * objects makes no flow; host-network pods are left out (NetworkPolicies do not apply to them), and
 * so is a `helm test` pod (it runs only on `helm test`, which a chart may admit on request).
 */
import type { ManifestSet } from './manifest-set';
import { evaluateConnection, isolating, NamedPort, otherNetworkPolicies, PodPeer } from './network-policies';
import { describeObject, ObjectRef, stringMap } from './objects';
import { PodTemplateRef } from './pod-templates';
import { OUTSIDE_PODS } from '../core/conventions';
import { HostReference, hostReferences } from './private/service-references';
import { ingressBackends } from './references';

/** Pods that run outside the objects: their namespace and labels. */
export interface OutsidePods {
  readonly namespace: string;
  readonly labels: { [key: string]: string };
  /** Their container ports, for policies that name them. */
  readonly ports?: readonly NamedPort[];
}

/** The ingress controller: where its pods run, and the Ingresses it serves. */
export interface IngressControllerPods extends OutsidePods {
  /**
   * The IngressClass names it serves; an Ingress naming another class is served by a controller
   * whose place is unknown, so it declares no flow. Unset: it serves every Ingress.
   */
  readonly classes?: readonly string[];
}

/** Where the parts of the cluster the objects talk to run. */
export interface FlowWorld {
  readonly ingressController: IngressControllerPods;
  readonly prometheus: OutsidePods;
  readonly clusterDns: OutsidePods;
}

/** The conventional places: ingress-nginx, a Prometheus in `monitoring`, CoreDNS/kube-dns in kube-system. */
export const DEFAULT_FLOW_WORLD: FlowWorld = OUTSIDE_PODS;

/** What a flow is for. */
export type FlowKind = 'ingress' | 'metrics' | 'dns' | 'service' | 'external';

/** One end of a flow. */
export interface FlowEnd {
  /** How messages name it: "Deployment shop/api", "ServiceMonitor shop/api", "cluster DNS", "140.82.112.0/20". */
  readonly text: string;
  /** The pods, unless the end is `addresses`. */
  readonly pods?: PodPeer;
  /** The pod template, when the pods are among the objects. */
  readonly template?: PodTemplateRef;
  /** Addresses outside the cluster. */
  readonly addresses?: { readonly cidr: string; readonly except: readonly string[] };
}

/** A connection the objects declare. */
export interface Flow {
  readonly kind: FlowKind;
  /** The object that declares it: an Ingress, a monitor, a workload, a ConfigMap, a NetworkPolicy. */
  readonly declaredBy: ObjectRef;
  /** Where it declares it, such as "env API_URL" or "endpoints[0] port http". */
  readonly via: string;
  readonly from: FlowEnd;
  readonly to: FlowEnd;
  readonly port: number;
  readonly protocol: string;
}

/** A flow the NetworkPolicies stop, and the policies that do. */
export interface BlockedFlow extends Flow {
  /** The source's egress policies, when none admits the flow. */
  readonly egressBlockedBy: ObjectRef[];
  /** The destination's ingress policies, when none admits the flow. */
  readonly ingressBlockedBy: ObjectRef[];
}

/** Every flow the objects declare, each once, in the order of the objects that declare them. */
export function declaredFlows(set: ManifestSet, world: FlowWorld = DEFAULT_FLOW_WORLD): Flow[] {
  return new FlowFinder(set, world).all();
}

/**
 * The declared flows the NetworkPolicies stop; none when the objects hold another engine's policies
 * (Cilium, Calico, admin network policies), whose rules may admit them.
 */
export function blockedFlows(set: ManifestSet, world: FlowWorld = DEFAULT_FLOW_WORLD): BlockedFlow[] {
  const out: BlockedFlow[] = [];
  if (otherNetworkPolicies(set).length > 0) return out;
  for (const flow of declaredFlows(set, world)) {
    if (!flow.from.pods) continue;
    const verdict = evaluateConnection(set, {
      source: flow.from.pods, destination: flow.to.pods, addresses: flow.to.addresses, port: flow.port, protocol: flow.protocol,
    });
    if (verdict.egressBlockedBy.length || verdict.ingressBlockedBy.length) out.push({ ...flow, ...verdict });
  }
  return out;
}

/** "ServiceMonitor shop/api -> Deployment shop/api :8080 blocked by NetworkPolicy shop/api (ingress)". */
export function describeBlockedFlow(flow: BlockedFlow): string {
  const port = `:${flow.port}${flow.protocol === 'TCP' ? '' : `/${flow.protocol}`}`;
  const side = (policies: ObjectRef[], direction: string) => (policies.length
    ? [`${policies.map((p) => describeObject(p.raw)).join(', ')} (${direction})`] : []);
  const by = [...side(flow.egressBlockedBy, 'egress'), ...side(flow.ingressBlockedBy, 'ingress')].join(' and ');
  return `${flow.from.text} -> ${flow.to.text} ${port} blocked by ${by}`;
}

class FlowFinder {
  private readonly flows: Flow[] = [];
  private readonly seen = new Set<string>();
  private readonly configMapRefs = new Map<string, HostReference[]>();
  private readonly ends = new Map<PodTemplateRef, FlowEnd>();

  constructor(private readonly set: ManifestSet, private readonly world: FlowWorld) {}

  public all(): Flow[] {
    for (const obj of this.set.objects) {
      if (obj.kind === 'Ingress') this.ingress(obj);
      else if (obj.kind === 'ServiceMonitor' && obj.apiVersion.startsWith('monitoring.coreos.com/')) this.serviceMonitor(obj);
      else if (obj.kind === 'PodMonitor' && obj.apiVersion.startsWith('monitoring.coreos.com/')) this.podMonitor(obj);
      const pod = this.set.podOf(obj);
      if (pod && !pod.spec.hostNetwork) this.pod(pod);
    }
    return this.flows;
  }

  private add(flow: Flow): void {
    const key = `${flow.from.text}|${flow.to.text}|${flow.port}|${flow.protocol}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.flows.push(flow);
  }

  private outside(pods: OutsidePods, text: string): FlowEnd {
    return { text, pods: { namespace: pods.namespace, labels: { ...pods.labels }, ports: pods.ports ?? [], outside: true } };
  }

  private ingress(ingress: ObjectRef): void {
    const served = this.world.ingressController.classes;
    const ingressClass = ingressClassOf(ingress.raw);
    if (served && ingressClass !== undefined && !served.includes(ingressClass)) return;
    const from = this.outside(this.world.ingressController, describeObject(ingress.raw));
    for (const backend of ingressBackends(ingress.raw)) {
      if (!backend.serviceName || backend.port === undefined) continue;
      const service = this.set.find('Service', backend.serviceName, ingress.namespace);
      const servicePort = service && servicePorts(service).find((p) => p.port === backend.port || (p.name !== undefined && p.name === backend.port));
      if (!service || !servicePort) continue;
      for (const target of this.serviceTargets(service, servicePort)) {
        this.add({ kind: 'ingress', declaredBy: ingress, via: `${backend.path} ${backend.serviceName}:${backend.port}`, from, ...target });
      }
    }
  }

  private monitorNamespaces(monitor: ObjectRef): string[] {
    const selector = monitor.raw.spec?.namespaceSelector;
    if (selector?.any === true) return this.set.podNamespaces();
    const names = Array.isArray(selector?.matchNames) ? selector.matchNames.filter((n: unknown) => typeof n === 'string') : [];
    return names.length ? names : [monitor.namespace];
  }

  private serviceMonitor(monitor: ObjectRef): void {
    const from = this.outside(this.world.prometheus, describeObject(monitor.raw));
    const endpoints: any[] = Array.isArray(monitor.raw.spec?.endpoints) ? monitor.raw.spec.endpoints : [];
    for (const namespace of this.monitorNamespaces(monitor)) {
      for (const service of this.set.objectsMatching('Service', monitor.raw.spec?.selector, namespace)) {
        endpoints.forEach((endpoint, i) => {
          if (typeof endpoint?.port === 'string') {
            const servicePort = servicePorts(service).find((p) => p.name === endpoint.port);
            if (!servicePort) return;
            for (const target of this.serviceTargets(service, servicePort)) {
              this.add({ kind: 'metrics', declaredBy: monitor, via: `spec.endpoints[${i}] port ${endpoint.port}`, from, ...target });
            }
          } else if (endpoint?.targetPort !== undefined) {
            for (const pod of this.set.podsSelectedByService(service)) {
              this.addPodPort(monitor, `spec.endpoints[${i}] targetPort ${endpoint.targetPort}`, from, pod, endpoint.targetPort, 'TCP');
            }
          }
        });
      }
    }
  }

  private podMonitor(monitor: ObjectRef): void {
    const from = this.outside(this.world.prometheus, describeObject(monitor.raw));
    const endpoints: any[] = Array.isArray(monitor.raw.spec?.podMetricsEndpoints) ? monitor.raw.spec.podMetricsEndpoints : [];
    for (const namespace of this.monitorNamespaces(monitor)) {
      for (const pod of this.set.podsMatching(monitor.raw.spec?.selector, namespace)) {
        endpoints.forEach((endpoint, i) => {
          const port = typeof endpoint?.port === 'string' ? endpoint.port : endpoint?.portNumber ?? endpoint?.targetPort;
          if (port === undefined || port === null) return;
          this.addPodPort(monitor, `spec.podMetricsEndpoints[${i}] port ${port}`, from, pod, port, 'TCP');
        });
      }
    }
  }

  /** The flows of one pod template as a source (and as the target of its scrape annotations). */
  private pod(pod: PodTemplateRef): void {
    const annotations = stringMap(pod.meta.annotations);
    const hooks = (stringMap(pod.obj.raw.metadata?.annotations)['helm.sh/hook'] ?? '').split(',').map((h) => h.trim());
    if (hooks.includes('test') || hooks.includes('test-success')) return;
    if (annotations['prometheus.io/scrape'] === 'true' && /^\d+$/.test(annotations['prometheus.io/port'] ?? '')) {
      const from = this.outside(this.world.prometheus, `Prometheus (prometheus.io/scrape of ${describeObject(pod.obj.raw)})`);
      this.addPodPort(pod.obj, `${pod.metaPath}.annotations`, from, pod, Number(annotations['prometheus.io/port']), 'TCP');
    }
    const source = this.endOf(pod);
    const before = this.flows.length;
    for (const [via, text, declaredBy] of this.textsOf(pod)) {
      for (const ref of text) this.serviceReference(pod, source, declaredBy, via, ref);
    }
    const egress = isolating(this.set, source.pods!, 'egress');
    egress.forEach((policy) => this.external(policy, source));
    // A pod that may connect anywhere resolves names first; one whose egress is denied outright opens no connection.
    const connects = this.flows.length > before
      || egress.some((p) => Array.isArray(p.raw.spec?.egress) && p.raw.spec.egress.length > 0);
    const dnsPolicy = pod.spec.dnsPolicy;
    if (egress.length && connects && dnsPolicy !== 'None' && dnsPolicy !== 'Default') {
      const dns = this.world.clusterDns;
      this.add({
        kind: 'dns',
        declaredBy: pod.obj,
        via: 'name lookups',
        from: source,
        to: this.outside(dns, `cluster DNS (namespace ${dns.namespace}, ${labelText(dns.labels)})`),
        port: 53,
        protocol: 'UDP',
      });
    }
  }

  /** Texts of a pod that may name Services: env values, command and args of each container, the ConfigMap entries it reads. */
  private textsOf(pod: PodTemplateRef): Array<[string, HostReference[], ObjectRef]> {
    const out: Array<[string, HostReference[], ObjectRef]> = [];
    const readKeys = new Map<string, Set<string> | 'all'>();
    const reads = (name: unknown, key?: unknown) => {
      if (typeof name !== 'string') return;
      const known = readKeys.get(name);
      if (known === 'all') return;
      if (key === undefined) readKeys.set(name, 'all');
      else if (typeof key === 'string') readKeys.set(name, new Set([...known ?? [], key]));
    };
    for (const { c, path } of pod.containers) {
      list(c.env).forEach((e: any, i: number) => {
        if (typeof e?.value === 'string') out.push([`${path}.env[${i}] ${e.name}`, hostReferences(e.value), pod.obj]);
        if (e?.valueFrom?.configMapKeyRef) reads(e.valueFrom.configMapKeyRef.name, e.valueFrom.configMapKeyRef.key);
      });
      for (const field of ['command', 'args']) {
        list(c[field]).forEach((arg: unknown, i: number) => {
          if (typeof arg === 'string') out.push([`${path}.${field}[${i}]`, hostReferences(arg), pod.obj]);
        });
      }
      for (const e of list(c.envFrom)) reads(e?.configMapRef?.name);
    }
    for (const v of list(pod.spec.volumes)) {
      const sources = [v?.configMap, ...list(v?.projected?.sources).map((s: any) => s?.configMap)].filter(Boolean);
      for (const s of sources) {
        const items = list(s.items);
        if (items.length) for (const item of items) reads(s.name, item?.key); else reads(s.name);
      }
    }
    for (const [name, keys] of readKeys) {
      const configMap = this.set.find('ConfigMap', name, pod.obj.namespace);
      const data = configMap?.raw.data;
      if (!configMap || !data || typeof data !== 'object') continue;
      for (const key of Object.keys(data)) {
        if (keys !== 'all' && !keys.has(key)) continue;
        const cacheKey = `${pod.obj.namespace}|${name}|${key}`;
        let refs = this.configMapRefs.get(cacheKey);
        if (!refs) this.configMapRefs.set(cacheKey, refs = typeof data[key] === 'string' ? hostReferences(data[key]) : []);
        out.push([`data.${key}`, refs, configMap]);
      }
    }
    return out;
  }

  private serviceReference(pod: PodTemplateRef, source: FlowEnd, declaredBy: ObjectRef, via: string, ref: HostReference): void {
    const service = this.set.find('Service', ref.service, ref.namespace ?? pod.obj.namespace);
    if (!service) return;
    const ports = servicePorts(service);
    const servicePort = ref.port === undefined ? (ports.length === 1 ? ports[0] : undefined) : ports.find((p) => p.port === ref.port);
    if (!servicePort) return;
    for (const target of this.serviceTargets(service, servicePort)) {
      if (target.to.template === pod) continue;
      this.add({ kind: 'service', declaredBy, via: `${via} (${ref.text})`, from: source, ...target });
    }
  }

  /** Each ipBlock of an egress rule, on each of its port numbers: the addresses the pods are given. */
  private external(policy: ObjectRef, source: FlowEnd): void {
    list(policy.raw.spec?.egress).forEach((rule: any, r: number) => {
      const ports = list(rule?.ports).filter((p: any) => typeof p?.port === 'number');
      list(rule?.to).forEach((peer: any) => {
        const block = peer?.ipBlock;
        if (!block || typeof block.cidr !== 'string') return;
        const except = list(block.except).filter((e: unknown): e is string => typeof e === 'string');
        for (const p of ports) {
          this.add({
            kind: 'external',
            declaredBy: policy,
            via: `spec.egress[${r}]`,
            from: source,
            to: { text: block.cidr + (except.length ? ` except ${except.join(', ')}` : ''), addresses: { cidr: block.cidr, except } },
            port: p.port,
            protocol: p.protocol ?? 'TCP',
          });
        }
      });
    });
  }

  /** The pods behind a Service port, each on its target port (a named one resolved against the pod's containers). */
  private serviceTargets(service: ObjectRef, servicePort: ServicePort): Array<Pick<Flow, 'to' | 'port' | 'protocol'>> {
    const out: Array<Pick<Flow, 'to' | 'port' | 'protocol'>> = [];
    for (const pod of this.set.podsSelectedByService(service)) {
      if (pod.spec.hostNetwork) continue;
      const port = resolvePort(pod, servicePort.targetPort, servicePort.protocol);
      if (port !== undefined) out.push({ to: this.endOf(pod), port, protocol: servicePort.protocol });
    }
    return out;
  }

  private addPodPort(declaredBy: ObjectRef, via: string, from: FlowEnd, pod: PodTemplateRef, port: unknown, protocol: string): void {
    if (pod.spec.hostNetwork) return;
    const number = resolvePort(pod, port, protocol);
    if (number !== undefined) this.add({ kind: 'metrics', declaredBy, via, from, to: this.endOf(pod), port: number, protocol });
  }

  private endOf(pod: PodTemplateRef): FlowEnd {
    let end = this.ends.get(pod);
    if (!end) {
      end = { text: describeObject(pod.obj.raw), template: pod, pods: { namespace: pod.obj.namespace, labels: pod.labels, ports: podPorts(pod) } };
      this.ends.set(pod, end);
    }
    return end;
  }
}

interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly protocol: string;
}

function servicePorts(service: ObjectRef): ServicePort[] {
  return list(service.raw.spec?.ports).filter((p: any) => typeof p?.port === 'number').map((p: any) => ({
    name: typeof p.name === 'string' ? p.name : undefined,
    port: p.port,
    targetPort: p.targetPort ?? p.port,
    protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP',
  }));
}

/** The container ports of a pod template. */
export function podPorts(pod: PodTemplateRef): NamedPort[] {
  return pod.containers.flatMap(({ c }) => list(c.ports)
    .filter((p: any) => typeof p?.containerPort === 'number')
    .map((p: any) => ({ name: typeof p.name === 'string' ? p.name : undefined, port: p.containerPort, protocol: typeof p.protocol === 'string' ? p.protocol : 'TCP' })));
}

/** A port number, or a port name of one of the pod's containers (with that protocol); undefined when it names none. */
function resolvePort(pod: PodTemplateRef, port: unknown, protocol: string): number | undefined {
  if (typeof port === 'number') return Number.isInteger(port) && port > 0 && port <= 65535 ? port : undefined;
  if (typeof port !== 'string') return undefined;
  if (/^\d+$/.test(port)) return Number(port);
  return podPorts(pod).find((p) => p.name === port && p.protocol === protocol)?.port;
}

/** The IngressClass an Ingress names (`spec.ingressClassName`, else the legacy annotation); undefined for the cluster's default. */
function ingressClassOf(ingress: any): string | undefined {
  const named = ingress?.spec?.ingressClassName ?? stringMap(ingress?.metadata?.annotations)['kubernetes.io/ingress.class'];
  return typeof named === 'string' && named !== '' ? named : undefined;
}

function labelText(labels: { [key: string]: string }): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ');
}

function list(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}
