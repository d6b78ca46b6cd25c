import { parseQuantity } from '../core/rules/quantity';

/** A resource quantity (`"500m"`, `"1Gi"`, `2`) as a number of units; 0 when unset or unreadable. */
export function quantityValue(value: unknown): number {
  return value === undefined || value === null ? 0 : parseQuantity(String(value)) ?? 0;
}

/** What one pod asks the scheduler for. */
export interface PodRequests {
  /** CPU cores. */
  readonly cpu: number;
  /** Memory bytes. */
  readonly memory: number;
}

/**
 * The requests of one pod as the scheduler and a ResourceQuota count them: the sum over the
 * containers and sidecars (a request defaults to its limit), or the largest init container when that
 * asks more.
 */
export function podRequests(spec: any): PodRequests {
  const of = (c: any, key: string) => quantityValue(c?.resources?.requests?.[key] ?? c?.resources?.limits?.[key]);
  const containers: any[] = Array.isArray(spec?.containers) ? spec.containers : [];
  const inits: any[] = Array.isArray(spec?.initContainers) ? spec.initContainers : [];
  const sidecars = inits.filter((c) => c?.restartPolicy === 'Always');
  const oneShot = inits.filter((c) => c?.restartPolicy !== 'Always');
  const sum = (key: string) => [...containers, ...sidecars].reduce((total: number, c: any) => total + of(c, key), 0);
  const init = (key: string) => Math.max(0, ...oneShot.map((c: any) => of(c, key)));
  return { cpu: Math.max(sum('cpu'), init('cpu')), memory: Math.max(sum('memory'), init('memory')) };
}

/** CPU cores as millicores, such as "1500m". */
export function millicores(cores: number): string {
  return `${Math.round(cores * 1000)}m`;
}

/** Bytes as whole MiB rounded up, such as "1536Mi". */
export function mebibytes(bytes: number): string {
  return `${Math.ceil(bytes / 2 ** 20 - 1e-9)}Mi`;
}
