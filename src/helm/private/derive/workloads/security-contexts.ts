/**
 * `podSecurityContext` and `securityContext` (the first container's), as `helm create` names them
 * (Bitnami's `<section>.containerSecurityContext` is the latter), per workload section.
 * `securityContext` is also the context of every other container and init container whose plain
 * context equals the first container's in every environment, so raising `runAsUser` changes them
 * all alike; a container with a context of its own keeps it. The default is
 * what the plain YAML has, so the default render is unchanged and each environment's values file
 * holds its own contexts. Helm merges a map the user sets into the default key by key (`null` removes
 * a key).
 *
 * The schema keeps the pods within the restricted Pod Security Standard (the one schema below, so
 * every workload's values share one definition in values.schema.json): it refuses values that break
 * it (runAsNonRoot false, runAsUser 0, privileged or allowPrivilegeEscalation true, an added
 * capability other than NET_BIND_SERVICE, a drop list without ALL, a seccomp or AppArmor profile
 * other than RuntimeDefault/Localhost...), and requires the keys restricted needs that the plain
 * context holds in every environment (so `null` cannot remove them). A pod that is not restricted in
 * the plain YAML gets no such checks: the chart cannot refuse its own defaults.
 */
import Ajv, { ValidateFunction } from 'ajv';
import { RESTRICTED_CAPABILITIES, RESTRICTED_PROFILE_TYPES, SAFE_SYSCTLS, SELINUX_TYPES } from '../../../../core/pod-security-controls';
import { ContainerShape, KubeObject, PodSpecShape } from '../../../../manifests';
import { ParamSpec, Slot } from '../../model/template-model';
import { dottedPath, valuesRef } from '../../model/values-paths';
import { Derivation, ReleaseContext } from '../deriver';
import { keyedWith, param } from '../slot-kit';

/**
 * A seccomp or AppArmor profile: type Localhost names its profile in localhostProfile (the API server
 * refuses it without), another type takes none.
 */
const PROFILE = {
  type: 'object',
  properties: { type: { enum: [...RESTRICTED_PROFILE_TYPES] }, localhostProfile: { type: 'string', minLength: 1 } },
  required: ['type'],
  if: { properties: { type: { const: 'Localhost' } }, required: ['type'] },
  then: { required: ['localhostProfile'] },
  else: { not: { required: ['localhostProfile'] } },
};
const SELINUX = {
  type: 'object',
  properties: { type: { enum: [...SELINUX_TYPES] }, user: { const: '' }, role: { const: '' } },
};

/** What restricted allows in both contexts. */
const SHARED = {
  runAsNonRoot: { const: true },
  runAsUser: { type: 'integer', minimum: 1 },
  runAsGroup: { type: 'integer', minimum: 0 },
  seccompProfile: PROFILE,
  appArmorProfile: PROFILE,
  seLinuxOptions: SELINUX,
  windowsOptions: { type: 'object', properties: { hostProcess: { const: false } } },
};

/** What restricted allows in a pod's securityContext; `required` lists the keys it needs there. */
const POD = {
  properties: {
    ...SHARED,
    fsGroup: { type: 'integer', minimum: 0 },
    sysctls: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: { enum: [...SAFE_SYSCTLS] } } } },
  },
  needed: ['runAsNonRoot', 'seccompProfile'],
};

/** What restricted allows in a container's securityContext. */
const CONTAINER = {
  properties: {
    ...SHARED,
    allowPrivilegeEscalation: { const: false },
    privileged: { const: false },
    procMount: { enum: ['Default'] },
    capabilities: {
      type: 'object',
      properties: { add: { type: 'array', items: { enum: [...RESTRICTED_CAPABILITIES] } }, drop: { type: 'array', contains: { const: 'ALL' } } },
      required: ['drop'],
    },
  },
  needed: ['runAsNonRoot', 'seccompProfile', 'allowPrivilegeEscalation', 'capabilities'],
};

type Context = typeof POD | typeof CONTAINER;

const checks = new Map<Context, ValidateFunction>();

