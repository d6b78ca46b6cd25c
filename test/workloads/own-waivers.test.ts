/**
 * What a workload's own defaults and forced choices raise it waives itself, with the reason; values
 * the caller chose keep their findings. The waivers depend on the props, not on the environment, so
 * a system's environments carry the same annotations (one Helm template serves them all).
 */
import { Chart, Testing } from 'cdk8s';
import { PersistentStorage } from '../../src/config/persistent-storage';
import { Environment } from '../../src/core/environment';
import { ContainerImage, ImagePullPolicy } from '../../src/pod/container-image';
import { HealthEndpoint, ProbeKind } from '../../src/pod/health-endpoint';
import { PolicyCheck } from '../../src/policy/policy-check';
import { DeploymentManifest, DeploymentManifestProps } from '../../src/workloads/deployment-manifest';
import { OWN_WAIVER_REASONS } from '../../src/workloads/own-waivers';
import { synthManifests } from '../util/manifests';

const IMAGE_WAIVERS = ['image-pull-policy-always', 'image-pinned-tag'];

function check(props: (chart: Chart) => Partial<DeploymentManifestProps>, imageProps: object = {}) {
  const chart = Testing.chart();
  (chart as any).namespace = 'shop';
  new DeploymentManifest(chart, 'api', {
    image: new ContainerImage(chart, 'image', { repository: 'acme/api', tag: '1.0.0', ...imageProps }),
    ports: [{ containerPort: 8080 }],
    ...props(chart),
  });
  const objects = synthManifests(chart);
  const report = PolicyCheck.run(objects);
  return {
    warnings: report.warnings.map((f) => `${f.kind} ${f.rule}`),
    errors: report.errors.map((f) => `${f.kind} ${f.rule}`),
    waived: report.waived.map((f) => `${f.kind} ${f.rule}: ${f.waiverReason}`),
    annotation: objects.find((o) => o.kind === 'Deployment').metadata.annotations?.['deploykit.dev/waive'] ?? '',
  };
}

describe('a workload waives what its own defaults do', () => {
  test('development\'s IfNotPresent and latest are waived there, with the same annotation in every environment', () => {
    const development = check(() => ({ environment: Environment.DEVELOPMENT }), { tag: undefined });
    expect(development).toMatchObject({
      warnings: [],
      errors: [],
      waived: [
        `Deployment image-pull-policy-always: ${OWN_WAIVER_REASONS.pullPolicy}`,
        `Deployment image-pinned-tag: ${OWN_WAIVER_REASONS.latestTag}`,
      ],
    });
    const production = check(() => ({ environment: Environment.PRODUCTION }));
    expect(production).toMatchObject({ warnings: [], errors: [], waived: [] });
    expect(production.annotation).toBe(development.annotation);
    expect(production.annotation.split('\n').map((l: string) => l.split(':')[0])).toEqual(IMAGE_WAIVERS);
  });

  test('an image given its own environment carries the same waivers in every environment of the system', () => {
    const annotations = [Environment.DEVELOPMENT, Environment.STAGING, Environment.PRODUCTION]
      .map((environment) => check(() => ({ environment }), { environment }));
    expect(annotations[0]).toMatchObject({ warnings: [], errors: [] });
    expect(annotations.map((r) => r.annotation)).toEqual(annotations.map(() => annotations[0].annotation));
    expect(annotations[0].annotation.split('\n').map((l: string) => l.split(':')[0])).toEqual(IMAGE_WAIVERS);
  });

  test('an IfNotPresent given by hand is the caller\'s choice: reported, in development too', () => {
    for (const environment of [Environment.DEVELOPMENT, Environment.STAGING]) {
      const r = check(() => ({ environment }), { imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT });
      expect(r.warnings).toEqual(['Deployment image-pull-policy-always']);
      expect(r.annotation.split('\n').map((l: string) => l.split(':')[0])).toEqual(['image-pinned-tag']);
    }
  });

  test('an image pinned by digest needs no latest waiver', () => {
    const r = check(() => ({}), { digest: `sha256:${'a'.repeat(64)}` });
    expect(r.annotation.split('\n').map((l: string) => l.split(':')[0])).toEqual(['image-pull-policy-always']);
  });

  test('a single writer runs one pod, replaced rather than surged: both waived with the claim named', () => {
    const writer = check((c) => ({ replicaCount: 1, storage: [new PersistentStorage(c, 'data', { name: 'data', size: '1Gi', mountPath: '/data' })] }));
    expect(writer).toMatchObject({
      warnings: [],
      errors: [],
      waived: [
        `Deployment deployment-rolling-update: ${OWN_WAIVER_REASONS.recreate('data')}`,
        `Deployment replicas-min-two: ${OWN_WAIVER_REASONS.singleWriter('data')}`,
      ],
    });
  });

  test('one replica or an autoscaler down to one, asked for in development, is the caller\'s choice: reported', () => {
    expect(check(() => ({ environment: Environment.DEVELOPMENT, replicaCount: 1 })).warnings).toEqual(['Deployment replicas-min-two']);
    expect(check(() => ({ environment: Environment.DEVELOPMENT, scalingConfig: { minReplicas: 1, maxReplicas: 3, targetCpuPercent: 70 } })).warnings)
      .toEqual(['HorizontalPodAutoscaler hpa-min-replicas']);
  });

  test('identical TCP probes of tcpHealthCheck are waived; identical HTTP probes the caller gave are reported', () => {
    expect(check(() => ({ tcpHealthCheck: true, healthEndpoints: [] })).waived).toEqual([`Deployment probe-not-identical: ${OWN_WAIVER_REASONS.tcpProbes}`]);
    const sameHttp = check((c) => ({
      healthEndpoints: [
        new HealthEndpoint(c, 'live', { kind: ProbeKind.LIVENESS, endpointPath: '/health' }),
        new HealthEndpoint(c, 'ready', { kind: ProbeKind.READINESS, endpointPath: '/health' }),
      ],
    }));
    expect(sameHttp).toMatchObject({ warnings: ['Deployment probe-not-identical'], errors: [], waived: [] });
  });
});
