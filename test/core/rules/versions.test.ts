import { parseKubernetesVersion, semver, semverOrLatestTag } from '../../../src/core/rules/versions';

describe('semver', () => {
  test.each(['0.0.0', '1.0.0', '2.1.0-rc.1', '1.0.0-alpha.beta.1', '1.0.0+build.5', '10.20.30-x-y.0+meta'])('accepts %s', (v) => {
    expect(semver(v)).toBeUndefined();
  });

  test.each(['1', '1.0', 'v1.0.0', '01.0.0', '1.02.0', '1.0.0-', '1.0.0-01', '1.0.0+', 'latest', '1.0.0 '])('refuses %j', (v) => {
    expect(semver(v)).toMatch(/a semantic version such as "1\.0\.0" or "2\.1\.0-rc\.1" \(MAJOR\.MINOR\.PATCH\)/);
  });
});

describe('semverOrLatestTag', () => {
  test.each(['latest', '1.0.0', 'v1.0.0', 'v2.1.0-rc.1'])('accepts %s', (v) => {
    expect(semverOrLatestTag(v)).toBeUndefined();
  });

  test.each(['stable', 'v1', '1.0', 'vv1.0.0', 'Latest'])('refuses %j', (v) => {
    expect(semverOrLatestTag(v)).toMatch(/an image tag that is a semantic version/);
  });
});

describe('parseKubernetesVersion', () => {
  test('parses short, long, v-prefixed and suffixed versions', () => {
    expect(parseKubernetesVersion('1.28')).toEqual([1, 28, 0]);
    expect(parseKubernetesVersion('v1.28.3')).toEqual([1, 28, 3]);
    expect(parseKubernetesVersion('1.28.0-0')).toEqual([1, 28, 0]);
    expect(parseKubernetesVersion('v1.29.1+k3s1')).toEqual([1, 29, 1]);
  });

  test('refuses other text', () => {
    expect(parseKubernetesVersion('1')).toBeUndefined();
    expect(parseKubernetesVersion('latest')).toBeUndefined();
    expect(parseKubernetesVersion('1.x')).toBeUndefined();
  });
});
