/**
 * Every case of issue 14, fed as a JavaScript caller feeds it: the props are the plain-JavaScript
 * baselines of js-callers.js with one value broken (no type checks anywhere). Each case shows the
 * finding it gets: construct path, field, bad value (NaN, Infinity, undefined and null as such) and
 * expected form, never a TypeError; secret-looking values appear only as <redacted>.
 */
import { Testing } from 'cdk8s';
import { baselines, build, catalogBaseline, errorWith, image, lib, service, storage, synthError } from './js-callers';
import { Warnings } from '../../src';
import { describeValue } from '../../src/core/findings';
import { STRUCTS } from '../../src/core/private/prop-types.generated';
import { validateObject } from '../util/k8s-schema';
import { assertValidManifests, findObject, synthManifests } from '../util/manifests';

const AT = '[test/subject]';

/** The error of the baseline of `className` with `change` applied; fails when it synthesizes. */
function errorOf(className: string, change: (props: any, chart: any) => void): string {
  const message = errorWith(className, change);
  if (message === undefined) throw new Error(`${className}: expected the synth to fail`);
  return message;
}

describe('enums are checked at run time', () => {
  test.each([
    ['DeploymentManifest', 'type', 'swarm', 'one of kubernetes, docker-compose (ManifestType)'],
    ['DeploymentManifest', 'environment', 'qa', 'one of development, staging, production (Environment)'],
    ['CertificateBundle', 'certType', 'letsencrypt', 'one of custom, auto-generated-selfsigned, auto-generated-ca (CertificateType)'],
    ['ServiceConfiguration', 'serviceType', 'Internal', 'one of ClusterIP, NodePort, LoadBalancer (ServiceType)'],
    ['SecretConfiguration', 'secretType', 'not a type!', 'one of Opaque, kubernetes.io/tls, kubernetes.io/dockerconfigjson (SecretType)'],
    ['ContainerImage', 'imagePullPolicy', 'Sometimes', 'one of Always, IfNotPresent, Never (ImagePullPolicy)'],
    ['PersistentStorage', 'accessMode', 'ReadWriteSometimes', 'one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod (AccessMode)'],
    ['ServiceConfiguration', 'sessionAffinity', 'Sticky', 'one of None, ClientIP (SessionAffinity)'],
    ['Namespace', 'podSecurityLevel', 'lax', 'one of restricted, baseline, privileged (PodSecurityLevel)'],
    ['HealthEndpoint', 'kind', 'ready', 'one of liveness, readiness, startup (ProbeKind)'],
  ])('%s %s: %p', (className, field, value, expected) => {
    const message = errorOf(className, (p) => { p[field] = value; });
    expect(message).toBe(`Validation failed with the following errors:\n  ${AT} ${field}: got ${JSON.stringify(value)}; expected ${expected}`);
  });

  test('protocol "HTTP" of a container port, and of a Service port', () => {
    expect(errorOf('DeploymentManifest', (p) => { p.ports[0].protocol = 'HTTP'; }))
      .toContain(`${AT} ports[0].protocol: got "HTTP"; expected one of TCP, UDP (Protocol)`);
    expect(errorOf('ServiceConfiguration', (p) => { p.ports[0].protocol = 'HTTP'; }))
      .toContain(`${AT} ports[0].protocol: got "HTTP"; expected one of TCP, UDP (Protocol)`);
  });

  test('certType "letsencrypt" generates no self-signed certificate', () => {
    const { chart, construct } = build('CertificateBundle', (c: any) => ({ ...baselines.CertificateBundle(c), certType: 'letsencrypt' }));
    expect(synthError(chart)).toMatch(/certType: got "letsencrypt"/);
    expect(construct.certManagerCertificate).toBeUndefined();
    expect(construct.secret).toBeUndefined();
  });

  test('a HealthEndpoint of kind "ready" is reported instead of leaving the container without a probe', () => {
    const chart = Testing.chart();
    const ready = new lib.HealthEndpoint(chart, 'ready', { kind: 'ready' });
    new lib.DeploymentManifest(chart, 'api', { image: image(chart), ports: [{ containerPort: 8080 }], healthEndpoints: [ready] });
    const message = synthError(chart)!;
    expect(message).toContain('[test/ready] kind: got "ready"; expected one of liveness, readiness, startup (ProbeKind)');
  });
});

