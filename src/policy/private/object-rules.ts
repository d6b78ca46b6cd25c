/**
 * Internal to `ManifestPolicy`: rules over whole objects and between objects of one namespace
 * (workloads, Services, Ingresses, NetworkPolicies, PodDisruptionBudgets, autoscalers, labels, API versions).
 */
import { intOrUndefined, percentOrUndefined, Report, show } from './rule-kit';
import { ianaSvcNameProblem } from '../../core/rules/names';
import { secretContent } from '../../core/secrets';
import { isEmptySelector, labelSelectorMatches, ManifestSet, mapSelects, ObjectRef, refersTo } from '../../manifests';

/** The only version of each built-in API group that Kubernetes 1.28 serves for web-app objects. */
const STABLE_VERSIONS: { [group: string]: string } = {
  'apps': 'apps/v1',
  'networking.k8s.io': 'networking.k8s.io/v1',
  'policy': 'policy/v1',
  'autoscaling': 'autoscaling/v2',
  'batch': 'batch/v1',
  'rbac.authorization.k8s.io': 'rbac.authorization.k8s.io/v1',
  'extensions': '(none: extensions/* is gone)',
};
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const SELECTOR_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);
const REPLICATED_KINDS = new Set(['Deployment', 'StatefulSet']);
const HOSTNAME = 'kubernetes.io/hostname';

/** Runs every object rule. */
export function checkObjects(index: ManifestSet, report: Report): void {
  new ObjectRules(index, report).run();
}

class ObjectRules {
  constructor(private readonly index: ManifestSet, private readonly report: Report) {}

  public run(): void {
    for (const obj of this.index.objects) {
      this.apiVersion(obj);
      this.labels(obj);
      if (SELECTOR_KINDS.has(obj.kind)) this.selector(obj);
      if (REPLICATED_KINDS.has(obj.kind)) this.replicated(obj);
      switch (obj.kind) {
        case 'ConfigMap': this.configMap(obj); break;
        case 'Service': this.service(obj); break;
        case 'Ingress': this.ingress(obj); break;
        case 'NetworkPolicy': this.networkPolicy(obj); break;
        case 'PodDisruptionBudget': this.disruptionBudget(obj); break;
        case 'HorizontalPodAutoscaler': this.autoscaler(obj); break;
        default: break;
      }
    }
  }

  private apiVersion(obj: ObjectRef): void {
    const apiVersion = String(obj.raw.apiVersion ?? '');
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
    const stable = STABLE_VERSIONS[group];
    if (stable !== undefined && apiVersion !== stable) {
      this.report(obj, 'stable-api-versions', 'apiVersion', `apiVersion ${apiVersion} is not the stable version; use ${stable}`);
    }
  }

  private labels(obj: ObjectRef): void {
    const places: Array<[string, any]> = [
      ['metadata.labels', obj.raw.metadata?.labels],
      ['spec.template.metadata.labels', obj.raw.spec?.template?.metadata?.labels],
      ['spec.jobTemplate.metadata.labels', obj.raw.spec?.jobTemplate?.metadata?.labels],
      ['spec.jobTemplate.spec.template.metadata.labels', obj.raw.spec?.jobTemplate?.spec?.template?.metadata?.labels],
    ];
    for (const [path, labels] of places) {
      for (const [k, v] of Object.entries(labels && typeof labels === 'object' ? labels : {})) {
        const value = typeof v === 'string' ? v : undefined;
        if (value !== undefined && value.length <= 63 && LABEL_VALUE.test(value)) continue;
        this.report(obj, 'label-values-valid', `${path}.${k}`,
          `label value ${show(v)} is not a valid label value (a string of at most 63 alphanumerics, "-", "_" and ".", starting and ending alphanumeric)`);
      }
    }
  }

  private configMap(obj: ObjectRef): void {
    for (const [k, v] of Object.entries(obj.raw.data ?? {})) {
      const why = secretContent(k, v);
      if (why) this.report(obj, 'configmap-no-secret-content', `data.${k}`, `key ${k} ${why}; put it in a Secret`);
    }
  }

  private selector(obj: ObjectRef): void {
    const selector = obj.raw.spec?.selector;
    // A Job's selector is generated when unset.
    if (obj.kind === 'Job' && selector === undefined) return;
    const labels = this.index.podOf(obj)?.labels ?? {};
    if (isEmptySelector(selector)) {
      this.report(obj, 'selector-matches-template', 'spec.selector', 'spec.selector is empty; it must select the template labels');
    } else if (!labelSelectorMatches(selector, labels)) {
      this.report(obj, 'selector-matches-template', 'spec.selector',
        `spec.selector ${JSON.stringify(selector)} does not match the template labels ${JSON.stringify(labels)}`);
    }
  }

