/**
 * Release-aware names, as a Helm user expects (Bitnami's `common.names.fullname`).
 *
 * The release's full name is `fullnameOverride`, else the release name when it contains the chart
 * name (or `nameOverride`), else `<release>-<chart name>`, cut to 63 characters. A release whose full
 * name is the chart name (`helm install rescan ./rescan`) is the *plain* release: every object keeps
 * the name and `app.kubernetes.io/instance` label of the plain YAML, so its default render is the
 * plain YAML. Any other release gives every object a name of its own:
 *
 * - a name that starts with the chart name swaps that part for the full name
 *   (`rescan-app` → `alpha-rescan-app` for release `alpha`);
 * - any other name gets the full name and a dash before it (`todo-backend` → `alpha-todo-app-todo-backend`).
 *
 * The release's part is cut first so names stay within 63 characters (52 for StatefulSets and
 * CronJobs, whose pods and Jobs append to the name); a plain name longer than that keeps its length.
 * Every reference to an object the release makes follows its name, and the instance label follows
 * the release name (or the full name, when the release is named like the plain instance label, so two
 * releases never share selectors).
 *
 * Each template computes the names once, in variables at its top (`releaseHeader`): no `include`
 * per name, so `helm template` stays close to the speed of a static chart.
 */
import { ParamSpec } from './model/template-model';
import { plainSafe, yamlString } from './model/yaml-text';
import { KubeObject } from '../../manifests';

/** The chart label expression (no `include`: one per object would slow `helm template` down). */
export const CHART_LABEL_EXPR = '{{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" | quote }}';

/** A DNS-1123 label, or empty. */
const OVERRIDE_PATTERN = '^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$';

/** The chart-wide values of names and images: `nameOverride`, `fullnameOverride`, `global.imageRegistry`, `global.imagePullSecrets`. */
export function releaseParams(chartName: string): ParamSpec[] {
  return [
    {
      path: ['nameOverride'],
      type: 'string',
      value: '',
      pattern: OVERRIDE_PATTERN,
      schema: { maxLength: 53 },
      description: `Name used instead of the chart name (${chartName}) in the release's full name (<release>-<name>)`,
    },
    {
      path: ['fullnameOverride'],
      type: 'string',
      value: '',
      pattern: OVERRIDE_PATTERN,
      schema: { maxLength: 53 },
      description: `The release's full name, which every object name starts with; "${chartName}" keeps the plain names`,
    },
    {
      path: ['global', 'imageRegistry'],
      type: 'string',
      value: '',
      pattern: '^([a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?(:[0-9]+)?)?$',
      description: 'Registry of every image of the chart (init containers, sidecars and the helm test too), instead of each image.registry',
    },
    {
      path: ['global', 'imagePullSecrets'],
      type: 'array',
      value: [],
      schema: { items: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } } },
      description: 'Secrets ({name: ...}) every pod of the chart pulls its images with',
    },
  ];
}

/** Go template expression of the release's full name (the same as `<chart>.fullname` in _helpers.tpl). */
export const FULLNAME_EXPR = '.Values.fullnameOverride | default (ternary .Release.Name (printf "%s-%s" .Release.Name (.Values.nameOverride | default .Chart.Name)) (contains (.Values.nameOverride | default .Chart.Name) .Release.Name)) | trunc 63 | trimSuffix "-"';

/** The label that tells the objects of one release from another's. */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';

/** Most characters of a label value. */
const LABEL_VALUE_LIMIT = 63;

/** Most characters of a name of this kind (its pods or Jobs append a suffix to StatefulSet and CronJob names). */
function nameLimit(kind: string | undefined, name: string): number {
  const base = kind === 'StatefulSet' || kind === 'CronJob' ? 52 : 63;
  return Math.max(base, name.length);
}

/** The names a release makes, and how templates print them. */
export class ReleaseNames {
  /** The `app.kubernetes.io/instance` value most objects carry in the plain YAML, if any. */
  public readonly instance: string | undefined;
  private readonly names = new Map<string, Set<string>>();

