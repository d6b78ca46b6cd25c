/**
 * Small helpers of the compose conversion (internal): probes to healthchecks, quantities, ports,
 * sorting and comment wrapping.
 */
import { ComposeFileReference, ComposeHealthcheck, ComposeResources } from './compose-model';
import { composeCpus, composeMemory } from './quantities';

// The objects are plain JSON of unknown shape: read them defensively.
type KubeObject = any;

/**
 * The service's healthcheck: the liveness endpoint probed with `command` (the tool the image has, such
 * as ["curl", "-fsk"]) when given; else an exec probe's command (readiness first); else none, with a
 * note saying why.
 */
export function healthcheckFor(c: KubeObject, notes: string[], command?: string[]): ComposeHealthcheck | undefined {
  const live = c.livenessProbe;
  if (command && live?.httpGet) {
    const get = live.httpGet;
    const port = targetPort(get.port, c.ports ?? []);
    const scheme = String(get.scheme ?? 'HTTP').toLowerCase();
    const check: ComposeHealthcheck = {
      test: ['CMD', ...command, `${scheme}://${get.host ?? '127.0.0.1'}:${port}${get.path ?? '/'}`],
      interval: `${live.periodSeconds ?? 10}s`,
      timeout: `${live.timeoutSeconds ?? 1}s`,
      retries: live.failureThreshold ?? 3,
    };
    // Docker does not count failures while the container starts: as long as the startup probe allows.
    const startup = c.startupProbe;
    const startSeconds = startup
      ? (startup.initialDelaySeconds ?? 0) + (startup.periodSeconds ?? 10) * (startup.failureThreshold ?? 3)
      : (live.initialDelaySeconds ?? 0);
    return startSeconds > 0 ? { ...check, start_period: `${startSeconds}s` } : check;
  }
  if (command) notes.push(`no healthcheck: the healthcheck command is for an HTTP(S) liveness probe, and the container has ${live ? `a ${describeProbe(live)} one` : 'none'}.`);
  const probes: Array<[string, KubeObject]> = [
    ['readiness', c.readinessProbe],
    ['liveness', c.livenessProbe],
    ['startup', c.startupProbe],
  ].filter((p): p is [string, KubeObject] => p[1] !== undefined && p[1] !== null);
  const exec = probes.find(([, p]) => Array.isArray(p.exec?.command) && p.exec.command.length > 0);
  const others = probes.filter((p) => p !== exec).map(([kind, p]) => `${kind} (${describeProbe(p)})`);
  if (!exec) {
    if (others.length > 0 && !command) {
      notes.push(`no healthcheck: its ${others.join(' and ')} probe${others.length > 1 ? 's' : ''} could only run inside the container with a tool such as curl, wget or nc, and the image is not assumed to have one; give the DeploymentManifest a composeHealthcheckCommand (such as ["curl", "-fsk"]) that the image has, to probe its liveness endpoint.`);
    }
    return undefined;
  }
  if (others.length > 0) notes.push(`the healthcheck runs the ${exec[0]} probe's command; left out: ${others.join(', ')}.`);
  const p = exec[1];
  const check: ComposeHealthcheck = {
    test: ['CMD', ...p.exec.command.map(String)],
    interval: `${p.periodSeconds ?? 10}s`,
    timeout: `${p.timeoutSeconds ?? 1}s`,
    retries: p.failureThreshold ?? 3,
  };
  return p.initialDelaySeconds ? { ...check, start_period: `${p.initialDelaySeconds}s` } : check;
}

export function describeProbe(p: KubeObject): string {
  if (p.httpGet) return `${p.httpGet.scheme === 'HTTPS' ? 'HTTPS' : 'HTTP'} GET ${p.httpGet.path ?? '/'} on port ${p.httpGet.port}`;
  if (p.tcpSocket) return `TCP connect to port ${p.tcpSocket.port}`;
  if (p.grpc) return `gRPC health on port ${p.grpc.port}`;
  return 'no check';
}

export function resources(amounts: KubeObject): ComposeResources | undefined {
  if (!amounts) return undefined;
  const cpus = composeCpus(amounts.cpu);
  const memory = composeMemory(amounts.memory);
  if (cpus === undefined && memory === undefined) return undefined;
  return { ...(cpus !== undefined ? { cpus } : {}), ...(memory !== undefined ? { memory } : {}) };
}

export function secretKeys(secret: KubeObject): string[] {
  return [...new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})])].sort(compare);
}

/** The entry `key` of a ConfigMap's data, or undefined: its own keys only (a key "toString" is no entry of every ConfigMap). */
export function configMapEntry(configMap: KubeObject | undefined, key: string): unknown {
  const data = configMap?.data;
  return data && typeof data === 'object' && Object.prototype.hasOwnProperty.call(data, key) ? data[key] : undefined;
}

export function projectedKeys(items: KubeObject[] | undefined, keys: string[]): Array<{ key: string; file: string }> {
  if (Array.isArray(items) && items.length > 0) return items.map((i) => ({ key: i.key, file: i.path }));
  return keys.map((key) => ({ key, file: key }));
}

export function targetPort(target: number | string, containerPorts: KubeObject[]): number | string {
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  return containerPorts.find((p) => p.name === target)?.containerPort ?? target;
}

export function protocolSuffix(protocol: string | undefined): string {
  return protocol && protocol !== 'TCP' ? `/${protocol.toLowerCase()}` : '';
}

export function toBytes(dockerMemory: string): string {
  const m = /^(\d+)([KMGT])$/.exec(dockerMemory);
  if (!m) return dockerMemory;
  const factor = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2] as 'K' | 'M' | 'G' | 'T'];
  return String(Number(m[1]) * factor);
}

export function joinPath(dir: string, file: string): string {
  return `${dir.replace(/\/+$/, '')}/${file}`;
}

export function nameOf(o: KubeObject): string {
  return o?.metadata?.name ?? '';
}

export function namespaceOf(o: KubeObject): string {
  return o?.metadata?.namespace ?? '';
}

/** Code-unit order: the same everywhere, independent of locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePorts(a: string, b: string): number {
  return (parseInt(a, 10) - parseInt(b, 10)) || compare(a, b);
}

export function sortReferences(refs: ComposeFileReference[]): ComposeFileReference[] {
  const unique = new Map(refs.map((r) => [`${r.source}\u0000${r.target}`, r]));
  return [...unique.values()].sort((a, b) => compare(a.target, b.target) || compare(a.source, b.source));
}

export function sortedObject<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compare(a, b)));
}

export function sortedRecord<T>(map: Map<string, T>): Record<string, T> {
  return Object.fromEntries([...map].sort(([a], [b]) => compare(a, b)));
}

/** Compose interpolates "$" in every value: a literal "$" is written "$$". */
export function escapeInterpolation<T>(value: T): T {
  if (typeof value === 'string') return value.split('$').join('$$') as unknown as T;
  if (Array.isArray(value)) return value.map(escapeInterpolation) as unknown as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeInterpolation(v)])) as T;
  }
  return value;
}

/** Words joined into lines of at most ~96 characters, each after `indent`. */
export function wrap(words: string[], indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + 1 + word.length > 96) {
      lines.push(`${indent}${line}`);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(`${indent}${line}`);
  return lines;
}

/** A sentence wrapped like `wrap`, its continuation lines after `indent`. */
export function wrapText(text: string, indent: string): string[] {
  const lines = wrap(text.split(' '), '');
  return lines.map((l, i) => (i === 0 ? l : `${indent}${l}`));
}