describe('missing, null and mistyped required props are findings, never a TypeError', () => {
  test.each([
    ['DeploymentManifest', 'image', 'a ContainerImage (made with new ContainerImage(...))'],
    ['ServiceConfiguration', 'ports', 'a list, each item an object (ServicePortSpec) with name, port'],
    ['HealthEndpoint', 'kind', 'one of liveness, readiness, startup (ProbeKind)'],
    ['Namespace', 'name', 'a string'],
    ['CertificateBundle', 'serverName', 'a string'],
  ])('%s %s: undefined, null or missing', (className, field, expected) => {
    expect(errorOf(className, (p) => { p[field] = undefined; })).toContain(`${AT} ${field}: got undefined; expected ${expected}`);
    expect(errorOf(className, (p) => { p[field] = null; })).toContain(`${AT} ${field}: got null; expected ${expected}`);
    expect(errorOf(className, (p) => { delete p[field]; })).toContain(`${AT} ${field}: got nothing; expected ${expected}`);
  });

  test('an image given as a string instead of a ContainerImage', () => {
    expect(errorOf('DeploymentManifest', (p) => { p.image = 'ghcr.io/acme/api:1.0.0'; })).toBe(
      `Validation failed with the following errors:\n  ${AT} image: got "ghcr.io/acme/api:1.0.0"; expected a ContainerImage (made with new ContainerImage(...))`);
    expect(errorOf('StatefulManifest', (p, c) => { p.image = storage(c, 'not-an-image', 'data', '/data'); }))
      .toContain(`${AT} image: got <PersistentStorage test/not-an-image>; expected a ContainerImage`);
  });

  test('an object that holds the expected kind names the property to pass instead', () => {
    // MonitoringMetrics watches a workload: an McpServerInstance is none, but it holds one.
    const message = errorOf('MonitoringMetrics', (p, c) => { p.workload = new lib.McpServerInstance(c, 'instance', baselines.McpServerInstance(c)); });
    expect(message).toContain(`${AT} workload: got <McpServerInstance test/instance>; expected a WorkloadManifest `
      + '(made with new DeploymentManifest(...) or new StatefulManifest(...)); the McpServerInstance given holds one: '
      + 'pass its property workload (mcpServerInstance.workload)');
    // Several properties of the kind: each is named (a Deployment's objects where an ApiObject is expected).
    const chart = Testing.chart();
    const parameter = new lib.ValueParameter(chart, 'param', baselines.ValueParameter(chart));
    parameter.bind(new lib.DeploymentManifest(chart, 'api', baselines.DeploymentManifest(chart)), '/spec/replicas');
    expect(synthError(chart)).toContain('[test/param] bind(apiObject): got <DeploymentManifest test/api>; expected an ApiObject (made with new ApiObject(...)); '
      + 'the DeploymentManifest given holds some: pass one of its properties autoscaler, deployment, disruptionBudget, networkPolicy (deploymentManifest.autoscaler, ...)');
    // Nothing to suggest when the object holds none.
    expect(errorOf('MonitoringMetrics', (p) => { p.workload = 'api'; }))
      .toBe(`Validation failed with the following errors:\n  ${AT} workload: got "api"; expected a WorkloadManifest (made with new DeploymentManifest(...) or new StatefulManifest(...))`);
  });

  test('an undefined item or a hole in a list is left out like any bad item (ScheduledBackup read command[0] and threw)', () => {
    // eslint-disable-next-line no-sparse-arrays
    for (const command of [[undefined, 'sh'], [, 'sh']]) {
      expect(errorOf('ScheduledBackup', (p) => { p.command = command; }))
        .toBe(`Validation failed with the following errors:\n  ${AT} command[0]: got undefined; expected a string`);
    }
    const { chart } = build('ScheduledBackup', (c: any) => ({ ...baselines.ScheduledBackup(c), command: ['sh', '-c', 'cp -r /data /backup'] }));
    expect(findObject(synthManifests(chart), 'CronJob', 'backup').spec.jobTemplate.spec.template.spec.containers[0].command).toEqual(['sh', '-c', 'cp -r /data /backup']);
  });

  test('no props at all', () => {
    const { chart } = build('DeploymentManifest', undefined);
    expect(synthError(chart)).toContain(`${AT} image: got nothing; expected a ContainerImage`);
  });

  test('an image without repository is reported, not rendered as "undefined:1.0.0"', () => {
    const { chart, construct } = build('ContainerImage', { tag: '1.0.0' });
    expect(synthError(chart)).toBe(`Validation failed with the following errors:\n  ${AT} repository: got nothing; expected a string`);
    expect(construct.reference).not.toContain('undefined');
  });

  test.each(['ConfigMapConfiguration', 'SecretConfiguration', 'PersistentStorage', 'IngressConfiguration', 'Namespace'])(
    '%s without a name is reported (no object without metadata.name)', (className) => {
      expect(errorOf(className, (p) => { delete p.name; })).toContain(`${AT} name: got nothing; expected a string`);
    });

  test('MinikubeCluster without cpus is reported, never rendered as --cpus undefined', () => {
    const message = errorOf('MinikubeCluster', (p) => { delete p.cpus; });
    expect(message).toBe(`Validation failed with the following errors:\n  ${AT} cpus: got nothing; expected a finite number`);
  });

  describe('with catalogs set, a DeploymentManifest gives the findings it gives without catalogs', () => {
    const errorWithCatalogs = (change: (p: any) => void) => {
      const { chart } = build('DeploymentManifest', (c: any) => {
        const props = catalogBaseline(c);
        change(props);
        return props;
      });
      return synthError(chart);
    };

    test('the baseline with catalogs synthesizes', () => {
      expect(errorWithCatalogs(() => undefined)).toBeUndefined();
    });

    test('without image', () => {
      const message = errorWithCatalogs((p) => { delete p.image; });
      expect(message).toBe(`Validation failed with the following errors:\n  ${AT} image: got nothing; expected a ContainerImage (made with new ContainerImage(...))`);
      expect(message).toBe(errorOf('DeploymentManifest', (p) => { delete p.image; }));
    });

    test('with image as a string (the README\'s JavaScript example)', () => {
      const message = errorWithCatalogs((p) => { p.image = 'ghcr.io/acme/api:1.0.0'; });
      expect(message).toBe(`Validation failed with the following errors:\n  ${AT} image: got "ghcr.io/acme/api:1.0.0"; expected a ContainerImage (made with new ContainerImage(...))`);
      expect(message).toBe(errorOf('DeploymentManifest', (p) => { p.image = 'ghcr.io/acme/api:1.0.0'; }));
    });

    test('with a volume that is no object and no holotree volume (the stand-in has no mount path for the holotree lookup to read)', () => {
      expect(errorWithCatalogs((p) => { p.volumes = [0]; delete p.storage; })).toBe('Validation failed with the following errors:\n'
        + `  ${AT} volumes[0]: got 0; expected an object (WorkloadVolume) with name, mountPath\n`
        + `  ${AT} catalogs: got "/opt/robocorp"; expected a volume mounted at the catalogs' robocorpHomePath to import into `
        + '(the holotree: a PersistentStorage in `storage` with that mountPath)');
    });

    test('with a catalog whose robocorpHomePath is no string (the plan has no holotree path to look up)', () => {
      const { chart } = build('DeploymentManifest', (c: any) => ({
        ...catalogBaseline(c),
        catalogs: [new lib.SampleCatalog(c, 'numbered', { ...baselines.SampleCatalog(c), catalogName: 'numbered', robocorpHomePath: 5 })],
      }));
      expect(synthError(chart)).toBe('Validation failed with the following errors:\n  [test/numbered] robocorpHomePath: got 5; expected a string');
    });

    test('with a catalog importer whose image is a string', () => {
      const message = errorWithCatalogs((p) => { p.catalogImporter = { image: 'rcc:1.0.0' }; });
      expect(message).toBe(`Validation failed with the following errors:\n  ${AT} catalogImporter.image: got "rcc:1.0.0"; expected a ContainerImage (made with new ContainerImage(...))`);
    });
  });

  test('SampleCatalog without checksumSha256 is reported (a checksum that is never verified)', () => {
    expect(errorOf('SampleCatalog', (p) => { delete p.checksumSha256; }))
      .toBe(`Validation failed with the following errors:\n  ${AT} checksumSha256: got nothing; expected a string`);
  });

  test('HelmChart without chartVersion is reported and writes no Chart.yaml', () => {
    const { chart, construct } = build('HelmChart', (c: any) => ({ chartName: 'shop', chart: c }));
    expect(synthError(chart)).toContain(`${AT} chartVersion: got nothing; expected a string`);
    expect(() => construct.synthesizeFiles()).toThrow(/^Validation failed with the following errors:\n {2}\[test\/subject\] chartVersion: got nothing; expected a string/);
  });

  test('method arguments are checked too: volume(mountPath), addTarget(target), bind(apiObject)', () => {
    const chart = Testing.chart();
    const config = new lib.ConfigMapConfiguration(chart, 'config', baselines.ConfigMapConfiguration(chart));
    config.volume(42);
    const svc = new lib.ServiceConfiguration(chart, 'svc', baselines.ServiceConfiguration(chart));
    svc.addTarget('api');
    const parameter = new lib.ValueParameter(chart, 'param', baselines.ValueParameter(chart));
    parameter.bind(undefined, '/data/x');
    const message = synthError(chart)!;
    expect(message).toContain('[test/config] volume(mountPath): got 42; expected a string');
    expect(message).toContain('[test/svc] addTarget(target): got "api"; expected an object (ServiceTarget) with path, podLabels, containerPorts');
    expect(message).toContain('[test/param] bind(apiObject): got undefined; expected an ApiObject (made with new ApiObject(...))');
  });

  test('static entry points without a construct throw the same report, not a TypeError', () => {
    expect(() => lib.RestrictedProfile.check(42)).toThrow(
      /^Validation failed with the following errors:\n {2}\[RestrictedProfile.check\] check\(manifests\): got 42; expected a list/);
    expect(() => lib.ManifestPolicy.check({ kind: 'Pod' })).toThrow(/\[ManifestPolicy.check\] check\(manifests\): got \{"kind":"Pod"\}; expected a list/);
    expect(() => lib.CatalogSource.fromUrl(123, 'curl')).toThrow(
      /\[CatalogSource.fromUrl\] fromUrl\(baseUrl\): got 123; expected a string\n {2}\[CatalogSource.fromUrl\] fromUrl\(downloader\): got "curl"; expected a ContainerImage/);
    expect(() => lib.CatalogSource.fromImage(undefined)).toThrow(/\[CatalogSource.fromImage\] fromImage\(image\): got undefined; expected a ContainerImage/);
    return expect(lib.CertificateBundle.prepareAll('app')).rejects.toThrow(/prepareAll\(scope\): got "app"; expected an object implementing IConstruct/);
  });
});

