/**
 * In-cluster addresses written in text (environment values, arguments, ConfigMap entries): only
 * forms that surely name a host and port, so a word that happens to equal a Service name is no
 * reference:
 * - a URL: `http://todo-backend:8000/api`, `postgresql://user@todo-postgres.todo.svc.cluster.local/db`
 *   (without a port, the scheme's default port);
 * - `host:port`: `todo-postgres:5432`, `redis.cache:6379`;
 * - a DNS name with the `svc` label, without a port: `todo-postgres.todo.svc.cluster.local`.
 */

/** One address found in a text. */
export interface HostReference {
  /** The Service name. */
  readonly service: string;
  /** The namespace the name gives, if any (else the reader's own). */
  readonly namespace?: string;
  /** The port the text gives, or the URL scheme's default; undefined for a bare DNS name. */
  readonly port?: number;
  /** The host and port as written (never the URL's user information), for messages. */
  readonly text: string;
}

/** Default ports of URL schemes clients use inside clusters. */
const SCHEME_PORTS: { [scheme: string]: number } = {
  http: 80,
  https: 443,
  ws: 80,
  wss: 443,
  grpc: 80,
  postgres: 5432,
  postgresql: 5432,
  mysql: 3306,
  mariadb: 3306,
  redis: 6379,
  rediss: 6379,
  mongodb: 27017,
  amqp: 5672,
  amqps: 5671,
  nats: 4222,
  mqtt: 1883,
  memcached: 11211,
};

const LABEL = '[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?';
// [1] scheme, [2] host, [3] port. Without a scheme the host starts where no host character, "@",
// "/" or ":" precedes it; no host character, ":" or "@" may follow (a longer word is not this host).
const ADDRESS = new RegExp(
  `(?:\\b([a-z][a-z0-9+.-]*)://(?:[^\\s@/]*@)?|(?<![-a-z0-9_.@/:]))(${LABEL}(?:\\.${LABEL})*)(?::(\\d{1,5}))?(?![-a-z0-9_.:@]*[a-z0-9_@])`,
  'gi',
);

/** Every in-cluster address written in `text`. */
export function hostReferences(text: string): HostReference[] {
  const out: HostReference[] = [];
  if (text.length > 1_000_000) text = text.slice(0, 1_000_000);
  for (const m of text.matchAll(ADDRESS)) {
    const scheme = m[1]?.toLowerCase();
    const labels = m[2].toLowerCase().split('.');
    const svc = labels.indexOf('svc');
    // Own keys only: a scheme named like an Object member ("constructor://") has no default port.
    const schemePort = scheme && Object.prototype.hasOwnProperty.call(SCHEME_PORTS, scheme) ? SCHEME_PORTS[scheme] : undefined;
    const port = m[3] === undefined ? schemePort : Number(m[3]);
    if (port !== undefined && (port < 1 || port > 65535)) continue;
    // name, name.ns, name.ns.svc[.domain], pod.name.ns.svc[.domain] (a StatefulSet pod)
    let service: string;
    let namespace: string | undefined;
    if (svc === 2 || svc === 3) {
      [service, namespace] = [labels[svc - 2], labels[svc - 1]];
    } else if (svc < 0 && labels.length <= 2 && (scheme !== undefined || m[3] !== undefined)) {
      [service, namespace] = [labels[0], labels[1]];
    } else {
      continue;
    }
    // A bare DNS name without a scheme or port must carry the svc label (handled above); a bare word is none.
    if (scheme === undefined && m[3] === undefined && svc < 0) continue;
    // The host and port only: the URL's user information may hold a password.
    out.push({ service, namespace, port, text: `${m[2]}${m[3] === undefined ? '' : `:${m[3]}`}` });
  }
  return out;
}