  /**
   * @param isolated the label keys a release other than the plain one prints from its name
   *   (`derive/release/isolated-labels.ts`), the same in every environment
   */
  constructor(public readonly chartName: string, docs: readonly KubeObject[], private readonly isolated: ReadonlySet<string> = new Set()) {
    const counts = new Map<string, number>();
    for (const d of docs) {
      const v = d?.metadata?.labels?.[INSTANCE_LABEL];
      if (typeof v === 'string') counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    let best: string | undefined;
    for (const [v, n] of counts) if (best === undefined || n > counts.get(best)!) best = v;
    this.instance = best;
  }

  /** Records that the release makes an object of `kind` named `name`. */
  public add(kind: string, name: unknown): void {
    if (typeof name !== 'string' || name === '') return;
    const kinds = this.names.get(name) ?? new Set<string>();
    kinds.add(kind);
    this.names.set(name, kinds);
  }

  /** True when the release makes an object named `name` (of `kind` when given). */
  public has(name: unknown, kind?: string): boolean {
    if (typeof name !== 'string') return false;
    const kinds = this.names.get(name);
    return kinds !== undefined && (kind === undefined || kinds.has(kind));
  }

  /** Go expression (no braces) printing the release's name for the plain name `name`. */
  public expr(name: string, kind?: string): string {
    const c = this.chartName;
    const limit = nameLimit(kind, name);
    if (name === c || name.startsWith(`${c}-`)) {
      const rest = name.slice(c.length);
      return rest === '' ? `trunc ${limit} $fullname` : `print (trunc ${limit - rest.length} $fullname) ${JSON.stringify(rest)}`;
    }
    return `print (trunc ${Math.max(0, limit - name.length)} $prefix) ${JSON.stringify(name)}`;
  }

  /** A YAML value (`{{ ... }}`) printing the release's name for `name`. */
  public text(name: string, kind?: string): string {
    return `{{ ${this.expr(name, kind)}${plainSafe(name) && name !== this.chartName ? '' : ' | quote'} }}`;
  }

  /**
   * Go expression of the release's value for an instance label that reads `value` in the plain YAML:
   * `<release>-<value>`, the release's part cut so the label value stays within 63 characters.
   */
  public instanceExpr(value: string): string {
    if (value === this.instance) return '$instance';
    const keep = Math.max(1, LABEL_VALUE_LIMIT - value.length - 1);
    return `ternary ${JSON.stringify(value)} (print (trunc ${keep} $.Release.Name) ${JSON.stringify(`-${value}`)}) $plain`;
  }

  /**
   * A YAML value printing a label (or selector entry) `key` that reads `value` in the plain YAML, when
   * a release other than the plain one prints it from its name: `<full name>-<value>` (the full name
   * alone for the chart's name), like the names.
   */
  public isolatedLabelText(key: string, value: unknown): string | undefined {
    if (key === INSTANCE_LABEL || typeof value !== 'string' || value === '' || !this.isolated.has(key)) return undefined;
    return `{{ ${this.expr(value)} | quote }}`;
  }

  /** A YAML value printing the instance label that reads `value` in the plain YAML. */
  public instanceText(value: string): string {
    return `{{ ${this.instanceExpr(value)} | quote }}`;
  }

  /** Go expression of the release's instance label (where the plain YAML has none of its own). */
  public releaseInstanceExpr(): string {
    return this.instance !== undefined ? '$instance' : '$.Release.Name';
  }

  /** The instance label a release adds where the plain YAML has none (only outside the plain release). */
  public addedInstanceLine(indent: string): string {
    return `${indent}{{- if not $plain }}\n${indent}${yamlString(INSTANCE_LABEL)}: {{ ${this.releaseInstanceExpr()} | quote }}\n${indent}{{- end }}`;
  }
}

/** How the expressions `sharedName` may share start. */
const SHARED_STARTS = ['{{ print (trunc ', '{{ trunc ', '{{ ternary "', '{{ printf "%s-%s" .Chart'];

/**
 * The inline actions `{{ expr }}` of the text whose expression may be shared, as [start, end, expr]
 * (a scan with indexOf: a regular expression over every template is far slower).
 */
function sharedActions(text: string): [number, number, string][] {
  const out: [number, number, string][] = [];
  for (let at = text.indexOf('{{ '); at >= 0; at = text.indexOf('{{ ', at + 3)) {
    if (!SHARED_STARTS.some((s) => text.startsWith(s, at))) continue;
    const end = text.indexOf(' }}', at);
    if (end < 0) break;
    const expr = text.slice(at + 3, end);
    if (!expr.includes('{{') && sharedName(expr)) out.push([at, end + 3, expr]);
  }
  return out;
}

/** A variable name for a name or label value: `$name_todo_backend`. */
function varName(base: string, literal: string): string {
  return `$${base}_${literal.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '') || 'x'}`;
}

/**
 * The variable an inline expression gets when a file repeats it: the release's names
 * (`$name_<plain name>`), instance labels (`$instance_<plain value>`) and the chart label (`$chart`).
 * Other expressions stay where they are.
 */
function sharedName(expr: string): string | undefined {
  if (expr === CHART_LABEL_EXPR.slice(3, -3)) return '$chart';
  const name = /^print \(trunc \d+ \$(?:prefix|fullname)\) "((?:[^"\\]|\\.)*)"(?: \| quote)?$/.exec(expr);
  if (name) return varName('name', name[1]);
  if (/^trunc \d+ \$fullname(?: \| quote)?$/.test(expr)) return '$name_fullname';
  const instance = /^ternary "((?:[^"\\]|\\.)*)" \(print \(trunc \d+ \$\.Release\.Name\) "[^"]*"\) \$plain \| quote$/.exec(expr);
  if (instance) return varName('instance', instance[1]);
  return undefined;
}

