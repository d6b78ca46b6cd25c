/*
 * Secrets inside configuration files held as text (a ConfigMap's config.json, application.yaml,
 * .env, context.xml): which texts are files to look inside, how each format is read (JSON, YAML,
 * line formats, XML, one level of nesting), and each value judged by the rules of `secrets.ts`, the
 * one place that knows what a secret looks like.
 */
import { parseAllDocuments } from 'yaml';
import {
  CREDENTIAL_WORDS, credentialWord, DEFAULTED_REFERENCE, randomToken, REFERENCE_NAME, SECRET_MARKERS,
  secretContent, secretPlaceholder, secretValueKind, snakeName,
} from './secrets';

// Program sources read as configuration (jupyterhub_config.py, a Jenkinsfile's .groovy, settings.js):
// a literal string there is quoted, so an unquoted value (a name, a call) is computed when it runs.
const PROGRAM_SOURCE_NAME = /\.(?:py|rb|js|mjs|cjs|ts|lua|groovy|php)$/i;
// Names of configuration files, by their extension (or a dotfile such as .env).
const CONFIG_FILE_NAME = /\.(?:json|ya?ml|properties|env|ini|toml|conf|cfg|cnf|config|xml)$|^\.env\b/i;
// Formats read line by line: properties, dotenv, INI and TOML (which the YAML reader would misread).
const LINE_FORMAT_NAME = /\.(?:properties|env|ini|toml|conf|cfg|cnf)$|^\.env\b/i;
// Text that may hold a secret at all: a credential word, a key-like word, or a secret's form. One cheap
// test passes over most files (and over most lines of a file read line by line).
const FILE_HINT = new RegExp([
  ...new Set(CREDENTIAL_WORDS.filter((w) => !w.includes('KEY')).concat('KEY')),
].join('|') + '|' + SECRET_MARKERS.source, 'i');
// The YAML reader takes about a millisecond per kilobyte: a larger YAML file is read line by line
// (JSON of any size goes through JSON.parse, which is fast).
const MAX_YAML_PARSE = 32 * 1024;
// A mapping line of YAML (`key: value`, `"key":`): text of no known extension is read as YAML if it has one.
const YAML_MAPPING_LINE = /^\s*(?:- )?["']?[\w.-]+["']?:(?:\s|$)/m;

/** A secret (or a placeholder where one will go) inside a configuration file. */
export interface FileSecret {
  /** Where in the file: `.database.password`, `["db.password"]`, `line 3 [db] password`; empty for the file as a whole. */
  readonly at: string;
  /** Why, as `secretContent` or `secretPlaceholder` says it. */
  readonly why: string;
  /** True for a placeholder under a secret's name (a warning), false for a secret (an error). */
  readonly placeholder: boolean;
  /** True for a secret by its form (`secretValueKind`): a PEM private key, a token, a URL with a password. */
  readonly byForm: boolean;
}

/**
 * Whether a named text (a ConfigMap entry, an environment variable) is a configuration file to look
 * inside rather than one value: its name has a configuration file's extension (`config.json`,
 * `application.yaml`, `app.properties`, `.env`, `my.cnf`...), or it is text of several lines or a JSON
 * object or list under a name that marks no secret (`DB_PASSWORD` is one value however written).
 */
export function isConfigFile(name: string, text: string): boolean {
  if (CONFIG_FILE_NAME.test(name)) return true;
  if (credentialWord(name) !== undefined) return false;
  return text.includes('\n') || /^\s*[{[]/.test(text);
}

/**
 * The secrets inside a configuration file, by the same rules as a name/value pair (`secretContent`,
 * `secretPlaceholder`) applied to each of its keys and values: JSON and YAML are parsed and walked
 * (each string judged under its own key; `{name: X, value: ...}` under X; a `value` under its
 * parent's key); properties, dotenv, INI and TOML, text that does not parse, and YAML over 32 KiB
 * are read line by line (`key=value`, `key = "value"`, `key: value`, `[section]`), and so are program
 * sources (`jupyterhub_config.py`), whose unquoted values are code, not literals. In a file a value
 * that starts with `$` is filled in by its reader (the shell's `$(cat ...)`, `$1`; a password hash
 * `$2y$...`), except a variable's default (`${DB_PASSWORD:-hunter2}`), judged as the value. A
 * secret by its form the walk did not place (a PEM key across lines of unparsed text) is the file's.
 * XML (`*.xml`, `<?xml`, .NET's `web.config`) is read by elements and attributes (`scanXml`). A string
 * inside a parsed file that is itself a file (`application.yml: |` in a chart's values) is read one
 * level deeper, its places after ` > ` (`.files["application.yml"] > .spring.datasource.password`).
 */
export function secretsInConfigFile(name: string, text: string): FileSecret[] {
  return readConfigFile(name, text, { depth: 0, budget: MAX_NESTED_TOTAL });
}

/** How deep in files held in files a read is, and how many characters of nested files it may still read. */
interface Nesting {
  readonly depth: number;
  budget: number;
}

// A file inside a file (`application.yml: |` in a chart's values.yaml, JSON in a YAML string) is read
// one level deep, up to this many characters in all per outer file; beyond, its strings are values.
const MAX_NESTED_TOTAL = 256 * 1024;
// XML is read by a tolerant scan (no parser): up to 1 MiB, the most a ConfigMap holds.
const MAX_XML_SCAN = 1024 * 1024;

function readConfigFile(name: string, text: string, nest: Nesting): FileSecret[] {
  if (!FILE_HINT.test(text)) return [];
  const found: FileSecret[] = [];
  if (isXmlFile(name, text)) {
    scanXml(text, found);
  } else {
    const docs = parseConfigFile(name, text);
    if (docs) {
      docs.forEach((doc, i) => walkConfig(doc, name, docs.length > 1 ? `(document ${i + 1})` : '', found, nest));
    } else {
      scanConfigLines(text, found, PROGRAM_SOURCE_NAME.test(name));
    }
  }
  const kind = secretValueKind(text);
  if (kind && !found.some((f) => f.why === `holds ${kind}`)) found.push({ at: '', why: `holds ${kind}`, placeholder: false, byForm: true });
  return found;
}

/**
 * The secrets of a string inside a parsed file when it is itself a file, or undefined to judge it as
 * one value: a string under a configuration file's name (`application.yml: |`, `app.properties: |`),
 * or JSON or YAML of several keys under a name that marks no secret. One level deep, within the budget.
 */
function nestedFileSecrets(name: string, text: string, nest: Nesting): FileSecret[] | undefined {
  if (nest.depth > 0 || text.length > nest.budget || credentialWord(name) !== undefined) return undefined;
  const named = CONFIG_FILE_NAME.test(name);
  if (!named && !text.includes('\n') && !/^\s*[{[]/.test(text)) return undefined;
  // No credential word, key-like word or secret form: nothing to find, whether a file or a value.
  if (!FILE_HINT.test(text)) return [];
  if (!named && !isXmlFile(name, text) && !parseConfigFile(name, text)) return undefined;
  nest.budget -= text.length;
  return readConfigFile(name, text, { depth: nest.depth + 1, budget: 0 });
}

// XML by its name (`context.xml`, `settings.xml`), its declaration, or .NET's `web.config` / `app.config`.
const XML_FILE_NAME = /\.xml$/i;
const XML_DECLARATION = /^\uFEFF?\s*<\?xml\b/;

/** Whether a file is XML, to be read by elements and attributes rather than lines. */
function isXmlFile(name: string, text: string): boolean {
  if (LINE_FORMAT_NAME.test(name) || PROGRAM_SOURCE_NAME.test(name)) return false;
  return XML_FILE_NAME.test(name) || XML_DECLARATION.test(text) || (/\.config$/i.test(name) && /^\uFEFF?\s*<[A-Za-z!]/.test(text));
}

// One token of XML: a comment, CDATA, a declaration or processing instruction, a start, end or empty
// tag (attribute values hold no `<`, which bounds a broken quote to the next tag), text, or a stray `<`.
const XML_TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<[?!][^>]*>?|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|[^<]+|</g;
const XML_ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/g;
// The attributes that name an element's value: <property name="db.password">, <add key="ApiKey" value="..."/>.
const XML_NAMING_ATTRIBUTE = /^(?:name|key)$/i;

/** `&lt;`, `&amp;`, `&#36;`... as the characters they stand for. */
function xmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(lt|gt|amp|quot|apos));/gi, (all: string, hex?: string, dec?: string, word?: string) => {
    if (word) return named[word.toLowerCase()];
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
  });
}

/**
 * Reads XML by a tolerant scan (a broken file is read as far as it goes): each attribute is judged
 * under its own name (`<Resource password="..."/>`), an element's text under the element's name
 * (`<password>...</password>`), and, in an element named by a `name` or `key` attribute, its text and
 * its `value` attribute (or `<value>` child) under that name (`<property
 * name="hibernate.connection.password">`, `<add key="ApiKey" value="..."/>`). Places are XPath-like:
 * `line 3 /Context/Resource[@name="jdbc/app"]/@password`.
 */
function scanXml(text: string, found: FileSecret[]): void {
  if (text.length > MAX_XML_SCAN) text = text.slice(0, MAX_XML_SCAN);
  const stack: Array<{ element: string; path: string; label: string }> = [];
  let line = 1;
  let counted = 0;
  const lineAt = (index: number): number => {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
    counted = Math.max(counted, index);
    return line;
  };
  XML_TOKEN.lastIndex = 0;
  for (let m = XML_TOKEN.exec(text); m; m = XML_TOKEN.exec(text)) {
    const token = m[0];
    const parent = stack[stack.length - 1];
    if (m[3] !== undefined) {
      const element = m[3];
      if (m[2] === '/') {
        // Close up to the matching element (a missing end tag closes with it).
        const at = stack.map((e) => e.element).lastIndexOf(element);
        if (at !== -1) stack.length = at;
        continue;
      }
      // Each attribute with where it starts in the text (for its line).
      const attributes: Array<[string, string, number]> = [];
      const attributesAt = m.index + 1 + m[2].length + element.length;
      XML_ATTRIBUTE.lastIndex = 0;
      for (let a = XML_ATTRIBUTE.exec(m[4]); a; a = XML_ATTRIBUTE.exec(m[4])) {
        attributes.push([a[1], xmlUnescape(a[2] ?? a[3]), attributesAt + a.index]);
      }
      const naming = attributes.find(([k]) => XML_NAMING_ATTRIBUTE.test(k));
      const local = element.replace(/^[\w.-]*:/, '');
      // A `<value>` child holds its parent's value (Spring's <property name="password"><value>...).
      const label = naming ? naming[1] : /^(?:value|val)$/i.test(local) && parent ? parent.label : local;
      const path = `${parent?.path ?? ''}/${element}${naming ? `[@${naming[0]}=${JSON.stringify(naming[1])}]` : ''}`;
      for (const [k, v, index] of attributes) {
        const under = /^(?:value|val)$/i.test(k) && naming ? label : k;
        if (k === naming?.[0] || !FILE_HINT.test(`${under}=${v}`)) continue;
        judgeConfigValue(under, v, `line ${lineAt(index)} ${path}/@${k}`, found);
      }
      if (m[5] !== '/') stack.push({ element, path, label });
    } else if (parent && (m[1] !== undefined || !token.startsWith('<'))) {
      // Text, or CDATA: the value of the element it sits in.
      const value = m[1] !== undefined ? m[1] : xmlUnescape(token);
      if (value.trim() === '' || !FILE_HINT.test(`${parent.label}=${value}`)) continue;
      const start = m.index + (m[1] !== undefined ? 9 : token.length - token.trimStart().length);
      judgeConfigValue(parent.label, value.trim(), `line ${lineAt(start)} ${parent.path}`, found);
    }
  }
}

/**
 * The text a base64 value (a ConfigMap's `binaryData` entry) holds: its first `maxBytes` decoded, when
 * they are UTF-8 text (no NUL); undefined for binary content or no base64.
 */
export function decodeBase64Text(value: unknown, maxBytes = 64 * 1024): string | undefined {
  if (typeof value !== 'string') return undefined;
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) return undefined;
  const cut = Math.floor(maxBytes / 3) * 4;
  const truncated = compact.length > cut;
  const bytes = Buffer.from(truncated ? compact.slice(0, cut) : compact, 'base64');
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated });
    return text.includes('\0') ? undefined : text;
  } catch {
    return undefined;
  }
}

