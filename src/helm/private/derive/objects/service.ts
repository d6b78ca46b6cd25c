/**
 * Standard values of a Service: `service.type` (a switch between ClusterIP, NodePort and
 * LoadBalancer) and `service.port` (its first port; Ingress backends that use it by number follow it).
 */
import { KubeObject } from '../../../../manifests';
import { ParamSpec, Slot } from '../../model/template-model';
import { valuesRef, valueSlot } from '../../model/values-paths';
import { Layout } from '../../value-sections';
import { Deriver } from '../deriver';

/**
 * The Service types a values switch may choose. ExternalName is not one: it needs `externalName`
 * and no selector, so a Service of the plain YAML cannot become one by a value (and a plain
 * ExternalName Service keeps its type as written).
 */
const SERVICE_TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer'];

/** The path of the `port` value of a Service (its first port), when the chart has one. */
export function servicePortPath(svc: KubeObject | undefined, layout: Layout): string[] | undefined {
  return svc && Number.isInteger(svc.spec?.ports?.[0]?.port) ? [...layout.valuesOf(svc).prefix, 'port'] : undefined;
}

export const deriveService: Deriver = ({ doc, ctx, values }) => {
  const p = values.prefix;
  const slots: Slot[] = [];
  const params: ParamSpec[] = [];
  const typePath = [...p, 'type'];
  const type = doc.spec?.type;
  if (type === 'ExternalName') {
    // Not a switch: an ExternalName Service stays one.
  } else if (typeof type === 'string') {
    params.push({ path: typePath, type: 'string', value: type, enum: SERVICE_TYPES, description: 'Type of the Service' });
    slots.push(valueSlot(['spec', 'type'], typePath, 'string'));
  } else if (doc.spec) {
    params.push({ path: typePath, type: 'string', value: 'ClusterIP', enum: SERVICE_TYPES, description: 'Type of the Service' });
    // The plain object leaves the type to Kubernetes' default: print it only when it differs.
    const ref = valuesRef(typePath);
    slots.push({
      pointer: ['spec', 'type'],
      placement: 'last',
      render: { mode: 'line', wrap: (i, prefix) => `${i}{{- if ne ${ref} "ClusterIP" }}\n${i}${prefix}{{ ${ref} | quote }}\n${i}{{- end }}` },
    });
  }
  const portPath = servicePortPath(doc, ctx.layout);
  if (portPath) {
    params.push({ path: portPath, type: 'integer', value: doc.spec?.ports?.[0]?.port, minimum: 1, maximum: 65535, description: 'Port of the Service (its first port; Ingress backends that use it by number follow it)' });
    slots.push(valueSlot(['spec', 'ports', '0', 'port'], portPath, 'integer'));
  }
  return { slots, params };
};
