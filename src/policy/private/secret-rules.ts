/**
 * Internal to `ManifestPolicy`: secrets outside Secrets, by the one detector (`core/secrets.ts`):
 * literal env values, ConfigMap entries (binaryData decoded when it is text) and the keys of the
 * configuration files they hold (`secretsInConfigFile`), any string that holds a secret by its form, and container
 * arguments that pass a credential (`--db-password=...`). A SealedSecret's ciphertext is no secret. A secret's name alone is no secret: the
 * value must be able to hold one (`cannotHoldSecret`). Each exposes a secret, so each is an error; a
 * placeholder under a secret's name is a warning. Values are never shown.
 */
import { family, list, RuleFamily, RuleScope, text } from './rule-kit';
import { decodeBase64Text, FileSecret, isConfigFile, secretsInConfigFile } from '../../core/config-file-secrets';
import { secretArguments, secretContent, secretPlaceholder, secretValueKind } from '../../core/secrets';
import { ObjectRef } from '../../manifests';
import { PolicyLevel } from '../policy-types';

const ENV_VALUE = /\.env\[\d+\]\.value$/;

/** Calls `visit` with the path of every string under `value`. */
function walk(value: unknown, segments: Array<string | number>, visit: (path: string, value: string) => void): void {
  if (typeof value === 'string') {
    if (value.length >= 8) visit(toPath(segments), value);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => { segments.push(i); walk(v, segments, visit); segments.pop(); });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) { segments.push(k); walk(v, segments, visit); segments.pop(); }
  }
}

