/**
 * Internal to `ManifestPolicy`: secrets outside Secrets, by the one detector (`core/secrets.ts`):
 * literal env values, ConfigMap entries and the keys of the configuration files they hold
 * (`secretsInConfigFile`), any string that holds a secret by its form, and container
 * arguments that pass a credential (`--db-password=...`). A SealedSecret's ciphertext is no secret. A secret's name alone is no secret: the
 * value must be able to hold one (`cannotHoldSecret`). Each exposes a secret, so each is an error; a
 * placeholder under a secret's name is a warning. Values are never shown.
 */
import { family, list, RuleFamily, RuleScope, text } from './rule-kit';
import { FileSecret, isConfigFile, secretArguments, secretContent, secretPlaceholder, secretsInConfigFile, secretValueKind } from '../../core/secrets';
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

/** A ConfigMap's data entries (none when `data` is unset or not a map). */
function dataEntries(obj: ObjectRef): { data: object; entries: Array<[string, unknown]> } {
  const data = obj.raw.data;
  return data && typeof data === 'object' && !Array.isArray(data) ? { data, entries: Object.entries(data) } : { data: {}, entries: [] };
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
    description: 'no ConfigMap key that names a password/secret/token/key holds a value that can be one (not empty, a number, a boolean or yes/no, a file path, a variable or secret-store reference, a password hash or a Secret\'s name), and no long random string sits under a key-like name; the same for each key inside a configuration file a ConfigMap holds (JSON, YAML, properties, .env, INI, TOML)',
    kinds: ['ConfigMap'],
    object: (obj, at) => {
      const { data, entries } = dataEntries(obj);
      for (const [k, v] of entries) {
        const file = configFileSecrets(data, k, v);
        if (file) {
          // Inside a configuration file: what each key names (a secret by its form is secret-values' finding).
          for (const f of file) {
            if (!f.placeholder && !f.byForm) at.report(`data.${k}`, `${inFile(`data[${JSON.stringify(k)}]`, f)} ${f.why}; ${MOVE_TO_SECRET}`);
          }
          continue;
        }
        // A value that is a secret by its form is a `secret-values` error; here: what the key names.
        if (typeof v === 'string' && secretValueKind(v)) continue;
        const why = secretContent(k, v);
        if (why) at.report(`data.${k}`, `key ${k} ${why}; put it in a Secret`);
      }
    },
  },
  {
    id: 'secret-placeholder',
    level: PolicyLevel.WARNING,
    description: 'no literal env value or ConfigMap entry under a secret\'s name, nor such a key inside a configuration file they hold, holds a placeholder (xxxxx, changeme, <password>): the real value would land there; use a Secret',
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
      const { data, entries } = dataEntries(obj);
      for (const [k, v] of entries) {
        const file = configFileSecrets(data, k, v);
        if (file) {
          for (const f of file) {
            if (f.placeholder) at.report(`data.${k}`, `${inFile(`data[${JSON.stringify(k)}]`, f)} ${f.why}; keep the real value in a Secret (or an ExternalSecret / SealedSecret)`);
          }
          continue;
        }
        const why = secretPlaceholder(k, v);
        if (why) at.report(`data.${k}`, `key ${k} ${why}; keep the real value in a Secret`);
      }
    },
  },
  {
    id: 'secret-values',
    level: PolicyLevel.ERROR,
    description: 'no string outside a Secret holds a secret by its form (PEM private key however dashed, OpenAI/AWS/GitHub/Slack/Google/Stripe tokens, JWTs, URLs with a password), also inside a configuration file a ConfigMap holds, and no container argument or exec probe command passes a credential',
    object: (obj, at) => {
      if (obj.kind === 'Secret') return;
      // A SealedSecret's encryptedData is ciphertext (random base64 may look like a token by chance).
      const sealed = obj.kind === 'SealedSecret' && obj.apiVersion.startsWith('bitnami.com/');
      // A ConfigMap's configuration files are read inside: each secret by its form where it sits.
      const files = obj.kind === 'ConfigMap' ? dataEntries(obj) : undefined;
      let fileKeys: Set<string> | undefined;
      for (const [k, v] of files?.entries ?? []) {
        const file = configFileSecrets(files!.data, k, v);
        if (!file) continue;
        (fileKeys ??= new Set()).add(`data.${k}`);
        for (const f of file) {
          if (f.byForm) at.report(`data.${k}`, `${inFile(`data[${JSON.stringify(k)}]`, f)} ${f.why}; ${MOVE_TO_SECRET}`);
        }
      }
      walk(obj.raw, [], (path, value) => {
        if (ENV_VALUE.test(path) || (sealed && path.startsWith('spec.encryptedData.'))) return; // env-no-literal-secrets' own; ciphertext
        if (fileKeys?.has(path)) return; // read inside above
        const kind = secretValueKind(value);
        if (kind) at.report(path, `holds ${kind}; keep it in a Secret and reference it (secretKeyRef, a mounted Secret)`);
      });
      argumentCredentials(obj, at);
    },
  },
]);
