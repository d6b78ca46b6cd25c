import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * The JSON of every ApiObject in the chart of `self` and in the `extra` scopes, each once. Used by
 * entities whose rules span a whole chart (cluster fit checks) from a validation callback, where
 * `chart.toJson()` would validate again. An object that cannot render reports its own problem and
 * is left out.
 * @internal
 */
export function renderedObjects(self: IConstruct, extra: readonly IConstruct[]): any[] {
  const seen = new Set<IConstruct>();
  const objects: any[] = [];
  for (const scope of [Chart.of(self), ...extra]) {
    for (const child of scope.node.findAll()) {
      if (seen.has(child) || !ApiObject.isApiObject(child)) continue;
      seen.add(child);
      try {
        objects.push(child.toJson());
      } catch {
        // reported by the object itself
      }
    }
  }
  return objects;
}
