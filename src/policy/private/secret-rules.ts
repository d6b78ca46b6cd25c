/**
 * Internal to `ManifestPolicy`: `secret-values`. Any string outside a Secret (and outside a
 * SealedSecret's ciphertext) that holds a secret by its form (the one detector: `core/secrets.ts`),
 * and container arguments that pass a credential (`--db-password=...`). Literal env values are `env-no-literal-secrets`' own. Values are never shown.
 */
import { list, Report } from './rule-kit';
import { secretArguments, secretValueKind } from '../../core/secrets';
import { ManifestSet, ObjectRef } from '../../manifests';

const ENV_VALUE = /\.env\[\d+\]\.value$/;

/** Runs `secret-values` over every object but Secrets. */
export function checkSecretValues(index: ManifestSet, report: Report): void {
  for (const obj of index.objects) {
    if (obj.kind === 'Secret') continue;
    // A SealedSecret's encryptedData is ciphertext (random base64 may look like a token by chance).
    const sealed = obj.kind === 'SealedSecret' && String(obj.raw.apiVersion).startsWith('bitnami.com/');
    walk(obj.raw, [], (path, value) => {
      if (ENV_VALUE.test(path) || (sealed && path.startsWith('spec.encryptedData.'))) return;
      const kind = secretValueKind(value);
      if (kind) report(obj, 'secret-values', path, `holds ${kind}; keep it in a Secret and reference it (secretKeyRef, a mounted Secret)`);
    });
    const pod = index.podOf(obj);
    for (const { c, path } of pod?.containers ?? []) {
      for (const field of ['command', 'args']) argumentCredentials(obj, list(c[field]), `${path}.${field}`, report);
    }
  }
}

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
function argumentCredentials(obj: ObjectRef, args: unknown[], at: string, report: Report): void {
  for (const { index, why } of secretArguments(args)) {
    if (secretValueKind(String(args[index]))) continue; // a secret by its form is reported by the walk
    report(obj, 'secret-values', `${at}[${index}]`, `argument ${why}; read it from a Secret (an env var with secretKeyRef, or a mounted file)`);
  }
}
