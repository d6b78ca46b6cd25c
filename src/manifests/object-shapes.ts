/*
 * The shape of plain Kubernetes objects as readers read them: the fields a reader names, each
 * optional (any object may lack any field), the rest open (`[field: string]: unknown`). A synthesized
 * object is not checked against these shapes: a reader narrows a value before trusting its form
 * where a wrong one would mislead it (`typeof`, `Array.isArray`), as it did before they had names.
 */

/** A map of strings: labels, annotations, a Service's selector, nodeSelector. */
export interface StringMap {
  readonly [key: string]: string;
}

/** A JSON object of unknown fields. */
export interface JsonObject {
  readonly [field: string]: unknown;
}

/** `metadata` of an object (and of a pod template). */
export interface ObjectMeta {
  readonly name?: string;
  readonly generateName?: string;
  readonly namespace?: string;
  readonly labels?: StringMap;
  readonly annotations?: StringMap;
  readonly [field: string]: unknown;
}

/** One requirement of a `LabelSelector`. */
export interface SelectorRequirement {
  readonly key?: string;
  readonly operator?: string;
  readonly values?: readonly string[];
}

/**
 * A selector: a `LabelSelector` (`matchLabels`, `matchExpressions`) or, for a Service, a plain map of
 * labels (its other keys).
 */
export interface Selector {
  readonly matchLabels?: StringMap;
  readonly matchExpressions?: readonly SelectorRequirement[];
  readonly [label: string]: unknown;
}

/** `env[]` of a container. */
export interface EnvVar {
  readonly name?: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly configMapKeyRef?: { readonly name?: string; readonly key?: string };
    readonly secretKeyRef?: { readonly name?: string; readonly key?: string };
    readonly [field: string]: unknown;
  };
}

/** `envFrom[]` of a container. */
export interface EnvFromSource {
  readonly configMapRef?: { readonly name?: string };
  readonly secretRef?: { readonly name?: string };
}

/** A container (init, regular or ephemeral). */
export interface ContainerShape {
  readonly name?: string;
  readonly image?: string;
  readonly imagePullPolicy?: string;
  readonly resources?: JsonObject;
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly EnvFromSource[];
  readonly restartPolicy?: string;
  readonly [field: string]: unknown;
}

/** `items[]` of a ConfigMap or Secret volume. */
export interface KeyToPath {
  readonly key?: string;
  readonly path?: string;
}

/** A pod volume. */
export interface VolumeShape {
  readonly name?: string;
  readonly configMap?: { readonly name?: string; readonly items?: readonly KeyToPath[] };
  readonly secret?: { readonly secretName?: string; readonly items?: readonly KeyToPath[] };
  readonly persistentVolumeClaim?: { readonly claimName?: string };
  readonly projected?: {
    readonly sources?: readonly {
      readonly configMap?: { readonly name?: string; readonly items?: readonly KeyToPath[] };
      readonly secret?: { readonly name?: string; readonly items?: readonly KeyToPath[] };
    }[];
  };
  readonly [field: string]: unknown;
}

/** A pod affinity term. */
export interface AffinityTerm {
  readonly labelSelector?: Selector;
  readonly namespaces?: readonly string[];
  readonly namespaceSelector?: Selector;
  readonly [field: string]: unknown;
}

/** `affinity.podAffinity` / `podAntiAffinity`. */
export interface PodAffinityShape {
  readonly requiredDuringSchedulingIgnoredDuringExecution?: readonly AffinityTerm[];
  readonly preferredDuringSchedulingIgnoredDuringExecution?: readonly { readonly podAffinityTerm?: AffinityTerm }[];
}

/** A pod spec. */
export interface PodSpecShape {
  readonly containers?: readonly ContainerShape[];
  readonly initContainers?: readonly ContainerShape[];
  readonly ephemeralContainers?: readonly ContainerShape[];
  readonly volumes?: readonly VolumeShape[];
  readonly serviceAccountName?: string;
  readonly serviceAccount?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly imagePullSecrets?: readonly { readonly name?: string }[];
  readonly affinity?: {
    readonly podAffinity?: PodAffinityShape;
    readonly podAntiAffinity?: PodAffinityShape;
    readonly [field: string]: unknown;
  };
  readonly topologySpreadConstraints?: readonly { readonly labelSelector?: Selector }[];
  readonly [field: string]: unknown;
}

/** A pod template (`spec.template` of a workload). */
export interface PodTemplateShape {
  readonly metadata?: ObjectMeta;
  readonly spec?: PodSpecShape;
}

