/**
 * A small, fast YAML writer for JSON data (the objects cdk8s synthesizes, values files).
 *
 * It writes block style with two-space indentation and lists indented under their key (the style of
 * the `yaml` package), and quotes a string whenever a YAML 1.1 or 1.2 reader (Helm uses YAML 1.1 rules)
 * could read it as anything but that string. Strings that need quotes are written as JSON strings,
 * which are valid YAML double-quoted scalars. It is linear in the size of the data: the chart writer
 * serializes every object of a chart with it, which the general `yaml` package does several times slower.
 *
 * A value may be a `Marker` (see `template-body.ts`): the writer then calls `hooks.marker` with the
 * indentation and the text before the value, and writes the lines it returns.
 */

/** Strings a YAML 1.1 or 1.2 reader takes for booleans or null. */
const SPECIAL = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|=|<<)$/;
/** Strings a YAML 1.1 or 1.2 reader may take for numbers (ints, floats, hex, octal, binary, sexagesimal, inf/nan) or timestamps. */
const NUMBER_LIKE = [
  /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?0x[0-9a-fA-F_]+$/,
  /^[-+]?0o?[0-7_]+$/,
  /^[-+]?0b[01_]+$/,
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
];
/** Characters a plain scalar may hold here (a conservative subset). */
const PLAIN_CHARS = /^[A-Za-z0-9_./][A-Za-z0-9_./@%+=,()$^-]*(?:[ :][A-Za-z0-9_./@%+=,()$^-]+)*$/;

/** Answers for strings seen before (keys and label values repeat across the objects of a chart). */
const PLAIN_CACHE = new Map<string, boolean>();

/** True when `s` can be written without quotes and reads back as the same string. */
export function plainSafe(s: string): boolean {
  const known = PLAIN_CACHE.get(s);
  if (known !== undefined) return known;
  const safe = s !== '' && PLAIN_CHARS.test(s) && !SPECIAL.test(s)
    // "a: b" starts a map; "a :b" and "http://x" are fine, but keep ": " and a trailing ":" out.
    && !s.includes(': ') && !s.endsWith(':')
    && !NUMBER_LIKE.some((re) => re.test(s));
  if (s.length <= 256) {
    if (PLAIN_CACHE.size >= 100_000) PLAIN_CACHE.clear();
    PLAIN_CACHE.set(s, safe);
  }
  return safe;
}

