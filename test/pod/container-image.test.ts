import { Testing } from 'cdk8s';
import { ContainerImage, ContainerImageProps, DeploymentManifest, Environment, ImagePullPolicy } from '../../src';
import { findObject, synthManifests } from '../util/manifests';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

function chartWith(build: (chart: any) => void, namespace = 'shop') {
  const chart = Testing.chart();
  (chart as any).namespace = namespace;
  build(chart);
  return chart;
}

function image(props: ContainerImageProps) {
  return new ContainerImage(Testing.chart(), 'img', props);
}

/** The container of a Deployment "api" in `environment` running an image with these props. */
function containerWith(props: ContainerImageProps, environment?: Environment) {
  const objects = synthManifests(chartWith((c) => new DeploymentManifest(c, 'api', {
    environment,
    image: new ContainerImage(c, 'api-image', props),
    ports: [{ containerPort: 8080 }],
  })));
  return findObject(objects, 'Deployment', 'api').spec.template.spec.containers[0];
}

/** Synthesizes `build`'s chart and returns the error message. */
function errorOf(build: (chart: any) => void): string {
  const chart = chartWith(build);
  try {
    Testing.synth(chart);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the synth to fail');
}

describe('ContainerImage reference', () => {
  test.each<[string, ContainerImageProps, string]>([
    ['a repository alone, tagged latest by default', { repository: 'nginx' }, 'nginx:latest'],
    ['a registry, repository and tag', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.2.0' }, 'ghcr.io/acme/api:1.2.0'],
    ['a registry with a port', { registry: 'registry.local:5000', repository: 'team/app', tag: 'v2.0.0-rc.1' }, 'registry.local:5000/team/app:v2.0.0-rc.1'],
    ['a digest alone (no default tag)', { registry: 'ghcr.io', repository: 'acme/api', digest: DIGEST }, `ghcr.io/acme/api@${DIGEST}`],
    ['a tag and a digest', { repository: 'acme/api', tag: '1.2.0', digest: DIGEST }, `acme/api:1.2.0@${DIGEST}`],
  ])('assembles %s', (_what, props, reference) => {
    const img = image(props);
    expect(img.reference).toBe(reference);
    expect(img.registry).toBe(props.registry);
    expect(img.repository).toBe(props.repository);
    expect(img.digest).toBe(props.digest);
  });

  test('the tag defaults to latest only without a digest', () => {
    expect(image({ repository: 'web' }).tag).toBe('latest');
    expect(image({ repository: 'web', digest: DIGEST }).tag).toBeUndefined();
  });

  test('the reference is the container image of a DeploymentManifest', () => {
    const container = containerWith({ registry: 'ghcr.io', repository: 'acme/api', tag: '1.2.0', digest: DIGEST });
    expect(container.image).toBe(`ghcr.io/acme/api:1.2.0@${DIGEST}`);
  });
});

describe('ContainerImage pull policy', () => {
  test.each([
    [Environment.DEVELOPMENT, 'IfNotPresent'],
    [Environment.STAGING, 'Always'],
    [Environment.PRODUCTION, 'Always'],
  ])('a %s workload pulls %s', (environment, policy) => {
    expect(image({ repository: 'web', tag: '1.0.0' }).imagePullPolicyFor(environment)).toBe(policy);
    expect(containerWith({ repository: 'web', tag: '1.0.0' }, environment).imagePullPolicy).toBe(policy);
  });

  test('a DeploymentManifest is production, so pulls Always, by default', () => {
    expect(containerWith({ repository: 'web', tag: '1.0.0' }).imagePullPolicy).toBe('Always');
  });

  test('an explicit pull policy overrides the environment', () => {
    expect(containerWith({ repository: 'web', tag: '1.0.0', imagePullPolicy: ImagePullPolicy.NEVER }, Environment.PRODUCTION).imagePullPolicy).toBe('Never');
    expect(containerWith({ repository: 'web', tag: '1.0.0', imagePullPolicy: ImagePullPolicy.ALWAYS }, Environment.DEVELOPMENT).imagePullPolicy).toBe('Always');
    expect(containerWith({ repository: 'web', tag: '1.0.0', imagePullPolicy: ImagePullPolicy.IF_NOT_PRESENT }, Environment.STAGING).imagePullPolicy).toBe('IfNotPresent');
  });

  test('the image\'s own environment decides its pull policy', () => {
    expect(containerWith({ repository: 'web', tag: '1.0.0', environment: Environment.STAGING }, Environment.DEVELOPMENT).imagePullPolicy).toBe('Always');
    expect(image({ repository: 'web', tag: '1.0.0', environment: Environment.DEVELOPMENT }).imagePullPolicyFor(Environment.PRODUCTION)).toBe('IfNotPresent');
  });
});

describe('ContainerImage "latest"', () => {
  const LATEST = /expected a pinned semantic version \(or a digest\) in production; "latest" is for development only/;

  test('is refused when the image is production', () => {
    const message = errorOf((c) => new ContainerImage(c, 'p', { repository: 'web', tag: 'latest', environment: Environment.PRODUCTION }));
    expect(message).toMatch(/\[test\/p\] tag: got "latest"; expected a pinned semantic version \(or a digest\) in production; "latest" is for development only/);
  });

  test('is refused when the tag is left out and the image is production', () => {
    expect(errorOf((c) => new ContainerImage(c, 'p', { repository: 'web', environment: Environment.PRODUCTION })))
      .toMatch(/\[test\/p\] tag: got "latest"; expected a pinned semantic version/);
  });

  test('is refused when the workload is production, even for an image without an environment', () => {
    const message = errorOf((c) => new DeploymentManifest(c, 'api', {
      image: new ContainerImage(c, 'api-image', { repository: 'web' }),
      ports: [{ containerPort: 8080 }],
    }));
    expect(message).toMatch(/\[test\/api\] image.tag: got "latest"; expected a pinned semantic version/);
    expect(message).toMatch(LATEST);
  });

  test('is refused when the workload is production, even for an image marked development', () => {
    const message = errorOf((c) => new DeploymentManifest(c, 'api', {
      environment: Environment.PRODUCTION,
      image: new ContainerImage(c, 'api-image', { repository: 'web', tag: 'latest', environment: Environment.DEVELOPMENT }),
      ports: [{ containerPort: 8080 }],
    }));
    expect(message).toMatch(/\[test\/api\] image.tag: got "latest"; expected a pinned semantic version \(or a digest\) in production/);
  });

  test('is refused in staging', () => {
    expect(errorOf((c) => new ContainerImage(c, 'p', { repository: 'web', tag: 'latest', environment: Environment.STAGING })))
      .toMatch(/\[test\/p\] tag: got "latest"; expected a pinned semantic version \(or a digest\) in staging/);
  });

  test('is accepted in development', () => {
    const container = containerWith({ repository: 'web', tag: 'latest', environment: Environment.DEVELOPMENT }, Environment.DEVELOPMENT);
    expect(container).toMatchObject({ image: 'web:latest', imagePullPolicy: 'IfNotPresent' });
    expect(image({ repository: 'web' }).tagProblem(Environment.DEVELOPMENT)).toBeUndefined();
  });

  test('is accepted in production when a digest pins the image', () => {
    const img = image({ repository: 'web', tag: 'latest', digest: DIGEST, environment: Environment.PRODUCTION });
    expect(img.tagProblem(Environment.PRODUCTION)).toBeUndefined();
    expect(containerWith({ repository: 'web', tag: 'latest', digest: DIGEST }).image).toBe(`web:latest@${DIGEST}`);
  });

  test('a pinned version is accepted in every environment', () => {
    for (const environment of [Environment.DEVELOPMENT, Environment.STAGING, Environment.PRODUCTION]) {
      expect(image({ repository: 'web', tag: 'v1.2.3' }).tagProblem(environment)).toBeUndefined();
    }
  });
});

describe('ContainerImage rules', () => {
  test.each<[string, ContainerImageProps, RegExp]>([
    ['repository "Bad/Repo"', { repository: 'Bad/Repo', tag: '1.0.0' },
      /\[test\/p\] repository: got "Bad\/Repo"; expected a repository path of lowercase letters, digits and separators/],
    ['an empty repository', { repository: '', tag: '1.0.0' }, /\[test\/p\] repository: got ""; expected a repository path/],
    ['tag "1.0" (not semver)', { repository: 'web', tag: '1.0' },
      /\[test\/p\] tag: got "1.0"; expected an image tag that is a semantic version such as "1.0.0" or "v1.0.0", or "latest"/],
    ['tag "v1.2"', { repository: 'web', tag: 'v1.2' }, /\[test\/p\] tag: got "v1.2"; expected an image tag that is a semantic version/],
    ['tag "stable"', { repository: 'web', tag: 'stable' }, /\[test\/p\] tag: got "stable"; expected an image tag that is a semantic version/],
    ['a short digest', { repository: 'web', digest: 'sha256:1234' },
      /\[test\/p\] digest: got "sha256:1234"; expected a digest such as "sha256:" followed by 64 lowercase hex digits/],
    ['a digest without algorithm', { repository: 'web', digest: '0123456789abcdef'.repeat(4) }, /\[test\/p\] digest: got "[0-9a-f]{64}"; expected a digest such as "sha256:"/],
    ['a registry "https://ghcr.io"', { registry: 'https://ghcr.io', repository: 'acme/api', tag: '1.0.0' },
      /\[test\/p\] registry: got "https:\/\/ghcr.io"; expected a registry host such as "ghcr.io" or "registry.local:5000"/],
    ['a registry with a path', { registry: 'ghcr.io/acme', repository: 'api', tag: '1.0.0' },
      /\[test\/p\] registry: got "ghcr.io\/acme"; expected a registry host/],
  ])('rejects %s, naming the field and the expected form', (_what, props, message) => {
    expect(errorOf((c) => new ContainerImage(c, 'p', props))).toMatch(message);
  });

  test('valid parts synthesize', () => {
    const chart = Testing.chart();
    new ContainerImage(chart, 'a', { registry: 'localhost:5000', repository: 'my_team/app-x.y', tag: '0.1.0-alpha.1', digest: DIGEST });
    new ContainerImage(chart, 'b', { registry: 'ghcr.io', repository: 'acme/todo-backend', tag: 'v10.20.30' });
    expect(Testing.synth(chart)).toEqual([]);
  });

  test('several mistakes are reported together', () => {
    const message = errorOf((c) => new ContainerImage(c, 'p', { registry: 'https://ghcr.io', repository: 'Bad/Repo', tag: '1.0', digest: 'sha256:1234' }));
    expect(message).toMatch(/\[test\/p\] registry: got "https:\/\/ghcr.io"/);
    expect(message).toMatch(/\[test\/p\] repository: got "Bad\/Repo"/);
    expect(message).toMatch(/\[test\/p\] tag: got "1.0"/);
    expect(message).toMatch(/\[test\/p\] digest: got "sha256:1234"/);
  });
});

describe('ContainerImage in a workload (snapshot)', () => {
  test('registry, repository, tag and digest as the container and its init container see them', () => {
    const objects = synthManifests(chartWith((c) => new DeploymentManifest(c, 'api', {
      image: new ContainerImage(c, 'api-image', { registry: 'registry.example.com:5000', repository: 'team/api', tag: 'v2.3.1', digest: DIGEST }),
      initContainers: [{ name: 'migrate', image: new ContainerImage(c, 'migrate-image', { repository: 'team/migrate', tag: '2.3.1' }), command: ['/migrate'] }],
      ports: [{ containerPort: 8080 }],
    })));
    const pod = findObject(objects, 'Deployment', 'api').spec.template.spec;
    const images = [...pod.initContainers, ...pod.containers].map((c: any) => ({ name: c.name, image: c.image, imagePullPolicy: c.imagePullPolicy }));
    expect(images).toMatchSnapshot();
    expect(images[1].image).toBe(`registry.example.com:5000/team/api:v2.3.1@${DIGEST}`);
  });
});
