import { Testing } from 'cdk8s';
import { ContainerImage, DeploymentManifest, ResourceLimits, ResourceLimitsProps } from '../../src';
import { findObject, synthManifests } from '../util/manifests';

function chartWith(build: (chart: any) => void, namespace = 'shop') {
  const chart = Testing.chart();
  (chart as any).namespace = namespace;
  build(chart);
  return chart;
}

/** The container of an "api" Deployment with these resource limits (the DeploymentManifest's defaults when undefined). */
function containerWith(props?: ResourceLimitsProps) {
  const objects = synthManifests(chartWith((c) => new DeploymentManifest(c, 'api', {
    image: new ContainerImage(c, 'api-image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' }),
    ports: [{ containerPort: 8080 }],
    resourceLimits: props ? new ResourceLimits(c, 'res', props) : undefined,
  })));
  return findObject(objects, 'Deployment', 'api').spec.template.spec.containers[0];
}

/** Synthesizes a chart holding only ResourceLimits at path test/r: the error message, or undefined when it synthesizes. */
function errorFor(props: ResourceLimitsProps): string | undefined {
  const chart = Testing.chart();
  new ResourceLimits(chart, 'r', props);
  try {
    Testing.synth(chart);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

describe('ResourceLimits', () => {
  test('container resources (snapshot)', () => {
    const container = containerWith({
      requests: { cpu: '250m', memory: '256Mi', storage: '100Mi' },
      limits: { cpu: '1', memory: '1Gi', storage: '1Gi' },
    });
    expect(container.resources).toEqual({
      requests: { 'cpu': '250m', 'memory': '256Mi', 'ephemeral-storage': '100Mi' },
      limits: { 'cpu': '1', 'memory': '1Gi', 'ephemeral-storage': '1Gi' },
    });
    expect(container.resources).toMatchSnapshot();
  });

  test('a DeploymentManifest without resourceLimits gets the defaults', () => {
    expect(containerWith().resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
    });
    expect(ResourceLimits.DEFAULT_REQUESTS).toEqual({ cpu: '100m', memory: '128Mi', storage: '64Mi' });
    expect(ResourceLimits.DEFAULT_LIMITS).toEqual({ cpu: '500m', memory: '256Mi', storage: '256Mi' });
  });

  test('requests default to the limits', () => {
    const limits = new ResourceLimits(Testing.chart(), 'r', { limits: { cpu: '500m', memory: '256Mi' } });
    expect(limits.requests).toEqual({ cpu: '500m', memory: '256Mi', storage: '256Mi' });
    expect(containerWith({ limits: { cpu: '500m', memory: '256Mi' } }).resources).toEqual({
      requests: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
    });
  });

  test('ephemeral storage is requested and limited when only cpu and memory are given', () => {
    expect(containerWith({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }).resources).toEqual({
      requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
      limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
    });
    // A storage limit below the default request is the request too; a larger one keeps 64Mi requested.
    expect(new ResourceLimits(Testing.chart(), 'r', { requests: { memory: '64Mi' }, limits: { memory: '64Mi', storage: '32Mi' } }).requests.storage).toBe('32Mi');
    expect(new ResourceLimits(Testing.chart(), 'r', { requests: { memory: '64Mi' }, limits: { memory: '64Mi', storage: '2Gi' } }).requests.storage).toBe('64Mi');
    // A storage request without a limit stays the user's mistake to fix (see below), not a default.
    expect(errorFor({ requests: { memory: '64Mi', storage: '1Gi' }, limits: { memory: '64Mi' } })).toMatch(/limits.storage: got nothing; expected a storage limit/);
  });

  test('storage is mapped to ephemeral-storage', () => {
    expect(containerWith({ limits: { memory: '256Mi', storage: '2Gi' } }).resources).toEqual({
      requests: { 'memory': '256Mi', 'ephemeral-storage': '2Gi' },
      limits: { 'memory': '256Mi', 'ephemeral-storage': '2Gi' },
    });
  });
});

describe('ResourceLimits: requests compared with limits as quantities', () => {
  test('a cpu request above its limit is refused, naming the field and the limit ("600m" > "0.5")', () => {
    expect(errorFor({ requests: { cpu: '600m', memory: '128Mi' }, limits: { cpu: '0.5', memory: '128Mi' } }))
      .toMatch(/\[test\/r\] requests.cpu: got "600m"; expected at most the limit "0.5"/);
  });

  test('a memory request above its limit is refused ("2Gi" > "1Gi")', () => {
    expect(errorFor({ requests: { memory: '2Gi' }, limits: { memory: '1Gi' } }))
      .toMatch(/\[test\/r\] requests.memory: got "2Gi"; expected at most the limit "1Gi"/);
  });

  test('a storage request above its limit is refused', () => {
    expect(errorFor({ requests: { memory: '1Gi', storage: '2G' }, limits: { memory: '1Gi', storage: '1Gi' } }))
      .toMatch(/\[test\/r\] requests.storage: got "2G"; expected at most the limit "1Gi"/);
  });

  test.each<[string, ResourceLimitsProps]>([
    ['"0.5" equals "500m"', { requests: { cpu: '0.5', memory: '128Mi' }, limits: { cpu: '500m', memory: '128Mi' } }],
    ['"500m" equals "0.5"', { requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '0.5', memory: '128Mi' } }],
    ['"1Gi" equals "1024Mi"', { requests: { memory: '1Gi' }, limits: { memory: '1024Mi' } }],
    ['"1024Mi" equals "1Gi"', { requests: { memory: '1024Mi' }, limits: { memory: '1Gi' } }],
    ['"999m" is below "1"', { requests: { cpu: '999m', memory: '1G' }, limits: { cpu: '1', memory: '1Gi' } }],
  ])('accepts a request at or below its limit: %s', (_what, props) => {
    expect(errorFor(props)).toBeUndefined();
  });
});

