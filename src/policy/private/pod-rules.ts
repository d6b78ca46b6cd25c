/**
 * Internal to `ManifestPolicy`: the rules over one pod spec (its containers' images, resources,
 * environment, security context, service account, and the NetworkPolicies that select it). Probes
 * and ports are in `probe-port-rules.ts`.
 */
import { checkProbesAndPorts } from './probe-port-rules';
import { list, Report, RuleId, show, Tuning } from './rule-kit';
import { secretContent } from '../../core/secrets';
import { ContainerRef, ManifestSet, PodTemplateRef } from '../../manifests';

const RESOURCES: Array<[RuleId, 'limits' | 'requests', string]> = [
  ['resources-memory-limit', 'limits', 'memory'],
  ['resources-cpu-request', 'requests', 'cpu'],
  ['resources-memory-request', 'requests', 'memory'],
  ['resources-cpu-limit', 'limits', 'cpu'],
  ['resources-ephemeral-storage', 'requests', 'ephemeral-storage'],
  ['resources-ephemeral-storage', 'limits', 'ephemeral-storage'],
];
/** The capabilities a container runtime grants by default, plus NET_RAW and NET_ADMIN (Polaris' list). */
const DEFAULT_CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT', 'NET_RAW', 'NET_ADMIN',
];

/** Runs every pod rule over every pod template of the index. */
export function checkPods(index: ManifestSet, tuning: Tuning, report: Report): void {
  for (const pod of index.pods) {
    new PodRules(index, pod, tuning, report).run();
    checkProbesAndPorts(index, pod, tuning, report);
  }
}

class PodRules {
  private readonly initAndRegular: ContainerRef[];

  constructor(private readonly index: ManifestSet, private readonly pod: PodTemplateRef,
    private readonly tuning: Tuning, private readonly out: Report) {
    this.initAndRegular = pod.containers.filter((c) => c.list !== 'ephemeralContainers');
  }

  public run(): void {
    this.images();
    this.resources();
    this.env();
    this.securityContext();
    this.highIds();
    this.serviceAccount();
    if (this.tuning.enabled('networkpolicy-covers-pod')) this.networkPolicy();
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
      const tag = imageTag(String(c.image ?? ''));
      // The API server defaults the policy: Always for :latest and untagged images, else IfNotPresent.
      const effective = c.imagePullPolicy ?? (this.tuning.requireExplicitPullAlways ? undefined : tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent');
      if (effective !== 'Always') {
        this.report('image-pull-policy-always', `${path}.imagePullPolicy`, c.imagePullPolicy === undefined && effective !== undefined
          ? `imagePullPolicy is unset, so IfNotPresent for the tag ${show(tag)}; set Always so a moved tag is pulled again`
          : `imagePullPolicy is ${show(c.imagePullPolicy)}; should be Always`);
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
      list(c.env).forEach((e: any, i: number) => {
        const name = String(e?.name ?? '');
        if (seen.has(name)) this.report('env-no-duplicate-names', `${path}.env[${i}].name`, `env var ${name} is defined twice; names must be unique`);
        seen.add(name);
        const why = secretContent(name, e?.value);
        if (why) {
          this.report('env-no-literal-secrets', `${path}.env[${i}].value`,
            `env var ${name} has a literal value that ${why}; use valueFrom.secretKeyRef (or envFrom a Secret)`);
        }
      });
    }
  }

  private securityContext(): void {
    for (const { c, path } of this.pod.containers) {
      const v = c.securityContext?.readOnlyRootFilesystem;
      if (v !== true) {
        this.report('container-read-only-root-fs', `${path}.securityContext.readOnlyRootFilesystem`,
          `readOnlyRootFilesystem is ${show(v)}; must be true (mount an emptyDir where the container writes)`);
      }
    }
    for (const { c, path } of this.initAndRegular) {
      const drop = list(c.securityContext?.capabilities?.drop).map((d) => String(d).toUpperCase().replace(/^CAP_/, ''));
      if (drop.includes('ALL')) continue;
      const missing = DEFAULT_CAPABILITIES.filter((cap) => !drop.includes(cap));
      if (this.tuning.requireDropAll || missing.length) {
        this.report('container-drop-capabilities', `${path}.securityContext.capabilities.drop`, this.tuning.requireDropAll || !drop.length
          ? `capabilities.drop is ${show(c.securityContext?.capabilities?.drop)}; drop ALL`
          : `capabilities.drop keeps ${missing.join(', ')}; drop ALL`);
      }
    }
  }

  private highIds(): void {
    const psc = this.pod.spec.securityContext ?? {};
    const least = this.tuning.minimumRunAsId;
    for (const { c, path } of this.initAndRegular) {
      for (const field of ['runAsUser', 'runAsGroup']) {
        const own = c.securityContext?.[field];
        const v = own ?? psc[field];
        if (typeof v === 'number' && v >= least) continue;
        const where = own === undefined && psc[field] !== undefined ? `${this.pod.specPath}.securityContext.${field}` : `${path}.securityContext.${field}`;
        this.report('pod-high-uid-gid', where,
          `effective ${field} of container ${c.name} is ${show(v)}; should be >= ${least} so it is no system account${least < 10000 ? '' : ' and matches no host user'}`);
      }
    }
  }

  private serviceAccount(): void {
    const spec = this.pod.spec;
    const sp = this.pod.specPath;
    const accountName = spec.serviceAccountName ?? spec.serviceAccount ?? 'default';
    const account = this.index.find('ServiceAccount', String(accountName), this.pod.obj.namespace);
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
    for (const np of this.index.networkPoliciesSelecting(this.pod)) {
      for (const t of policyTypes(np.raw.spec ?? {})) types.add(t);
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
