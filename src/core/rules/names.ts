import { Rule } from '../findings';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 label, as Kubernetes validates Namespace and container names: at most 63 characters. */
export const dns1123Label: Rule<string> = (value) => {
  if (value.length > 0 && value.length <= 63 && DNS1123_LABEL.test(value)) return undefined;
  return 'a DNS-1123 label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit';
};

const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1035 label, as Kubernetes validates Service names: like a DNS-1123 label, but starting with a letter. */
export const dns1035Label: Rule<string> = (value) => {
  if (value.length > 0 && value.length <= 63 && DNS1035_LABEL.test(value)) return undefined;
  return 'a DNS-1035 label (a Service name): 1-63 lowercase letters, digits or "-", starting with a letter and ending with a letter or digit';
};

/** RFC 1123 subdomain, as Kubernetes validates most object names: labels joined by ".", at most 253 characters. */
export const dns1123Subdomain: Rule<string> = (value) => {
  if (value.length > 0 && value.length <= 253 && value.split('.').every((l) => l.length <= 63 && DNS1123_LABEL.test(l))) {
    return undefined;
  }
  return 'a DNS-1123 subdomain: at most 253 characters of lowercase letters, digits, "-" and ".", each part starting and ending with a letter or digit';
};

/**
 * A host name for certificates and ingress rules: a DNS-1123 subdomain, optionally with one leading
 * `*.` wildcard label. A single label ("rccremote", "localhost") is a valid DNS name, as seed 000's
 * server names and the API server's Ingress host rule allow.
 */
export const dnsHostName: Rule<string> = (value) => {
  const host = value.startsWith('*.') ? value.slice(2) : value;
  if (dns1123Subdomain(host) === undefined) return undefined;
  return 'a DNS host name such as "app.example.com" or "rccremote" (lowercase labels joined by ".", an optional leading "*.")';
};

/**
 * A key of a map the library writes through cdk8s (labels, annotations, nodeSelector, ConfigMap and
 * Secret data): cdk8s takes a map with its own `constructor` key for a class instance (the synth
 * fails) and drops a `__proto__` key, although the API server accepts both. Keys that only name
 * something (a toleration key, a key of a Secret made elsewhere) need not pass this rule.
 */
export const writableKey: Rule<string> = (key) =>
  key === 'constructor' || key === '__proto__'
    ? 'a key other than constructor and __proto__ (cdk8s cannot write a map key of that name)'
    : undefined;

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** A Kubernetes label value: at most 63 characters of alphanumerics, "-", "_" and ".". */
export const labelValue: Rule<string> = (value) =>
  value.length <= 63 && LABEL_VALUE.test(value)
    ? undefined
    : 'a label value: at most 63 characters of letters, digits, "-", "_" or ".", starting and ending with a letter or digit';

/** A Kubernetes label key: an optional DNS subdomain prefix and "/", then a name of at most 63 characters. */
export const labelKey: Rule<string> = (value) => {
  const slash = value.lastIndexOf('/');
  const prefix = slash >= 0 ? value.slice(0, slash) : undefined;
  const name = slash >= 0 ? value.slice(slash + 1) : value;
  const prefixOk = prefix === undefined || dns1123Subdomain(prefix) === undefined;
  return prefixOk && name.length <= 63 && LABEL_NAME.test(name)
    ? undefined
    : 'a label key such as "app" or "app.kubernetes.io/name": an optional DNS prefix and "/", then at most 63 letters, digits, "-", "_" or "."';
};

const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Why `name` is not an IANA_SVC_NAME (<= 15 chars, a-z0-9 and `-`, at least one letter, no `--`); undefined when it is. */
export function ianaSvcNameProblem(name: string): string | undefined {
  if (name.length > 15) return 'longer than 15 characters';
  if (!IANA_SVC_NAME.test(name)) return 'not lower-case alphanumerics and "-", starting and ending alphanumeric';
  if (name.includes('--')) return 'contains "--"';
  if (!/[a-z]/.test(name)) return 'has no letter';
  return undefined;
}

/** A port name (IANA_SVC_NAME): at most 15 lowercase letters, digits and single "-", with at least one letter. */
export const portName: Rule<string> = (value) =>
  ianaSvcNameProblem(value) === undefined
    ? undefined
    : 'a port name: at most 15 lowercase letters, digits or "-", with at least one letter and no "--"';

const ENV_VAR_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** An environment variable name as Kubernetes accepts it (C identifier, plus "-" and "."). */
export const envVarName: Rule<string> = (value) =>
  ENV_VAR_NAME.test(value) ? undefined : 'an environment variable name such as "DATABASE_URL" (letters, digits, "_", "-" or ".", not starting with a digit)';

/** A ConfigMap or Secret data key: letters, digits, "-", "_" and ".". */
export const dataKey: Rule<string> = (value) =>
  value.length > 0 && value.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(value)
    ? undefined
    : 'a data key of letters, digits, "-", "_" or "." (at most 253 characters)';

/** A ConfigMap or Secret key offered to a container through envFrom: it must be a variable name. */
export const envFromKey: Rule<string> = (key) => {
  const expected = envVarName(key);
  return expected === undefined
    ? undefined
    : `${expected}, because consumeAsEnv offers every key as a variable (or set consumeAsEnv: false and mount it)`;
};

/** A rule: the list of names must contain `name` itself (case-insensitive). */
export function includesName(name: string): Rule<readonly string[]> {
  return (names) =>
    names.some((n) => n.toLowerCase() === name.toLowerCase())
      ? undefined
      : `a list of names that includes the server name "${name}"`;
}
