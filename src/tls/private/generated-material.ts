import { certificateFacts, issueRootCa, issueServerCertificate, Validity } from './crypto';
import { Material, MaterialSpec, StoredBundle } from './store';
import { CertificateType } from '../certificate-types';
import { daysUntil } from './certificate-rules';

/*
 * Decides whether stored material can be reused, and produces new material from given keys.
 * Split in two so that keys can be generated ahead, concurrently (`CertificateBundle.prepareAll`),
 * and the rest stays synchronous.
 */

/** A CA is generated with at least this lifetime, so leaves can be renewed under the same CA. @internal */
export const MIN_CA_VALIDITY_DAYS = 3650;

/** Everything needed to decide and to generate. @internal */
export interface GenerationRequest {
  readonly spec: MaterialSpec;
  readonly validityDays: number;
  readonly renewalWindowDays: number;
  readonly now: Date;
  /** Common name of a generated root CA. */
  readonly caCommonName: string;
}

/** The decision for one bundle. @internal */
export interface MaterialPlan {
  /** Stored material to use as it is. */
  readonly reuse?: Material;
  /** Stored CA to sign a new leaf with (CA bundles whose CA is still good). */
  readonly reuseCa?: { readonly certPem: string; readonly keyPem: string };
  /** How many new keys `produceMaterial` needs: 0, 1 (leaf) or 2 (CA + leaf). */
  readonly keysNeeded: number;
  /** Why new material is generated (for messages), when it is. */
  readonly reason?: string;
}

function sameSpec(a: MaterialSpec, b: MaterialSpec): boolean {
  const names = (s: MaterialSpec) => JSON.stringify([...s.sanNames].map((n) => n.toLowerCase()).sort());
  return a.certType === b.certType && a.serverName === b.serverName && a.keySize === b.keySize && names(a) === names(b);
}

function stillGood(certPem: string | undefined, req: GenerationRequest): boolean {
  if (!certPem) return false;
  try {
    const facts = certificateFacts(certPem);
    return daysUntil(facts.notAfter, req.now) > req.renewalWindowDays && facts.notBefore.getTime() <= req.now.getTime() + 60_000;
  } catch {
    return false;
  }
}

/** Reuse, renew the leaf under the stored CA, or generate everything. @internal */
export function planMaterial(req: GenerationRequest, stored: StoredBundle | undefined): MaterialPlan {
  const isCa = req.spec.certType === CertificateType.AUTO_GENERATED_CA;
  const full = isCa ? 2 : 1;
  if (!stored) return { keysNeeded: full, reason: 'no stored material' };
  const caGood = isCa && !!stored.material.caKeyPem && stored.spec.keySize === req.spec.keySize
    && stored.spec.certType === req.spec.certType && stillGood(stored.material.caCertPem, req);
  const reuseCa = caGood ? { certPem: stored.material.caCertPem!, keyPem: stored.material.caKeyPem! } : undefined;
  if (!sameSpec(stored.spec, req.spec)) {
    return { keysNeeded: reuseCa ? 1 : full, reuseCa, reason: 'names, key size or type changed' };
  }
  if (!stillGood(stored.material.certPem, req) || (isCa && !caGood)) {
    return { keysNeeded: reuseCa ? 1 : full, reuseCa, reason: `expires within ${req.renewalWindowDays} days` };
  }
  return { reuse: stored.material, keysNeeded: 0 };
}

function wholeSeconds(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 1000) * 1000);
}

function addDays(d: Date, days: number): Date {
  return new Date(d.getTime() + days * 86_400_000);
}

/** New material from `keys` (`plan.keysNeeded` PKCS#8 PEM keys: the CA's first when two). @internal */
export function produceMaterial(req: GenerationRequest, plan: MaterialPlan, keys: readonly string[]): Material {
  if (plan.reuse) return plan.reuse;
  if (keys.length < plan.keysNeeded) throw new Error(`expected ${plan.keysNeeded} keys, got ${keys.length}`);
  const notBefore = wholeSeconds(req.now);
  let leafValidity: Validity = { notBefore, notAfter: addDays(notBefore, req.validityDays) };
  if (req.spec.certType !== CertificateType.AUTO_GENERATED_CA) {
    const keyPem = keys[0];
    const certPem = issueServerCertificate({ serverName: req.spec.serverName, sanNames: req.spec.sanNames, validity: leafValidity, keyPem });
    return { certPem, keyPem };
  }
  let ca = plan.reuseCa;
  const leafKey = ca ? keys[0] : keys[1];
  if (!ca) {
    const caValidity = { notBefore, notAfter: addDays(notBefore, Math.max(req.validityDays, MIN_CA_VALIDITY_DAYS)) };
    ca = { keyPem: keys[0], certPem: issueRootCa(req.caCommonName, caValidity, keys[0]) };
  }
  // A leaf never outlives its CA.
  const caNotAfter = certificateFacts(ca.certPem).notAfter;
  if (leafValidity.notAfter > caNotAfter) leafValidity = { notBefore, notAfter: caNotAfter };
  const certPem = issueServerCertificate(
    { serverName: req.spec.serverName, sanNames: req.spec.sanNames, validity: leafValidity, keyPem: leafKey }, ca);
  return { certPem, keyPem: leafKey, caCertPem: ca.certPem, caKeyPem: ca.keyPem };
}
