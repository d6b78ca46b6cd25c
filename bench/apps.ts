/**
 * The benchmark's apps: N services, each a ConfigMap, a Deployment with probes, resources and a
 * securityContext, a Service, an HPA, a PodDisruptionBudget and a NetworkPolicy (the same six
 * objects both ways, with the same names, app labels and selectors), written twice in the same run:
 * - by hand with cdk8s-plus-28, the way a careful user would (probes, requests and limits,
 *   non-root with a read-only root filesystem, seccomp RuntimeDefault, capabilities dropped, /tmp
 *   as an emptyDir, the ConfigMap as environment, an autoscaler on CPU, a disruption budget with
 *   the L1 `KubePodDisruptionBudget` since cdk8s-plus-28 has no such kind, and a NetworkPolicy
 *   admitting the service port from the cluster with egress open);
 * - with the library: a `ConfigMapConfiguration` and a `DeploymentManifest` (which emits the
 *   Deployment, Service, HPA, PodDisruptionBudget and NetworkPolicy, and checks every rule).
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { ConfigMapConfiguration } from '../src/config/config-map-configuration';
import { ContainerImage } from '../src/pod/container-image';
import { ResourceLimits } from '../src/pod/resource-limits';
import { SecurityProfile } from '../src/pod/security-profile';
import { DeploymentManifest } from '../src/workloads/deployment-manifest';

export const CHART_ID = 'bench';
/** The namespace of every object (and of the Helm release). */
export const NAMESPACE = 'bench';

function configData(i: number): { [key: string]: string } {
  return { LOG_LEVEL: 'info', FEATURE_FLAGS: `search,export,app-${i}`, UPSTREAM_TIMEOUT_MS: '2500' };
}

/** The labels the library sets on a service's objects and pods: the selector labels, then the rest. */
function appLabels(name: string, i: number) {
  const selector = { 'app.kubernetes.io/instance': name, 'app.kubernetes.io/name': name };
  return { selector, all: { ...selector, 'app.kubernetes.io/managed-by': 'cdk8s-deploykit', 'app.kubernetes.io/version': `1.0.${i}` } };
}

/** The hand-written cdk8s-plus-28 app (6 objects per service, as the library's). */
export function handWritten(apps: number, outdir: string): App {
  const app = new App({ outdir });
  const chart = new Chart(app, CHART_ID, { namespace: NAMESPACE });
  for (let i = 0; i < apps; i++) {
    const name = `app-${i}`;
    const labels = appLabels(name, i);
    const config = new kplus.ConfigMap(chart, `${name}-config`, {
      metadata: { name: `${name}-config`, labels: { 'app.kubernetes.io/instance': `${name}-config`, 'app.kubernetes.io/managed-by': 'cdk8s-deploykit', 'app.kubernetes.io/name': `${name}-config` } },
      data: configData(i),
    });
    const deployment = new kplus.Deployment(chart, name, {
      metadata: { name, labels: labels.all },
      podMetadata: { labels: labels.all },
      select: false,
      automountServiceAccountToken: false,
      securityContext: { ensureNonRoot: true, user: 1000, group: 1000, fsGroup: 1000 },
    });
    const tmp = kplus.Volume.fromEmptyDir(chart, `${name}-tmp`, 'tmp', { sizeLimit: Size.mebibytes(64) });
    const container = deployment.addContainer({
      name,
      image: `registry.example.com/team/${name}:1.0.${i}`,
      imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
      portNumber: 8080,
      envFrom: [kplus.Env.fromConfigMap(config)],
      liveness: kplus.Probe.fromHttpGet('/health/live', { port: 8080, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(1), failureThreshold: 3 }),
      readiness: kplus.Probe.fromHttpGet('/health/ready', { port: 8080, periodSeconds: Duration.seconds(10), timeoutSeconds: Duration.seconds(1), failureThreshold: 3 }),
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
        ephemeralStorage: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
      },
      securityContext: {
        ensureNonRoot: true,
        user: 1000,
        group: 1000,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
    });
    container.mount('/tmp', tmp);
    deployment.select(kplus.LabelSelector.of({ labels: labels.selector }));
    // The Service and the NetworkPolicy select the app's pods by its labels, as the library's do
    // (a workload itself would select them by cdk8s-plus's address label).
    const pods = kplus.Pods.select(chart, `${name}-pods`, { labels: labels.selector });
    new kplus.Service(chart, `${name}-service`, {
      metadata: { name, labels: labels.all },
      selector: pods,
      ports: [{ name: 'http', port: 8080, targetPort: 8080 }],
    });
    new kplus.HorizontalPodAutoscaler(chart, `${name}-hpa`, {
      metadata: { name, labels: labels.all },
      target: deployment,
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });
    new k8s.KubePodDisruptionBudget(chart, `${name}-pdb`, {
      metadata: { name, labels: labels.all },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: labels.selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
    });
    new kplus.NetworkPolicy(chart, `${name}-network-policy`, {
      metadata: { name, labels: labels.all },
      selector: pods,
      ingress: { rules: [{ peer: kplus.Namespaces.all(chart, `${name}-cluster`), ports: [kplus.NetworkPolicyPort.tcp(8080)] }] },
      egress: { default: kplus.NetworkPolicyTrafficDefault.ALLOW },
    });
  }
  return app;
}

/** The same services with the library (6 objects per service). */
export function withLibrary(apps: number, outdir: string): { app: App; chart: Chart } {
  const app = new App({ outdir });
  const chart = new Chart(app, CHART_ID, { namespace: NAMESPACE });
  for (let i = 0; i < apps; i++) {
    const name = `app-${i}`;
    const config = new ConfigMapConfiguration(chart, `${name}-config`, { name: `${name}-config`, configData: configData(i), consumeAsEnv: true });
    new DeploymentManifest(chart, name, {
      image: new ContainerImage(chart, `${name}-image`, { registry: 'registry.example.com', repository: `team/${name}`, tag: `1.0.${i}` }),
      ports: [{ containerPort: 8080 }],
      configMaps: [config],
      resourceLimits: new ResourceLimits(chart, `${name}-resources`, {
        requests: { cpu: '100m', memory: '128Mi', storage: '64Mi' },
        limits: { cpu: '500m', memory: '256Mi', storage: '256Mi' },
      }),
      securityProfile: new SecurityProfile(chart, `${name}-security`, { runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 }),
      scalingConfig: { minReplicas: 2, maxReplicas: 6, targetCpuPercent: 70 },
    });
  }
  return { app, chart };
}
