/**
 * Standard values of a PersistentVolumeClaim (the size and class a claim template of a StatefulSet
 * has too, `workloads/workload.ts`).
 */
import { singleWriterMode } from '../../../../core/conventions';
import { DNS1123_SUBDOMAIN, ParamSpec, Slot } from '../../model/template-model';
import { dottedPath, valuesRef, valueSlot } from '../../model/values-paths';
import { AnnotationAdditions, Deriver } from '../deriver';

/** Quantity pattern of a claim size, such as 1Gi. */
export const STORAGE_SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?([KMGTPE]i?|k)?$';

/**
 * `persistence.size`, `persistence.storageClass` and `persistence.existingClaim` (when set the claim
 * is not rendered and the pods mount that claim). A claim only one writer may mount (ReadWriteOnce,
 * ReadWriteOncePod: a database file) gets `persistence.resourcePolicy: keep`, rendered as the
 * `helm.sh/resource-policy` annotation, so `helm uninstall` leaves it and its data.
 */
export const derivePvc: Deriver = ({ doc, values }) => {
  const p = values.prefix;
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const size = doc.spec?.resources?.requests?.storage;
  if (typeof size === 'string') {
    params.push({ path: [...p, 'size'], type: 'string', value: size, pattern: STORAGE_SIZE_PATTERN, description: 'Storage requested by the claim, such as 1Gi' });
    slots.push(valueSlot(['spec', 'resources', 'requests', 'storage'], [...p, 'size'], 'string'));
  }
  const scPath = [...p, 'storageClass'];
  const sc = doc.spec?.storageClassName;
  if (doc.spec && (sc === undefined || (typeof sc === 'string' && sc !== ''))) {
    params.push({ path: scPath, type: 'string', value: sc ?? '', description: 'StorageClass of the claim; empty for the cluster default' });
    slots.push({
      pointer: ['spec', 'storageClassName'],
      placement: 'last',
      render: { mode: 'line', wrap: (i, prefix) => `${i}{{- with ${valuesRef(scPath)} }}\n${i}${prefix}{{ . | quote }}\n${i}{{- end }}` },
    });
  }
  const existing = [...p, 'existingClaim'];
  params.push({
    path: existing,
    type: 'string',
    value: '',
    pattern: `^(${DNS1123_SUBDOMAIN.slice(1, -1)})?$`,
    description: 'A claim you manage for the pods instead of this one; when set the chart does not render the claim',
  });
  const modes = doc.spec?.accessModes;
  let annotations: AnnotationAdditions | undefined;
  if (singleWriterMode(Array.isArray(modes) ? modes : []) && values.owner) {
    const policy = [...p, 'resourcePolicy'];
    params.push({
      path: policy,
      type: 'string',
      value: 'keep',
      enum: ['keep', ''],
      description: 'helm.sh/resource-policy of the claim: "keep" leaves it and its data on helm uninstall (delete it yourself); empty to delete it with the release',
    });
    annotations = { fixed: [{ key: 'helm.sh/resource-policy', expr: valuesRef(policy) }], params: [dottedPath(policy)] };
  }
  return { slots, params, annotations, condition: `not ${valuesRef(existing)}` };
};
