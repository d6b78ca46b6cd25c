/**
 * Masks PEM bodies so snapshots never hold key material (or certificates that change every run):
 * each block becomes `-----BEGIN <LABEL>-----\n<masked>\n-----END <LABEL>-----`. Works on strings and,
 * recursively, on arrays and plain objects (synthesized manifests).
 */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

export function maskPem<T>(value: T): T {
  if (typeof value === 'string') {
    return value.replace(PEM_BLOCK, (_m, label: string) => `-----BEGIN ${label}-----\n<masked>\n-----END ${label}-----`) as unknown as T;
  }
  if (Array.isArray(value)) return value.map((v) => maskPem(v)) as unknown as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, maskPem(v)])) as T;
  }
  return value;
}

/** The base64 body of the first PEM block with this label (for "the message does not contain it" checks). */
export function pemBody(pem: string, label: string): string {
  const m = new RegExp(`-----BEGIN ${label}-----\\r?\\n([\\s\\S]*?)-----END ${label}-----`).exec(pem);
  if (!m) throw new Error(`no ${label} block`);
  return m[1].replace(/\s+/g, '');
}
