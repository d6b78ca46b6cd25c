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
