import { Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Warnings } from '../../src/core/construct-warnings';
import { describeValue, Findings } from '../../src/core/findings';
import { closestName } from '../../src/core/text';
import { checkArgs, checkProps } from '../../src/core/validation';
import { addWarning } from '../../src/core/warnings';
import { ContainerImage } from '../../src/pod/container-image';
import { DeploymentManifest, DeploymentManifestProps } from '../../src/workloads/deployment-manifest';

describe('checkProps', () => {
  test('valid props come back as the same object: no copy, no finding', () => {
    const findings = new Findings();
    const props = { repository: 'acme/api', tag: '1.0.0', imagePullPolicy: 'Always' };
    expect(checkProps(findings, 'ContainerImageProps', props)).toBe(props);
    expect(findings.messages()).toEqual([]);
  });

  test('bad values are replaced by stand-ins in a copy; the caller\'s object is untouched', () => {
    const findings = new Findings();
    const props: any = { serviceName: 'api', ports: [{ name: 'http', port: 80, protocol: 'HTTP' }, 7], selectorLabels: { app: 'api', tier: 3 }, headless: 'yes' };
    const checked: any = checkProps(findings, 'ServiceConfigurationProps', props);
    expect(checked).not.toBe(props);
    expect(checked.ports).toEqual([{ name: 'http', port: 80, protocol: undefined }, {}]);
    expect(checked.selectorLabels).toEqual({ app: 'api' });
    expect(checked.headless).toBeUndefined();
    expect(props.ports[0].protocol).toBe('HTTP');
    expect(findings.messages()).toEqual([
      'ports[0].protocol: got "HTTP"; expected one of TCP, UDP (Protocol)',
      'ports[1]: got 7; expected an object (ServicePortSpec) with name, port',
      'selectorLabels.tier: got 3; expected a string',
      'headless: got "yes"; expected true or false',
    ]);
  });

  test('null means "not set" for optional props, as jsii treats it; required props must be there', () => {
    const findings = new Findings();
    const checked: any = checkProps(findings, 'ContainerImageProps', { repository: null, tag: null });
    expect(checked).toEqual({ repository: undefined, tag: undefined });
    expect(findings.messages()).toEqual(['repository: got null; expected a string']);
  });

  test('props that are no object count as empty props', () => {
    const findings = new Findings();
    checkProps(findings, 'HealthEndpointProps', 'liveness' as any);
    expect(findings.messages()).toEqual([
      'props: got "liveness"; expected an object (HealthEndpointProps) with kind',
      'kind: got nothing; expected one of liveness, readiness, startup (ProbeKind)',
    ]);
  });

  test('method arguments: named method(parameter)', () => {
    const findings = new Findings();
    expect(checkArgs(findings, 'StatefulManifest', 'podDnsName', [NaN])).toEqual([undefined]);
    expect(findings.messages()).toEqual(['podDnsName(ordinal): got NaN; expected a finite number']);
  });
});