describe('ResourceLimits rules', () => {
  test.each<[string, ResourceLimitsProps, RegExp]>([
    ['cpu "lots"', { limits: { cpu: 'lots', memory: '128Mi' } },
      /\[test\/r\] limits.cpu: got "lots"; expected a CPU quantity such as "100m", "1" or "2.5" \(cores, or millicores with "m"\), greater than 0/],
    ['cpu "-1"', { limits: { cpu: '-1', memory: '128Mi' } }, /\[test\/r\] limits.cpu: got "-1"; expected a CPU quantity/],
    ['cpu "0"', { limits: { cpu: '0', memory: '128Mi' } }, /\[test\/r\] limits.cpu: got "0"; expected a CPU quantity .*greater than 0/],
    ['a requested cpu "lots"', { requests: { cpu: 'lots' }, limits: { cpu: '1', memory: '128Mi' } }, /\[test\/r\] requests.cpu: got "lots"; expected a CPU quantity/],
    ['memory "128MB"', { limits: { memory: '128MB' } },
      /\[test\/r\] limits.memory: got "128MB"; expected a byte quantity such as "128Mi", "1Gi" or "2Gi"/],
    ['memory "abc"', { limits: { memory: 'abc' } }, /\[test\/r\] limits.memory: got "abc"; expected a byte quantity/],
    ['a requested memory "abc"', { requests: { memory: 'abc' }, limits: { memory: '128Mi' } }, /\[test\/r\] requests.memory: got "abc"; expected a byte quantity/],
    ['storage "1gb"', { limits: { memory: '128Mi', storage: '1gb' } }, /\[test\/r\] limits.storage: got "1gb"; expected a byte quantity/],
    ['a missing memory limit', { limits: { cpu: '1' } },
      /\[test\/r\] limits.memory: got nothing; expected a memory limit such as "256Mi" \(a container without one can exhaust its node\)/],
    ['a cpu request without a cpu limit', { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
      /\[test\/r\] limits.cpu: got nothing; expected a cpu limit, since a cpu request \("100m"\) is set/],
    ['a storage request without a storage limit', { requests: { memory: '128Mi', storage: '1Gi' }, limits: { memory: '256Mi' } },
      /\[test\/r\] limits.storage: got nothing; expected a storage limit, since a storage request \("1Gi"\) is set/],
  ])('rejects %s, naming the field and the expected form', (_what, props, message) => {
    expect(errorFor(props)).toMatch(message);
  });

  test('an invalid quantity is reported once, not also compared with its limit', () => {
    const message = errorFor({ requests: { cpu: 'lots', memory: '128Mi' }, limits: { cpu: '1', memory: '128Mi' } })!;
    expect(message).toMatch(/requests.cpu: got "lots"/);
    expect(message).not.toMatch(/at most the limit/);
  });

  test('several mistakes are reported together', () => {
    const message = errorFor({ requests: { cpu: '2', memory: '2Gi', storage: '1Gi' }, limits: { cpu: '500m', memory: '1Gi' } })!;
    expect(message).toMatch(/\[test\/r\] requests.cpu: got "2"; expected at most the limit "500m"/);
    expect(message).toMatch(/\[test\/r\] requests.memory: got "2Gi"; expected at most the limit "1Gi"/);
    expect(message).toMatch(/\[test\/r\] limits.storage: got nothing; expected a storage limit/);
  });
});
