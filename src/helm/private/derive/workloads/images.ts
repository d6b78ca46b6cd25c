/**
 * Image values of every container of a pod, Bitnami style: `image.registry` (split from
 * `image.repository`), `image.tag`, `image.digest`, `image.pullPolicy`, and `global.imageRegistry`,
 * which moves every image of the chart (init containers, sidecars and the helm test's too).
 *
 * The first container's values are the section's `image.*` and `resources`; further containers and
 * sidecars (init containers that keep running) get `sidecars.<name>.*`, init containers
 * `initContainers.<name>.*`.
 */
import { parseImageReference } from '../../../../core/rules/image-reference';
import { ContainerRef, ContainerShape, PodSpecShape, containersOf } from '../../../../manifests';
import { ParamSpec, Slot } from '../../model/template-model';
import { camelCase, valuesRef, valueSlot } from '../../model/values-paths';
import { keyedWith } from '../slot-kit';

export const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
/** A registry host with an optional port, or empty. */
const REGISTRY_PATTERN = '^([a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?(:[0-9]+)?)?$';
/** A digest such as sha256:..., or empty. */
export const DIGEST_PATTERN = '^([A-Za-z][A-Za-z0-9]*:[0-9a-fA-F]{32,})?$';
/** A repository of an image reference (path components of lowercase letters and digits and separators); never empty. */
const REPOSITORY_PATTERN = '^[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*$';
/** A tag of an image reference, or empty. */
const TAG_PATTERN = '^([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$';

/** `pattern` when the default matches it (a plain image the container runtime would refuse keeps its value usable). */
function patternFor(pattern: string, value: string): { pattern?: string } {
  return compiled(pattern).test(value) ? { pattern } : {};
}

/** The few patterns `patternFor` reads, each compiled once (it runs for every image of a chart). */
const COMPILED = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = COMPILED.get(pattern);
  if (!re) COMPILED.set(pattern, re = new RegExp(pattern));
  return re;
}

/** The image expression of the values at `ip` (`[..., 'image']`): `[registry/]repository[:tag][@digest]`. */
export function imageExpr(ip: string[]): string {
  const r = (k: string) => valuesRef([...ip, k]);
  return `"{{ with .Values.global.imageRegistry | default ${r('registry')} }}{{ . }}/{{ end }}{{ ${r('repository')} }}`
    + `{{ with ${r('tag')} }}:{{ . }}{{ end }}{{ with ${r('digest')} }}@{{ . }}{{ end }}"`;
}

/** The values of an image reference at `ip`, or undefined when the reference is not a Docker reference. */
export function imageParams(ip: string[], reference: string, pullPolicy?: string): ParamSpec[] | undefined {
  const image = parseImageReference(reference);
  if (!image) return undefined;
  const params: ParamSpec[] = [
    { path: [...ip, 'registry'], type: 'string', value: image.registry ?? '', pattern: REGISTRY_PATTERN, description: 'Image registry; empty for none (Docker Hub). global.imageRegistry replaces it' },
    { path: [...ip, 'repository'], type: 'string', value: image.repository, ...patternFor(REPOSITORY_PATTERN, image.repository), description: 'Image repository' },
    { path: [...ip, 'tag'], type: 'string', value: image.tag ?? '', ...patternFor(TAG_PATTERN, image.tag ?? ''), imageTag: true, description: 'Image tag; empty for none. While environment is production: not "latest", and not empty without a digest' },
    { path: [...ip, 'digest'], type: 'string', value: image.digest ?? '', pattern: DIGEST_PATTERN, description: 'Image digest such as sha256:...; when set it pins the image (added after the tag)' },
  ];
  if (pullPolicy !== undefined) params.push({ path: [...ip, 'pullPolicy'], type: 'string', value: pullPolicy, enum: PULL_POLICIES, description: 'Image pull policy' });
  return params;
}

/** Where a container's values live: the section itself for the first container, else sidecars/initContainers. */
export function containerPrefixes(containers: ContainerRef[], p: string[]): Map<ContainerRef, string[]> {
  const out = new Map<ContainerRef, string[]>();
  const used = new Set<string>();
  let first = true;
  for (const ref of containers) {
    if (ref.list === 'ephemeralContainers') continue;
    if (ref.list === 'containers' && first) {
      first = false;
      out.set(ref, p);
      continue;
    }
    const group = ref.list === 'initContainers' && !ref.sidecar ? 'initContainers' : 'sidecars';
    let name = camelCase(String(ref.c.name ?? group));
    for (let i = 2; used.has(`${group}.${name}`); i++) name = `${camelCase(String(ref.c.name ?? group))}${i}`;
    used.add(`${group}.${name}`);
    out.set(ref, [...p, group, name]);
  }
  return out;
}

const PROBES = [['livenessProbe', 'Liveness'], ['readinessProbe', 'Readiness'], ['startupProbe', 'Startup']] as const;

/**
 * A container's probe whose environments differ (`helm create`'s `livenessProbe`...): a value holding
 * the whole probe, `{}` for none, rendered only when set and always last in the container, so one
 * template fits an environment with the probe and one without.
 */
function probeValue(c: ContainerShape, ptr: string[], cp: string[], field: string, title: string): { slot: Slot; param: ParamSpec } {
  const path = [...cp, field];
  const plain = c[field];
  return {
    param: { path, type: 'object', value: plain && typeof plain === 'object' ? plain : {}, description: `${title} probe of the container; {} for none (the environments differ in it)` },
    slot: { pointer: [...ptr, field], placement: 'last', render: { mode: 'line', wrap: keyedWith(valuesRef(path)) } },
  };
}

/**
 * Image and resources values of every container of a pod spec at `specPtr`, for the section `p`, and
 * its probes where `varies` says the environments differ in them.
 */
export function containerValues(
  spec: PodSpecShape, specPtr: string[], p: string[], varies: (pointer: string[]) => boolean = () => false,
): { slots: Slot[]; params: ParamSpec[] } {
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const containers = containersOf(spec);
  for (const [ref, cp] of containerPrefixes(containers, p)) {
    const c: ContainerShape = ref.c;
    const index = ref.path.match(/\[(\d+)\]$/)![1];
    const ptr = [...specPtr, ref.list, index];
    const image = typeof c.image === 'string' ? imageParams([...cp, 'image'], c.image, typeof c.imagePullPolicy === 'string' ? c.imagePullPolicy : undefined) : undefined;
    if (image) {
      params.push(...image);
      slots.push({ pointer: [...ptr, 'image'], render: { mode: 'inline', expr: imageExpr([...cp, 'image']) } });
      if (typeof c.imagePullPolicy === 'string') slots.push(valueSlot([...ptr, 'imagePullPolicy'], [...cp, 'image', 'pullPolicy'], 'string'));
    }
    if (c.resources && typeof c.resources === 'object') {
      params.push({ path: [...cp, 'resources'], type: 'object', value: c.resources, description: 'CPU/memory requests and limits of the container' });
      slots.push(valueSlot([...ptr, 'resources'], [...cp, 'resources'], 'object'));
    }
    for (const [field, title] of PROBES) {
      if (!varies([...ptr, field])) continue;
      const probe = probeValue(c, ptr, cp, field, title);
      params.push(probe.param);
      slots.push(probe.slot);
    }
  }
  return { slots, params };
}
