import { controllerCertificate } from './controller-certificate';
import { Findings, Rule } from '../../core/findings';
import { dataKey, dns1123Subdomain } from '../../core/rules/names';
import { duplicates } from '../../core/text';
import { SecretDeliveryOptions } from '../delivery-types';

/*
 * The checks of delivery options that need no Secret: field forms, wherever the options are given
 * (a SecretDelivery default, or an entity's `delivery`). What depends on the Secret (its namespace,
 * its keys, a store at all) is checked where it is delivered (`secret-objects.ts`).
 */

/** A Go duration as the operator parses it: "1h", "15m", "1h30m0s", "0s". @internal */
export const goDuration: Rule<string> = (value) =>
  (/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value) ? undefined : 'a Go duration such as "1h", "15m" or "1h30m0s" ("0s": read once)');

/** A non-empty remote key or property, without surrounding whitespace. @internal */
export const remoteName: Rule<string> = (value) =>
  (value.trim() === '' || value !== value.trim() ? 'a non-empty name without surrounding whitespace, as the secret store knows it' : undefined);

/** Joins a field prefix ("delivery", or "" for a SecretDelivery's own props) and a field. @internal */
export function at(prefix: string, field: string): string {
  return prefix ? `${prefix}.${field}` : field;
}

/**
 * Records the problems of `options` under `prefix`: the sealing certificate (when given here), the
 * store name, the refresh interval and the key mappings.
 */
export function checkDeliveryOptions(findings: Findings, prefix: string, options: SecretDeliveryOptions | undefined): void {
  const sealing = options?.sealing;
  if (sealing && (sealing.certificate !== undefined || sealing.certificateFile !== undefined)) {
    for (const p of controllerCertificate(at(prefix, 'sealing'), sealing.certificate, sealing.certificateFile, new Date()).problems) {
      if (p.redacted) findings.addRedacted(p.field, p.expected);
      else findings.add(p.field, p.value, p.expected);
    }
  }
  if (sealing?.storeDirectory !== undefined && sealing.storeDirectory.trim() === '') {
    findings.add(at(prefix, 'sealing.storeDirectory'), sealing.storeDirectory, 'a folder path');
  }
  const external = options?.external;
  if (!external) return;
  findings.check(at(prefix, 'external.storeName'), external.storeName, dns1123Subdomain);
  findings.check(at(prefix, 'external.refreshInterval'), external.refreshInterval, goDuration);
  findings.check(at(prefix, 'external.remoteKey'), external.remoteKey, remoteName);
  const keys = external.keys ?? [];
  keys.forEach((k, i) => {
    const field = at(prefix, `external.keys[${i}]`);
    findings.check(`${field}.secretKey`, k?.secretKey, dataKey);
    findings.check(`${field}.remoteKey`, k?.remoteKey, remoteName);
    findings.check(`${field}.property`, k?.property, remoteName);
  });
  for (const dup of duplicates(keys.map((k) => k?.secretKey).filter((k): k is string => typeof k === 'string'))) {
    findings.add(at(prefix, 'external.keys'), dup, 'each secretKey mapped once');
  }
}
