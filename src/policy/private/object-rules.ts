/**
 * Internal to `ManifestPolicy`: rules over whole objects and between objects of one namespace
 * (workloads, Services, Ingresses, NetworkPolicies, PodDisruptionBudgets, autoscalers, labels, API versions).
 */
import { intOrUndefined, list, percentOrUndefined, Report, show, Tuning } from './rule-kit';
import { ianaSvcNameProblem } from '../../core/rules/names';
import { secretContent, secretValueKind } from '../../core/secrets';
import { ingressBackends, isEmptySelector, labelSelectorMatches, ManifestSet, ObjectRef } from '../../manifests';

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
export function checkObjects(index: ManifestSet, tuning: Tuning, report: Report): void {
  new ObjectRules(index, tuning, report).run();
}

class ObjectRules {
  constructor(private readonly index: ManifestSet, private readonly tuning: Tuning, private readonly report: Report) {}

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
      // A value that is a secret by its form is a `secret-values` error; here: what the key names.
      if (typeof v === 'string' && secretValueKind(v)) continue;
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

  /**
   * Deployments and StatefulSets: replicas, autoscaler, disruption budget, anti-affinity, strategy.
   * As kube-score, a workload is exempt from needing a PodDisruptionBudget and host anti-affinity only
   * when `spec.replicas` is set below `minReplicas` (and no autoscaler may scale it up to that): an
   * unset `replicas` may be scaled.
   */
  private replicated(obj: ObjectRef): void {
    const spec = obj.raw.spec ?? {};
    const replicas = this.index.replicas(obj);
    const hpa = replicas.autoscaler;
    const least = this.tuning.minReplicas;
    if (hpa && replicas.explicit !== undefined) {
      this.report(obj, 'hpa-no-static-replicas', 'spec.replicas',
        `spec.replicas is ${show(spec.replicas)} though HorizontalPodAutoscaler ${hpa.name} scales it; leave it unset so each apply does not reset the scale`);
    }
    if (obj.kind === 'Deployment' && !hpa && (replicas.explicit ?? 1) < least) {
      this.report(obj, 'replicas-min-two', 'spec.replicas', `spec.replicas is ${show(spec.replicas)} (${replicas.explicit ?? 1}); run at least ${least} for availability`);
    }
    if (obj.kind === 'Deployment' && spec.strategy?.type !== undefined && spec.strategy.type !== 'RollingUpdate') {
      this.report(obj, 'deployment-rolling-update', 'spec.strategy.type', `strategy is ${show(spec.strategy.type)}; use RollingUpdate to avoid downtime`);
    }
    const most = hpa ? replicas.max : replicas.explicit;
    const pod = this.index.podOf(obj);
    if (!pod || (most !== undefined && most < least)) return;
    const scale = most === undefined ? 'whose spec.replicas is unset, so it may be scaled' : `which runs up to ${most} replicas`;
    if (this.tuning.enabled('pdb-present') && !this.index.disruptionBudgetsSelecting(pod).length) {
      this.report(obj, 'pdb-present', `${pod.metaPath}.labels`, `no PodDisruptionBudget selects the pods of this ${obj.kind}, ${scale}`);
    }
    if (!hasHostAntiAffinity(pod.spec.affinity?.podAntiAffinity, pod.labels)) {
      this.report(obj, 'pod-anti-affinity', `${pod.specPath}.affinity.podAntiAffinity`,
        `no podAntiAffinity term on ${HOSTNAME} selects the pod's own labels, so all replicas may land on one node (this ${obj.kind} is one ${scale})`);
    }
  }