/** A literal "{{" must reach the rendered YAML as itself, not start a template action. */
export function escapeActions(text: string): string {
  return text.includes('{{') ? text.replace(/\{\{/g, '{{`{{`}}') : text;
}

/** A string as a YAML scalar: plain when safe, else double-quoted (JSON). */
export function yamlString(s: string): string {
  return plainSafe(s) ? s : JSON.stringify(s);
}

/** A scalar (string, number, boolean, null) as YAML text. */
export function yamlScalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return yamlString(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : JSON.stringify(String(v));
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return JSON.stringify(v);
}

/** What the writer calls for a marker value. */
export interface EmitHooks {
  /** True for a value the writer hands to `marker`. */
  isMarker(v: unknown): boolean;
  /**
   * The lines for a marker. `indent`: spaces before the line; `prefix`: the text between indent and
   * value (`key: `, `- ` or `- key: `); `original`: writes what the marker replaces, if anything.
   */
  marker(v: unknown, indent: string, prefix: string, original: (() => string) | undefined): string;
  /** True for a marker that must not be the first key of a list item's map (its lines may be left out). */
  lineMode(v: unknown): boolean;
  /** The value a marker replaces (written by `original`), or undefined. */
  originalOf(v: unknown): { value: unknown } | undefined;
}

const NO_HOOKS: EmitHooks = {
  isMarker: () => false,
  marker: () => '',
  lineMode: () => false,
  originalOf: () => undefined,
};

const SPACES: string[] = [];
function sp(n: number): string {
  return SPACES[n] ?? (SPACES[n] = ' '.repeat(n));
}

/** Whether a map has a key (`Object.keys(v).length > 0` without making the list: this runs for every map written). */
function hasKeys(v: Record<string, unknown>): boolean {
  for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) return true;
  return false;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Writes YAML lines for JSON data (a map or list at the top), ending with a newline. */
export function emitYaml(value: unknown, hooks: EmitHooks = NO_HOOKS, escape = false): string {
  const out: string[] = [];
  const w = new Writer(out, hooks, escape);
  if (isMap(value) && Object.keys(value).length > 0) w.map(value, 0, undefined);
  else if (Array.isArray(value) && value.length > 0) w.list(value, 0, undefined);
  else out.push(w.scalar(value));
  return `${out.join('\n')}\n`;
}

class Writer {
  constructor(private readonly out: string[], private readonly hooks: EmitHooks, private readonly escape: boolean) {}

  public scalar(v: unknown): string {
    if (Array.isArray(v)) return '[]';
    if (isMap(v)) return '{}';
    const text = yamlScalar(v);
    return this.escape ? escapeActions(text) : text;
  }

  private key(k: string): string {
    const text = yamlString(k);
    return this.escape ? escapeActions(text) : text;
  }

  /** A map whose first line starts with `lead` (a list item's "- ") instead of `ind` spaces. */
  public map(map: Record<string, unknown>, ind: number, lead: string | undefined): void {
    let keys = Object.keys(map);
    if (lead !== undefined && keys.length > 1 && this.hooks.lineMode(map[keys[0]])) {
      // Lines a marker may leave out must not carry the list item's dash.
      keys = [...keys.filter((k) => !this.hooks.lineMode(map[k])), ...keys.filter((k) => this.hooks.lineMode(map[k]))];
    }
    keys.forEach((k, i) => {
      const head = i === 0 && lead !== undefined ? lead : sp(ind);
      this.entry(k, map[k], ind, head);
    });
  }

  private entry(k: string, v: unknown, ind: number, head: string): void {
    if (this.hooks.isMarker(v)) {
      const indent = head.slice(0, head.length - head.trimStart().length);
      const keyPrefix = `${head.trimStart()}${this.key(k)}: `;
      const orig = this.hooks.originalOf(v);
      const original = orig ? () => this.sub(() => this.entry(k, orig.value, ind, head)) : undefined;
      this.out.push(this.hooks.marker(v, indent, keyPrefix, original));
      return;
    }
    if (isMap(v) && hasKeys(v)) {
      this.out.push(`${head}${this.key(k)}:`);
      this.map(v, ind + 2, undefined);
    } else if (Array.isArray(v) && v.length > 0) {
      this.out.push(`${head}${this.key(k)}:`);
      this.list(v, ind + 2, undefined);
    } else {
      this.out.push(`${head}${this.key(k)}: ${this.scalar(v)}`);
    }
  }

  /** A list whose items start at column `ind`; the first line starts with `lead` when given. */
  public list(list: unknown[], ind: number, lead: string | undefined): void {
    list.forEach((item, i) => {
      const head = `${i === 0 && lead !== undefined ? lead : sp(ind)}- `;
      this.item(item, ind, head);
    });
  }

  private item(item: unknown, ind: number, head: string): void {
    if (this.hooks.isMarker(item)) {
      const indent = head.slice(0, head.length - head.trimStart().length);
      const orig = this.hooks.originalOf(item);
      const original = orig ? () => this.sub(() => this.item(orig.value, ind, head)) : undefined;
      this.out.push(this.hooks.marker(item, indent, head.trimStart(), original));
    } else if (isMap(item) && hasKeys(item)) {
      this.map(item, ind + 2, head);
    } else if (Array.isArray(item) && item.length > 0) {
      this.list(item, ind + 2, head);
    } else {
      this.out.push(`${head}${this.scalar(item)}`);
    }
  }

  /** The lines `write` produces, as one text (for markers that wrap what they replace). */
  private sub(write: () => void): string {
    const start = this.out.length;
    write();
    return this.out.splice(start).join('\n');
  }
}

/** Indentation, list dash and key of one line of YAML as `emitYaml` writes it. */
function lineShape(line: string): { indent: number; dash: boolean; key?: string } {
  const indent = line.length - line.trimStart().length;
  const rest = line.slice(indent);
  const dash = rest.startsWith('- ');
  const m = /^("(?:[^"\\]|\\.)*"|[^\s"{#][^:]*?):(?: |$)/.exec(dash ? rest.slice(2) : rest);
  const key = m ? (m[1].startsWith('"') ? String(JSON.parse(m[1])) : m[1]) : undefined;
  return { indent, dash, key };
}

/**
 * The field a line of YAML text (as `emitYaml` writes it; template actions on lines of their own
 * are skipped) belongs to, such as `spec.template.spec.containers[0].ports[1].name`, for messages.
 */
export function yamlFieldPath(lines: readonly string[], index: number): string {
  const skip = (l: string) => l.trim() === '' || /^\s*(\{\{|#)/.test(l);
  const first = lineShape(lines[index] ?? '');
  const parts: string[] = first.key !== undefined ? [first.key] : [];
  // The column of the current level's keys, and the dash column of the list item we are in (with the items before it).
  let col = first.indent;
  let item = first.dash ? first.indent : -1;
  let before = 0;
  for (let i = index - 1; i >= 0; i--) {
    if (skip(lines[i])) continue;
    const l = lineShape(lines[i]);
    if (item >= 0) {
      if (l.indent > item) continue;
      if (l.indent === item) {
        if (l.dash) before++;
        continue;
      }
      parts.unshift(`[${before}]`);
      item = -1;
      before = 0;
    } else if (l.indent >= col) {
      continue;
    }
    if (l.dash) {
      item = l.indent;
      col = l.indent;
      continue;
    }
    if (l.key !== undefined) parts.unshift(l.key);
    col = l.indent;
  }
  if (item >= 0) parts.unshift(`[${before}]`);
  return parts.reduce((path, p) => (p.startsWith('[') || path === '' ? `${path}${p}` : `${path}.${p}`), '');
}
