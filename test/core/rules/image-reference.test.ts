import { imageDigest, imageReference, parseImageReference, registryHost, repositoryPath } from '../../../src/core/rules/image-reference';

const SHA = 'a'.repeat(64);

describe('imageReference', () => {
  test.each([
    'nginx',
    'nginx:1.25.3',
    'library/nginx:1.25',
    'ghcr.io/acme/api:1.2.0',
    'registry.example.com:5000/team/app:v1.0.0',
    'localhost:5000/rescan:latest',
    'localhost/rescan',
    `ghcr.io/acme/api@sha256:${SHA}`,
    `ghcr.io/acme/api:1.2.0@sha256:${SHA}`,
    'my_org/my-app__x.y:tag_1.0-rc',
  ])('accepts %s', (ref) => {
    expect(imageReference(ref)).toBeUndefined();
  });

  test.each([
    '',
    'Nginx',
    'ghcr.io/Acme/api:1.0',
    'nginx:',
    'nginx:-bad',
    'nginx::1',
    'nginx@sha256:short',
    'https://ghcr.io/acme/api',
    'acme//api',
    'acme/api/',
    `nginx:${'t'.repeat(129)}`,
    'rescan app:1.0',
  ])('refuses %j', (ref) => {
    expect(imageReference(ref)).toMatch(/an image reference such as "registry\.example\.com\/team\/app:1\.2\.0"/);
  });

  test('parses the parts', () => {
    expect(parseImageReference('ghcr.io/acme/api:1.2.0')).toEqual({ registry: 'ghcr.io', repository: 'acme/api', tag: '1.2.0', digest: undefined });
    expect(parseImageReference(`localhost:5000/rescan@sha256:${SHA}`)).toEqual({ registry: 'localhost:5000', repository: 'rescan', tag: undefined, digest: `sha256:${SHA}` });
  });

  test('a first part without "." or ":" is a path, not a registry', () => {
    expect(parseImageReference('acme/api:1.0')).toEqual({ registry: undefined, repository: 'acme/api', tag: '1.0', digest: undefined });
    expect(parseImageReference('localhost/api')?.registry).toBe('localhost');
  });

  test('an overlong repository path is refused', () => {
    expect(parseImageReference(`${'a'.repeat(200)}/${'b'.repeat(60)}`)).toBeUndefined();
  });
});

describe('registryHost, repositoryPath, imageDigest', () => {
  test('registryHost', () => {
    for (const ok of ['ghcr.io', 'localhost:5000', 'registry.local:5000', 'docker.io']) expect(registryHost(ok)).toBeUndefined();
    for (const bad of ['https://ghcr.io', 'ghcr.io/', '-bad.io', 'host:port']) expect(registryHost(bad)).toMatch(/a registry host such as "ghcr\.io"/);
  });

  test('repositoryPath', () => {
    for (const ok of ['rescan', 'acme/todo-backend', 'a.b/c_d/e__f']) expect(repositoryPath(ok)).toBeUndefined();
    for (const bad of ['Rescan', '/acme', 'acme/', 'a..b', 'x'.repeat(256)]) expect(repositoryPath(bad)).toMatch(/a repository path of lowercase letters/);
  });

  test('imageDigest', () => {
    expect(imageDigest(`sha256:${SHA}`)).toBeUndefined();
    expect(imageDigest(`sha512:${'0'.repeat(128)}`)).toBeUndefined();
    for (const bad of [SHA, `sha256:${'A'.repeat(64)}`, `sha256:${SHA.slice(1)}`, `md5:${SHA}`]) {
      expect(imageDigest(bad)).toMatch(/a digest such as "sha256:" followed by 64 lowercase hex digits/);
    }
  });
});
