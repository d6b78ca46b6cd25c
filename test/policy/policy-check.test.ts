import { ApiObject, App, Chart, Testing } from 'cdk8s';
import { ContainerImage, DeploymentManifest, PersistentStorage } from '../../src';
import { PodSecurityLevel } from '../../src/core/pod-security';
import { renderObjects } from '../../src/manifests';
import { PolicyCheck, PolicyLevel, Waivers } from '../../src/policy';

/** A Pod that passes every check but the ones a test breaks. */
function pod(annotations: { [key: string]: string } = {}): any {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' }, annotations },
    spec: {
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'web',
        image: 'registry.example/web:1.0.0',
        imagePullPolicy: 'Always',
        ports: [{ name: 'http', containerPort: 8080 }],
        livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
        resources: {
          requests: { 'cpu': '100m', 'memory': '128Mi', 'ephemeral-storage': '64Mi' },
          limits: { 'cpu': '500m', 'memory': '256Mi', 'ephemeral-storage': '256Mi' },
        },
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true },
      }],
    },
  };
}
const networkPolicy = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] },
};
const WAIVE = 'deploykit.dev/waive';

describe('PolicyCheck', () => {
  test('a compliant pod passes: no finding, no waiver, nothing skipped', () => {
    const report = PolicyCheck.run([pod(), networkPolicy]);
    expect(report.findings).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.objectCount).toBe(2);
  });

  test('schema, Pod Security Standards and ManifestPolicy findings come together, each with its object index and level', () => {
    const p = pod();
    p.spec.containers[0].imagePullPolicyy = 'Always';
    p.spec.hostPID = true;
    p.spec.containers[0].image = 'registry.example/web:latest';
    p.spec.containers[0].env = [{ name: 'MODE', value: 'a' }, { name: 'MODE', value: 'b' }];
    const report = PolicyCheck.run([networkPolicy, p]);
    expect(report.findings.map((f) => [f.objectIndex, f.rule, f.level, f.path])).toEqual([
      [1, 'k8s-schema', PolicyLevel.ERROR, 'spec.containers[0].imagePullPolicyy'],
      [1, 'hostNamespaces', PolicyLevel.ERROR, 'spec.hostPID'],
      [1, 'image-pinned-tag', PolicyLevel.WARNING, 'spec.containers[0].image'],
      [1, 'env-no-duplicate-names', PolicyLevel.ERROR, 'spec.containers[0].env[1].name'],
    ]);
    expect(report.findings[1].podSecurityLevel).toBe(PodSecurityLevel.BASELINE);
    expect(report.passed).toBe(false);
  });

  test('a waiver with a reason turns the finding into a waiver; every report lists the waivers', () => {
    const p = pod({ [WAIVE]: 'image-pinned-tag: the nightly canary runs latest on purpose\nno-ssh-port: not needed' });
    p.spec.containers[0].image = 'registry.example/web:latest';
    const report = PolicyCheck.run([p, networkPolicy]);
    expect(report.findings).toEqual([]);
    expect(report.waived.map((f) => [f.rule, f.waiverReason])).toEqual([['image-pinned-tag', 'the nightly canary runs latest on purpose']]);
    expect(report.waivers.map((w) => [w.kind, w.name, w.rule, w.reason, w.waivedCount])).toEqual([
      ['Pod', 'web', 'image-pinned-tag', 'the nightly canary runs latest on purpose', 1],
      ['Pod', 'web', 'no-ssh-port', 'not needed', 0],
    ]);
  });

  test('a waiver without a reason is itself an error and waives nothing', () => {
    const p = pod({ [WAIVE]: 'env-no-duplicate-names:   ' });
    p.spec.containers[0].env = [{ name: 'MODE', value: 'a' }, { name: 'MODE', value: 'b' }];
    const report = PolicyCheck.run([p, networkPolicy]);
    expect(report.errors.map((f) => [f.rule, f.path, f.message])).toEqual([
      ['env-no-duplicate-names', 'spec.containers[0].env[1].name', expect.any(String)],
      ['waiver-reason', `metadata.annotations.${WAIVE}`, 'the waiver of env-no-duplicate-names gives no reason; write "env-no-duplicate-names: <why this is acceptable>"'],
    ]);
    expect(report.waivers[0]).toMatchObject({ rule: 'env-no-duplicate-names', reason: '', waivedCount: 0 });
  });

  test('a waiver of an unknown rule or of the schema is an error', () => {
    const report = PolicyCheck.run([pod({ [WAIVE]: 'image-pinned: typo\nk8s-schema: please' }), networkPolicy]);
    expect(report.errors.map((f) => f.message)).toEqual([
      'waives "image-pinned", which is no rule id; see deploykit check --list-rules',
      'waives k8s-schema: schema problems cannot be waived, the API server refuses the object',
    ]);
  });

  test('--level baseline passes a pod that only the restricted level refuses', () => {
    const p = pod();
    delete p.spec.securityContext.runAsNonRoot;
    delete p.spec.containers[0].securityContext.allowPrivilegeEscalation;
    expect(PolicyCheck.run([p, networkPolicy]).errors.map((f) => f.rule)).toEqual(['allowPrivilegeEscalation', 'runAsNonRoot']);
    expect(PolicyCheck.run([p, networkPolicy], { level: PodSecurityLevel.BASELINE }).findings).toEqual([]);
  });

  test('at the restricted level the drop list rule is left to capabilities_restricted; at baseline it runs', () => {
    const p = pod();
    p.spec.containers[0].securityContext.capabilities.drop = ['NET_RAW'];
    expect(PolicyCheck.run([p, networkPolicy]).findings.map((f) => f.rule)).toEqual(['capabilities_restricted']);
    expect(PolicyCheck.run([p, networkPolicy], { level: PodSecurityLevel.BASELINE }).findings.map((f) => f.rule)).toEqual(['container-drop-capabilities']);
  });

  test('custom resources of a shipped CRD are validated; other kinds are skipped, not errors', () => {
    const certificate = {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { secretName: 'web-tls', issuerRef: { name: 'ca' }, dnsNames: ['web.example.com'], colour: 'red' },
    };
    const monitor = { apiVersion: 'example.dev/v1', kind: 'Widget', metadata: { name: 'w', namespace: 'shop' }, spec: {} };
    const report = PolicyCheck.run([certificate, monitor]);
    expect(report.findings.map((f) => `${f.kind} ${f.rule} ${f.path}: ${f.message}`)).toEqual(['Certificate k8s-schema spec.colour: unknown field "colour"']);
    expect(report.skipped.map((s) => [s.kind, s.apiVersion, s.objectIndex])).toEqual([['Widget', 'example.dev/v1', 1]]);
    expect(PolicyCheck.run([{ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } }]).errors[0].message).toMatch(/not a Kubernetes 1\.28 kind/);
  });

  test('rules and skip apply to every check; unknown ids are refused', () => {
    const p = pod();
    p.spec.hostPID = true;
    p.spec.containers[0].image = 'registry.example/web:latest';
    expect(PolicyCheck.run([p, networkPolicy], { skip: ['hostNamespaces'] }).findings.map((f) => f.rule)).toEqual(['image-pinned-tag']);
    expect(PolicyCheck.run([p, networkPolicy], { rules: ['hostNamespaces'] }).findings.map((f) => f.rule)).toEqual(['hostNamespaces']);
    expect(() => PolicyCheck.run([p], { rules: ['host-namespaces'] })).toThrow(/unknown rule id\(s\): host-namespaces/);
  });

  test('secret values never appear in messages, whatever rule quotes them', () => {
    const p = pod();
    const url = 'postgres://app:pa55word-x@db:5432/app';
    p.metadata.labels.team = url;
    const report = PolicyCheck.run([p, networkPolicy]);
    expect(report.findings.map((f) => f.rule)).toEqual(['k8s-schema', 'secret-values', 'label-values-valid']); // catalog order
    for (const f of report.findings) expect(f.message).not.toContain('pa55word-x');
    expect(report.findings[0].message).toContain('postgres://app:<redacted>@db:5432/app');
  });

  test('rules() lists the schema rule, every Pod Security control with its level, the ManifestPolicy rules and the waiver rules', () => {
    const rules = PolicyCheck.rules();
    expect(rules[0].id).toBe('k8s-schema');
    expect(rules.find((r) => r.id === 'runAsNonRoot')).toMatchObject({ level: PolicyLevel.ERROR, podSecurityLevel: PodSecurityLevel.RESTRICTED });
    expect(rules.find((r) => r.id === 'privileged')).toMatchObject({ podSecurityLevel: PodSecurityLevel.BASELINE });
    expect(rules.slice(-2).map((r) => r.id)).toEqual(['waiver-reason', 'waiver-unknown-rule']);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });
});