describe('NaN and Infinity are shown as such', () => {
  /** Every number prop (top-level and in nested structs and lists) of the baseline of `className`, as a path. */
  function numberPaths(structName: string, props: any, prefix = ''): Array<{ path: string; set: (v: number) => void }> {
    const out: Array<{ path: string; set: (v: number) => void }> = [];
    for (const [key, spec] of Object.entries(STRUCTS[structName] ?? {})) {
      const type = spec.replace(/\?$/, '');
      const value = props?.[key];
      if (type === 'number' && value !== undefined) out.push({ path: `${prefix}${key}`, set: (v) => { props[key] = v; } });
      if (type.startsWith('struct:') && !type.endsWith('[]') && value) out.push(...numberPaths(type.slice(7), value, `${prefix}${key}.`));
      if (type.startsWith('struct:') && type.endsWith('[]') && value?.[0]) out.push(...numberPaths(type.slice(7, -2), value[0], `${prefix}${key}[0].`));
    }
    return out;
  }
  const cases: Array<[string, string]> = [];
  for (const className of Object.keys(baselines)) {
    const chart = Testing.chart();
    for (const { path } of numberPaths(`${className}Props`, baselines[className](chart))) cases.push([className, path]);
  }

  test('the baselines have number props in every construct that takes them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  test.each(cases)('%s %s', (className, path) => {
    for (const [value, shown] of [[NaN, 'NaN'], [Infinity, 'Infinity'], [-Infinity, '-Infinity']] as const) {
      const message = errorOf(className, (props) => {
        numberPaths(`${className}Props`, props).find((p) => p.path === path)!.set(value);
      });
      expect(message).toContain(`${AT} ${path}: got ${shown}; expected a finite number`);
      expect(message).not.toContain('got null');
    }
  });
});

