/**
 * Standard values of a ConfigMap: each text entry is a value (`config.<key>`), rendered as the text
 * the user wrote; in-cluster DNS names of the chart's Services in it follow the release.
 */
import { KubeObject } from '../../../../manifests';
import { ParamSpec, Slot } from '../../model/template-model';
import { valuesRef } from '../../model/values-paths';
import { Deriver } from '../deriver';

/** Name of the named template (in _helpers.tpl) that prints a ConfigMap entry as text. */
export function configValueTemplate(chartName: string): string {
  return `${chartName}.configValue`;
}

function entryKey(doc: KubeObject, key: string): string {
  return `${doc.metadata?.namespace ?? ''}/${doc.metadata?.name}/${key}`;
}

/**
 * ConfigMap entries: text, numbers or booleans in the values, always rendered as the text the
 * user wrote (an integer from a values file prints without exponent, see `<chart>.configValue`).
 * Which Services an entry names is read from its text in every environment (`ctx.configTexts`).
 */
export const deriveConfigMap: Deriver = ({ doc, ctx, values }) => {
  const p = values.prefix;
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  for (const [key, value] of Object.entries(doc.data ?? {})) {
    if (typeof value !== 'string') continue;
    const path = [...p, key];
    const services = ctx.dns.servicesIn(ctx.configTexts.get(entryKey(doc, key)) ?? []);
    const follows = services.length > 0 ? `; the in-cluster names of ${services.join(', ')} in it follow the release name and namespace` : '';
    const text = '(text; a number prints as written)';
    params.push({
      path,
      type: 'string',
      anyScalar: true,
      value,
      description: `Entry ${key} of the ${doc.metadata?.name} ConfigMap ${text}${follows}`,
      // The path names the ConfigMap: equal entries of several workloads share their schema.
      schemaDescription: `Entry ${key} of the ConfigMap ${text}${follows}`,
    });
    const expr = `include ${JSON.stringify(configValueTemplate(ctx.chartName))} ${valuesRef(path)}`;
    slots.push({ pointer: ['data', key], render: { mode: 'inline', expr: `{{ ${ctx.dns.rewriteExpr(expr, services)} | quote }}` } });
  }
  return { slots, params };
};

/** The ConfigMap entries of an environment's objects, by `<namespace>/<name>/<key>` (their texts across environments decide what follows the release). */
export function configTexts(docs: readonly KubeObject[], into: Map<string, string[]>): void {
  for (const d of docs) {
    if (d?.kind !== 'ConfigMap') continue;
    for (const [k, v] of Object.entries(d.data ?? {})) {
      if (typeof v !== 'string') continue;
      const key = entryKey(d, k);
      const list = into.get(key);
      if (list) list.push(v); else into.set(key, [v]);
    }
  }
}
