/**
 * Internal to `deploykit check` and the cdk8s validation plugin: reads YAML and JSON files (one or
 * many documents, `List` kinds), folders (recursively) and stdin, and finds the line of any field.
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { Document, LineCounter, parseAllDocuments } from 'yaml';
import { KUBECTL_JS_YAML_SCHEMA, KUBECTL_YAML_OPTIONS } from './kubectl-scalars';

/** One Kubernetes object read from an input. */
export interface InputObject {
  /** The file as given (relative names stay relative); `-` for stdin. */
  readonly file: string;
  readonly object: any;
  /** The line (1-based) of a field given by its JSON path in the object, or of the object itself. */
  readonly lineOf: (fieldPath?: string) => number | undefined;
  /** The line where the object's document starts: cheap, without reading the file again. */
  readonly documentLine: () => number | undefined;
}

/** An input that could not be read or parsed. */
export interface Unreadable {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** An input or document left out, and why. */
export interface SkippedInput {
  readonly file: string;
  readonly line?: number;
  readonly reason: string;
}

/** Everything read from the inputs. */
export interface Inputs {
  readonly objects: InputObject[];
  readonly unreadable: Unreadable[];
  readonly skipped: SkippedInput[];
  /** The files read (folders expanded). */
  readonly files: string[];
}

const EXTENSIONS = /\.(ya?ml|json)$/i;

/** Reads every input: files, folders (their .yaml/.yml/.json files, Helm chart folders skipped) and `-` (stdin). */
export function readInputs(inputs: readonly string[], readStdin: () => string = () => fs.readFileSync(0, 'utf8')): Inputs {
  const out: Inputs = { objects: [], unreadable: [], skipped: [], files: [] };
  for (const input of inputs) {
    if (input === '-') {
      let text: string;
      try {
        text = readStdin();
      } catch (e) {
        out.unreadable.push({ file: '-', message: `cannot read stdin: ${(e as Error).message}` });
        continue;
      }
      out.files.push('-');
      parseText('-', text, out);
      continue;
    }
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch (e) {
      out.unreadable.push({ file: input, message: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message });
      continue;
    }
    for (const file of stat.isDirectory() ? walk(input, out) : [input]) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        out.unreadable.push({ file, message: (e as Error).message });
        continue;
      }
      out.files.push(file);
      parseText(file, text, out);
    }
  }
  return out;
}

/** The YAML/JSON files under a folder, sorted; Helm chart folders (with a Chart.yaml) are skipped and noted. */
function walk(dir: string, out: Inputs): string[] {
  const files: string[] = [];
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (dir !== '.' && entries.some((e) => e.isFile() && e.name === 'Chart.yaml')) {
    out.skipped.push({ file: dir, reason: `a Helm chart: its templates are not manifests until rendered (helm template ${dir} | deploykit check -)` });
    return files;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      files.push(...walk(full, out));
    } else if (entry.isFile() && EXTENSIONS.test(entry.name)) {
      files.push(full);
    }
  }
  return files;
}

type Locator = (prefix: Array<string | number>, obj: any) => (fieldPath?: string) => number | undefined;

/**
 * Parses one file's text into objects. js-yaml reads it fast; the line of a field is found only when
 * a finding asks, by reading the file again with `yaml`, which keeps positions. A file js-yaml
 * refuses is read with `yaml` alone: a broken document is unreadable, the others are still read.
 */
function parseText(file: string, text: string, out: Inputs): void {
  let values: unknown[] | undefined;
  try {
    values = loadAll(text, undefined, { schema: KUBECTL_JS_YAML_SCHEMA }).filter((v) => v !== null && v !== undefined);
  } catch {
    values = undefined;
  }
  if (values) {
    let documents: Array<{ doc: Document.Parsed; lineAt: (offset: number | undefined) => number | undefined }> | undefined;
    let starts: number[] | undefined;
    addDocuments(file, values, (i) => (prefix, obj) => (fieldPath) => {
      documents ??= parsedDocuments(text).filter((d) => !d.doc.errors.length && d.doc.contents !== null);
      const d = documents[i];
      return d ? locate(d.doc, d.lineAt, [...prefix, ...segmentsOf(obj, fieldPath ?? '')]) : undefined;
    }, (i) => (starts ??= documentStarts(text))[i], out);
    return;
  }
  const parsed = parsedDocuments(text);
  const good = parsed.filter((d) => {
    for (const err of d.doc.errors) out.unreadable.push({ file, line: d.lineAt(err.pos?.[0]), message: err.message.split('\n')[0] });
    return !d.doc.errors.length;
  }).map((d) => ({ ...d, value: d.doc.toJS({ maxAliasCount: 100 }) })).filter((d) => d.value !== null && d.value !== undefined);
  addDocuments(file, good.map((d) => d.value), (i) => (prefix, obj) => (fieldPath) =>
    locate(good[i].doc, good[i].lineAt, [...prefix, ...segmentsOf(obj, fieldPath ?? '')]),
  (i) => locate(good[i].doc, good[i].lineAt, []), out);
}