/** Whether a plain context is within what restricted allows (then the schema keeps it there). */
function restricted(context: Context, value: unknown): boolean {
  let check = checks.get(context);
  if (!check) checks.set(context, check = new Ajv({ strict: false }).compile({ type: 'object', properties: context.properties }));
  return check(value) === true;
}

function objectAt(parent: { readonly [key: string]: unknown } | undefined, key: string): Record<string, unknown> | undefined {
  const v = parent?.[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
}

/**
 * The value and slot of one context: `parent.securityContext` (at `ptr`), the value at `path`. A
 * context the environments differ in goes last in its map, so one template fits them all.
 */
function contextValue(
  ctx: ReleaseContext, doc: KubeObject, parent: { readonly [key: string]: unknown },
  ptr: string[], path: string[], context: Context, description: string,
): { param: ParamSpec; slot: Slot } {
  const pointer = [...ptr, 'securityContext'];
  const plain = objectAt(parent, 'securityContext') ?? {};
  let schema: Record<string, unknown> = {};
  if (restricted(context, plain)) {
    // A key restricted needs is required where every environment's context holds it.
    const required = context.needed.filter((k) => plain[k] !== undefined && !ctx.varies(doc, [...pointer, k]));
    schema = { properties: context.properties, ...(required.length > 0 ? { required } : {}) };
  }
  const text = `${description}; the plain one by default. Helm merges what you set into it key by key (null removes a key)`;
  return {
    param: param(path, 'object', plain, `${text}. The schema refuses what breaks the restricted Pod Security Standard`, schema),
    slot: contextSlot(ctx, doc, parent, pointer, path),
  };
}

/** The slot printing the value at `path` as `parent.securityContext` (at `pointer`). */
function contextSlot(ctx: ReleaseContext, doc: KubeObject, parent: { readonly [key: string]: unknown }, pointer: string[], path: string[]): Slot {
  return {
    pointer,
    placement: parent.securityContext !== undefined && !ctx.varies(doc, pointer) ? undefined : 'last',
    soft: { params: [dottedPath(path)] },
    render: { mode: 'line', wrap: keyedWith(valuesRef(path)) },
  };
}

/** A container (at `ptr`) that shares the first container's context. */
interface SharingContainer {
  readonly container: ContainerShape;
  readonly ptr: string[];
}

/** The other containers and init containers whose plain context is the first container's in every environment. */
function sharingContainers(ctx: ReleaseContext, doc: KubeObject, spec: PodSpecShape, specPtr: string[]): SharingContainer[] {
  const first = [...specPtr, 'containers', '0', 'securityContext'];
  const out: SharingContainer[] = [];
  for (const list of ['initContainers', 'containers'] as const) {
    (spec[list] ?? []).forEach((container, i) => {
      if (list === 'containers' && i === 0) return;
      const ptr = [...specPtr, list, String(i)];
      if (container && typeof container === 'object' && ctx.agree(doc, first, [...ptr, 'securityContext'])) out.push({ container, ptr });
    });
  }
  return out;
}

/** `podSecurityContext` and `securityContext` of a workload's pods (section `p`, pod spec at `specPtr`). */
export function securityContextValues(ctx: ReleaseContext, doc: KubeObject, spec: PodSpecShape, specPtr: string[], p: string[]): Derivation {
  const pod = contextValue(ctx, doc, spec, specPtr, [...p, 'podSecurityContext'], POD, 'Security context of the pods');
  const slots = [pod.slot];
  const params = [pod.param];
  const container: ContainerShape | undefined = spec.containers?.[0];
  if (container && typeof container === 'object') {
    const path = [...p, 'securityContext'];
    const c = contextValue(ctx, doc, container, [...specPtr, 'containers', '0'], path, CONTAINER,
      'Security context of the first container, and of every other (init) container whose plain context is the same');
    slots.push(c.slot);
    params.push(c.param);
    // A first container without a context of its own shares nothing.
    if (objectAt(container, 'securityContext')) {
      for (const other of sharingContainers(ctx, doc, spec, specPtr)) slots.push(contextSlot(ctx, doc, other.container, [...other.ptr, 'securityContext'], path));
    }
  }
  return { slots, params };
}
