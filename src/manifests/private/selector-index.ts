/**
 * Indexes that keep label-selector relations linear in the number of objects: "which Services,
 * PodDisruptionBudgets or NetworkPolicies select this pod" and "which pods does this selector match"
 * look only at candidates that share one label pair with the other side, then match as the API
 * server does (`selectors.ts`). The candidates are a superset of the matches, so results are exactly
 * those of a full scan, in the same order.
 */

/** The equality requirements of a selector (`matchLabels`, or a Service's plain map) as [key, value] pairs. */
export type SelectorPairs = (item: any) => [string, string][];

const pairKey = (key: string, value: unknown) => `${key}\u0000${String(value)}`;

/** The equality pairs of a `LabelSelector` (its `matchLabels`). */
export function labelSelectorPairs(selector: any): [string, string][] {
  const m = selector && typeof selector === 'object' ? selector.matchLabels : undefined;
  return m && typeof m === 'object' ? Object.entries(m).map(([k, v]) => [k, String(v)]) : [];
}

/** The pairs of a Service-style selector (a plain map). */
export function mapSelectorPairs(selector: any): [string, string][] {
  return selector && typeof selector === 'object' ? Object.entries(selector).map(([k, v]) => [k, String(v)]) : [];
}

/**
 * Selector owners (Services, PDBs, NetworkPolicies of one namespace), each filed under the rarest
 * pair of its selector; an owner without pairs is a candidate for every pod.
 */
export class SelectorOwnerIndex<T> {
  private readonly byPair = new Map<string, T[]>();
  private readonly always: T[] = [];
  private readonly position = new Map<T, number>();

  constructor(private readonly owners: readonly T[], pairsOf: (owner: T) => [string, string][]) {
    const pairs = owners.map(pairsOf);
    const count = new Map<string, number>();
    for (const ps of pairs) for (const [k, v] of ps) count.set(pairKey(k, v), (count.get(pairKey(k, v)) ?? 0) + 1);
    owners.forEach((owner, i) => {
      this.position.set(owner, i);
      let best: string | undefined;
      for (const [k, v] of pairs[i]) {
        const key = pairKey(k, v);
        if (best === undefined || count.get(key)! < count.get(best)!) best = key;
      }
      if (best === undefined) {this.always.push(owner);} else {
        const list = this.byPair.get(best);
        if (list) list.push(owner);
        else this.byPair.set(best, [owner]);
      }
    });
  }

  /** The owners that may select pods with these labels, in their given order. */
  public candidates(labels: { [key: string]: unknown }): readonly T[] {
    if (this.byPair.size === 0) return this.owners;
    const found: T[] = [...this.always];
    for (const [k, v] of Object.entries(labels)) {
      const list = this.byPair.get(pairKey(k, v));
      if (list) found.push(...list);
    }
    return found.sort((a, b) => this.position.get(a)! - this.position.get(b)!);
  }
}

/** Items with labels (pod templates of one namespace), findable by any one label pair. */
export class LabeledIndex<T> {
  private readonly byPair = new Map<string, T[]>();

  constructor(private readonly items: readonly T[], labelsOf: (item: T) => { [key: string]: unknown }) {
    for (const item of items) {
      for (const [k, v] of Object.entries(labelsOf(item))) {
        const key = pairKey(k, v);
        const list = this.byPair.get(key);
        if (list) list.push(item);
        else this.byPair.set(key, [item]);
      }
    }
  }

  /** The items that may match a selector with these pairs: those with its rarest pair (all without pairs), in order. */
  public candidates(pairs: readonly [string, string][]): readonly T[] {
    if (pairs.length === 0) return this.items;
    let best: readonly T[] | undefined;
    for (const [k, v] of pairs) {
      const list = this.byPair.get(pairKey(k, v)) ?? [];
      if (best === undefined || list.length < best.length) best = list;
    }
    return best ?? this.items;
  }
}
