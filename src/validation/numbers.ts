import { Rule } from './findings';

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

/** Returns the values that occur more than once, in first-seen order. */
export function duplicates<T>(values: readonly T[]): T[] {
  const seen = new Set<T>();
  const dup = new Set<T>();
  for (const v of values) {
    if (seen.has(v)) dup.add(v);
    seen.add(v);
  }
  return [...dup];
}
