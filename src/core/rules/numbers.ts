import { Rule } from '../findings';

/** An integer within `[min, max]`. */
export function integerBetween(min: number, max: number): Rule<number> {
  return (value) =>
    Number.isInteger(value) && value >= min && value <= max ? undefined : `an integer from ${min} to ${max}`;
}

/** A TCP/UDP port number, 1-65535. */
export const portNumber: Rule<number> = integerBetween(1, 65535);

/** A Linux user or group id that is not root: 1-2147483647. */
export const nonRootId: Rule<number> = (value) =>
  Number.isInteger(value) && value > 0 && value <= 2147483647 ? undefined : 'a non-root id: an integer greater than 0';

/** A whole number greater than 0. */
export const positiveInteger: Rule<number> = (value) =>
  Number.isSafeInteger(value) && value > 0 ? undefined : 'a positive whole number such as 10';

/** A whole number of at least 0. */
export const nonNegativeInteger: Rule<number> = (value) =>
  Number.isSafeInteger(value) && value >= 0 ? undefined : 'a non-negative whole number such as 0 or 30';

/**
 * A count or a percentage as Kubernetes' int-or-percent fields (a rolling update's maxSurge and
 * maxUnavailable, a PodDisruptionBudget's minAvailable and maxUnavailable) take it: an integer of
 * at least 0, or a string of digits and "%" ("1" in quotes is no percentage), at most `maxPercent`
 * when given.
 */
export function countOrPercent(maxPercent?: number): Rule<number | string> {
  const expected = `an integer of at least 0 or a percentage such as "25%"${maxPercent === undefined ? '' : ` (at most ${maxPercent}%)`}`;
  return (value) => {
    if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? undefined : expected;
    const m = /^([0-9]+)%$/.exec(value);
    return m && (maxPercent === undefined || Number(m[1]) <= maxPercent) ? undefined : expected;
  };
}

/** The number an int-or-percent value counts for a zero test: the integer, or the percentage's digits. */
export function countOrPercentValue(value: number | string): number | undefined {
  if (typeof value === 'number') return value;
  const m = /^([0-9]+)%$/.exec(value);
  return m ? Number(m[1]) : undefined;
}
