import { Rule } from '../findings';

// Kubernetes resource.Quantity: a signed decimal number with a binary (Ki..Ei), decimal (n..E) or exponent suffix.
const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { 'n': 1e-9, 'u': 1e-6, 'm': 1e-3, '': 1, 'k': 1e3, 'M': 1e6, 'G': 1e9, 'T': 1e12, 'P': 1e15, 'E': 1e18 };

/**
 * Parses a Kubernetes quantity ("100m", "2.5", "128Mi", "1e3") into its numeric value, or undefined.
 */
export function parseQuantity(text: string): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign, digits, suffix = ''] = match;
  const base = Number(digits) * (sign === '-' ? -1 : 1);
  if (suffix in BINARY) return base * BINARY[suffix];
  if (suffix in DECIMAL) return base * DECIMAL[suffix];
  return base * Math.pow(10, Number(suffix.slice(1)));
}

/** CPU: a positive quantity in cores or millicores, such as "100m", "1" or "2.5". */
export const cpuQuantity: Rule<string> = (value) => {
  const parsed = /^(\d+(\.\d+)?|\d+m)$/.test(value) ? parseQuantity(value) : undefined;
  return parsed !== undefined && parsed > 0 && parsed >= 0.001
    ? undefined
    : 'a CPU quantity such as "100m", "1" or "2.5" (cores, or millicores with "m"), greater than 0';
};

/** Memory or storage: a positive quantity with a binary or decimal suffix, such as "128Mi", "1Gi" or "2G". */
export const byteQuantity: Rule<string> = (value) => {
  const parsed = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.test(value) ? parseQuantity(value) : undefined;
  return parsed !== undefined && parsed >= 1
    ? undefined
    : 'a byte quantity such as "128Mi", "1Gi" or "2Gi" (a number with Ki, Mi, Gi, Ti or k, M, G, T), at least 1 byte';
};

/** Compares two quantities numerically: negative when a < b, 0 when equal, positive when a > b. */
export function compareQuantities(a: string, b: string): number {
  const x = parseQuantity(a);
  const y = parseQuantity(b);
  if (x === undefined || y === undefined) throw new Error(`not a quantity: ${x === undefined ? a : b}`);
  // Relative tolerance: "0.5" and "500m" must compare equal despite floating point.
  const diff = x - y;
  return Math.abs(diff) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y)) ? 0 : Math.sign(diff);
}