describe('names and label values the API server accepts', () => {
  const long = `${'a'.repeat(60)}.${'b'.repeat(39)}`; // 100 characters: a valid DNS-1123 subdomain, no valid label value
  const longest = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`; // 253 characters

  test.each(['ConfigMapConfiguration', 'PersistentStorage', 'IngressConfiguration', 'SecretConfiguration'])(
    '%s: a 100- or 253-character name is reported once, as the app.kubernetes.io/name label it becomes', (className) => {
      for (const name of [long, longest]) {
        const message = errorOf(className, (p) => { p.name = name; });
        expect(message).toBe(`Validation failed with the following errors:\n  ${AT} name: got ${describeValue(name)}; `
          + `expected a name that is also a valid label value, since it becomes the label app.kubernetes.io/name: at most 63 characters (this one has ${name.length}), `
          + 'starting and ending with a letter or digit; or set appName to a shorter label value');
      }
    });

  test('with a short appName the long name is fine', () => {
    const { chart } = build('ConfigMapConfiguration', (c: any) => ({ ...baselines.ConfigMapConfiguration(c), name: long, appName: 'api-config' }));
    expect(findObject(synthManifests(chart), 'ConfigMap', long).metadata.labels['app.kubernetes.io/name']).toBe('api-config');
  });

  test('a too-long Deployment name is reported once, not once per object made from it', () => {
    const name = 'x'.repeat(70);
    const message = errorOf('DeploymentManifest', (p) => { p.name = name; });
    expect(message.split(name).length - 1).toBe(1);
    expect(message).toContain(`${AT} name: got "${name}"; expected a DNS-1123 label`);
  });

  test('a too-long Service name is reported once', () => {
    const name = 's'.repeat(70);
    const message = errorOf('DeploymentManifest', (p) => { p.service.serviceName = name; });
    expect(message.split(name).length - 1).toBe(1);
    expect(message).toContain(`[test/subject/service] serviceName: got "${name}"; expected a DNS-1035 label`);
  });
});

describe('keys named like Object members (toString, constructor, __proto__)', () => {
  // JSON.parse makes "__proto__" an own key, as it is in the config a JavaScript caller reads from a file.
  const parsed = (json: string) => JSON.parse(json);
  const UNWRITABLE = 'expected a key other than constructor and __proto__ (cdk8s cannot write a map key of that name)';

  test('a pod label named toString or valueOf is no selector label: only a pod label that changes a selector label is refused', () => {
    expect(errorOf('DeploymentManifest', (p) => { p.podLabels = { 'app.kubernetes.io/name': 'web' }; }))
      .toContain(`${AT} podLabels.app.kubernetes.io/name: got "web"; expected "api", the selector's value (a pod label may not change a selector label)`);
    const { chart } = build('DeploymentManifest', (c: any) => ({ ...baselines.DeploymentManifest(c), podLabels: { toString: 'a', valueOf: 'b', hasOwnProperty: 'c' } }));
    const labels = findObject(synthManifests(chart), 'Deployment', 'api').spec.template.metadata.labels;
    expect(labels).toMatchObject({ 'toString': 'a', 'valueOf': 'b', 'hasOwnProperty': 'c', 'app.kubernetes.io/name': 'api' });
  });

  test('constructor and __proto__ as keys of a written map are findings, not a cdk8s crash or a silently dropped key', () => {
    expect(errorOf('ConfigMapConfiguration', (p) => { p.configData = parsed('{"LOG_LEVEL": "info", "__proto__": "x"}'); }))
      .toBe(`Validation failed with the following errors:\n  ${AT} configData.__proto__ key: got "__proto__"; ${UNWRITABLE}`);
    expect(errorOf('ConfigMapConfiguration', (p) => { p.labels = { constructor: 'x' }; }))
      .toBe(`Validation failed with the following errors:\n  ${AT} labels key: got "constructor"; ${UNWRITABLE}`);
    expect(errorOf('SecretConfiguration', (p) => { p.secretData = { API_KEY: 'not-a-real-key', constructor: 'not-a-real-key' }; }))
      .toBe(`Validation failed with the following errors:\n  ${AT} secretData.constructor key: got "constructor"; ${UNWRITABLE}`);
    const workload = errorOf('DeploymentManifest', (p) => {
      p.podAnnotations = { constructor: 'x' };
      p.nodeSelector = { constructor: 'x' };
      p.selectorLabels = { app: 'api', constructor: 'x' };
    });
    for (const field of ['podAnnotations key', 'nodeSelector key', 'selectorLabels key']) {
      expect(workload).toContain(`${AT} ${field}: got "constructor"; ${UNWRITABLE}`);
    }
    expect(errorOf('IngressConfiguration', (p) => { p.loadBalancerAnnotations = { constructor: 'x' }; }))
      .toContain(`${AT} loadBalancerAnnotations key: got "constructor"; ${UNWRITABLE}`);
  });

  test('the same keys are fine where they are no map key of the output: environment variable names, data keys named toString', () => {
    const { chart } = build('DeploymentManifest', (c: any) => ({
      ...baselines.DeploymentManifest(c),
      env: parsed('{"constructor": "a", "__proto__": "b", "toString": "c"}'),
      configMaps: [new lib.ConfigMapConfiguration(c, 'config', { name: 'api-config', configData: { toString: 'x', valueOf: 'y' }, requiredKeys: ['toString'] })],
    }));
    const objects = synthManifests(chart);
    expect(findObject(objects, 'Deployment', 'api').spec.template.spec.containers[0].env)
      .toEqual(expect.arrayContaining([{ name: 'constructor', value: 'a' }, { name: '__proto__', value: 'b' }, { name: 'toString', value: 'c' }]));
    expect(findObject(objects, 'ConfigMap', 'api-config').data).toEqual({ toString: 'x', valueOf: 'y' });
  });

  test('nodeSelector keys and values are checked as labels (the API server does)', () => {
    expect(errorOf('DeploymentManifest', (p) => { p.nodeSelector = { 'disk type': 'fast ssd' }; }))
      .toMatch(/nodeSelector key: got "disk type"; expected a label key[^\n]*\n.*nodeSelector\.disk type: got "fast ssd"; expected a label value/);
    const { chart } = build('DeploymentManifest', (c: any) => ({ ...baselines.DeploymentManifest(c), nodeSelector: { 'kubernetes.io/os': 'linux' } }));
    expect(findObject(synthManifests(chart), 'Deployment', 'api').spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
  });
});

