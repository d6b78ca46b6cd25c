/**
 * The benchmark's apps: N services, each a ConfigMap, a Deployment with probes, resources and a
 * securityContext, a Service and an HPA, written twice in the same run:
 * - by hand with cdk8s-plus-28, the way a careful user would (probes, requests and limits,
 *   non-root with a read-only root filesystem, seccomp RuntimeDefault, capabilities dropped, /tmp
 *   as an emptyDir, the ConfigMap as environment, an autoscaler on CPU);
 * - with the library: a `ConfigMapConfiguration` and a `DeploymentManifest` (which also emits a
 *   PodDisruptionBudget and a NetworkPolicy, and checks every rule).
 */
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
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

/** The hand-written cdk8s-plus-28 app (4 objects per service). */
export function handWritten(apps: number, outdir: string): App {
  const app = new App({ outdir });
  const chart = new Chart(app, CHART_ID, { namespace: NAMESPACE });
  for (let i = 0; i < apps; i++) {
    const name = `app-${i}`;
    const config = new kplus.ConfigMap(chart, `${name}-config`, { metadata: { name: `${name}-config` }, data: configData(i) });
    const deployment = new kplus.Deployment(chart, name, {
      metadata: { name },
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
    deployment.exposeViaService({ name, ports: [{ port: 8080, targetPort: 8080 }] });
    new kplus.HorizontalPodAutoscaler(chart, `${name}-hpa`, {
      metadata: { name },
      target: deployment,
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(70))],
    });
  }
  return app;
}

/** The same services with the library (6 objects per service: also a PDB and a NetworkPolicy). */
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
