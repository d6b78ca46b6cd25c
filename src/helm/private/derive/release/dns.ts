/**
 * In-cluster DNS names inside text (env values, ConfigMap entries, URLs, annotations, CRD fields).
 *
 * A Service of the chart is reached as `<svc>.<ns>.svc.cluster.local`, `<svc>.<ns>.svc`, `<svc>.<ns>`
 * (before a ":" or "/" or at the end), a StatefulSet pod as `<sts>-<n>.<svc>.<ns>...`, in a URL
 * by its bare name (`http://<svc>:8080`), or as `<svc>:<port>` where the port is one of the Service's
 * (`DB_ADDR: db:5432`; any other `word:number` stays as written). In another release the Service has another name and the
 * release may live in another namespace, so each such name is printed from the release's name and
 * `.Release.Namespace`; so are label matchers on the objects' namespace and on a Service's name
 * (`namespace="shop"`, `service="api"` in a PrometheusRule's PromQL). The scan is linear in the text:
 * candidate host names are looked up in maps.
 */
import { KubeObject } from '../../../../manifests';
import { ReleaseNames } from '../../release-names';

/** The Services (and StatefulSets) of the chart, by name, with their plain namespaces. */
export class DnsIndex {
  private readonly services = new Map<string, Set<string>>();
  /** The ports of the Services by name (whatever their namespace): `<svc>:<port>` names only these. */
  private readonly ports = new Map<string, Set<number>>();
  private readonly statefulSets = new Set<string>();
  private readonly namespaces = new Set<string>();
  /** `.<namespace>` of each namespace: how a host name in text names one (looked for in every string). */
  private readonly namespaceSuffixes: string[];

  constructor(docs: readonly KubeObject[], private readonly release: ReleaseNames) {
    for (const d of docs) {
      if (typeof d?.metadata?.namespace === 'string') this.namespaces.add(d.metadata.namespace);
      const name = d?.metadata?.name;
      if (typeof name !== 'string') continue;
      if (d.kind === 'Service' && d.spec?.type !== 'ExternalName') {
        const set = this.services.get(name) ?? new Set<string>();
        set.add(d.metadata?.namespace ?? '');
        this.services.set(name, set);
        const ports = this.ports.get(name) ?? new Set<number>();
        for (const p of d.spec?.ports ?? []) if (typeof p?.port === 'number') ports.add(p.port);
        this.ports.set(name, ports);
      }
      if (d.kind === 'StatefulSet') this.statefulSets.add(name);
    }
    this.namespaceSuffixes = [...this.namespaces].map((ns) => `.${ns}`);
  }

  /** True when no text can name anything of the chart (no Service, no namespace). */
  public get empty(): boolean {
    return this.services.size === 0 && this.namespaces.size === 0;
  }

  /** A cheap first look: most strings of an object (images, policies, paths) can name nothing. */
  private candidate(text: string): boolean {
    if (text.includes('.svc') || text.includes('://') || text.includes('@') || text.includes('namespace=') || text.includes('service=')) return true;
    for (const suffix of this.namespaceSuffixes) if (text.includes(suffix)) return true;
    // `<svc>:<port>`: look up each `word:digit` of the text, not each Service in the text (linear in both).
    if (!text.includes(':')) return false;
    for (const m of text.matchAll(/([a-z0-9][a-z0-9-]*):[0-9]/g)) if (this.ports.has(m[1])) return true;
    return false;
  }

  /** `<svc>:<port>` at `start` (the token `svc`): a Service of the chart and one of its ports, not inside a longer word. */
  private serviceWithPort(text: string, start: number, svc: string): boolean {
    if (start > 0 && /[A-Za-z0-9_.-]/.test(text.charAt(start - 1))) return false;
    const port = /^:([0-9]+)(?![0-9])/.exec(text.slice(start + svc.length, start + svc.length + 7));
    return port !== null && this.ports.get(svc)?.has(Number(port[1])) === true && this.service(svc);
  }

  private service(name: string, namespace?: string): boolean {
    const set = this.services.get(name);
    return set !== undefined && (namespace === undefined ? true : set.has(namespace)) && this.release.has(name, 'Service');
  }

