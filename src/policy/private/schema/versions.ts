/**
 * Internal to `policy`: the Kubernetes versions the check knows, and what differs between them
 * beyond their API definitions: the definitions file of each (read by `k8s-schema.ts`), and the
 * feature gates, at their defaults, whose state changes what the API server does with fields the
 * definitions list either way (read by `metadata.ts` and the rules of native sidecars).
 */

/**
 * A feature gate's state at its default in a Kubernetes version: `absent` (the version does not
 * know it), `off` or `on`.
 */
export type GateDefault = 'absent' | 'off' | 'on';

/** The feature gates the check reads, by their Kubernetes names. */
export interface FeatureGates {
  /**
   * Native sidecars: an init container with `restartPolicy: Always` keeps running beside the
   * containers. Off, the API server drops every init container's `restartPolicy` on create.
   */
  readonly SidecarContainers: GateDefault;
  /**
   * A restart policy and restart rules per container. Off, the API server drops every
   * `restartPolicyRules`, a regular container's `restartPolicy` and an init container's other than
   * `Always`; absent (before 1.34), a regular container's `restartPolicy` is refused.
   */
  readonly ContainerRestartRules: GateDefault;
}

/** How each gate went through the releases (for messages), and the first release it is on by default in. */
export const FEATURE_GATE_HISTORY: { readonly [gate in keyof FeatureGates]: { readonly stages: string; readonly onFrom?: string } } = {
  SidecarContainers: { stages: 'alpha and off by default in 1.28, beta and on by default from 1.29, GA in 1.33', onFrom: '1.29' },
  ContainerRestartRules: { stages: 'alpha and off by default from 1.34' },
};

/** The Kubernetes versions the check knows: the definitions file of each (under schemas/), and its feature gates at their defaults. */
const VERSIONS: { readonly [version: string]: { readonly schemaFile: string; readonly gates: FeatureGates } } = {
  1.28: { schemaFile: 'k8s-v1.28.0-definitions.json', gates: { SidecarContainers: 'off', ContainerRestartRules: 'absent' } },
  1.34: { schemaFile: 'k8s-v1.34-definitions.json', gates: { SidecarContainers: 'on', ContainerRestartRules: 'off' } },
};

/** The Kubernetes versions the check knows, oldest first. */
export const KUBERNETES_VERSIONS: readonly string[] = Object.keys(VERSIONS);
/** The version checked by default: the one the constructs emit. */
export const DEFAULT_KUBERNETES_VERSION = '1.28';

/**
 * The version a user names ("1.34", "v1.34", "1.34.2") as one `KUBERNETES_VERSIONS` knows, or
 * undefined.
 */
export function knownKubernetesVersion(version: string): string | undefined {
  const m = /^v?(1\.\d+)(\.\d+)?$/.exec(version.trim());
  return m && KUBERNETES_VERSIONS.includes(m[1]) ? m[1] : undefined;
}

function known(version: string) {
  const entry = VERSIONS[version];
  if (!entry) throw new Error(`unknown Kubernetes version ${JSON.stringify(version)}; the check knows ${KUBERNETES_VERSIONS.join(', ')}`);
  return entry;
}

/** The definitions file of a version `KUBERNETES_VERSIONS` knows. */
export function schemaFile(version: string): string {
  return known(version).schemaFile;
}

/** The feature gates of a version `KUBERNETES_VERSIONS` knows, at their defaults. */
export function featureGates(version: string): FeatureGates {
  return known(version).gates;
}

/** A gate for a message: its name and history, e.g. `the SidecarContainers feature gate: alpha and off by default in 1.28, ...`. */
export function gateText(gate: keyof FeatureGates): string {
  return `the ${gate} feature gate: ${FEATURE_GATE_HISTORY[gate].stages}`;
}

/** The oldest version `KUBERNETES_VERSIONS` knows in which a gate is on by default, or undefined. */
export function firstVersionWith(gate: keyof FeatureGates): string | undefined {
  return KUBERNETES_VERSIONS.find((v) => VERSIONS[v].gates[gate] === 'on');
}

/**
 * Where native sidecars run, for messages: `Kubernetes 1.29 and later (the SidecarContainers
 * feature gate: ...; deploykit check --kubernetes-version 1.34)`.
 */
export function sidecarVersionsText(): string {
  const check = firstVersionWith('SidecarContainers');
  return `Kubernetes ${FEATURE_GATE_HISTORY.SidecarContainers.onFrom} and later (${gateText('SidecarContainers')}${check ? `; deploykit check --kubernetes-version ${check}` : ''})`;
}
