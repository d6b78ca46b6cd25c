/**
 * Internal to `ManifestPolicy`: the rules over one pod spec (its containers, probes, ports, service
 * account and the NetworkPolicies that select it).
 */
import { Report, RuleId, show } from './rule-kit';
import { ianaSvcNameProblem } from '../../core/rules/names';
import { secretArguments, secretContent } from '../../core/secrets';
import { ContainerRef, labelSelectorMatches, ManifestSet, PodTemplateRef } from '../../manifests';

const RESOURCES: Array<[RuleId, 'limits' | 'requests', string]> = [
  ['resources-memory-limit', 'limits', 'memory'],
  ['resources-cpu-request', 'requests', 'cpu'],
  ['resources-memory-request', 'requests', 'memory'],
  ['resources-cpu-limit', 'limits', 'cpu'],
  ['resources-ephemeral-storage', 'requests', 'ephemeral-storage'],
  ['resources-ephemeral-storage', 'limits', 'ephemeral-storage'],
];
const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'];
const HIGH_ID = 10000;

/** Runs every pod rule over every pod template of the index. */
export function checkPods(index: ManifestSet, report: Report): void {
  for (const pod of index.pods) new PodRules(index, pod, report).run();
}

class PodRules {
  private readonly regular: ContainerRef[];
  private readonly initAndRegular: ContainerRef[];

  constructor(private readonly index: ManifestSet, private readonly pod: PodTemplateRef, private readonly out: Report) {
    this.regular = pod.containers.filter((c) => c.list === 'containers');
    this.initAndRegular = pod.containers.filter((c) => c.list !== 'ephemeralContainers');
  }

  public run(): void {
    this.images();
    this.resources();
    this.env();
    this.probes();
    this.ports();
    this.readOnlyRootFilesystem();
    this.highIds();
    this.serviceAccount();
    this.networkPolicy();
  }

  private report(control: RuleId, path: string, message: string): void {
    this.out(this.pod.obj, control, path, message);
  }

  private images(): void {
    for (const { c, path } of this.pod.containers) {
      const tag = imageTag(String(c.image ?? ''));
      if (tag === '' || tag === 'latest') {
        this.report('image-pinned-tag', `${path}.image`,
          `image ${show(c.image)} has ${tag === '' ? 'no tag' : 'the tag "latest"'}; pin a version tag or a digest`);
      }
    }
    for (const { c, path } of this.initAndRegular) {
      if (c.imagePullPolicy !== 'Always') {
        this.report('image-pull-policy-always', `${path}.imagePullPolicy`, `imagePullPolicy is ${show(c.imagePullPolicy)}; should be Always`);
      }
    }
  }

  private resources(): void {
    for (const { c, path } of this.initAndRegular) {
      for (const [control, section, resource] of RESOURCES) {
        const v = c.resources?.[section]?.[resource];
        if (v === undefined || v === null || v === '' || v === 0 || v === '0') {
          this.report(control, `${path}.resources.${section}.${resource}`,
            `${section}.${resource} is ${show(v)}; set a non-zero ${resource} ${section === 'limits' ? 'limit' : 'request'}`);
        }
      }
    }
  }

  private env(): void {
    for (const { c, path } of this.pod.containers) {
      const seen = new Set<string>();
      (Array.isArray(c.env) ? c.env : []).forEach((e: any, i: number) => {
        const name = String(e?.name ?? '');
        if (seen.has(name)) this.report('env-no-duplicate-names', `${path}.env[${i}].name`, `env var ${name} is defined twice; names must be unique`);
        seen.add(name);
        const why = secretContent(name, e?.value);
        if (why) {
          this.report('env-no-literal-secrets', `${path}.env[${i}].value`,
            `env var ${name} has a literal value that ${why}; use valueFrom.secretKeyRef (or envFrom a Secret)`);
        }
      });
      for (const field of ['command', 'args'] as const) {
        const list: unknown[] = Array.isArray(c[field]) ? c[field] : [];
        for (const { index, why } of secretArguments(list)) {
          this.report('env-no-literal-secrets', `${path}.${field}[${index}]`,
            `${field}[${index}] ${why}; pass it through an environment variable from a Secret (valueFrom.secretKeyRef) and refer to it as $(VAR)`);
        }
      }
    }
  }

  private probes(): void {
    for (const { c, path } of this.regular) {
      for (const probe of PROBES) this.probePort(c, path, probe);
    }
    if (this.pod.runsToCompletion) return;
    const services = this.index.servicesSelecting(this.pod);
    for (const { c, path } of this.regular) {
      if (services.length && !c.readinessProbe) {
        this.report('probe-readiness-present', `${path}.readinessProbe`,
          `container ${c.name} is behind Service ${services[0].name} but has no readinessProbe`);
      }
      if (!c.livenessProbe) this.report('probe-liveness-present', `${path}.livenessProbe`, `container ${c.name} has no livenessProbe`);
      const ready = probeHandler(c.readinessProbe);
      if (ready !== undefined && ready === probeHandler(c.livenessProbe)) {
        this.report('probe-not-identical', `${path}.livenessProbe`,
          `livenessProbe and readinessProbe of container ${c.name} check the same thing (${ready}); a liveness check should be cheaper and independent of dependencies`);
      }
    }
  }