describe('Findings: each bad input once', () => {
  test('a rule finding on the same field and value replaces the type finding; one about the stand-in is dropped', () => {
    const findings = new Findings();
    findings._addTypeProblem('schedule', undefined, 'a string', false);
    findings._addTypeProblem('ports', 5, 'a list', true);
    findings.add('schedule', undefined, 'a 5-field cron expression');
    findings.add('ports', [], 'at least one port');
    findings.add('ports[0].name', undefined, 'a name');
    findings.add('namespace', 'Bad', 'a DNS-1123 label');
    expect(findings.messages()).toEqual([
      'ports: got 5; expected a list',
      'schedule: got nothing; expected a 5-field cron expression',
      'namespace: got "Bad"; expected a DNS-1123 label',
    ]);
  });

  test('a construct does not repeat a string value its ancestor reports', () => {
    const chart = Testing.chart();
    const parent = new Construct(chart, 'parent');
    Findings.attach(parent).add('name', 'Bad_Name', 'a DNS-1123 label');
    const child = new Construct(parent, 'child');
    const childFindings = Findings.attach(child);
    childFindings.add('serviceName', 'Bad_Name', 'a DNS-1035 label');
    childFindings.add('port', 0, 'a port');
    expect(() => chart.toJson()).toThrow('Validation failed with the following errors:\n  [test/parent] name: got "Bad_Name"; expected a DNS-1123 label\n'
      + '  [test/parent/child] port: got 0; expected a port');
  });

  test('values are shown as they are: NaN, Infinity, null, undefined, constructs, functions, circular objects', () => {
    const chart = Testing.chart();
    const circular: any = { a: 1 };
    circular.self = circular;
    expect([NaN, Infinity, -Infinity, -0, null, undefined, 10n, () => 1, chart, circular, [NaN], { k: Symbol('s') }].map(describeValue)).toEqual([
      'NaN', 'Infinity', '-Infinity', '-0', 'null', 'nothing', '10n', '<function>', '<Chart test>', '{"a":1,"self":"<circular>"}', '["NaN"]', '{"k":"Symbol(s)"}',
    ]);
    expect(describeValue({ password: 'hunter2', user: 'admin' })).toBe('{"password":"<redacted>","user":"admin"}');
    expect(describeValue('x'.repeat(200))).toHaveLength(120);
  });
});

describe('closestName', () => {
  const known = ['replicaCount', 'name', 'namespace', 'serviceName', 'tag'];
  test.each([['replica', 'replicaCount'], ['nmae', 'name'], ['namspace', 'namespace'], ['ServiceName', 'serviceName'], ['Tag', 'tag']])('%s: %s', (typo, name) => {
    expect(closestName(typo, known)).toBe(name);
  });
  test('nothing close, nothing suggested', () => {
    expect(closestName('zzUndeclared', known)).toBeUndefined();
    expect(closestName('', known)).toBeUndefined();
  });
});

describe('warnings', () => {
  test('are listed by Warnings.of and printed once at synth, without failing it', () => {
    const chart = Testing.chart();
    const scope = new Construct(chart, 'scope');
    addWarning(scope, 'some advice');
    addWarning(scope, 'some advice');
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(Warnings.of(chart)).toEqual([{ path: 'test/scope', message: 'some advice' }]);
      expect(write).not.toHaveBeenCalled();
      expect(Testing.synth(chart)).toEqual([]);
      expect(write.mock.calls.map(([text]) => text)).toEqual(['[WARNING] test/scope: some advice\n']);
    } finally {
      write.mockRestore();
    }
  });
});

describe('a user\'s subclass passing its own extended props through', () => {
  test('gets a warning for the names the library does not know, not an error', () => {
    interface TeamDeploymentProps extends DeploymentManifestProps {
      readonly team: string;
    }
    class TeamDeployment extends DeploymentManifest {
      constructor(scope: Construct, id: string, props: TeamDeploymentProps) {
        super(scope, id, props);
      }
    }
    const chart = Testing.chart();
    const image = new ContainerImage(chart, 'image', { repository: 'acme/api', tag: '1.0.0' });
    const deployment = new TeamDeployment(chart, 'api', { image, ports: [{ containerPort: 8080 }], team: 'payments' });
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(Testing.synth(chart).length).toBeGreaterThan(0);
    } finally {
      write.mockRestore();
    }
    expect(Warnings.of(deployment)).toEqual([{ path: 'test/api', message: 'team: not a property of DeploymentManifestProps, so DeploymentManifest ignores it' }]);
  });

  test('a typo in the library\'s own class stays an error', () => {
    const chart = Testing.chart();
    const image = new ContainerImage(chart, 'image', { repository: 'acme/api', tag: '1.0.0' });
    new DeploymentManifest(chart, 'api', { image, ports: [{ containerPort: 8080 }], team: 'payments' } as DeploymentManifestProps);
    expect(() => chart.toJson()).toThrow('[test/api] team: got "payments"; expected a property of DeploymentManifestProps (');
  });
});