/** The first content line of each non-empty document (documents split at lines starting with ---). */
function documentStarts(text: string): number[] {
  const starts: number[] = [];
  let found = false;
  text.split('\n').forEach((line, i) => {
    if (/^---/.test(line)) {
      found = false;
      if (/^---\s*[^\s#]/.test(line)) { starts.push(i + 1); found = true; }
    } else if (!found && /^\s*[^\s#]/.test(line) && !/^\.\.\.\s*$/.test(line) && !/^%/.test(line)) {
      starts.push(i + 1);
      found = true;
    }
  });
  return starts;
}

/** Every document of a text, with the line of any offset. */
function parsedDocuments(text: string): Array<{ doc: Document.Parsed; lineAt: (offset: number | undefined) => number | undefined }> {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true, ...KUBECTL_YAML_OPTIONS });
  const lineAt = (offset: number | undefined) => (offset === undefined ? undefined : lines.linePos(offset).line);
  return (Array.isArray(docs) ? docs : [docs]).map((doc) => ({ doc: doc as Document.Parsed, lineAt }));
}

/** The line of the deepest node of `segments` the document holds. */
function locate(doc: Document.Parsed, lineAt: (offset: number | undefined) => number | undefined,
  segments: Array<string | number>): number | undefined {
  for (let n = segments.length; n >= 0; n--) {
    const node: any = n === 0 ? doc.contents : doc.getIn(segments.slice(0, n), true);
    if (node?.range) return lineAt(node.range[0]);
  }
  return undefined;
}

/** Adds a file's documents (non-empty, in order): objects, the items of `List` kinds; notes the rest. */
function addDocuments(file: string, values: unknown[], locatorOf: (documentIndex: number) => Locator,
  startOf: (documentIndex: number) => number | undefined, out: Inputs): void {
  let notObjects = 0;
  values.forEach((value, i) => {
    const locator = locatorOf(i);
    const documentLine = () => startOf(i);
    if (isObject(value) && typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) {
      value.items.forEach((item: any, j: number) => {
        if (isKubernetesObject(item)) out.objects.push({ file, object: item, lineOf: locator(['items', j], item), documentLine });
        else notObjects++;
      });
    } else if (isKubernetesObject(value)) {
      out.objects.push({ file, object: value, lineOf: locator([], value), documentLine });
    } else {
      notObjects++;
    }
  });
  if (notObjects) out.skipped.push({ file, reason: `${notObjects} document(s) not a Kubernetes object (no apiVersion and kind)` });
}

function isObject(v: unknown): v is Record<string, any> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function isKubernetesObject(v: unknown): boolean {
  return isObject(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string';
}

/**
 * The keys and indexes of a finding's JSON path in `obj` (`metadata.annotations.deploykit.dev/waive`
 * has dots in a key: the longest key present wins). Stops at the first part the object does not hold.
 */
export function segmentsOf(obj: any, fieldPath: string): Array<string | number> {
  const out: Array<string | number> = [];
  let cur = obj;
  let rest = fieldPath === '(root)' ? '' : fieldPath;
  while (rest) {
    const index = /^\[(\d+)\]\.?/.exec(rest);
    if (index) {
      out.push(Number(index[1]));
      cur = cur?.[Number(index[1])];
      rest = rest.slice(index[0].length);
      continue;
    }
    let best: string | undefined;
    for (const key of isObject(cur) ? Object.keys(cur) : []) {
      const next = rest[key.length];
      if (rest.startsWith(key) && (next === undefined || next === '.' || next === '[') && (best === undefined || key.length > best.length)) best = key;
    }
    if (best === undefined) break;
    out.push(best);
    cur = cur[best];
    rest = rest.slice(best.length).replace(/^\./, '');
  }
  return out;
}
