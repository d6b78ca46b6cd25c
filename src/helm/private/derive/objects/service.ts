/**
 * Standard values of a Service: `service.type` (a switch between ClusterIP, NodePort and
 * LoadBalancer), `service.port` (its first port; Ingress backends that use it by number follow it),
 * Bitnami's `service.annotations` (added to the plain ones) and `service.nodePorts.<port name>`
 * (the node port of each named port, rendered while the type is NodePort or LoadBalancer; empty: the
 * cluster picks one). A headless Service has no `type` or `nodePorts` values: it cannot be a
 * NodePort or LoadBalancer.
 */
import { KubeObject } from '../../../../manifests';
import { ParamSpec, Slot } from '../../model/template-model';
import { dottedPath, valuesRef, valueSlot } from '../../model/values-paths';
import { Layout } from '../../value-sections';
import { Deriver } from '../deriver';
import { STRING_MAP } from '../slot-kit';

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
  // A headless Service (clusterIP: None) names pods by DNS; Kubernetes refuses it as a NodePort or
  // LoadBalancer, so it has no type switch and no node ports.
  const headless = doc.spec?.clusterIP === 'None';
  if (type === 'ExternalName' || headless) {
    // Not a switch: an ExternalName Service stays one, and a headless one stays ClusterIP.
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
  if (type !== 'ExternalName' && !headless && doc.spec) nodePortValues(doc, [...p, 'nodePorts'], typePath, slots, params);
  const annotationsPath = [...p, 'annotations'];
  params.push({ path: annotationsPath, type: 'object', value: {}, description: 'Annotations of the Service, added to the plain ones (such as a load balancer\'s)', schema: STRING_MAP });
  return { slots, params, annotations: { map: valuesRef(annotationsPath), params: [dottedPath(annotationsPath)] } };
};

/** A node port: a port number, or empty for the one the cluster picks. */
const NODE_PORT_SCHEMA = { type: ['integer', 'string'], minimum: 1, maximum: 65535, pattern: '^$' };

/**
 * `nodePorts.<name>` of each named port (at `p`): the plain nodePort or empty, rendered last in its
 * port while the Service's type (the value at `typePath`) takes node ports. Kubernetes refuses a
 * nodePort on a ClusterIP Service, so a plain one is left out when the type is switched to ClusterIP.
 */
function nodePortValues(doc: KubeObject, p: string[], typePath: string[], slots: Slot[], params: ParamSpec[]): void {
  const ports = doc.spec?.ports;
  if (!Array.isArray(ports)) return;
  const takesNodePorts = `has ${valuesRef(typePath)} (list "NodePort" "LoadBalancer")`;
  ports.forEach((port, i) => {
    const name = port?.name;
    if (typeof name !== 'string' || name === '') return;
    const path = [...p, name];
    const ref = valuesRef(path);
    params.push({
      path,
      type: 'string',
      value: Number.isInteger(port.nodePort) ? port.nodePort : '',
      schema: NODE_PORT_SCHEMA,
      description: `Node port of the ${name} port while the type is NodePort or LoadBalancer; empty: the cluster picks one`,
    });
    slots.push({
      pointer: ['spec', 'ports', String(i), 'nodePort'],
      placement: 'last',
      soft: { params: [dottedPath(path)] },
      render: { mode: 'line', wrap: (ind) => `${ind}{{- if and (${takesNodePorts}) ${ref} }}\n${ind}nodePort: {{ ${ref} | int64 }}\n${ind}{{- end }}` },
    });
  });
}
