/**
 * cert-manager objects that serve an Ingress follow its values.
 *
 * A Certificate whose `secretName` is the TLS Secret of an Ingress (one host, TLS for that host, see
 * `ingressTls`) gets its `secretName` bound to the Ingress's `tls.secretName`, its `dnsNames` entries
 * (and `commonName`) equal to the Ingress host bound to `hostname`, and renders only while the Ingress
 * and its TLS do. The Issuers that only serve that Certificate, and a CA Certificate that only
 * serves such an Issuer (a self-signed chain), render under the same condition; such a CA named
 * after the host (`<host> root CA`, as CertificateBundle names it) follows the host too. A Certificate whose
 * Secret a workload also mounts stays as it is: its name is not the Ingress's to change.
 */
import { IngressTls, ingressTls } from './ingress';
import { KubeObject, podSpecOf, referencedNames } from '../../../../manifests';
import { Slot } from '../../model/template-model';
import { valueSlot, valuesRef } from '../../model/values-paths';
import { WORKLOAD_KINDS } from '../../value-sections';
import { Derivation, Deriver, ReleaseContext, nothing } from '../deriver';
import { nameValueExpr } from '../release/release-kit';

const CERT_MANAGER_GROUP = 'cert-manager.io/';

function isCertManager(doc: KubeObject | undefined, kind: string): boolean {
  return doc?.kind === kind && typeof doc.apiVersion === 'string' && doc.apiVersion.startsWith(CERT_MANAGER_GROUP);
}

function ns(doc: KubeObject | undefined): string {
  return doc?.metadata?.namespace ?? '';
}

/** The namespaced Issuer a Certificate names, if the objects hold it. */
function issuerOf(cert: KubeObject, docs: readonly KubeObject[]): KubeObject | undefined {
  const ref = cert.spec?.issuerRef;
  if (!ref?.name || (ref.kind ?? 'Issuer') !== 'Issuer') return undefined;
  return docs.find((d) => isCertManager(d, 'Issuer') && d.metadata?.name === ref.name && ns(d) === ns(cert));
}

/** Objects that use `doc`: Certificates issued by an Issuer; Issuers, Ingresses and workloads reading a Certificate's Secret. */
function usersOf(doc: KubeObject, docs: readonly KubeObject[]): KubeObject[] {
  if (isCertManager(doc, 'Issuer')) return docs.filter((d) => isCertManager(d, 'Certificate') && issuerOf(d, docs) === doc);
  const secret = doc.spec?.secretName;
  return docs.filter((d) => ns(d) === ns(doc) && (
    (isCertManager(d, 'Issuer') && d.spec?.ca?.secretName === secret)
    || (d.kind === 'Ingress' && (d.spec?.tls ?? []).some((t) => t?.secretName === secret))
    || (WORKLOAD_KINDS.includes(d.kind) && secret !== undefined && referencedNames(podSpecOf(d), 'Secret').has(secret))));
}

/** The chains of each environment, found once (a WeakMap: an environment's context lives as long as its planning). */
const CHAINS = new WeakMap<ReleaseContext, Map<KubeObject, Derivation>>();

/**
 * A cert-manager Certificate or Issuer: what it adds to its plan when it serves an Ingress (see the
 * file comment); any other is left as it is.
 */
export const deriveCertManager: Deriver = ({ doc, ctx }) => {
  let chains = CHAINS.get(ctx);
  if (!chains) CHAINS.set(ctx, chains = certManagerChains(ctx));
  const found = chains.get(doc);
  return found ? { ...found, slots: [...found.slots] } : nothing();
};

/** What each cert-manager object serving an Ingress adds to its plan. */
function certManagerChains(ctx: ReleaseContext): Map<KubeObject, Derivation> {
  const layout = ctx.layout;
  const docs = layout.set.objects.map((o) => o.raw as KubeObject);
  const ingresses = layout.set.ofKind('Ingress').map((o) => o.raw as KubeObject);
  const out = new Map<KubeObject, Derivation>();
  for (const root of docs.filter((d) => isCertManager(d, 'Certificate'))) {
    if (out.has(root)) continue;
    const tls = ingresses.map((d) => ingressTls(d, layout))
      .find((t): t is IngressTls => t !== undefined && t.secretName === root.spec?.secretName && ns(t.ingress) === ns(root));
    if (!tls) continue;
    const users = usersOf(root, docs);
    if (users.some((u) => WORKLOAD_KINDS.includes(u.kind))) continue;

    // The chain behind the Certificate: its Issuer, that Issuer's CA Certificate, and so on.
    const chain = new Set<KubeObject>([root]);
    const queue = [root];
    while (queue.length > 0) {
      const doc = queue.shift()!;
      const next = isCertManager(doc, 'Certificate')
        ? issuerOf(doc, docs)
        : docs.find((d) => isCertManager(d, 'Certificate') && ns(d) === ns(doc) && doc.spec?.ca?.secretName && d.spec?.secretName === doc.spec?.ca?.secretName);
      if (next && !chain.has(next)) {
        chain.add(next);
        queue.push(next);
      }
    }
    // Keep only what serves the chain alone (the root serves the Ingress).
    for (let changed = true; changed;) {
      changed = false;
      for (const doc of chain) {
        if (doc === root) continue;
        if (usersOf(doc, docs).some((u) => !chain.has(u))) {
          chain.delete(doc);
          changed = true;
        }
      }
    }
    const slots: Slot[] = [{ pointer: ['spec', 'secretName'], render: { mode: 'inline', expr: `{{ ${nameValueExpr(ctx, tls.secretNamePath, tls.secretName, 'Secret')} | quote }}` } }];
    const dnsNames = root.spec?.dnsNames;
    (Array.isArray(dnsNames) ? dnsNames : []).forEach((name: unknown, i) => {
      if (name === tls.host) slots.push(valueSlot(['spec', 'dnsNames', String(i)], tls.hostPath, 'string'));
    });
    if (root.spec?.commonName === tls.host) slots.push(valueSlot(['spec', 'commonName'], tls.hostPath, 'string'));
    // A CA of the chain named after the host (CertificateBundle's "<serverName> root CA") follows it too.
    const caName = (host: string) => `${host} root CA`.slice(0, 64);
    const caSlots: Slot[] = [{
      pointer: ['spec', 'commonName'],
      render: { mode: 'inline', expr: `{{ printf "%s root CA" ${valuesRef(tls.hostPath)} | trunc 64 | quote }}` },
    }];
    for (const doc of chain) {
      const followsHost = doc !== root && doc.spec?.isCA === true && typeof tls.host === 'string' && doc.spec?.commonName === caName(tls.host);
      out.set(doc, { slots: doc === root ? slots : followsHost ? caSlots : [], params: [], condition: tls.condition });
    }
  }
  return out;
}
