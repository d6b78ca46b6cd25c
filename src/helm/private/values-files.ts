/**
 * values.yaml (every key preceded by its description) and values-<environment>.yaml (the keys the environments set differently).
 */
import * as YAML from 'yaml';
import { ParamSpec, dottedPath, jsonEqual } from './template-model';

/** The values object of a parameter list, keys in first-seen order. */
export function valuesTree(params: ParamSpec[]): Record<string, unknown> {
  const root: Record<string, any> = {};
  for (const p of params) {
    let cur = root;
    p.path.slice(0, -1).forEach((seg) => {
      if (cur[seg] === undefined || typeof cur[seg] !== 'object' || Array.isArray(cur[seg])) cur[seg] = {};
      cur = cur[seg];
    });
    cur[p.path[p.path.length - 1]] = structuredClone(p.value);
  }
  return root;
}

/** Descriptions of the groups (maps that hold several values). */
function groupDescription(path: string[]): string {
  const last = path[path.length - 1];
  const known: Record<string, string> = {
    image: 'Container image',
    autoscaling: 'HorizontalPodAutoscaler (templates/horizontalpodautoscaler-*.yaml)',
    service: 'Service',
    ingress: 'Ingress',
    tls: 'TLS for the Ingress',
    persistence: 'PersistentVolumeClaim',
    config: 'ConfigMap entries (rendered as text; numbers print as written)',
    networkPolicy: 'NetworkPolicies',
    pdb: 'PodDisruptionBudgets',
    secrets: 'Secrets the workloads read (the chart never holds their values)',
  };
  const base = Object.keys(known).find((k) => last === k || last.startsWith(k));
  return base ? `${dottedPath(path)}: ${known[base]}` : `${dottedPath(path)}: values of ${last}`;
}

/** values.yaml text: a header, then each key with a `# -- description` comment (helm-docs style). */
export function valuesYaml(chartName: string, params: ParamSpec[]): string {
  const doc = new YAML.Document(valuesTree(params), { aliasDuplicateObjects: false });
  const descriptions = new Map(params.map((p) => [JSON.stringify(p.path), p.description]));
  const leaves = new Set(params.map((p) => JSON.stringify(p.path)));
  const annotate = (map: unknown, path: string[]) => {
    if (!YAML.isMap(map)) return;
    for (const pair of map.items) {
      const key = pair.key as YAML.Scalar;
      const p = [...path, String(key.value)];
      const id = JSON.stringify(p);
      if (leaves.has(id)) {
        key.commentBefore = ` -- ${descriptions.get(id)}`;
      } else {
        key.commentBefore = ` ${groupDescription(p)}`;
        annotate(pair.value, p);
      }
      if (path.length === 0 && pair !== map.items[0]) key.spaceBefore = true;
    }
  };
  annotate(doc.contents, []);
  doc.commentBefore = [
    ` Default values for ${chartName}.`,
    ' With these values `helm template` renders exactly the plain YAML synthesized by cdk8s-deploykit.',
    ' values.schema.json checks every value; unknown top-level keys are refused.',
  ].join('\n');
  return doc.toString({ lineWidth: 0 });
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
 * more, each file states the same keys, so any file can be applied over any values.yaml.
 */
export function environmentValues(defaults: ParamSpec[], env: ParamSpec[], all: Map<string, ParamSpec[]>): ParamSpec[] {
  const varying = new Set<string>();
  for (const other of all.values()) for (const p of valuesDiff(defaults, other)) varying.add(JSON.stringify(p.path));
  return env.filter((p) => varying.has(JSON.stringify(p.path)));
}

/** values-<env>.yaml text. */
export function environmentValuesYaml(
  chartName: string, envName: string, namespace: string | undefined, diff: ParamSpec[], namespaceFile?: string,
): string {
  const ns = namespace ? ` --namespace ${namespace}` : '';
  const header = [
    `# Values for the ${envName} environment: the values the environments set differently.`,
    ...(namespaceFile ? [`# kubectl apply -f ./${chartName}/${namespaceFile}   # the namespace first: the chart does not template it`] : []),
    `# helm install <release> ./${chartName} -f ./${chartName}/values-${envName}.yaml${ns}`,
    '# renders exactly the plain YAML synthesized for this environment.',
  ].join('\n');
  const body = diff.length === 0 ? '{}\n' : YAML.stringify(valuesTree(diff), { lineWidth: 0, aliasDuplicateObjects: false });
  return `${header}\n${body}`;
}