  /**
   * The text split into literal parts and names to print (`{ service }`, `{ namespace: true }`,
   * `{ statefulSet, ordinal }`), or undefined when it names no Service of the chart.
   */
  public scan(text: string): DnsPart[] | undefined {
    if (this.empty || text.length > 100_000 || !this.candidate(text)) return undefined;
    const parts: DnsPart[] = [];
    let last = 0;
    const TOKEN = /[a-z0-9][a-z0-9.-]*/g;
    for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
      const start = m.index;
      const token = m[0].endsWith('.') ? m[0].slice(0, -1) : m[0];
      const before = text.slice(Math.max(0, start - 3), start);
      const next = text.charAt(start + token.length);
      const urlHost = before.endsWith('://') || before.endsWith('@');
      const hostEnd = next === '' || next === ':' || next === '/';
      const labels = token.split('.');
      const found = this.match(labels, urlHost || hostEnd);
      // A label matcher on the objects' namespace (PromQL, such as namespace="shop" in a PrometheusRule).
      const matcher = labels.length === 1 && this.namespaces.has(token) && /namespace=~?["']$/.test(text.slice(Math.max(0, start - 12), start));
      // A label matcher on a Service of the chart: prometheus-operator gives each target the label `service` holding its Service's name.
      const serviceMatcher = labels.length === 1 && this.service(token) && /(^|[{,\s])service=~?["']$/.test(text.slice(Math.max(0, start - 11), start));
      if (serviceMatcher) {
        if (start > last) parts.push({ text: text.slice(last, start) });
        parts.push({ service: token });
        last = start + token.length;
      } else if (matcher) {
        if (start > last) parts.push({ text: text.slice(last, start) });
        parts.push({ namespace: true });
        last = start + token.length;
      } else if (found) {
        if (start > last) parts.push({ text: text.slice(last, start) });
        parts.push(...found);
        last = start + token.length;
      } else if (labels.length === 1 && ((urlHost && hostEnd && this.service(token)) || (next === ':' && this.serviceWithPort(text, start, token)))) {
        if (start > last) parts.push({ text: text.slice(last, start) });
        parts.push({ service: token });
        last = start + token.length;
      }
    }
    if (parts.length === 0) return undefined;
    if (last < text.length) parts.push({ text: text.slice(last) });
    return parts;
  }

  private match(labels: string[], shortOk: boolean): DnsPart[] | undefined {
    for (let k = 0; k + 1 < labels.length && k <= 1; k++) {
      const [svc, namespace] = [labels[k], labels[k + 1]];
      if (!this.service(svc, namespace)) continue;
      const rest = labels.slice(k + 2);
      const suffixOk = rest.length === 0 ? shortOk
        : rest[0] === 'svc' && (rest.length === 1 || (rest.length === 3 && rest[1] === 'cluster' && rest[2] === 'local'));
      if (!suffixOk) continue;
      const out: DnsPart[] = [];
      if (k === 1) {
        const pod = /^(.+)-([0-9]+)$/.exec(labels[0]);
        if (!pod || !this.statefulSets.has(pod[1]) || !this.release.has(pod[1], 'StatefulSet')) continue;
        out.push({ statefulSet: pod[1] }, { text: `-${pod[2]}.` });
      }
      out.push({ service: svc }, { text: '.' }, { namespace: true });
      if (rest.length > 0) out.push({ text: `.${rest.join('.')}` });
      return out;
    }
    return undefined;
  }

  /** A Go expression printing the text with the release's names (parts from `scan`). */
  public expr(parts: DnsPart[]): string {
    const args = parts.map((p) => {
      if (p.text !== undefined) return JSON.stringify(p.text);
      if (p.namespace) return '$.Release.Namespace';
      if (p.statefulSet) return `(${this.release.expr(p.statefulSet, 'StatefulSet')})`;
      return `(${this.release.expr(p.service!, 'Service')})`;
    });
    return `print ${args.join(' ')}`;
  }

  /**
   * For text read from a value at render time (a ConfigMap entry): the Services the texts (its
   * defaults) name, to rewrite in whatever text the value holds then (`rewriteExpr`).
   */
  public servicesIn(texts: readonly string[]): string[] {
    const out: string[] = [];
    for (const text of texts) {
      for (const p of this.scan(text) ?? []) if (p.service !== undefined && !out.includes(p.service)) out.push(p.service);
    }
    return out;
  }

  /** The plain namespace of a Service of the chart. */
  public namespaceOf(service: string): string {
    return [...this.services.get(service) ?? ['']][0];
  }

  /** Wraps a Go expression printing text so the Services `rewrites` names follow the release. */
  public rewriteExpr(textExpr: string, services: readonly string[]): string {
    let expr = textExpr;
    for (const service of services) {
      const svc = service.replace(/\./g, '\\.');
      const name = `(${this.release.expr(service, 'Service')})`;
      const nsp = this.namespaceOf(service).replace(/\./g, '\\.');
      // <svc>.<ns>[.svc[.cluster.local]], not inside a longer host name.
      const qualified = `(^|[^a-z0-9.-])${svc}\\.${nsp}((?:\\.svc(?:\\.cluster\\.local)?)?\\.?)([^a-z0-9.-]|$)`;
      expr = `regexReplaceAll ${JSON.stringify(qualified)} (${expr}) (printf "\${1}%s.%s\${2}\${3}" ${name} $.Release.Namespace)`;
      // A URL's bare host: ://<svc> or @<svc>, before ":" or "/" or the end.
      const bare = `(://|@)${svc}([:/]|$)`;
      expr = `regexReplaceAll ${JSON.stringify(bare)} (${expr}) (printf "\${1}%s\${2}" ${name})`;
      // <svc>:<port> with one of the Service's ports, not inside a longer word or number.
      const ports = [...this.ports.get(service) ?? []].sort((a, b) => a - b);
      if (ports.length > 0) {
        const withPort = `(^|[^A-Za-z0-9_.-])${svc}:(${ports.join('|')})([^0-9]|$)`;
        // Twice: a match takes the character after it, which may start the next address ("db:5432,db:5432").
        for (let pass = 0; pass < 2; pass++) expr = `regexReplaceAll ${JSON.stringify(withPort)} (${expr}) (printf "\${1}%s:\${2}\${3}" ${name})`;
      }
    }
    return expr;
  }
}

/** A piece of text with names (see `DnsIndex.scan`). */
export interface DnsPart {
  readonly text?: string;
  readonly service?: string;
  readonly namespace?: boolean;
  readonly statefulSet?: string;
}