/** The documents of a JSON or YAML file, or undefined to read it line by line. */
function parseConfigFile(name: string, text: string): unknown[] | undefined {
  if (LINE_FORMAT_NAME.test(name) || PROGRAM_SOURCE_NAME.test(name)) return undefined;
  if (/^\s*[{[]/.test(text)) {
    try {
      return [JSON.parse(text)];
    } catch {
      // JSON with comments, YAML flow style, or an INI section header: the YAML reader may take it.
    }
  }
  if (text.length > MAX_YAML_PARSE || (!/\.(?:json|ya?ml)$/i.test(name) && !YAML_MAPPING_LINE.test(text))) return undefined;
  try {
    const docs = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: false, logLevel: 'silent' });
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length > 0)) return undefined;
    const values = docs.map((d) => d.toJS({ maxAliasCount: 100 }) as unknown);
    // A plain string (a properties file reads as one long scalar) is no structure: read it by lines.
    return values.some((v) => v !== null && typeof v === 'object') ? values : undefined;
  } catch {
    return undefined;
  }
}

/** A key as a path step: `.database`, `["db.password"]`. */
function pathStep(key: string): string {
  return /^[A-Za-z_][\w-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/**
 * Judges every string under `value` by the key it sits under (`name`), recording what holds a secret;
 * a string that is itself a file (`nestedFileSecrets`) is read inside, its places after ` > `.
 */
function walkConfig(value: unknown, name: string, at: string, found: FileSecret[], nest: Nesting): void {
  if (typeof value === 'string') {
    const inner = nestedFileSecrets(name, value, nest);
    if (inner === undefined) judgeConfigValue(name, value, at, found);
    else for (const f of inner) found.push({ ...f, at: f.at ? `${at} > ${f.at}` : at });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walkConfig(v, name, `${at}[${i}]`, found, nest));
  } else if (value !== null && typeof value === 'object') {
    const entries = value as Record<string, unknown>;
    // An env-style pair ({name: DB_PASSWORD, value: ...}, {key: ..., value: ...}) names its value.
    const pairName = typeof entries.name === 'string' ? entries.name : typeof entries.key === 'string' ? entries.key : undefined;
    // A Secret named beside (`secretName: db-creds`, `existingSecret: db`): a `secretKey: password`
    // sibling names a key of that Secret, not a secret.
    const secretBeside = Object.keys(entries).some((k) => /SECRET/.test(snakeName(k)) && REFERENCE_NAME.test(snakeName(k)));
    for (const [k, v] of Object.entries(entries)) {
      if (secretBeside && typeof v === 'string' && secretDataKey(k, v)) continue;
      const under = /^(?:value|val)$/i.test(k) ? pairName ?? name : k;
      walkConfig(v, under, `${at}${pathStep(k)}`, found, nest);
    }
  }
}

/** A `*Key` entry whose value is a Secret's data key (`password`, `tls.crt`): no token, no secret form. */
function secretDataKey(name: string, value: string): boolean {
  return /KEY$/.test(snakeName(name)) && /^[-._a-zA-Z0-9]{1,253}$/.test(value) && !randomToken(value) && secretValueKind(value) === undefined;
}

/** Records why `value` under `name` holds a secret or a placeholder, if it does. */
function judgeConfigValue(name: string, value: string, at: string, found: FileSecret[]): void {
  // `$...` in a file is filled in by its reader (`$(cat /run/secrets/x)`, `$1`, `${VAR:?}`), or is a
  // password hash (`$2y$...`); a variable's default (`${X:-hunter2}`) and a secret's form still count.
  if (value.trimStart().startsWith('$') && !DEFAULTED_REFERENCE.test(value) && !secretValueKind(value)) return;
  const why = secretContent(name, value);
  if (why !== undefined) {
    found.push({ at, why, placeholder: false, byForm: secretValueKind(value) !== undefined });
    return;
  }
  const placeholder = secretPlaceholder(name, value);
  if (placeholder !== undefined) found.push({ at, why: placeholder, placeholder: true, byForm: false });
}

// `key=value`, `key = value`, `key: value`, `export KEY=value`, `"key": "value",` (JSON read by lines).
const CONFIG_LINE = /^\s*(?:export\s+)?(["']?)([A-Za-z_][\w.\-/]*)\1\s*[=:]\s*(.*)$/;
// `[section]`, `[[array.of.tables]]` (INI, TOML).
const SECTION_LINE = /^\s*\[{1,2}\s*([^\]\s][^\]]*?)\s*\]{1,2}\s*$/;
// A line that holds no value: a comment (#, ;, !, //).
const COMMENT_LINE = /^\s*(?:[#;!]|\/\/)/;
// What opens a structure over the next lines (YAML's `|` and `>`, JSON's `{` and `[`), not a value.
const OPENS_STRUCTURE = /^(?:[|>][-+0-9]*|[{[(]|\{\s*\}|\[\s*\])$/;

/**
 * Reads `key=value` / `key: value` lines (with INI/TOML sections), judging each value by its key; in a
 * program's source (`quotedOnly`) only a quoted value, as an unquoted one is code.
 */
function scanConfigLines(text: string, found: FileSecret[], quotedOnly = false): void {
  let section = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (COMMENT_LINE.test(line)) continue;
    const header = SECTION_LINE.exec(line);
    if (header) {
      section = `[${header[1]}] `;
      continue;
    }
    if (!FILE_HINT.test(line)) continue;
    const entry = CONFIG_LINE.exec(line);
    const before = found.length;
    const value = entry ? lineValue(entry[3], quotedOnly) : undefined;
    if (entry && value !== undefined) judgeConfigValue(entry[2], value, `line ${i + 1} ${section}${entry[2]}`, found);
    if (found.length > before) continue;
    // A secret by its form elsewhere on the line (a URL in a command, after the first word) is still one.
    const kind = secretValueKind(line);
    if (kind) found.push({ at: `line ${i + 1}`, why: `holds ${kind}`, placeholder: false, byForm: true });
  }
}

/**
 * The value written after `key=`: a quoted string's content, else its first word (none when
 * `quotedOnly`); undefined for none.
 */
function lineValue(raw: string, quotedOnly = false): string | undefined {
  const text = raw.replace(/\r$/, '').trim();
  const quoted = /^"((?:[^"\\]|\\.)*)"|^'([^']*)'/.exec(text);
  if (quoted) return quoted[1] ?? quoted[2];
  if (quotedOnly) return undefined;
  // Unquoted: up to a space (a comment or the rest of a command follows) and a trailing comma.
  const word = text.split(/\s/)[0].replace(/[,;]$/, '');
  return word === '' || OPENS_STRUCTURE.test(word) ? undefined : word;
}
