/**
 * Internal to `PolicyCheck`: the waivers an object declares in its `deploykit.dev/waive` annotation
 * (one `<rule-id>: <reason>` per line), and the rules a waiver itself must follow.
 */
import { DeclaredWaiver, family, RuleFamily } from './rule-kit';
import { WAIVE_ANNOTATION } from '../../core/conventions';
import { PolicyLevel } from '../policy-types';

/** Where the annotation sits, as a finding path. */
export const WAIVER_PATH = `metadata.annotations.${WAIVE_ANNOTATION}`;

/** The waivers of a raw object (none without the annotation). */
export function declaredWaivers(raw: any): DeclaredWaiver[] {
  const text = raw?.metadata?.annotations?.[WAIVE_ANNOTATION];
  if (typeof text !== 'string') return [];
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '').map((line) => {
    const colon = line.indexOf(':');
    return colon < 0
      ? { rule: line, reason: '' }
      : { rule: line.slice(0, colon).trim(), reason: line.slice(colon + 1).trim() };
  });
}

/** The annotation value holding `waivers`, one per line, in the given order. */
export function waiverAnnotation(waivers: readonly DeclaredWaiver[]): string {
  return waivers.map((w) => `${w.rule}: ${w.reason}`).join('\n');
}

export const WAIVER_RULES = family(RuleFamily.WAIVER, [
  {
    id: 'waiver-reason',
    level: PolicyLevel.ERROR,
    description: `every waiver (${WAIVER_PATH}) gives a reason: "<rule-id>: <reason>"`,
    waiver: (w, waivable) => (waivable(w.rule) && w.reason === ''
      ? `the waiver of ${w.rule} gives no reason; write "${w.rule}: <why this is acceptable>"`
      : undefined),
  },
  {
    id: 'waiver-unknown-rule',
    level: PolicyLevel.ERROR,
    description: 'a waiver names a rule that can be waived (schema problems cannot)',
    waiver: (w, waivable) => {
      if (waivable(w.rule)) return undefined;
      return w.rule === 'k8s-schema'
        ? 'waives k8s-schema: schema problems cannot be waived, the API server refuses the object'
        : `waives ${JSON.stringify(w.rule)}, which is no rule id; see deploykit check --list-rules`;
    },
  },
]);
