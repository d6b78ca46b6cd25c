/**
 * The pod's references to Secrets and claims: a Secret with values follows its `existingSecret`
 * (default: the release's name for a Secret the release makes, else the plain name), a claim of
 * the chart follows `persistence.existingClaim` (default: the release's name for it), and any other
 * Secret the release makes (a cert-manager Certificate's) follows the release.
 */
import { KubeObject, PodSpecShape } from '../../../../manifests';
import { Slot } from '../../model/template-model';
import { valuesRef } from '../../model/values-paths';
import { ReleaseContext } from '../deriver';
import { nameRef } from '../release/release-kit';

/** The slots of a pod spec's Secret and claim references (see the file comment). */
export function podReferenceSlots(ctx: ReleaseContext, spec: PodSpecShape, base: string[], namespace: string): Slot[] {
  const slots: Slot[] = [];
  const layout = ctx.layout;
  const secret = (name: unknown, pointer: string[]) => {
    if (typeof name !== 'string') return;
    const prefix = layout.secretPrefix(name, namespace);
    if (!prefix) {
      slots.push(...nameRef(ctx, pointer, name, 'Secret'));
      return;
    }
    const fallback = ctx.release.has(name, 'Secret') ? `(${ctx.release.expr(name, 'Secret')})` : JSON.stringify(name);
    slots.push({ pointer, render: { mode: 'inline', expr: `{{ ${valuesRef([...prefix, 'existingSecret'])} | default ${fallback} | quote }}` } });
  };
  (spec.volumes ?? []).forEach((v, i) => {
    const vp = [...base, 'volumes', String(i)];
    secret(v?.secret?.secretName, [...vp, 'secret', 'secretName']);
    (v?.projected?.sources ?? []).forEach((s, j) => secret(s?.secret?.name, [...vp, 'projected', 'sources', String(j), 'secret', 'name']));
    const claim = v?.persistentVolumeClaim?.claimName;
    const pvc = typeof claim === 'string' ? layout.set.find('PersistentVolumeClaim', claim, namespace)?.raw as KubeObject | undefined : undefined;
    if (pvc && typeof claim === 'string' && ctx.release.has(claim, 'PersistentVolumeClaim')) {
      const existing = valuesRef([...layout.valuesOf(pvc).prefix, 'existingClaim']);
      slots.push({
        pointer: [...vp, 'persistentVolumeClaim', 'claimName'],
        render: { mode: 'inline', expr: `{{ ${existing} | default (${ctx.release.expr(claim, 'PersistentVolumeClaim')}) | quote }}` },
      });
    }
  });
  for (const group of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    (spec[group] ?? []).forEach((c, i) => {
      const cp = [...base, group, String(i)];
      (c?.env ?? []).forEach((e, j) => secret(e?.valueFrom?.secretKeyRef?.name, [...cp, 'env', String(j), 'valueFrom', 'secretKeyRef', 'name']));
      (c?.envFrom ?? []).forEach((e, j) => secret(e?.secretRef?.name, [...cp, 'envFrom', String(j), 'secretRef', 'name']));
    });
  }
  (spec.imagePullSecrets ?? []).forEach((s, i) => slots.push(...nameRef(ctx, [...base, 'imagePullSecrets', String(i), 'name'], s?.name, 'Secret')));
  return slots;
}