  /** Deployments and StatefulSets: replicas, autoscaler, disruption budget, anti-affinity, strategy. */
  private replicated(obj: ObjectRef): void {
    const spec = obj.raw.spec ?? {};
    const hpa = this.index.autoscalerOf(obj);
    const pod = this.index.podOf(obj);
    if (hpa && spec.replicas !== undefined) {
      this.report(obj, 'hpa-no-static-replicas', 'spec.replicas',
        `spec.replicas is ${show(spec.replicas)} though HorizontalPodAutoscaler ${hpa.name} scales it; leave it unset so each apply does not reset the scale`);
    }
    if (obj.kind === 'Deployment' && !hpa && (spec.replicas ?? 1) < 2) {
      this.report(obj, 'replicas-min-two', 'spec.replicas', `spec.replicas is ${show(spec.replicas)} (${spec.replicas ?? 1}); run at least 2 for availability`);
    }
    if (obj.kind === 'Deployment' && spec.strategy?.type !== undefined && spec.strategy.type !== 'RollingUpdate') {
      this.report(obj, 'deployment-rolling-update', 'spec.strategy.type', `strategy is ${show(spec.strategy.type)}; use RollingUpdate to avoid downtime`);
    }
    const most = hpa ? Math.max(Number(hpa.raw.spec?.maxReplicas ?? 1), Number(hpa.raw.spec?.minReplicas ?? 1)) : (spec.replicas ?? 1);
    if (!pod || most < 2) return;
    const budgets = this.index.ofKind('PodDisruptionBudget', obj.namespace).filter((pdb) => labelSelectorMatches(pdb.raw.spec?.selector, pod.labels));
    if (!budgets.length) {
      this.report(obj, 'pdb-present', `${pod.metaPath}.labels`, `no PodDisruptionBudget selects the pods of this ${obj.kind}, which runs up to ${most} replicas`);
    }
    if (!hasHostAntiAffinity(pod.spec.affinity?.podAntiAffinity, pod.labels)) {
      this.report(obj, 'pod-anti-affinity', `${pod.specPath}.affinity.podAntiAffinity`,
        `no podAntiAffinity term on ${HOSTNAME} selects the pod's own labels; replicas may all land on one node`);
    }
  }

  private service(obj: ObjectRef): void {
    const spec = obj.raw.spec ?? {};
    if (spec.type === 'NodePort') {
      this.report(obj, 'service-not-nodeport', 'spec.type', 'type is NodePort, which opens the port on every node; use ClusterIP (behind an Ingress) or LoadBalancer');
    }
    (Array.isArray(spec.ports) ? spec.ports : []).forEach((p: any, i: number) => {
      if (typeof p?.targetPort !== 'string') return;
      const problem = ianaSvcNameProblem(p.targetPort);
      if (problem) this.report(obj, 'port-names-valid', `spec.ports[${i}].targetPort`, `targetPort name ${show(p.targetPort)} is ${problem}; must be an IANA_SVC_NAME`);
    });
    if (spec.type === 'ExternalName') return;
    const selector = spec.selector;
    if (!selector || Object.keys(selector).length === 0) {
      this.report(obj, 'service-selects-pods', 'spec.selector', 'the Service has no selector, so it routes to no pod');
    } else if (!this.index.podsIn(obj.namespace).some((pod) => mapSelects(selector, pod.labels))) {
      this.report(obj, 'service-selects-pods', 'spec.selector',
        `selector ${JSON.stringify(selector)} matches no pod template in namespace ${show(obj.namespace)}`);
    }
  }

  private ingress(obj: ObjectRef): void {
    const spec = obj.raw.spec ?? {};
    if (!Array.isArray(spec.tls) || spec.tls.length === 0) {
      this.report(obj, 'ingress-tls', 'spec.tls', 'the Ingress has no TLS; traffic reaches it unencrypted');
    }
    const backends: Array<[string, any]> = [];
    if (spec.defaultBackend) backends.push(['spec.defaultBackend', spec.defaultBackend]);
    (Array.isArray(spec.rules) ? spec.rules : []).forEach((r: any, i: number) => {
      (Array.isArray(r?.http?.paths) ? r.http.paths : []).forEach((p: any, j: number) => {
        backends.push([`spec.rules[${i}].http.paths[${j}].backend`, p?.backend]);
      });
    });
    for (const [path, backend] of backends) {
      const ref = backend?.service;
      if (!ref) continue; // a `resource` backend points at a custom object
      const svc = this.index.ofKind('Service', obj.namespace).find((s) => s.name === ref.name);
      if (!svc) {
        this.report(obj, 'ingress-backend-exists', `${path}.service.name`, `Service ${show(ref.name)} is not among the synthesized objects of namespace ${show(obj.namespace)}`);
        continue;
      }
      const ports: any[] = Array.isArray(svc.raw.spec?.ports) ? svc.raw.spec.ports : [];
      const ok = ref.port?.number !== undefined ? ports.some((p) => p?.port === ref.port.number) : ports.some((p) => p?.name === ref.port?.name);
      if (!ok) {
        this.report(obj, 'ingress-backend-exists', `${path}.service.port`, `Service ${svc.name} has no port ${JSON.stringify(ref.port ?? {})}`);
      }
    }
  }