describe('PolicyCheck.enable: the check inside app.synth()', () => {
  function chart(): Chart {
    const c = new Chart(Testing.app(), 'shop', { namespace: 'shop', disableResourceNameHashes: true });
    new DeploymentManifest(c, 'api', {
      image: new ContainerImage(c, 'api-image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' }),
      ports: [{ containerPort: 8080 }],
      replicaCount: 2,
    });
    return c;
  }
  const debugPod = (c: Chart) => new ApiObject(c, 'debug', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'debug' },
    spec: { containers: [{ name: 'debug', image: 'nginx:latest', env: [{ name: 'MODE', value: 'a' }, { name: 'MODE', value: 'b' }] }] },
  });

  test('a compliant chart synthesizes; an error fails the synth with every finding, prefixed by the chart path', () => {
    const good = chart();
    PolicyCheck.enable(good);
    expect(() => good.toJson()).not.toThrow();
    const bad = chart();
    PolicyCheck.enable(bad);
    debugPod(bad);
    // In the form of every finding: the construct that made the object, the field, its value, what is expected, the rule.
    expect(() => bad.toJson()).toThrow(
      /\[shop\] policy shop\/debug \(Pod debug\) spec\.containers\[0\]\.env\[1\]\.name: got "MODE"; expected .+ \(error env-no-duplicate-names: env var MODE is defined twice/);
    expect(() => bad.toJson()).toThrow(
      /\[shop\] policy shop\/debug \(Pod debug\) spec\.containers\[0\]\.securityContext\.runAsNonRoot: got nothing; expected .+ \(error runAsNonRoot:/);
  });

  test('a construct that refuses its input reports it once: the check skips the objects it made from that input', () => {
    const c = new Chart(Testing.app(), 'shop', { namespace: 'shop', disableResourceNameHashes: true });
    new DeploymentManifest(c, 'cms', {
      image: new ContainerImage(c, 'cms-image', { registry: 'ghcr.io', repository: 'acme/cms', tag: '1.0.0' }),
      ports: [{ containerPort: 8080 }],
      replicaCount: 2,
      storage: [new PersistentStorage(c, 'data', { name: 'cms-data', size: '1Gi', mountPath: '/data' })],
    });
    PolicyCheck.enable(c);
    const message = (() => { try { c.toJson(); return ''; } catch (e) { return (e as Error).message; } })();
    expect(message).toContain('[shop/cms] replicaCount: got 2; expected 1 while the ReadWriteOnce volume "cms-data" is mounted');
    // The Deployment it made breaks single-writer-claim-replicas too: that is the same mistake, not reported twice.
    expect(message).not.toContain('single-writer-claim-replicas');
    expect(PolicyCheck.run(renderObjects([c]).map((o) => o.json)).errors.map((f) => f.rule)).toContain('single-writer-claim-replicas');
  });

  test('waivers made with Waivers.add are honoured; enabling twice checks once; the App scope checks every chart', () => {
    const c = chart();
    PolicyCheck.enable(c);
    PolicyCheck.enable(c);
    const podObject = debugPod(c);
    Waivers.add(podObject, 'env-no-duplicate-names', 'debug pod');
    Waivers.add(podObject, 'env-no-duplicate-names', 'a debug pod for the incident');
    expect(podObject.toJson().metadata.annotations[WAIVE]).toBe('env-no-duplicate-names: a debug pod for the incident');
    const message = (() => { try { c.toJson(); return ''; } catch (e) { return (e as Error).message; } })();
    expect(message).not.toContain('env-no-duplicate-names: env var');
    expect(message.match(/\(Pod debug\) spec\.containers\[0\]\.securityContext\.runAsNonRoot/g)).toHaveLength(1);
    expect(message).toContain('(waived: Pod/debug env-no-duplicate-names)');

    const app = new App({ outdir: '/tmp/unused' });
    PolicyCheck.enable(app);
    debugPod(new Chart(app, 'other'));
    expect(() => app.synthYaml()).toThrow(/policy other\/debug \(Pod debug\)/);
  });
});
