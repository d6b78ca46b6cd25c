/**
 * values.yaml (every key preceded by its description) and values-<environment>.yaml (the keys the environments set differently).
 */
import { jsonEqual } from '../model/json-pointers';
import { ParamSpec } from '../model/template-model';
import { dottedPath } from '../model/values-paths';
import { emitYaml, yamlScalar, yamlString } from '../model/yaml-text';

/** The values object of a parameter list, keys in first-seen order (values are shared, not copied: no writer changes them). */
export function valuesTree(params: ParamSpec[]): Record<string, unknown> {
  type Tree = Record<string, unknown>;
  const root: Tree = {};
  for (const p of params) {
    let cur = root;
    for (let i = 0; i < p.path.length - 1; i++) {
      const seg = p.path[i];
      const next = cur[seg];
      cur = next !== null && typeof next === 'object' && !Array.isArray(next) ? next as Tree : (cur[seg] = {}) as Tree;
    }
    cur[p.path[p.path.length - 1]] = p.value;
  }
  return root;
}

const GROUPS: Record<string, string> = {
  image: 'Container image',
  autoscaling: 'HorizontalPodAutoscaler (in the workload\'s template file)',
  service: 'Service',
  ingress: 'Ingress',
  tls: 'TLS for the Ingress',
  persistence: 'PersistentVolumeClaim',
  config: 'ConfigMap entries (rendered as text; numbers print as written)',
  networkPolicy: 'NetworkPolicies',
  pdb: 'PodDisruptionBudgets',
  secrets: 'Secrets the workloads read (the chart never holds their values)',
  serviceAccount: 'ServiceAccount of the pods',
  initContainers: 'Init containers',
  sidecars: 'Sidecar containers',
  global: 'Values shared with dependency charts; global.imageRegistry and global.imagePullSecrets apply to every image',
  tests: 'The `helm test` pod (templates/tests/)',
};
const GROUP_KEYS = Object.keys(GROUPS);

/** Descriptions of the groups (maps that hold several values). */
function groupDescription(path: string[]): string {
  const last = path[path.length - 1];
  // The group's own key first: `serviceAccount` also starts with `service`.
  const base = GROUP_KEYS.find((k) => last === k) ?? GROUP_KEYS.find((k) => last.startsWith(k));
  return base ? `${dottedPath(path)}: ${GROUPS[base]}` : `${dottedPath(path)}: values of ${last}`;
}

/** A value as the lines after its key: ` scalar`, or the nested YAML indented under the key. */
function valueText(value: unknown, indent: number): string {
  const isMap = value !== null && typeof value === 'object' && !Array.isArray(value);
  const empty = (Array.isArray(value) && value.length === 0) || (isMap && Object.keys(value as object).length === 0);
  if ((!isMap && !Array.isArray(value)) || empty) return ` ${yamlScalar(value)}`;
  const pad = ' '.repeat(indent + 2);
  return `\n${emitYaml(value).trimEnd().split('\n').map((l) => pad + l).join('\n')}`;
}

/** A node of the values tree: a value (with its parameter) or a group of keys. */
interface Node {
  readonly param?: ParamSpec;
  readonly children?: Map<string, Node>;
}

/** values.yaml text: a header, then each key with a `# -- description` comment (helm-docs style). */
export function valuesYaml(chartName: string, params: ParamSpec[]): string {
  const root = new Map<string, Node>();
  for (const p of params) {
    let cur = root;
    for (let i = 0; i < p.path.length - 1; i++) {
      let node = cur.get(p.path[i]);
      if (!node?.children) cur.set(p.path[i], node = { children: new Map() });
      cur = node.children!;
    }
    cur.set(p.path[p.path.length - 1], { param: p });
  }
  const out: string[] = [
    `# Default values for ${chartName}.`,
    '# With these values `helm template` renders exactly the plain YAML synthesized by cdk8s-deploykit',
    '# (for the release named after the chart; other releases name every object after themselves).',
    '# values.schema.json checks every value; unknown keys are refused.',
  ];
  const write = (map: Map<string, Node>, path: string[]) => {
    const pad = ' '.repeat(path.length * 2);
    for (const [k, node] of map) {
      if (path.length === 0) out.push('');
      if (node.param) {
        out.push(`${pad}# -- ${node.param.description}`, `${pad}${yamlString(k)}:${valueText(node.param.value, path.length * 2)}`);
      } else {
        const p = [...path, k];
        out.push(`${pad}# ${groupDescription(p)}`, `${pad}${yamlString(k)}:`);
        write(node.children!, p);
      }
    }
  };
  write(root, []);
  return `${out.join('\n')}\n`;
}

/** The values of `env` that differ from the default values. */
export function valuesDiff(defaults: ParamSpec[], env: ParamSpec[]): ParamSpec[] {
  const byPath = new Map(defaults.map((p) => [JSON.stringify(p.path), p]));
  return env.filter((p) => {
    const d = byPath.get(JSON.stringify(p.path));
    return d === undefined || !jsonEqual(d.value, p.value);
  });
}

/**
 * What values-<env>.yaml holds: every value that some environment sets differently from values.yaml,
 * at this environment's setting. With one further environment that is exactly its difference; with
 * more, each file states the same keys, so any file can be applied over any values.yaml. Helm merges
 * a map of a values file into the map values.yaml has: a key this environment's map lacks is set to
 * null, which removes it (production's `resources` without the development default's keys).
 */
export function environmentValues(defaults: ParamSpec[], env: ParamSpec[], all: Map<string, ParamSpec[]>): ParamSpec[] {
  const varying = new Set<string>();
  for (const other of all.values()) for (const p of valuesDiff(defaults, other)) varying.add(JSON.stringify(p.path));
  const byPath = new Map(defaults.map((p) => [JSON.stringify(p.path), p]));
  return env.filter((p) => varying.has(JSON.stringify(p.path))).map((p) => {
    const d = byPath.get(JSON.stringify(p.path));
    return d ? { ...p, value: mergedOver(d.value, p.value) } : p;
  });
}

function isPlainMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `value` as a values file states it so that Helm's merge over `base` gives `value`: keys only `base` has become null. */
function mergedOver(base: unknown, value: unknown): unknown {
  if (!isPlainMap(base) || !isPlainMap(value)) return value;
  // Own keys only: a ConfigMap key named like an Object member (toString) is in no map by the prototype.
  const has = (map: object, k: string) => Object.prototype.hasOwnProperty.call(map, k);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = has(base, k) ? mergedOver(base[k], v) : v;
  for (const k of Object.keys(base)) if (!has(value, k)) out[k] = null;
  return out;
}

/** values-<env>.yaml text. */
export function environmentValuesYaml(
  chartName: string, envName: string, namespace: string | undefined, diff: ParamSpec[], namespaceFile?: string,
): string {
  const ns = namespace ? ` --namespace ${namespace}` : '';
  const header = [
    `# Values for the ${envName} environment: the values the environments set differently.`,
    ...(namespaceFile ? [`# kubectl apply -f ./${chartName}/${namespaceFile}   # the namespace first: the chart does not template it`] : []),
    `# helm install ${chartName} ./${chartName} -f ./${chartName}/values-${envName}.yaml${ns}`,
    '# renders exactly the plain YAML synthesized for this environment (another release name renames every object).',
  ].join('\n');
  const body = diff.length === 0 ? '{}\n' : emitYaml(valuesTree(diff));
  return `${header}\n${body}`;
}