/**
 * The template body with the variables of the release's names defined once at its top, and every
 * name, instance label and chart label the body repeats computed once into a variable: Go templates
 * parse and run each action, so fewer of them keep `helm template` fast.
 */
export function withReleaseHeader(release: ReleaseNames | undefined, body: string): string {
  const actions = sharedActions(body);
  const counts = new Map<string, number>();
  for (const [, , expr] of actions) counts.set(expr, (counts.get(expr) ?? 0) + 1);
  const vars = new Map<string, string>();
  const used = new Set<string>();
  for (const [expr, n] of counts) {
    if (n < 2) continue;
    let v = sharedName(expr)!;
    for (let i = 2; used.has(v); i++) v = `${sharedName(expr)}_${i}`;
    used.add(v);
    vars.set(expr, v);
  }
  let text = body;
  if (vars.size > 0) {
    const parts: string[] = [];
    let last = 0;
    for (const [start, end, expr] of actions) {
      const v = vars.get(expr);
      if (!v) continue;
      parts.push(body.slice(last, start), `{{ ${v} }}`);
      last = end;
    }
    parts.push(body.slice(last));
    text = parts.join('');
  }
  const defs = [...vars].map(([expr, v]) => `{{- ${v} := ${expr} }}\n`).join('');
  return releaseHeader(release, body) + defs + text;
}

/** The variables a template body uses, defined once at its top. */
export function releaseHeader(release: ReleaseNames | undefined, body: string): string {
  const uses = (v: string) => body.includes(v);
  const instance = release?.instance !== undefined && uses('$instance');
  const plain = uses('$plain') || uses('$prefix') || instance;
  const fullname = plain || uses('$fullname');
  if (!fullname || !release) return '';
  // One include per file (the helper is parsed once; the expression inline in every file is not).
  const lines = [`{{- $fullname := include ${JSON.stringify(`${release.chartName}.fullname`)} . }}`];
  if (plain) lines.push(`{{- $plain := eq $fullname ${JSON.stringify(release.chartName)} }}`);
  if (uses('$prefix')) lines.push('{{- $prefix := ternary "" (print $fullname "-") $plain }}');
  if (instance) {
    const i = JSON.stringify(release.instance);
    lines.push(`{{- $instance := ternary ${i} (ternary $fullname .Release.Name (eq .Release.Name ${i})) $plain }}`);
  }
  return `${lines.join('\n')}\n`;
}
