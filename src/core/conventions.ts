/**
 * Conventions every room shares: the annotation and label keys the library writes and reads back,
 * and the access modes that allow only one writer.
 */

/** Annotation on the Deployment of a docker-compose manifest (read by the compose engine). */
export const MANIFEST_TYPE_ANNOTATION = 'deploykit.io/manifest-type';

/** Its value for a docker-compose manifest (`ManifestType.DOCKER_COMPOSE`). */
export const DOCKER_COMPOSE = 'docker-compose';

/** Label on every compose service: the environment its manifest was synthesized for. */
export const ENVIRONMENT_LABEL = 'deploykit.io/environment';

/**
 * Access modes that let one node (ReadWriteOnce) or one pod (ReadWriteOncePod) write a volume:
 * a workload mounting such a claim has a single writer, as SQLite needs.
 */
export const SINGLE_WRITER_ACCESS_MODES: readonly string[] = ['ReadWriteOncePod', 'ReadWriteOnce'];

/** The single-writer mode among `modes`, if any. */
export function singleWriterMode(modes: readonly unknown[] | undefined): string | undefined {
  return SINGLE_WRITER_ACCESS_MODES.find((m) => (modes ?? []).includes(m));
}

/**
 * Annotation prefix on a docker-compose Deployment: `bind.compose.deploykit.io/<volume>` names the
 * local folder (relative to the working directory of the synth) that stands in for that pod volume
 * in docker-compose, bind-mounted read-only (a catalog folder instead of the fetched copy).
 */
export const COMPOSE_BIND_ANNOTATION_PREFIX = 'bind.compose.deploykit.io/';

/**
 * Annotation prefix on a docker-compose Deployment: `skip.compose.deploykit.io/<init container>`
 * says why that init container has no compose counterpart (a bind mount does its work).
 */
export const COMPOSE_SKIP_ANNOTATION_PREFIX = 'skip.compose.deploykit.io/';

/**
 * Annotation on a docker-compose Deployment: a JSON array, the command the image has to probe its
 * liveness endpoint (such as ["curl", "-fsk"]); the compose healthcheck appends the endpoint's URL.
 */
export const COMPOSE_HEALTHCHECK_ANNOTATION = 'deploykit.io/compose-healthcheck-command';

/**
 * Annotation that waives policy findings on its object: one `<rule-id>: <reason>` per line. A waiver
 * without a reason is itself an error (read by `PolicyCheck`, written by `Waivers.add`).
 */
export const WAIVE_ANNOTATION = 'deploykit.dev/waive';

/**
 * Where the parts of a cluster that the objects talk to usually run, as namespace and pod labels:
 * the defaults of the props that say otherwise (`ingressControllerNamespace`, MonitoringMetrics'
 * `prometheusNamespace`, a NetworkPolicy's `dnsServer`) and of the flow check's options.
 */
export const OUTSIDE_PODS = {
  /** The ingress-nginx controller (`minikube addons enable ingress`, the ingress-nginx Helm chart). */
  ingressController: {
    namespace: 'ingress-nginx',
    labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' },
    /** The IngressClass it serves (an Ingress of another class goes to another controller). */
    classes: ['nginx'],
  },
  /** Prometheus (the kube-prometheus-stack chart installed into `monitoring`). */
  prometheus: { namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' } },
  /** The cluster DNS (CoreDNS or kube-dns), with the ports its pods declare. */
  clusterDns: {
    namespace: 'kube-system',
    labels: { 'k8s-app': 'kube-dns' },
    ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }],
  },
} as const;
