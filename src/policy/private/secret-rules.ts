/**
 * Internal to `ManifestPolicy`: secrets outside Secrets, by the one detector (`core/secrets.ts`):
 * literal env values, ConfigMap entries, any string that holds a secret by its form, and container
 * arguments that pass a credential (`--db-password=...`). A SealedSecret's ciphertext is no secret. A secret's name alone is no secret: the
 * value must be able to hold one (`cannotHoldSecret`). Each exposes a secret, so each is an error; a
 * placeholder under a secret's name is a warning. Values are never shown.
 */
import { family, list, RuleFamily, RuleScope, text } from './rule-kit';
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

/** Container arguments passing a credential as a flag's value (`--password hunter2`, `--db-password=...`). */
function argumentCredentials(obj: ObjectRef, at: RuleScope): void {
  for (const { c, path } of at.index.podOf(obj)?.containers ?? []) {
    for (const field of ['command', 'args']) {
      const args = list(c[field]);
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
    description: 'no literal env value that can hold a secret (not empty, a number, a boolean or yes/no, a file path or a Secret\'s name) under a password/secret/token/bearer/API-key name, and no secret by its form; use secretKeyRef',
    pod: (pod, at) => {
      for (const { c, path } of pod.containers) {
        list(c.env).forEach((e: any, i: number) => {
          const name = text(e?.name ?? '');
          const why = secretContent(name, e?.value);
          if (why) {
            at.report(`${path}.env[${i}].value`, `env var ${name} ${why}, and its value is written literally; use valueFrom.secretKeyRef (or envFrom a Secret)`);
          }
        });
      }
    },
  },
  {
    id: 'configmap-no-secret-content',
    level: PolicyLevel.ERROR,
    description: 'no ConfigMap key that names a password/secret/token/key holds a value that can be one (not empty, a number, a boolean or yes/no, a file path or a Secret\'s name), and no long random string sits under a key-like name',
    kinds: ['ConfigMap'],
    object: (obj, at) => {
      const data = obj.raw.data;
      for (const [k, v] of Object.entries(data && typeof data === 'object' ? data : {})) {
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
    description: 'no literal env value or ConfigMap entry under a secret\'s name holds a placeholder (xxxxx, changeme, <password>): the real value would land there; use a Secret',
    pod: (pod, at) => {
      for (const { c, path } of pod.containers) {
        list(c.env).forEach((e: any, i: number) => {
          const why = secretPlaceholder(String(e?.name ?? ''), e?.value);
          if (why) at.report(`${path}.env[${i}].value`, `env var ${text(e?.name)} ${why}; reference a Secret (valueFrom.secretKeyRef) before the real value goes here`);
        });
      }
    },
    kinds: ['ConfigMap'],
    object: (obj, at) => {
      const data = obj.raw.data;
      for (const [k, v] of Object.entries(data && typeof data === 'object' ? data : {})) {
        const why = secretPlaceholder(k, v);
        if (why) at.report(`data.${k}`, `key ${k} ${why}; keep the real value in a Secret`);
      }
    },
  },
  {
    id: 'secret-values',
    level: PolicyLevel.ERROR,
    description: 'no string outside a Secret holds a secret by its form (PEM private key however dashed, OpenAI/AWS/GitHub/Slack/Google/Stripe tokens, JWTs, URLs with a password), and no container argument passes a credential',
    object: (obj, at) => {
      if (obj.kind === 'Secret') return;
      // A SealedSecret's encryptedData is ciphertext (random base64 may look like a token by chance).
      const sealed = obj.kind === 'SealedSecret' && obj.apiVersion.startsWith('bitnami.com/');
      walk(obj.raw, [], (path, value) => {
        if (ENV_VALUE.test(path) || (sealed && path.startsWith('spec.encryptedData.'))) return; // env-no-literal-secrets' own; ciphertext
        const kind = secretValueKind(value);
        if (kind) at.report(path, `holds ${kind}; keep it in a Secret and reference it (secretKeyRef, a mounted Secret)`);
      });
      argumentCredentials(obj, at);
    },
  },
]);
