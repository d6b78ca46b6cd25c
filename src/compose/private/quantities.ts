/**
 * Kubernetes quantities as docker-compose values (internal).
 */
import { parseQuantity } from '../../core/rules/quantity';

const BINARY_TO_DOCKER: Record<string, string> = { Ki: 'K', Mi: 'M', Gi: 'G', Ti: 'T' };

/**
 * CPU cores as a decimal string: "200m" → "0.2", "1" → "1", "2.5" → "2.5". Undefined when the
 * quantity cannot be read.
 */
export function composeCpus(quantity: string | number | undefined): string | undefined {
  if (quantity === undefined) return undefined;
  const cores = parseQuantity(String(quantity));
  if (cores === undefined || cores <= 0) return undefined;
  // Whole millicores: the finest unit Kubernetes keeps for CPU.
  const millis = Math.max(1, Math.round(cores * 1000));
  return String(millis / 1000);
}

/**
 * Memory for docker: "200Mi" → "200M" (docker's units are binary: M is MiB), other quantities as
 * whole bytes: "500M" → "500000000". Undefined when the quantity cannot be read.
 */
export function composeMemory(quantity: string | number | undefined): string | undefined {
  if (quantity === undefined) return undefined;
  const text = String(quantity);
  const binary = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(text);
  if (binary) return `${binary[1]}${BINARY_TO_DOCKER[binary[2]]}`;
  const bytes = parseQuantity(text);
  if (bytes === undefined || bytes <= 0) return undefined;
  return String(Math.ceil(bytes));
}