  private service(obj: ObjectRef): void {
    const spec = obj.raw.spec ?? {};
    if (spec.type === 'NodePort') {
      this.report(obj, 'service-not-nodeport', 'spec.type', 'type is NodePort, which opens the port on every node; use ClusterIP (behind an Ingress) or LoadBalancer');
    }
    list(spec.ports).forEach((p: any, i: number) => {
      if (typeof p?.targetPort !== 'string') return;
      const problem = ianaSvcNameProblem(p.targetPort);
      if (problem) this.report(obj, 'port-names-valid', `spec.ports[${i}].targetPort`, `targetPort name ${show(p.targetPort)} is ${problem}; must be an IANA_SVC_NAME`);
    });
    if (spec.type === 'ExternalName') return;
    const selector = spec.selector;
    if (!selector || Object.keys(selector).length === 0) {
      this.report(obj, 'service-selects-pods', 'spec.selector', 'the Service has no selector, so it routes to no pod');
    } else if (!this.index.podsSelectedByService(obj).length) {
      this.report(obj, 'service-selects-pods', 'spec.selector',
        `selector ${JSON.stringify(selector)} matches no pod template in namespace ${show(obj.namespace)}`);
    }
  }

  private ingress(obj: ObjectRef): void {
    const spec = obj.raw.spec ?? {};
    if (!Array.isArray(spec.tls) || spec.tls.length === 0) {
      this.report(obj, 'ingress-tls', 'spec.tls', 'the Ingress has no TLS; traffic reaches it unencrypted');
    }
    for (const backend of ingressBackends(obj.raw)) {
      const at = (field: string) => `${backend.path}.${backend.legacy ? { name: 'serviceName', port: 'servicePort' }[field] : `service.${field}`}`;
      if (backend.serviceName === undefined) {
        this.report(obj, 'ingress-backend-exists', at('name'), 'the backend names no Service, so the path routes nowhere');
        continue;
      }
      const svc = this.index.find('Service', backend.serviceName, obj.namespace);
      if (!svc) {
        this.report(obj, 'ingress-backend-exists', at('name'), `Service ${show(backend.serviceName)} is not among the synthesized objects of namespace ${show(obj.namespace)}`);
        continue;
      }
      const port = typeof backend.port === 'string' && /^\d+$/.test(backend.port) ? Number(backend.port) : backend.port;
      const ports = list(svc.raw.spec?.ports);
      const ok = typeof port === 'number' ? ports.some((p) => p?.port === port) : port !== undefined && ports.some((p) => p?.name === port);
      if (!ok) {
        this.report(obj, 'ingress-backend-exists', at('port'), port === undefined
          ? `the backend names no port of Service ${svc.name}`
          : `Service ${svc.name} has no port ${show(port)}`);
      }
    }
  }

  private networkPolicy(obj: ObjectRef): void {
    const selector = obj.raw.spec?.podSelector ?? {};
    if (!this.index.podsMatching(selector, obj.namespace).length) {
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
      const replicas = hpa ? Number(hpa.raw.spec?.minReplicas ?? 1) : this.index.replicas(workload).explicit ?? 1;
      if (count >= replicas) {
        this.report(obj, 'pdb-allows-eviction', 'spec.minAvailable',
          `minAvailable ${count} is not below the ${replicas} replica(s) of ${workload.kind} ${workload.name}${hpa ? ` (HorizontalPodAutoscaler ${hpa.name} minReplicas)` : ''}; no pod can be evicted`);
      }
    }
  }

  private autoscaler(obj: ObjectRef): void {
    const spec = obj.raw.spec ?? {};
    const ref = spec.scaleTargetRef;
    if (!this.index.scaleTargetOf(obj)) {
      this.report(obj, 'hpa-target-exists', 'spec.scaleTargetRef',
        `scaleTargetRef ${JSON.stringify(ref ?? null)} names no synthesized object of namespace ${show(obj.namespace)}`);
    }
    const min = spec.minReplicas ?? 1;
    const least = this.tuning.minReplicas;
    if (min < least) this.report(obj, 'hpa-min-replicas', 'spec.minReplicas', `minReplicas is ${show(spec.minReplicas)} (${min}); use at least ${least}`);
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
