/**
 * Internal to `PolicyCheck`: reads the waivers an object declares in its `deploykit.dev/waive`
 * annotation (one `<rule-id>: <reason>` per line) and applies them to the object's findings.
 */
import { WAIVE_ANNOTATION } from '../../core/conventions';

/** One waiver line of an object. */
export interface DeclaredWaiver {
  readonly control: string;
  readonly reason: string;
}

/** Where the annotation sits, as a finding path. */
export const WAIVER_PATH = `metadata.annotations.${WAIVE_ANNOTATION}`;

/** The waivers of a raw object (none without the annotation). */
export function declaredWaivers(raw: any): DeclaredWaiver[] {
  const text = raw?.metadata?.annotations?.[WAIVE_ANNOTATION];
  if (typeof text !== 'string') return [];
  return text.split('\n').map((line) => line.trim()).filter((line) => line !== '').map((line) => {
    const colon = line.indexOf(':');
    return colon < 0
      ? { control: line, reason: '' }
      : { control: line.slice(0, colon).trim(), reason: line.slice(colon + 1).trim() };
  });
}

/** The annotation value holding `waivers`, one per line, in the given order. */
export function waiverAnnotation(waivers: readonly DeclaredWaiver[]): string {
  return waivers.map((w) => `${w.control}: ${w.reason}`).join('\n');
}