function toPath(segments: Array<string | number>): string {
  return segments.reduce<string>((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

const MOVE_TO_SECRET = 'move it to a Secret (or an ExternalSecret / SealedSecret): mount the file from that, or fill the value in from a secretKeyRef env var (${VAR})';

// Each ConfigMap entry that is a configuration file is read once for the three rules that look inside.
const fileSecretsOf = new WeakMap<object, Map<string, readonly FileSecret[]>>();

/** The secrets inside the data entry `key` of `data` when it is a configuration file; undefined for one value. */
function configFileSecrets(data: object, key: string, value: unknown): readonly FileSecret[] | undefined {
  if (typeof value !== 'string' || !isConfigFile(key, value)) return undefined;
  let byKey = fileSecretsOf.get(data);
  if (!byKey) fileSecretsOf.set(data, byKey = new Map());
  let found = byKey.get(key);
  if (!found) byKey.set(key, found = secretsInConfigFile(key, value));
  return found;
}

/** Where a secret sits in a file under `owner` (`data["config.json"] .database.password`). */
function inFile(owner: string, f: FileSecret): string {
  return f.at ? `${owner} ${f.at}` : owner;
}

/** A ConfigMap entry as the secret rules read it. */
interface DataEntry {
  /** The map it sits in (`data`, or `binaryData` decoded), for the cache of file secrets. */
  readonly map: object;
  /** The data key. */
  readonly key: string;
  /** Its field (`data.config.json`, `binaryData.app.properties`). */
  readonly field: string;
  /** How a message names it: `data["config.json"]`, `binaryData["app.properties"] (decoded)`. */
  readonly label: string;
  /** Its value; for binaryData, the text it decodes to. */
  readonly value: unknown;
}

// binaryData is base64: read as text when its first 64 KiB decode to UTF-8 (a PEM key, a config file).
const entriesOf = new WeakMap<object, readonly DataEntry[]>();

/** A ConfigMap's data entries, then its binaryData entries that decode to text (none when unset or not a map). */
function dataEntries(obj: ObjectRef): readonly DataEntry[] {
  let entries = entriesOf.get(obj.raw);
  if (entries) return entries;
  const result: DataEntry[] = [];
  const { data, binaryData } = obj.raw;
  if (data && typeof data === 'object' && !Array.isArray(data)) {
    for (const [key, value] of Object.entries(data)) result.push({ map: data, key, field: `data.${key}`, label: `data[${JSON.stringify(key)}]`, value });
  }
  if (binaryData && typeof binaryData === 'object' && !Array.isArray(binaryData)) {
    const decoded = {};
    for (const [key, raw] of Object.entries(binaryData)) {
      const value = decodeBase64Text(raw);
      if (value !== undefined) result.push({ map: decoded, key, field: `binaryData.${key}`, label: `binaryData[${JSON.stringify(key)}] (decoded)`, value });
    }
  }
  entriesOf.set(obj.raw, entries = result);
  return entries;
}

/** The file secrets in an env var's value when it holds a configuration file (`SPRING_APPLICATION_JSON`). */
function envFileSecrets(name: string, value: unknown): readonly FileSecret[] {
  return typeof value === 'string' && isConfigFile(name, value) ? secretsInConfigFile(name, value) : [];
}

/**
 * Container arguments and exec probe commands passing a credential as a flag's value (`--password
 * hunter2`, `--db-password=...`).
 */
function argumentCredentials(obj: ObjectRef, at: RuleScope): void {
  for (const { c, path } of at.index.podOf(obj)?.containers ?? []) {
    const fields: Array<[string, unknown]> = [['command', c.command], ['args', c.args]];
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) fields.push([`${probe}.exec.command`, c[probe]?.exec?.command]);
    for (const [field, value] of fields) {
      const args = list(value);
      for (const { index, why } of secretArguments(args)) {
        if (secretValueKind(String(args[index]))) continue; // a secret by its form is reported by the walk
        at.report(`${path}.${field}[${index}]`, `argument ${why}; read it from a Secret (an env var with secretKeyRef, or a mounted file)`);
      }
    }
  }
}

export const SECRET_RULES = family(RuleFamily.MANIFEST, [
  {
    id: 'env-no-literal-secrets',
    level: PolicyLevel.ERROR,
    description: 'no literal env value that can hold a secret (not empty, a number, a boolean or yes/no, a file path or a Secret\'s name) under a password/secret/token/bearer/API-key name, nor under such a key inside a configuration file the value holds (SPRING_APPLICATION_JSON), and no secret by its form; use secretKeyRef',
    pod: (pod, at) => {
      for (const { c, path } of pod.containers) {
        list(c.env).forEach((e: any, i: number) => {
          const name = text(e?.name ?? '');
          const why = secretContent(name, e?.value);
          if (why) {
            at.report(`${path}.env[${i}].value`, `env var ${name} ${why}, and its value is written literally; use valueFrom.secretKeyRef (or envFrom a Secret)`);
            return;
          }
          for (const f of envFileSecrets(name, e?.value)) {
            if (!f.placeholder && !f.byForm) at.report(`${path}.env[${i}].value`, `env var ${name} holds a configuration file whose ${f.at} ${f.why}; ${MOVE_TO_SECRET}`);
          }
        });
      }
    },
  },
  {
    id: 'configmap-no-secret-content',
    level: PolicyLevel.ERROR,
    description: 'no ConfigMap key that names a password/secret/token/key holds a value that can be one (not empty, a number, a boolean or yes/no, a file path, a variable or secret-store reference, a password hash or a Secret\'s name), and no long random string sits under a key-like name; the same for each key inside a configuration file a ConfigMap holds (JSON, YAML, properties, .env, INI, TOML, XML elements and attributes, a file held in such a file one level deep), also in binaryData that decodes to text',
    kinds: ['ConfigMap'],
    object: (obj, at) => {
      for (const { map, key: k, field, label, value: v } of dataEntries(obj)) {
        const file = configFileSecrets(map, k, v);
        if (file) {
          // Inside a configuration file: what each key names (a secret by its form is secret-values' finding).
          for (const f of file) {
            if (!f.placeholder && !f.byForm) at.report(field, `${inFile(label, f)} ${f.why}; ${MOVE_TO_SECRET}`);
          }
          continue;
        }
        // A value that is a secret by its form is a `secret-values` error; here: what the key names.
        if (typeof v === 'string' && secretValueKind(v)) continue;
        const why = secretContent(k, v);
        if (why) at.report(field, `key ${k}${field.startsWith('binaryData.') ? ' (decoded)' : ''} ${why}; put it in a Secret`);
      }
    },
  },
  {
    id: 'secret-placeholder',
    level: PolicyLevel.WARNING,
    description: 'no literal env value or ConfigMap entry (data, or binaryData decoded) under a secret\'s name, nor such a key inside a configuration file they hold, holds a placeholder (xxxxx, changeme, <password>): the real value would land there; use a Secret',
    pod: (pod, at) => {
      for (const { c, path } of pod.containers) {
        list(c.env).forEach((e: any, i: number) => {
          const why = secretPlaceholder(String(e?.name ?? ''), e?.value);
          if (why) at.report(`${path}.env[${i}].value`, `env var ${text(e?.name)} ${why}; reference a Secret (valueFrom.secretKeyRef) before the real value goes here`);
          if (why || secretContent(String(e?.name ?? ''), e?.value)) return;
          for (const f of envFileSecrets(String(e?.name ?? ''), e?.value)) {
            if (f.placeholder) at.report(`${path}.env[${i}].value`, `env var ${text(e?.name)} holds a configuration file whose ${f.at} ${f.why}; keep the real value in a Secret`);
          }
        });
      }
    },
    kinds: ['ConfigMap'],
    object: (obj, at) => {
      for (const { map, key: k, field, label, value: v } of dataEntries(obj)) {
        const file = configFileSecrets(map, k, v);
        if (file) {
          for (const f of file) {
            if (f.placeholder) at.report(field, `${inFile(label, f)} ${f.why}; keep the real value in a Secret (or an ExternalSecret / SealedSecret)`);
          }
          continue;
        }
        const why = secretPlaceholder(k, v);
        if (why) at.report(field, `key ${k} ${why}; keep the real value in a Secret`);
      }
    },
  },
  {
    id: 'secret-values',
    level: PolicyLevel.ERROR,
    description: 'no string outside a Secret holds a secret by its form (PEM private key however dashed, OpenAI/AWS/GitHub/Slack/Google/Stripe tokens, JWTs, URLs with a password as user:password@ or ?password= / ;password= in the query, connection strings with Password=), also inside a configuration file a ConfigMap holds or its binaryData decoded, and no container argument or exec probe command passes a credential',
    object: (obj, at) => {
      if (obj.kind === 'Secret') return;
      // A SealedSecret's encryptedData is ciphertext (random base64 may look like a token by chance).
      const sealed = obj.kind === 'SealedSecret' && obj.apiVersion.startsWith('bitnami.com/');
      // A ConfigMap's configuration files are read inside: each secret by its form where it sits; its
      // binaryData is read decoded (base64 that does not decode to text is binary content).
      const configMap = obj.kind === 'ConfigMap';
      let fileKeys: Set<string> | undefined;
      for (const { map, key: k, field, label, value: v } of configMap ? dataEntries(obj) : []) {
        const file = configFileSecrets(map, k, v);
        if (!file) {
          const kind = field.startsWith('binaryData.') && typeof v === 'string' ? secretValueKind(v) : undefined;
          if (kind) at.report(field, `${label} holds ${kind}; keep it in a Secret and reference it (secretKeyRef, a mounted Secret)`);
          continue;
        }
        (fileKeys ??= new Set()).add(field);
        for (const f of file) {
          if (f.byForm) at.report(field, `${inFile(label, f)} ${f.why}; ${MOVE_TO_SECRET}`);
        }
      }
      walk(obj.raw, [], (path, value) => {
        if (ENV_VALUE.test(path) || (sealed && path.startsWith('spec.encryptedData.'))) return; // env-no-literal-secrets' own; ciphertext
        if (fileKeys?.has(path) || (configMap && path.startsWith('binaryData.'))) return; // read inside (or decoded) above
        const kind = secretValueKind(value);
        if (kind) at.report(path, `holds ${kind}; keep it in a Secret and reference it (secretKeyRef, a mounted Secret)`);
      });
      argumentCredentials(obj, at);
    },
  },
]);
