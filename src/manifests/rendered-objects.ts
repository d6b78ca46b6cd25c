import { ApiObject, Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/** One synthesized object and the ApiObject construct it came from. */
export interface RenderedObject {
  readonly source: ApiObject;
  readonly json: any;
}

/**
 * Every ApiObject under `scopes`, each once, with its JSON. Used from validation callbacks, where
 * `chart.toJson()` would validate again. An object that cannot render reports its own problem and
 * is left out.
 * @internal
 */
export function renderObjects(scopes: readonly IConstruct[]): RenderedObject[] {
  const seen = new Set<IConstruct>();
  const objects: RenderedObject[] = [];
  for (const scope of scopes) {
    for (const child of scope.node.findAll()) {
      if (seen.has(child) || !ApiObject.isApiObject(child)) continue;
      seen.add(child);
      try {
        objects.push({ source: child, json: child.toJson() });
      } catch {
        // reported by the object itself
      }
    }
  }
  return objects;
}

/**
 * The JSON of every ApiObject in the chart of `self` and in the `extra` scopes, each once (entities
 * whose rules span a whole chart, such as the cluster fit checks).
 * @internal
 */
export function renderedObjects(self: IConstruct, extra: readonly IConstruct[]): any[] {
  return renderObjects([Chart.of(self), ...extra]).map((o) => o.json);
}