  private networkPolicy(obj: ObjectRef): void {
    const selector = obj.raw.spec?.podSelector ?? {};
    if (!this.index.podsIn(obj.namespace).some((pod) => labelSelectorMatches(selector, pod.labels))) {
      this.report(obj, 'networkpolicy-selects-something', 'spec.podSelector',
        `podSelector ${JSON.stringify(selector)} matches no pod template in namespace ${show(obj.namespace)}`);
    }
  }

  private disruptionBudget(obj: ObjectRef): void {
    const spec = obj.raw.spec ?? {};
    if (spec.minAvailable === undefined && spec.maxUnavailable === undefined) {
      this.report(obj, 'pdb-has-policy', 'spec', 'sets neither minAvailable nor maxUnavailable');
    }
    if (spec.unhealthyPodEvictionPolicy === undefined) {
      this.report(obj, 'pdb-unhealthy-eviction-policy', 'spec.unhealthyPodEvictionPolicy',
        'unhealthyPodEvictionPolicy is unset; set AlwaysAllow so crash-looping pods do not block node drains');
    }
    if (spec.maxUnavailable !== undefined && (intOrUndefined(spec.maxUnavailable) === 0 || percentOrUndefined(spec.maxUnavailable) === 0)) {
      this.report(obj, 'pdb-allows-eviction', 'spec.maxUnavailable', `maxUnavailable is ${show(spec.maxUnavailable)}; no pod can ever be evicted`);
    }
    if (spec.minAvailable === undefined) return;
    const percent = percentOrUndefined(spec.minAvailable);
    if (percent !== undefined && percent >= 100) {
      this.report(obj, 'pdb-allows-eviction', 'spec.minAvailable', `minAvailable is ${show(spec.minAvailable)}; no pod can ever be evicted`);
    }
    const count = intOrUndefined(spec.minAvailable);
    if (count === undefined) return;
    for (const workload of this.index.ofKind('Deployment', obj.namespace).concat(this.index.ofKind('StatefulSet', obj.namespace))) {
      const pod = this.index.podOf(workload);
      if (!pod || !labelSelectorMatches(spec.selector, pod.labels)) continue;
      const hpa = this.index.autoscalerOf(workload);
      const replicas = hpa ? Number(hpa.raw.spec?.minReplicas ?? 1) : Number(workload.raw.spec?.replicas ?? 1);
      if (count >= replicas) {
        this.report(obj, 'pdb-allows-eviction', 'spec.minAvailable',
          `minAvailable ${count} is not below the ${replicas} replica(s) of ${workload.kind} ${workload.name}${hpa ? ` (HorizontalPodAutoscaler ${hpa.name} minReplicas)` : ''}; no pod can be evicted`);
      }
    }
  }

  private autoscaler(obj: ObjectRef): void {
    const spec = obj.raw.spec ?? {};
    const ref = spec.scaleTargetRef;
    if (!this.index.objects.some((o) => o.namespace === obj.namespace && refersTo(ref, o))) {
      this.report(obj, 'hpa-target-exists', 'spec.scaleTargetRef',
        `scaleTargetRef ${JSON.stringify(ref ?? null)} names no synthesized object of namespace ${show(obj.namespace)}`);
    }
    const min = spec.minReplicas ?? 1;
    if (min < 2) this.report(obj, 'hpa-min-replicas', 'spec.minReplicas', `minReplicas is ${show(spec.minReplicas)} (${min}); use at least 2`);
    if (!(Number(spec.maxReplicas) > min)) {
      this.report(obj, 'hpa-min-replicas', 'spec.maxReplicas', `maxReplicas ${show(spec.maxReplicas)} is not greater than minReplicas ${min}; the autoscaler cannot scale`);
    }
  }
}

/** A required or preferred podAntiAffinity term on the hostname topology whose selector matches `labels`. */
function hasHostAntiAffinity(anti: any, labels: { [key: string]: string }): boolean {
  const terms: any[] = [
    ...(Array.isArray(anti?.requiredDuringSchedulingIgnoredDuringExecution) ? anti.requiredDuringSchedulingIgnoredDuringExecution : []),
    ...(Array.isArray(anti?.preferredDuringSchedulingIgnoredDuringExecution)
      ? anti.preferredDuringSchedulingIgnoredDuringExecution.map((w: any) => w?.podAffinityTerm) : []),
  ];
  return terms.some((t) => t?.topologyKey === HOSTNAME && labelSelectorMatches(t.labelSelector, labels));
}