  private probePort(c: any, path: string, probe: string): void {
    const p = c[probe];
    if (!p) return;
    const ports: any[] = Array.isArray(c.ports) ? c.ports : [];
    for (const handler of ['httpGet', 'tcpSocket', 'grpc']) {
      const port = p[handler]?.port;
      if (port === undefined) continue;
      const exposed = typeof port === 'number'
        ? ports.some((x) => x?.containerPort === port)
        : ports.some((x) => x?.name === port);
      if (!exposed) {
        this.report('probe-port-exposed', `${path}.${probe}.${handler}.port`,
          `${probe} uses port ${show(port)}, which is not among container ${c.name}'s ports`);
      }
    }
  }

  private ports(): void {
    for (const { c, path } of this.pod.containers) {
      (Array.isArray(c.ports) ? c.ports : []).forEach((port: any, i: number) => {
        if (typeof port?.name === 'string') {
          const problem = ianaSvcNameProblem(port.name);
          if (problem) this.report('port-names-valid', `${path}.ports[${i}].name`, `port name ${show(port.name)} is ${problem}; must be an IANA_SVC_NAME`);
        }
        if (port?.containerPort === 22 && (port.protocol ?? 'TCP') === 'TCP') {
          this.report('no-ssh-port', `${path}.ports[${i}].containerPort`, `container ${c.name} exposes TCP port 22 (SSH); containers should not run SSH`);
        }
      });
    }
  }

  private readOnlyRootFilesystem(): void {
    for (const { c, path } of this.pod.containers) {
      const v = c.securityContext?.readOnlyRootFilesystem;
      if (v !== true) {
        this.report('container-read-only-root-fs', `${path}.securityContext.readOnlyRootFilesystem`,
          `readOnlyRootFilesystem is ${show(v)}; must be true (mount an emptyDir where the container writes)`);
      }
    }
  }

  private highIds(): void {
    const psc = this.pod.spec.securityContext ?? {};
    for (const { c, path } of this.initAndRegular) {
      for (const field of ['runAsUser', 'runAsGroup']) {
        const own = c.securityContext?.[field];
        const v = own ?? psc[field];
        if (typeof v === 'number' && v >= HIGH_ID) continue;
        const where = own === undefined && psc[field] !== undefined ? `${this.pod.specPath}.securityContext.${field}` : `${path}.securityContext.${field}`;
        this.report('pod-high-uid-gid', where,
          `effective ${field} of container ${c.name} is ${show(v)}; should be >= ${HIGH_ID} so it never matches a host user`);
      }
    }
  }

  private serviceAccount(): void {
    const spec = this.pod.spec;
    const sp = this.pod.specPath;
    const accountName = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
    const account = this.index.ofKind('ServiceAccount', this.pod.obj.namespace).find((sa) => sa.name === accountName);
    if (spec.serviceAccount !== undefined) {
      this.report('sa-exists', `${sp}.serviceAccount`, `the deprecated field serviceAccount is set (${show(spec.serviceAccount)}); use serviceAccountName`);
    }
    if (accountName !== 'default' && !account) {
      this.report('sa-exists', `${sp}.serviceAccountName`, `ServiceAccount ${accountName} is not among the synthesized objects of namespace ${show(this.pod.obj.namespace)}`);
    }
    const mount = spec.automountServiceAccountToken;
    if (mount === false || (mount === undefined && account?.raw.automountServiceAccountToken === false)) return;
    this.report('sa-token-not-automounted', `${sp}.automountServiceAccountToken`,
      `automountServiceAccountToken is ${show(mount)}${mount === undefined ? ` and ServiceAccount ${accountName} does not set it to false` : ''}; set false unless the pod calls the Kubernetes API`);
  }

  private networkPolicy(): void {
    const types = new Set<string>();
    for (const np of this.index.ofKind('NetworkPolicy', this.pod.obj.namespace)) {
      const spec = np.raw.spec ?? {};
      if (!labelSelectorMatches(spec.podSelector ?? {}, this.pod.labels)) continue;
      for (const t of policyTypes(spec)) types.add(t);
    }
    const missing = ['Ingress', 'Egress'].filter((t) => !types.has(t));
    if (!missing.length) return;
    this.report('networkpolicy-covers-pod', `${this.pod.metaPath}.labels`, types.size === 0
      ? 'no NetworkPolicy selects these pods; add one covering Ingress and Egress'
      : `the NetworkPolicies selecting these pods do not cover ${missing.join(' or ')}`);
  }
}

/** The policy types of a NetworkPolicy spec: `policyTypes`, or implied (Ingress always, Egress with egress rules). */
export function policyTypes(spec: any): string[] {
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length) return spec.policyTypes.map(String);
  return Array.isArray(spec.egress) ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** The tag of an image reference: '' without one; `@digest` counts as pinned. */
function imageTag(image: string): string {
  if (image.includes('@')) return 'digest';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > lastSlash ? image.slice(colon + 1) : '';
}

/** What a probe checks (handler and target), for comparing readiness with liveness. */
function probeHandler(p: any): string | undefined {
  if (!p) return undefined;
  if (p.httpGet) return `httpGet ${p.httpGet.path ?? '/'} on port ${p.httpGet.port}`;
  if (p.tcpSocket) return `tcpSocket on port ${p.tcpSocket.port}`;
  if (p.exec) return `exec ${JSON.stringify(p.exec.command ?? [])}`;
  if (p.grpc) return `grpc ${p.grpc.service ?? ''} on port ${p.grpc.port}`;
  return undefined;
}
