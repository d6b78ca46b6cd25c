/**
 * Internal to `ManifestPolicy`: the rules over one pod spec (its containers' images, resources,
 * security context, identity). Probes and ports are in `probe-port-rules.ts`, literal secrets in
 * `secret-rules.ts`, the NetworkPolicies that select a pod in `service-rules.ts`.
 */
import { containerPorts, family, list, namespaceText, RuleFamily, RuleScope, show, text } from './rule-kit';
import { ContainerRef, PodTemplateRef } from '../../manifests';
import { PolicyLevel } from '../policy-types';

/** The capabilities a container runtime grants by default, plus NET_RAW and NET_ADMIN (Polaris' list). */
const DEFAULT_CAPABILITIES = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT', 'NET_RAW', 'NET_ADMIN',
];

/** Init and regular containers (ephemeral debug containers are not part of the workload). */
function initAndRegular(pod: PodTemplateRef): ContainerRef[] {
  return pod.containers.filter((c) => c.list !== 'ephemeralContainers');
}

/** A rule that every init and regular container sets a non-zero `<section>.<resource>`. */
function resourceRule(id: string, level: PolicyLevel, description: string, fields: Array<['limits' | 'requests', string]>) {
  return {
    id,
    level,
    description,
    pod: (pod: PodTemplateRef, at: RuleScope) => {
      for (const { c, path } of initAndRegular(pod)) {
        for (const [section, resource] of fields) {
          const v = c.resources?.[section]?.[resource];
          if (v === undefined || v === null || v === '' || v === 0 || v === '0') {
            at.report(`${path}.resources.${section}.${resource}`,
              `${section}.${resource} is ${show(v)}; set a non-zero ${resource} ${section === 'limits' ? 'limit' : 'request'}`);
          }
        }
      }
    },
  };
}

/** The tag of an image reference: '' without one; `@digest` counts as pinned. */
function imageTag(image: unknown): string {
  if (typeof image !== 'string') return '';
  if (image.includes('@')) return 'digest';
  const lastSlash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > lastSlash ? image.slice(colon + 1) : '';
}


/** Images, resources and the environment of the containers. */
export const CONTAINER_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'image-pinned-tag',
    level: PolicyLevel.WARNING,
    description: 'every container image has an explicit tag other than latest, or a digest (Istio\'s `image: auto`, which its injector sets at admission, aside)',
    pod: (pod, at) => {
      for (const { c, path, injected } of pod.containers) {
        if (injected) continue;
        const tag = imageTag(c.image);
        if (tag === '' || tag === 'latest') {
          at.report(`${path}.image`, `image ${show(c.image)} has ${tag === '' ? 'no tag' : 'the tag "latest"'}; pin a version tag or a digest`);
        }
      }
    },
  },
  {
    id: 'image-pull-policy-always',
    level: PolicyLevel.WARNING,
    description: 'init and regular containers pull Always (an unset policy counts as Always for :latest and untagged images, unless requireExplicitPullAlways)',
    pod: (pod, at) => {
      for (const { c, path } of initAndRegular(pod)) {
        const tag = imageTag(c.image);
        // The API server defaults the policy (unset or ""): Always for :latest and untagged images, else IfNotPresent.
        const given = c.imagePullPolicy === '' ? undefined : c.imagePullPolicy;
        const effective = given ?? (at.tuning.requireExplicitPullAlways ? undefined : tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent');
        if (effective !== 'Always') {
          at.report(`${path}.imagePullPolicy`, given === undefined && effective !== undefined
            ? `imagePullPolicy is ${show(c.imagePullPolicy)}, so IfNotPresent for the tag ${show(tag)}; set Always so a moved tag is pulled again`
            : `imagePullPolicy is ${show(c.imagePullPolicy)}; should be Always`);
        }
      }
    },
  },
  resourceRule('resources-memory-limit', PolicyLevel.WARNING, 'init and regular containers set a non-zero limits.memory', [['limits', 'memory']]),
  resourceRule('resources-cpu-request', PolicyLevel.WARNING, 'init and regular containers set a non-zero requests.cpu', [['requests', 'cpu']]),
  resourceRule('resources-memory-request', PolicyLevel.WARNING, 'init and regular containers set a non-zero requests.memory', [['requests', 'memory']]),
  resourceRule('resources-cpu-limit', PolicyLevel.WARNING, 'init and regular containers set a non-zero limits.cpu', [['limits', 'cpu']]),
  resourceRule('resources-ephemeral-storage', PolicyLevel.WARNING, 'init and regular containers set an ephemeral-storage request and limit',
    [['requests', 'ephemeral-storage'], ['limits', 'ephemeral-storage']]),
  {
    id: 'env-no-duplicate-names',
    level: PolicyLevel.ERROR,
    description: 'env var names are unique within a container (server-side apply refuses the object: env is a list keyed by name)',
    pod: (pod, at) => {
      for (const { c, path } of pod.containers) {
        const seen = new Set<string>();
        list(c.env).forEach((e: any, i: number) => {
          const name = text(e?.name ?? '');
          if (seen.has(name)) at.report(`${path}.env[${i}].name`, `env var ${name} is defined twice; names must be unique (server-side apply refuses duplicate entries for key name=${name}, and elsewhere the last value silently wins)`);
          seen.add(name);
        });
      }
    },
  },
]);