describe('maps and props that are objects of another prototype', () => {
  test('a map without prototype (Object.create(null)) or of the caller\'s own class is written as its own properties, not a cdk8s crash', () => {
    class Settings { public readonly LOG_LEVEL = 'debug'; }
    const { chart } = build('DeploymentManifest', (c: any) => ({
      ...baselines.DeploymentManifest(c),
      env: Object.assign(Object.create(null), { LOG_LEVEL: 'info' }),
      nodeSelector: Object.assign(Object.create(null), { 'kubernetes.io/os': 'linux' }),
      podLabels: new Settings(),
    }));
    const pod = findObject(synthManifests(chart), 'Deployment', 'api').spec.template;
    expect(pod.spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(pod.spec.containers[0].env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
    expect(pod.metadata.labels.LOG_LEVEL).toBe('debug');
    const props = Object.assign(Object.create(null), baselines.ConfigMapConfiguration(Testing.chart()), { configData: Object.assign(Object.create(null), { A: '1' }) });
    const configMap = build('ConfigMapConfiguration', { ...props, requiredKeys: ['A'] }).chart;
    expect(findObject(synthManifests(configMap), 'ConfigMap', 'api-config').data).toEqual({ A: '1' });
  });

  test('a Map or Set where a map is expected is a finding (it would be an empty map), shown by its size', () => {
    expect(errorOf('DeploymentManifest', (p) => { p.env = new Map([['LOG_LEVEL', 'info']]); }))
      .toBe(`Validation failed with the following errors:\n  ${AT} env: got <Map with 1 entry>; expected an object whose values are each a string`);
    expect(errorOf('ConfigMapConfiguration', (p) => { p.configData = new Set(['a', 'b']); }))
      .toContain(`${AT} configData: got <Set with 2 entries>; expected an object whose values are each a string`);
    expect(errorOf('ConfigMapConfiguration', (p) => { p.labels = new Date(0); }))
      .toContain(`${AT} labels: got <Date 1970-01-01T00:00:00.000Z>; expected an object whose values are each a string`);
  });
});

describe('secret values are recognized by their form, and never echoed', () => {
  const OPENAI = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';
  const DB_URL = 'postgres://admin:hunter2@db/app';
  const AWS = 'AKIAIOSFODNN7EXAMPLE';

  test('in ConfigMap data', () => {
    const message = errorOf('ConfigMapConfiguration', (p) => {
      p.configData = { OPENAI, DATABASE_URL: DB_URL, AWS_ACCESS_KEY_ID: AWS, LOG_LEVEL: 'info' };
      p.requiredKeys = [];
    });
    expect(message).toContain(`${AT} configData.OPENAI: got <redacted>; expected no secret in a ConfigMap (the value holds an OpenAI API key (sk-...))`);
    expect(message).toContain(`${AT} configData.DATABASE_URL: got <redacted>; expected no secret in a ConfigMap (the value holds a URL with a password (user:password@host))`);
    expect(message).toContain(`${AT} configData.AWS_ACCESS_KEY_ID: got <redacted>; expected no credential in a ConfigMap`);
    for (const secret of [OPENAI, DB_URL, AWS, 'hunter2']) expect(message).not.toContain(secret);
  });

  test('in literal env values, whatever the name', () => {
    const message = errorOf('DeploymentManifest', (p) => { p.env = { OPENAI, DATABASE_URL: DB_URL, LOG_LEVEL: 'info' }; });
    expect(message).toContain(`${AT} env.OPENAI: got <redacted>; expected no credential as a literal environment variable (the value holds an OpenAI API key (sk-...))`);
    expect(message).toContain(`${AT} env.DATABASE_URL: got <redacted>`);
    for (const secret of [OPENAI, DB_URL, 'hunter2']) expect(message).not.toContain(secret);
  });

  test('in command and args of every workload, init containers included', () => {
    const deployment = errorOf('DeploymentManifest', (p, c) => {
      p.args = [`--api-key=${OPENAI}`, '--verbose'];
      p.command = ['server', '--password', 'hunter2'];
      p.initContainers = [{ name: 'migrate', image: image(c, 'init-image'), args: ['--db', DB_URL] }];
    });
    expect(deployment).toContain(`${AT} args[0]: got <redacted>; expected no secret on the command line (it holds an OpenAI API key (sk-...))`);
    expect(deployment).toContain(`${AT} command[2]: got <redacted>; expected no secret on the command line (it follows --password, a flag that names a secret)`);
    expect(deployment).toContain(`${AT} initContainers[0].args[1]: got <redacted>; expected no secret on the command line (it holds a URL with a password`);
    const backup = errorOf('ScheduledBackup', (p) => { p.command = ['sh', '-c', `curl -H "Authorization: Bearer ${OPENAI}" https://api.example.com`]; });
    expect(backup).toContain(`${AT} command[2]: got <redacted>`);
    const stateful = errorOf('StatefulManifest', (p) => { p.args = [`--token=${AWS}`]; });
    expect(stateful).toContain(`${AT} args[0]: got <redacted>`);
    for (const message of [deployment, backup, stateful]) {
      for (const secret of [OPENAI, DB_URL, AWS, 'hunter2']) expect(message).not.toContain(secret);
    }
  });

  test('a typo that holds a secret is reported without its value', () => {
    const message = errorOf('SecretConfiguration', (p) => { p.secretDta = { API_KEY: OPENAI, DB_PASSWORD: 'hunter2', LOG_LEVEL: 'info' }; });
    expect(message).toContain(`${AT} secretDta: got {"API_KEY":"<redacted>","DB_PASSWORD":"<redacted>","LOG_LEVEL":"info"}; expected a property of SecretConfigurationProps: did you mean "secretData"?`);
    const password = errorOf('SecretConfiguration', (p) => { p.pasword = 'hunter2'; p.secretData = { API_KEY: 5 }; });
    expect(password).toContain(`${AT} pasword: got <redacted>; expected a property of SecretConfigurationProps`);
    expect(password).toContain(`${AT} secretData.API_KEY: got 5; expected a string`);
    for (const m of [message, password]) for (const secret of [OPENAI, 'hunter2']) expect(m).not.toContain(secret);
  });
});

describe('silent gaps', () => {
  test('a typo such as replica: 3 names the closest known prop', () => {
    expect(errorOf('DeploymentManifest', (p) => { p.replica = 3; }))
      .toBe(`Validation failed with the following errors:\n  ${AT} replica: got 3; expected a property of DeploymentManifestProps: did you mean "replicaCount"?`);
    expect(errorOf('ContainerImage', (p) => { p.Tag = '1.0.0'; })).toContain(`${AT} Tag: got "1.0.0"; expected a property of ContainerImageProps: did you mean "tag"?`);
    expect(errorOf('DeploymentManifest', (p) => { p.service.serviceNmae = 'api'; }))
      .toContain(`${AT} service.serviceNmae: got "api"; expected a property of DeploymentServiceOptions: did you mean "serviceName"?`);
    expect(errorOf('Namespace', (p) => { p.nonsense = true; })).toContain(`${AT} nonsense: got true; expected a property of NamespaceProps `
      + '(name, environment, podSecurityLevel, appName, instance, partOf, labels)');
  });

  test('a production workload behind a Service without a readiness probe is an error; elsewhere a warning', () => {
    const liveOnly = (p: any, c: any) => { p.healthEndpoints = [new lib.HealthEndpoint(c, 'live', { kind: 'liveness' })]; };
    expect(errorOf('DeploymentManifest', liveOnly)).toBe(`Validation failed with the following errors:\n  ${AT} healthEndpoints: got ["liveness"]; `
      + 'expected a readiness HealthEndpoint (ProbeKind.READINESS): the Service api would send traffic to pods that are not ready (a production workload behind a Service needs one)');
    const { chart, construct } = build('DeploymentManifest', (c: any) => {
      const p = baselines.DeploymentManifest(c);
      liveOnly(p, c);
      return { ...p, environment: 'staging' };
    });
    expect(synthManifests(chart).length).toBeGreaterThan(0);
    expect(Warnings.of(construct)).toEqual([{ path: 'test/subject', message: expect.stringMatching(/^healthEndpoints has no readiness endpoint/) }]);
  });

  test('a workload without ports gets a warning; a HealthEndpoint without any port is an error', () => {
    const { chart, construct } = build('DeploymentManifest', (c: any) => ({ image: image(c), replicaCount: 2 }));
    expect(synthManifests(chart).length).toBeGreaterThan(0);
    expect(Warnings.of(construct).map((w) => w.message)).toEqual([expect.stringMatching(/^no container ports and no liveness probe: the Deployment gets no Service, and a hung process is never restarted; for a worker that serves no port, add an exec HealthEndpoint/)]);
    const message = errorOf('DeploymentManifest', (p, c) => {
      delete p.ports;
      delete p.service;
      p.healthEndpoints = [new lib.HealthEndpoint(c, 'live', { kind: 'liveness' })];
    });
    expect(message).toContain(`${AT} healthEndpoints[0].port: got nothing; expected a port, since the container declares none`);
  });

  test('Unconfined seccomp is an error without a reason; with one it is an explicit, warned opt-out', () => {
    expect(errorOf('SecurityProfile', (p) => { p.seccompProfile = 'Unconfined'; })).toBe(`Validation failed with the following errors:\n  ${AT} seccompProfile: got "Unconfined"; `
      + 'expected RuntimeDefault or Localhost (the restricted Pod Security profile); Unconfined only with unconfinedSeccompReason saying why, in a namespace with PodSecurityLevel.PRIVILEGED');
    const chart = Testing.chart();
    const profile = new lib.SecurityProfile(chart, 'security', { seccompProfile: 'Unconfined', unconfinedSeccompReason: 'strace-based debugging image, ticket OPS-123' });
    new lib.DeploymentManifest(chart, 'debug', { image: image(chart), ports: [{ containerPort: 8080 }], securityProfile: profile });
    const objects = chart.toJson();
    for (const obj of objects) expect(validateObject(obj)).toEqual([]);
    expect(findObject(objects, 'Deployment', 'debug').spec.template.spec.securityContext.seccompProfile).toEqual({ type: 'Unconfined' });
    expect(() => assertValidManifests(objects)).toThrow(/pod-security \(seccompProfile_/);
    expect(Warnings.of(chart)).toEqual([{ path: 'test/security', message: expect.stringContaining('opted out: strace-based debugging image, ticket OPS-123') }]);
  });

  test('two HelmCharts with one name in an app are refused', () => {
    const chart = Testing.chart();
    new lib.HelmChart(chart, 'first', { chartName: 'shop', chartVersion: '1.0.0', chart });
    new lib.HelmChart(chart, 'second', { chartName: 'shop', chartVersion: '2.0.0', chart });
    expect(synthError(chart)).toBe('Validation failed with the following errors:\n  [test/second] chartName: got "shop"; '
      + 'expected a chart name used once in the app (test/first has it; writeTo() would write both to the folder shop/)');
  });

  test('a standalone ServiceConfiguration checks its target ports against the pods it selects, without addTarget', () => {
    const chart = Testing.chart();
    new lib.DeploymentManifest(chart, 'api', { image: image(chart), ports: [{ containerPort: 8080 }], selectorLabels: { app: 'api' }, withoutService: true });
    new lib.ServiceConfiguration(chart, 'svc', { serviceName: 'api-public', ports: [{ name: 'http', port: 80, targetPort: 9090 }], selectorLabels: { app: 'api' } });
    expect(synthError(chart)).toBe('Validation failed with the following errors:\n  [test/svc] ports[0].targetPort: got 9090; expected a container port of Deployment api (8080)');
    const fine = Testing.chart();
    new lib.DeploymentManifest(fine, 'api', { image: image(fine), ports: [{ containerPort: 8080 }], selectorLabels: { app: 'api' }, withoutService: true });
    new lib.ServiceConfiguration(fine, 'svc', { serviceName: 'api-public', ports: [{ name: 'http', port: 80, targetPort: 8080 }], selectorLabels: { app: 'api' } });
    expect(synthManifests(fine)).toHaveLength(4);
  });
});

describe('misreported and over-strict cases', () => {
  test('Rescan replicaCount 2 is reported on replicaCount, with the value 2', () => {
    const message = errorOf('Rescan', (p) => { p.replicaCount = 2; });
    expect(message).toBe('Validation failed with the following errors:\n  [test/subject/app] replicaCount: got 2; expected 1 while the ReadWriteOnce volume '
      + '"rescan-data-pvc" is mounted (a single writer, as for SQLite), with no autoscaling above 1; or a StatefulManifest');
  });

  test('Rescan refuses NodePort (seed 003: ClusterIP or LoadBalancer)', () => {
    expect(errorOf('Rescan', (p) => { p.serviceType = 'NodePort'; })).toBe('Validation failed with the following errors:\n  '
      + `${AT} serviceType: got "NodePort"; expected ClusterIP or LoadBalancer (seed 003: ClusterIP for access inside the cluster, LoadBalancer for external access)`);
    const { chart } = build('Rescan', (c: any) => ({ ...baselines.Rescan(c), serviceType: 'LoadBalancer' }));
    expect(findObject(synthManifests(chart), 'Service', 'rescan-service').spec.type).toBe('LoadBalancer');
  });

  test('a single-label server name such as rccremote is a valid DNS name', () => {
    const { chart } = build('DeploymentManifest', (c: any) => {
      const bundle = new lib.CertificateBundle(c, 'tls', { ...baselines.CertificateBundle(c), serverName: 'rccremote' });
      return { ...baselines.DeploymentManifest(c), serverName: 'rccremote', certificateBundle: bundle };
    });
    const objects = synthManifests(chart);
    expect(findObject(objects, 'Certificate', 'tls-tls').spec.dnsNames).toEqual(['rccremote']);
  });

  test('the Service of a StatefulManifest and an Ingress still route as before', () => {
    const { chart } = build('IngressConfiguration', (c: any) => ({ ...baselines.IngressConfiguration(c), hostname: 'rccremote' }));
    expect(findObject(synthManifests(chart), 'Ingress', 'api').spec.rules[0].host).toBe('rccremote');
    expect(service).toBeDefined();
  });
});
