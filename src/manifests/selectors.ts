/**
 * Label selectors, matched the way the API server does. Services use a plain map; workloads,
 * PodDisruptionBudgets, NetworkPolicies and affinity terms use a `LabelSelector`.
 */

/** A Service-style selector (plain map): true when non-empty and every pair is among the labels. */
export function mapSelects(selector: any, labels: { [key: string]: string }): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === String(v));
}

/**
 * A `LabelSelector` (`matchLabels` + `matchExpressions`): an unset selector selects nothing, an empty
 * one (`{}`) selects everything.
 */
export function labelSelectorMatches(selector: any, labels: { [key: string]: string }): boolean {
  if (!selector || typeof selector !== 'object') return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== String(v)) return false;
  }
  for (const e of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e?.key);
    const values: string[] = Array.isArray(e?.values) ? e.values.map(String) : [];
    switch (e?.operator) {
      case 'In': if (!has || !values.includes(labels[e.key])) return false; break;
      case 'NotIn': if (has && values.includes(labels[e.key])) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** True when a `LabelSelector` has no requirement at all (it selects every pod). */
export function isEmptySelector(selector: any): boolean {
  return !selector || (Object.keys(selector.matchLabels ?? {}).length === 0
    && (!Array.isArray(selector.matchExpressions) || selector.matchExpressions.length === 0));
}