/** What a container may do to its own filesystem and kernel. */
export const CONTAINER_SECURITY_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'container-read-only-root-fs',
    level: PolicyLevel.WARNING,
    description: 'every container of a Linux pod sets readOnlyRootFilesystem: true (a Windows pod cannot set it)',
    pod: (pod, at) => {
      if (pod.windows) return; // Linux-only fields: the API server refuses them on a Windows pod
      for (const { c, path } of pod.containers) {
        const v = c.securityContext?.readOnlyRootFilesystem;
        if (v !== true) {
          at.report(`${path}.securityContext.readOnlyRootFilesystem`,
            `readOnlyRootFilesystem is ${show(v)}; must be true (mount an emptyDir where the container writes)`);
        }
      }
    },
  },
  {
    id: 'container-drop-capabilities',
    level: PolicyLevel.WARNING,
    description: 'every container of a Linux pod drops ALL capabilities, or each default one plus NET_RAW and NET_ADMIN (only ALL with requireDropAll)',
    pod: (pod, at) => {
      if (pod.windows) return; // Linux-only fields: the API server refuses them on a Windows pod
      for (const { c, path } of initAndRegular(pod)) {
        const drop = list(c.securityContext?.capabilities?.drop).map((d) => String(d).toUpperCase().replace(/^CAP_/, ''));
        if (drop.includes('ALL')) continue;
        const missing = DEFAULT_CAPABILITIES.filter((cap) => !drop.includes(cap));
        if (at.tuning.requireDropAll || missing.length) {
          at.report(`${path}.securityContext.capabilities.drop`, at.tuning.requireDropAll || !drop.length
            ? `capabilities.drop is ${show(c.securityContext?.capabilities?.drop)}; drop ALL`
            : `capabilities.drop keeps ${missing.join(', ')}; drop ALL`);
        }
      }
    },
  },
]);

/** Who the pod runs as: its ServiceAccount and token, its user and group ids, no SSH. */
export const POD_IDENTITY_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'sa-token-not-automounted',
    level: PolicyLevel.WARNING,
    description: 'the pod or its ServiceAccount sets automountServiceAccountToken: false',
    pod: (pod, at) => {
      const spec = pod.spec;
      const accountName = text(spec.serviceAccountName ?? spec.serviceAccount ?? 'default');
      const account = at.index.find('ServiceAccount', accountName, pod.obj.namespace);
      const mount = spec.automountServiceAccountToken;
      if (mount === false || (mount === undefined && account?.raw.automountServiceAccountToken === false)) return;
      at.report(`${pod.specPath}.automountServiceAccountToken`,
        `automountServiceAccountToken is ${show(mount)}${mount === undefined ? ` and ServiceAccount ${accountName} does not set it to false` : ''}; set false unless the pod calls the Kubernetes API`);
    },
  },
  {
    id: 'sa-exists',
    level: PolicyLevel.WARNING,
    description: 'serviceAccountName is default or a synthesized ServiceAccount; the deprecated serviceAccount is unset',
    pod: (pod, at) => {
      const spec = pod.spec;
      const accountName = text(spec.serviceAccountName ?? spec.serviceAccount ?? 'default');
      if (spec.serviceAccount !== undefined) {
        at.report(`${pod.specPath}.serviceAccount`, `the deprecated field serviceAccount is set (${show(spec.serviceAccount)}); use serviceAccountName`);
      }
      if (accountName !== 'default' && !at.index.find('ServiceAccount', accountName, pod.obj.namespace)) {
        at.report(`${pod.specPath}.serviceAccountName`, `ServiceAccount ${accountName} is not among the objects of ${namespaceText(pod.obj.namespace)}`);
      }
    },
  },
  {
    id: 'no-ssh-port',
    level: PolicyLevel.WARNING,
    description: 'no container exposes TCP port 22',
    pod: (pod, at) => {
      for (const { container, port, at: where } of containerPorts(pod)) {
        if (port?.containerPort === 22 && (port.protocol ?? 'TCP') === 'TCP') {
          at.report(`${where}.containerPort`, `container ${text(container.c.name)} exposes TCP port 22 (SSH); containers should not run SSH`);
        }
      }
    },
  },
  {
    id: 'pod-high-uid-gid',
    level: PolicyLevel.WARNING,
    description: 'the effective runAsUser and runAsGroup of init and regular containers of a Linux pod are >= minimumRunAsId (default 1000)',
    pod: (pod, at) => {
      if (pod.windows) return; // Linux-only fields: the API server refuses them on a Windows pod
      const psc = pod.spec.securityContext ?? {};
      const least = at.tuning.minimumRunAsId;
      for (const { c, path } of initAndRegular(pod)) {
        for (const field of ['runAsUser', 'runAsGroup']) {
          const own = c.securityContext?.[field];
          const v = own ?? psc[field];
          if (typeof v === 'number' && v >= least) continue;
          const where = own === undefined && psc[field] !== undefined ? `${pod.specPath}.securityContext.${field}` : `${path}.securityContext.${field}`;
          at.report(where,
            `effective ${field} of container ${text(c.name)} is ${show(v)}; should be >= ${least} so it is no system account${least < 10000 ? '' : ' and matches no host user'}`);
        }
      }
    },
  },
]);