/** A Service port. */
export interface ServicePortShape {
  readonly name?: string;
  readonly port?: number;
  readonly protocol?: string;
  readonly targetPort?: number | string;
}

/** An Ingress backend (`networking.k8s.io/v1`; `serviceName`/`servicePort` before it). */
export interface IngressBackendShape {
  readonly service?: { readonly name?: string; readonly port?: { readonly number?: number; readonly name?: string } };
  readonly serviceName?: string;
  readonly servicePort?: number | string;
  readonly resource?: unknown;
}

/** A rule of an Ingress. */
export interface IngressRuleShape {
  readonly host?: string;
  readonly http?: { readonly paths?: readonly { readonly path?: string; readonly pathType?: string; readonly backend?: IngressBackendShape }[] };
}

/** A `spec.tls` entry of an Ingress. */
export interface IngressTlsShape {
  readonly hosts?: readonly string[];
  readonly secretName?: string;
}

/** A metric of an autoscaling/v2 HorizontalPodAutoscaler. */
export interface MetricShape {
  readonly type?: string;
  readonly resource?: { readonly name?: string; readonly target?: { readonly type?: string; readonly averageUtilization?: number } };
}

/** A NetworkPolicy peer. */
export interface NetworkPeerShape {
  readonly podSelector?: Selector;
  readonly namespaceSelector?: Selector;
  readonly [field: string]: unknown;
}

/** A NetworkPolicy rule (`from` for ingress, `to` for egress). */
export interface NetworkRuleShape {
  readonly from?: readonly NetworkPeerShape[];
  readonly to?: readonly NetworkPeerShape[];
  readonly [field: string]: unknown;
}

/** A claim's spec (a PersistentVolumeClaim's, a StatefulSet's volumeClaimTemplates'). */
export interface ClaimSpecShape {
  readonly resources?: { readonly requests?: { readonly storage?: unknown } };
  readonly storageClassName?: string;
  readonly accessModes?: readonly string[];
  readonly [field: string]: unknown;
}

/**
 * `spec` of the kinds the readers know, in one shape: the workloads (replicas, selector, template,
 * jobTemplate, serviceName, volumeClaimTemplates, schedule), Service (type, ports, selector), Ingress
 * (rules, tls, defaultBackend, ingressClassName), PersistentVolumeClaim, HorizontalPodAutoscaler,
 * PodDisruptionBudget, NetworkPolicy, cert-manager's Certificate and Issuer, and ExternalSecret.
 */
export interface ObjectSpec extends ClaimSpecShape {
  readonly replicas?: number;
  readonly selector?: Selector;
  readonly template?: PodTemplateShape;
  readonly jobTemplate?: { readonly metadata?: ObjectMeta; readonly spec?: { readonly template?: PodTemplateShape } };
  readonly serviceName?: string;
  readonly volumeClaimTemplates?: readonly { readonly metadata?: ObjectMeta; readonly spec?: ClaimSpecShape }[];
  readonly schedule?: string;
  readonly type?: string;
  readonly ports?: readonly ServicePortShape[];
  readonly rules?: readonly IngressRuleShape[];
  readonly tls?: readonly IngressTlsShape[];
  readonly defaultBackend?: IngressBackendShape;
  readonly backend?: IngressBackendShape;
  readonly ingressClassName?: string;
  readonly scaleTargetRef?: { readonly apiVersion?: string; readonly kind?: string; readonly name?: string };
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  readonly metrics?: readonly MetricShape[];
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
  readonly podSelector?: Selector;
  readonly policyTypes?: readonly string[];
  readonly ingress?: readonly NetworkRuleShape[];
  readonly egress?: readonly NetworkRuleShape[];
  readonly secretName?: string;
  readonly dnsNames?: readonly unknown[];
  readonly commonName?: string;
  readonly issuerRef?: { readonly name?: string; readonly kind?: string };
  readonly ca?: { readonly secretName?: string };
  /** An ExternalSecret's Secret and store (external-secrets.io). */
  readonly target?: { readonly name?: string };
  readonly secretStoreRef?: { readonly name?: string; readonly kind?: string };
}

/** A plain Kubernetes object, as `chart.toJson()` or parsed YAML gives it. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly metadata?: ObjectMeta;
  readonly spec?: ObjectSpec;
  /** ConfigMap and Secret data. */
  readonly data?: JsonObject;
  readonly stringData?: JsonObject;
  readonly binaryData?: JsonObject;
  /** A Secret's type. */
  readonly type?: string;
  /** A ServiceAccount's token switch. */
  readonly automountServiceAccountToken?: boolean;
  readonly [field: string]: unknown;
}
