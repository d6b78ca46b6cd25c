/**
 * `deploykit check` right on manifests real clusters accept (issue 19): the API server's null
 * semantics, secrets by value, RBAC as the authorizer reads it, run-time breaks as errors, and the
 * Kubernetes version the user names. Each fixture (test/policy/fixtures, written here) is asserted
 * finding by finding, or for the absence of findings.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { loadAll } from 'js-yaml';
import { FIXTURES, line, objects, ROOT } from './fixture-objects';
import { PolicyCheck, PolicyCheckOptions, PolicyFinding, PodSecurityLevel } from '../../src';
import { tempDir } from '../helm/fixtures';

/** The findings of a fixture, as "level rule Kind/name path", restricted to some rules when given. */
function findings(fixture: string, options: PolicyCheckOptions = {}, only?: (rule: string) => boolean): string[] {
  return PolicyCheck.run(objects(fixture), options).findings.filter((f) => !only || only(f.rule)).map(line);
}

interface Run { status: number; stdout: string; stderr: string }
/** The real command, as a user runs it: `npx deploykit ...` in the checkout. */
function npx(args: string[]): Run {
  const r = spawnSync('npx', ['--no-install', 'deploykit', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const SCHEMA_AND_SECRET_RULES = ['k8s-schema', 'env-no-literal-secrets', 'configmap-no-secret-content', 'secret-values', 'secret-placeholder'];

describe('null for an optional field is unset, as the API server reads it', () => {
  test('npx deploykit check over a chart rendered with empty values: no schema error for a null, no secret finding on a non-secret value', () => {
    const run = npx(['check', '--format', 'json', `${FIXTURES}/helm-empty-values`]);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.summary).toEqual({ files: 3, objects: 16, errors: 0, warnings: 3, waived: 0, skipped: 0, unreadable: 0 });
    expect(report.findings.filter((f: any) => SCHEMA_AND_SECRET_RULES.includes(f.rule))).toEqual([]);
    expect(report.findings.map((f: any) => `${f.level} ${f.rule} ${f.kind}/${f.name} ${f.path}`)).toEqual([
      // limits.cpu: null is no limit: the rules read the null as unset too.
      'warning resources-cpu-limit Deployment/web spec.template.spec.containers[0].resources.limits.cpu',
      'warning hpa-no-static-replicas Deployment/web spec.replicas',
      'warning probe-readiness-present StatefulSet/db spec.template.spec.containers[0].readinessProbe',
    ]);
    expect(run.status).toBe(0);
  });

  test('a null where a value is required (a container\'s image) is still an error, showing the null the user wrote', () => {
    const run = npx(['check', '--format', 'json', `${FIXTURES}/helm-null-image.yaml`]);
    const report = JSON.parse(run.stdout);
    expect(report.findings.filter((f: any) => f.level === 'error').map((f: any) => `${f.rule} ${f.path}: ${f.message}`)).toEqual([
      'k8s-schema spec.containers[0].image: got null; a container needs an image (null leaves the field unset)',
    ]);
    // An image without a tag is a warning (the API server accepts one, and it runs); here it is the same null.
    expect(report.findings.filter((f: any) => f.rule === 'image-pinned-tag').map((f: any) => `${f.level} ${f.path}: ${f.message}`)).toEqual([
      'warning spec.containers[0].image: image unset has no tag; pin a version tag or a digest',
    ]);
    expect(run.status).toBe(1);
  });

  test('null on a field the schema requires, and a missing image, are errors too', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'x' }, spec: { selector: { app: 'a' }, ports: [{ port: null }] } };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' }, spec: { containers: [{ name: 'c' }] } };
    const schema = PolicyCheck.run([svc, pod], { rules: ['k8s-schema'] }).findings.map((f) => `${f.kind} ${f.path}: ${f.message}`);
    expect(schema).toEqual([
      'Service spec.ports[0].port: got null; a value is required here (null leaves the field unset)',
      'Pod spec.containers[0].image: required field is missing (a container needs an image)',
    ]);
  });

  test('the rules read null as unset: a null nodeAffinity is no affinity, null replicas the default one', () => {
    const set = objects('helm-empty-values');
    const web = set.find((o) => o.kind === 'Deployment');
    web.spec.replicas = null;
    web.spec.template.spec.affinity = { nodeAffinity: null, podAntiAffinity: null };
    const found = PolicyCheck.run(set).findings.filter((f) => f.name === 'web' && f.kind === 'Deployment').map((f) => f.rule);
    // Unset replicas under an autoscaler is what hpa-no-static-replicas asks for; no anti-affinity is now reported.
    expect(found).toEqual(['resources-cpu-limit', 'pod-anti-affinity']);
  });

  test('a message shows the value as written, never [object Object], whatever a field holds', () => {
    const base = objects('helm-empty-values');
    const of = (o: any[], kind: string, name: string) => o.find((x) => x.kind === kind && x.metadata.name === name);
    const web = (o: any[]) => of(o, 'Deployment', 'web').spec.template.spec;
    const places: Array<(o: any[], v: unknown) => void> = [
      (o, v) => { web(o).containers[0].name = v; },
      (o, v) => { web(o).containers[0].image = v; },
      (o, v) => { web(o).containers[0].ports[0].name = v; },
      (o, v) => { web(o).containers[0].securityContext.capabilities.add = [v]; },
      (o, v) => { web(o).volumes = [{ name: v, hostPath: { path: '/' } }]; },
      (o, v) => { web(o).containers[0].livenessProbe = { httpGet: { port: v } }; },
      (o, v) => { web(o).serviceAccountName = v; },
      (o, v) => { of(o, 'Deployment', 'web').metadata.labels.team = v; },
      (o, v) => { of(o, 'Service', 'web').spec.ports[0].targetPort = v; },
      (o, v) => { web(o).containers[0].env.push({ name: 'X', value: v }); },
      (o, v) => { of(o, 'ConfigMap', 'web').data.KEY = v; },
      (o, v) => { of(o, 'Role', 'web').rules[0].verbs = [v]; },
      (o, v) => { of(o, 'HorizontalPodAutoscaler', 'web').spec.minReplicas = v; },
    ];
    fc.assert(fc.property(fc.nat(places.length - 1), fc.jsonValue(), (at, value) => {
      const set = JSON.parse(JSON.stringify(base));
      places[at](set, value);
      for (const f of PolicyCheck.run(set).findings) expect(f.message).not.toContain('[object Object]');
    }), { numRuns: 150 });
  });

  test('a capability that is no string is reported, not a TypeError (the counterexample fast-check found)', () => {
    const set = JSON.parse(JSON.stringify(objects('helm-empty-values')));
    set.find((x: any) => x.kind === 'Deployment' && x.metadata.name === 'web').spec.template.spec.containers[0].securityContext.capabilities.add = [{ toString: false }];
    const messages = PolicyCheck.run(set).findings.map((f) => f.message);
    expect(messages.filter((m) => m.includes('{"toString":false}'))).toEqual([
      'got {"toString":false}; must be string',
      expect.stringMatching(/^adds \{"toString":false\}; only AUDIT_WRITE, .* may be added$/),
      'adds {"toString":false}; only NET_BIND_SERVICE may be added',
    ]);
  });

  test('an autoscaler\'s minReplicas that is no number is a schema error, not a TypeError (another counterexample)', () => {
    const set = JSON.parse(JSON.stringify(objects('helm-empty-values')));
    set.find((x: any) => x.kind === 'HorizontalPodAutoscaler').spec.minReplicas = [{ toString: [] }];
    const hpa = PolicyCheck.run(set).findings.filter((f) => f.kind === 'HorizontalPodAutoscaler' && f.path === 'spec.minReplicas');
    expect(hpa.map((f) => `${f.rule}: ${f.message}`)).toEqual(['k8s-schema: got [{"toString":[]}]; must be integer']);
  });
});

describe('--kubernetes-version: 1.28 by default, or 1.34', () => {
  test('a Service with trafficDistribution fails under 1.28 naming the version, and passes under 1.34', () => {
    const old = npx(['check', `${FIXTURES}/versions/traffic-distribution.yaml`]);
    expect(old.stdout).toContain('unknown field "trafficDistribution" in Kubernetes 1.28');
    expect(old.status).toBe(1);
    const current = npx(['check', '--kubernetes-version', '1.34', `${FIXTURES}/versions/traffic-distribution.yaml`]);
    expect(current.stdout).toBe('deploykit check (restricted, Kubernetes 1.34): 1 object in 1 file: 0 errors, 0 warnings, 0 waived, 0 skipped, 0 unreadable\n');
    expect(current.status).toBe(0);
  });

  test('an unknown version exits 2 listing the versions the check knows; kubernetesVersion in --config and the API', () => {
    const unknown = npx(['check', '--kubernetes-version', '1.30', `${FIXTURES}/versions/traffic-distribution.yaml`]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^deploykit: --kubernetes-version must be one of 1\.28, 1\.34 \(the versions whose schema the check ships\); got "1\.30"/);
    const dir = tempDir('kubernetes-version');
    fs.writeFileSync(path.join(dir, 'deploykit.yaml'), 'kubernetesVersion: v1.34.2\n');
    expect(npx(['check', '--config', path.join(dir, 'deploykit.yaml'), `${FIXTURES}/versions/traffic-distribution.yaml`]).status).toBe(0);
    const service = objects('versions/traffic-distribution.yaml');
    expect(PolicyCheck.run(service, { kubernetesVersion: '1.34' }).passed).toBe(true);
    expect(PolicyCheck.run(service).passed).toBe(false);
    expect(() => PolicyCheck.run(service, { kubernetesVersion: '2.0' })).toThrow('unknown Kubernetes version "2.0"; the check knows 1.28, 1.34');
  });

  test('removed APIs stay errors under 1.34, naming the replacement; the rules are the same for every version', () => {
    const pdb = { apiVersion: 'policy/v1beta1', kind: 'PodDisruptionBudget', metadata: { name: 'a', namespace: 'x' }, spec: { maxUnavailable: 1 } };
    const ingress = { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'a', namespace: 'x' }, spec: {} };
    expect(PolicyCheck.run([pdb, ingress], { kubernetesVersion: '1.34', rules: ['k8s-schema'] }).findings.map((f) => f.message)).toEqual([
      '"policy/v1beta1" "PodDisruptionBudget" is not a Kubernetes 1.34 kind; PodDisruptionBudget is served as policy/v1',
      '"extensions/v1beta1" "Ingress" is not a Kubernetes 1.34 kind; Ingress is served as networking.k8s.io/v1',
    ]);
    const set = objects('charts');
    const without = (f: PolicyFinding) => f.rule !== 'k8s-schema';
    expect(PolicyCheck.run(set, { kubernetesVersion: '1.34' }).findings.filter(without).map(line))
      .toEqual(PolicyCheck.run(set).findings.filter(without).map(line));
  });

  test('a CRD\'s defaults, enums, examples, additionalProperties and items, and managedFields, are valid under each version', () => {
    const set = objects('versions/crd-schema.yaml');
    for (const kubernetesVersion of ['1.28', '1.34']) {
      expect(PolicyCheck.run(set, { kubernetesVersion, rules: ['k8s-schema'] }).findings.map(line)).toEqual([]);
    }
    // The fields that take any JSON are open; the schema around them stays closed.
    const crd = JSON.parse(JSON.stringify(set[0]));
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.labels.additionalProperties.typo = 'string';
    crd.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.targets.items.properties.name.typ = 'string';
    for (const kubernetesVersion of ['1.28', '1.34']) {
      expect(PolicyCheck.run([crd], { kubernetesVersion, rules: ['k8s-schema'] }).findings.map((f) => `${f.path}: ${f.message}`)).toEqual([
        `spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.labels.additionalProperties.typo: unknown field "typo" in Kubernetes ${kubernetesVersion}`,
        `spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.targets.items.properties.name.typ: unknown field "typ" in Kubernetes ${kubernetesVersion}`,
      ]);
    }
    // The upstream CRDs the library ships (some use selectableFields, Kubernetes 1.30+) are valid under 1.34.
    const shipped = fs.readdirSync(path.join(ROOT, 'crds')).filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => loadAll(fs.readFileSync(path.join(ROOT, 'crds', f), 'utf8')) as any[]).filter((o) => o);
    expect(shipped.length).toBeGreaterThan(5);
    expect(PolicyCheck.run(shipped, { kubernetesVersion: '1.34', rules: ['k8s-schema'] }).findings.map(line)).toEqual([]);
  });

  test('schemas/k8s-v1.34-definitions.json is what projenrc/k8s-definitions.ts derives from kubernetes-models', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'projenrc/k8s-definitions.ts', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.stdout).toContain('schemas/k8s-v1.34-definitions.json is up to date');
    expect(r.status).toBe(0);
  });
});

describe('custom resources whose CRDs the library does not ship', () => {
  test('k8s.io CRD groups and kinds named like built-in ones in other groups are skipped, not errors, under each version', () => {
    const set = objects('edge/custom-resources.yaml');
    for (const kubernetesVersion of ['1.28', '1.34']) {
      const report = PolicyCheck.run(set, { kubernetesVersion });
      expect(report.findings.map(line)).toEqual([]);
      expect(report.skipped.map((s) => `${s.apiVersion} ${s.kind}`)).toEqual([
        'gateway.networking.k8s.io/v1 HTTPRoute',
        'autoscaling.k8s.io/v1 VerticalPodAutoscaler',
        'snapshot.storage.k8s.io/v1 VolumeSnapshotClass',
        'serving.knative.dev/v1 Service',
        'projectcalico.org/v3 NetworkPolicy',
      ]);
    }
  });

  test('an unknown kind of a Kubernetes group, of a group without a dot, and a Kubernetes NetworkPolicy selecting nothing are still reported', () => {
    const meta = { name: 'a', namespace: 'shop' };
    const report = PolicyCheck.run([
      { apiVersion: 'networking.k8s.io/v1', kind: 'Gateway', metadata: meta },
      { apiVersion: 'apps/v1', kind: 'CloneSet', metadata: meta },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta, spec: { podSelector: { matchLabels: { app: 'db' } } } },
    ]);
    expect(report.findings.map(line)).toEqual([
      'error k8s-schema Gateway/a apiVersion',
      'error k8s-schema CloneSet/a apiVersion',
      'warning networkpolicy-selects-something NetworkPolicy/a spec.podSelector',
    ]);
    expect(report.skipped).toEqual([]);
  });
});

describe('secrets by value', () => {
  test('a real-looking value under a secret\'s name is an error, a placeholder a warning, a value that cannot be a secret nothing', () => {
    expect(findings('secrets/configmaps.yaml')).toEqual([
      'error configmap-no-secret-content ConfigMap/exposed data.DB_PASSWORD',
      'warning secret-placeholder ConfigMap/exposed data.SMTP_PASSWORD',
      'warning secret-placeholder ConfigMap/exposed data.API_TOKEN',
      'warning secret-placeholder ConfigMap/exposed data.JWT_SECRET',
      'error secret-values ConfigMap/connection data.DATABASE_URL',
    ]);
  });

  const secretRules = (rule: string) => SCHEMA_AND_SECRET_RULES.includes(rule) && rule !== 'k8s-schema';

  test('a secret inside a configuration file of a ConfigMap (JSON, YAML, properties, .env, INI, TOML, text that does not parse) or in JSON an env var holds is an error at its key, a placeholder a warning', () => {
    const report = PolicyCheck.run(objects('secrets/config-files.yaml')).findings.filter((f) => secretRules(f.rule));
    expect(report.map((f) => `${line(f)}: ${f.message.replace(/; move it to a Secret .*$/, '')}`)).toEqual([
      'error configmap-no-secret-content ConfigMap/api-json data.config.json: data["config.json"] .database.password has a name that marks a secret',
      'warning secret-placeholder ConfigMap/api-json data.smtp.json: data["smtp.json"] .smtp.password holds the placeholder "changeme" under a name that marks a secret (PASSWORD); keep the real value in a Secret (or an ExternalSecret / SealedSecret)',
      'error secret-values ConfigMap/api-json data.config.json: data["config.json"] .cache.url holds a URL with a password (user:password@host)',
      // The PEM key as a JSON string with \n escapes.
      'error secret-values ConfigMap/api-json data.gcp-sa.json: data["gcp-sa.json"] .private_key holds a PEM private key',
      'error configmap-no-secret-content ConfigMap/orders-spring data.application.yaml: data["application.yaml"] .spring.datasource.password has a name that marks a secret',
      // A `value` under its parent's key (credentials).
      'error configmap-no-secret-content ConfigMap/orders-spring data.application.yaml: data["application.yaml"] .app.credentials[0].value has a name that marks a secret',
      // ${DB_PASSWORD:-pr0d-pw}: the default lands when the variable is unset.
      'error configmap-no-secret-content ConfigMap/orders-spring data.application-prod.yml: data["application-prod.yml"] ["spring.datasource.password"] has a name that marks a secret',
      'error secret-values ConfigMap/orders-spring data.application.yaml: data["application.yaml"] .spring.rabbitmq.addresses holds a URL with a password (user:password@host)',
      'error configmap-no-secret-content ConfigMap/legacy-files data.app.properties: data["app.properties"] line 4 db.password has a name that marks a secret',
      'error configmap-no-secret-content ConfigMap/legacy-files data..env: data[".env"] line 2 PASSWORD has a name that marks a secret',
      'error configmap-no-secret-content ConfigMap/legacy-files data..env: data[".env"] line 3 STRIPE_SECRET has a name that marks a secret',
      'error configmap-no-secret-content ConfigMap/legacy-files data.my.cnf: data["my.cnf"] line 3 [client] password has a name that marks a secret',
      'error configmap-no-secret-content ConfigMap/legacy-files data.config.toml: data["config.toml"] line 3 [database] password has a name that marks a secret',
      'error configmap-no-secret-content ConfigMap/legacy-files data.broken.yaml: data["broken.yaml"] line 2 password has a name that marks a secret',
      'error env-no-literal-secrets Deployment/orders spec.template.spec.containers[0].env[0].value: env var SPRING_APPLICATION_JSON holds a configuration file whose .spring.datasource.password has a name that marks a secret',
    ]);
    for (const f of report.filter((x) => x.level === 'error')) {
      expect(f.message).toMatch(/; move it to a Secret \(or an ExternalSecret \/ SealedSecret\): mount the file from that, or fill the value in from a secretKeyRef env var/);
    }
    // No value of the fixture appears in a message.
    const values = ['hunter2', 'r3dis-pw', 'MIIEvQ', 's3cr3t', 'rabbit-pw', 'admin-pw-2024', 'pr0d-pw', 'Tr0ub4dor', 'whsec', 'b4ckup-pw', 't0ml-pw', 'json-pw'];
    const messages = report.map((f) => f.message).join('\n');
    expect(values.filter((v) => messages.includes(v))).toEqual([]);
  });

  test('npx deploykit check names the object, the data key and the path inside the file, never the value', () => {
    const run = npx(['check', `${FIXTURES}/secrets/config-files.yaml`]);
    // The object, then the data entry at its line in the manifest, then where inside the file.
    expect(run.stdout).toMatch(/ConfigMap shop\/api-json \(line 3\)\n\s+error\s+configmap-no-secret-content\s+data\.config\.json \(line 7\)\n/);
    expect(run.stdout).toContain('data["config.json"] .database.password has a name that marks a secret');
    expect(run.stdout).not.toMatch(/hunter2|s3cr3t|Tr0ub4dor|MIIEvQ|json-pw/);
    expect(run.status).toBe(1);
  });

  test('no finding on what a configuration file holds that is no secret value: references, empty, null, booleans, numbers, paths, a Secret\'s name, hashes, names that describe a secret, URLs without a password', () => {
    const [clean] = objects('secrets/config-files-clean.yaml');
    expect(Object.keys(clean.data)).toEqual(['config.json', 'application.yaml', 'app.properties', '.env', 'my.ini', 'grafana.ini', 'config.toml', 'entrypoint.sh']);
    expect(findings('secrets/config-files-clean.yaml')).toEqual([]);
    // The same file with one reference replaced by a value is reported: the files are read.
    clean.data['config.json'] = clean.data['config.json'].replace('"password": "${DB_PASSWORD}"', '"password": "hunter2"');
    expect(PolicyCheck.run([clean]).findings.map(line)).toEqual(['error configmap-no-secret-content ConfigMap/references data.config.json']);
  });

  test('a password in a JDBC URL\'s query or a connection string, in an XML file (Tomcat, Hibernate, .NET, Maven), in binaryData, or in a file held in a file is an error at its key and place', () => {
    const report = PolicyCheck.run(objects('secrets/more-files.yaml')).findings.filter((f) => secretRules(f.rule));
    expect(report.map((f) => `${line(f)}: ${f.message.replace(/; (?:move it|keep it) .*$/, '')}`)).toEqual([
      'error secret-values ConfigMap/jdbc-urls data.app.properties: data["app.properties"] line 1 db.url holds a URL with a password in its query (password=...)',
      'error secret-values ConfigMap/jdbc-urls data.DATABASE_URL: holds a URL with a password in its query (password=...)',
      'error configmap-no-secret-content ConfigMap/xml-files data.context.xml: data["context.xml"] line 4 /Context/Resource[@name="jdbc/orders"]/@password has a name that marks a secret',
      'error configmap-no-secret-content ConfigMap/xml-files data.hibernate.cfg.xml: data["hibernate.cfg.xml"] line 4 /hibernate-configuration/session-factory/property[@name="hibernate.connection.password"] has a name that marks a secret',
      'error configmap-no-secret-content ConfigMap/xml-files data.web.config: data["web.config"] line 5 /configuration/appSettings/add[@key="PaymentApiKey"]/@value has a name that marks a secret',
      'error configmap-no-secret-content ConfigMap/xml-files data.settings.xml: data["settings.xml"] line 6 /settings/servers/server/password has a name that marks a secret',
      'error secret-values ConfigMap/xml-files data.web.config: data["web.config"] line 8 /configuration/connectionStrings/add[@name="Orders"]/@connectionString holds a connection string with a password (Password=...)',
      'error configmap-no-secret-content ConfigMap/binary-files binaryData.application.properties: binaryData["application.properties"] (decoded) line 2 spring.datasource.password has a name that marks a secret',
      'error secret-values ConfigMap/binary-files binaryData.tls.key: binaryData["tls.key"] (decoded) holds a PEM private key',
      'error configmap-no-secret-content ConfigMap/chart-files data.config.yaml: data["config.yaml"] .files["application.yml"] > .spring.datasource.password has a name that marks a secret',
      'error configmap-no-secret-content ConfigMap/chart-files data.config.yaml: data["config.yaml"] .files["settings.json"] > .mail.token has a name that marks a secret',
    ]);
    // No value of the fixture (nor the base64 of one) appears in a message.
    const values = ['qu3ry-pw', 's3mi-pw', 't0mcat-pw', 'h1bernate-pw', 'n3t-k3y', 'c0nn-pw', 'm4ven-pw', 'b1n-pw', 'MHcCAQEE', 'LS0tLS1', 'c3ByaW5n', 'n3sted-pw', 'n3sted-token'];
    const messages = report.map((f) => f.message).join('\n');
    expect(values.filter((v) => messages.includes(v))).toEqual([]);
  });

  test('npx deploykit check names the binaryData key and the XML place, never the value', () => {
    const run = npx(['check', `${FIXTURES}/secrets/more-files.yaml`]);
    expect(run.stdout).toMatch(/ConfigMap shop\/binary-files \(line \d+\)\n\s+error\s+configmap-no-secret-content\s+binaryData\.application\.properties \(line \d+\)\n/);
    expect(run.stdout).toContain('data["context.xml"] line 4 /Context/Resource[@name="jdbc/orders"]/@password has a name that marks a secret');
    expect(run.stdout).not.toMatch(/qu3ry-pw|t0mcat-pw|b1n-pw|n3sted-pw|MHcCAQEE/);
    expect(run.status).toBe(1);
  });

  test('no finding on their look-alikes: queries without a password, references, encrypted values, commented XML, binary content, a certificate, nested files of references', () => {
    const clean = objects('secrets/more-files-clean.yaml');
    expect(clean.map((o) => o.metadata.name)).toEqual(['jdbc-urls', 'xml-files', 'binary-files', 'chart-files']);
    expect(findings('secrets/more-files-clean.yaml')).toEqual([]);
    // The same files with one reference replaced by a value are reported: each is read.
    const [urls, xml, binary, chart] = clean;
    urls.data.DATABASE_URL = urls.data.DATABASE_URL.replace('${DB_PASSWORD}', 'qu3ry-pw');
    xml.data['settings.xml'] = xml.data['settings.xml'].replace('${env.MAVEN_PASSWORD}', 'm4ven-pw');
    binary.binaryData['application.properties'] = Buffer.from('spring.datasource.password=b1n-pw\n').toString('base64');
    chart.data['config.yaml'] = chart.data['config.yaml'].replace('password: ${DB_PASSWORD}', 'password: n3sted-pw');
    expect(PolicyCheck.run(clean).findings.map(line)).toEqual([
      'error secret-values ConfigMap/jdbc-urls data.DATABASE_URL',
      'error configmap-no-secret-content ConfigMap/xml-files data.settings.xml',
      'error configmap-no-secret-content ConfigMap/binary-files binaryData.application.properties',
      'error configmap-no-secret-content ConfigMap/chart-files data.config.yaml',
    ]);
  });
});

describe('RBAC as the API server evaluates it', () => {
  const rbac = (rule: string) => rule.startsWith('rbac-');

  test('each wildcard and subresource form is read as the authorizer reads it', () => {
    expect(findings('rbac/wildcard-forms.yaml', {}, rbac)).toEqual([
      'warning rbac-no-wildcards Role/exec-any-verb rules[0].verbs',
      'warning rbac-no-exec-attach Role/exec-any-verb rules[0].resources',
      'warning rbac-no-wildcards Role/every-core-resource rules[0].resources',
      'warning rbac-no-exec-attach Role/every-core-resource rules[0].resources',
      'warning rbac-no-secret-read Role/every-core-resource rules[0].resources',
      'warning rbac-no-exec-attach Role/any-attach-subresource rules[0].resources',
      // pods/* matches nothing: no exec, but a warning that it is no wildcard.
      'warning rbac-no-wildcards Role/pods-star rules[0].resources',
      'warning rbac-no-wildcards Role/any-group-secrets rules[0].apiGroups',
      'warning rbac-no-secret-read Role/any-group-secrets rules[0].resources',
      'warning rbac-no-cluster-admin ClusterRole/every-verb-listed rules[0]',
      'warning rbac-no-wildcards ClusterRole/every-verb-listed rules[0].apiGroups',
      'warning rbac-no-wildcards ClusterRole/every-verb-listed rules[0].resources',
      'warning rbac-no-wildcards ClusterRole/reader rules[0].apiGroups',
      'warning rbac-no-wildcards ClusterRole/reader rules[0].resources',
      'warning rbac-no-exec-attach ClusterRole/reader rules[0].resources',
      'warning rbac-no-secret-read ClusterRole/reader rules[0].resources',
      'warning rbac-no-wildcards ClusterRole/impersonator rules[0].verbs',
      'warning rbac-no-escalation ClusterRole/impersonator rules[0].verbs',
    ]);
    const messages = PolicyCheck.run(objects('rbac/wildcard-forms.yaml')).findings.map((f) => `${f.name} ${f.rule}: ${f.message}`);
    expect(messages).toContain('exec-any-verb rbac-no-exec-attach: grants create and get on pods/exec: whoever holds it runs commands in the pods, with their secrets');
    expect(messages).toContain('any-attach-subresource rbac-no-exec-attach: grants create on pods/attach: whoever holds it runs commands in the pods, with their secrets');
  });

  test('bindings inherit their role\'s findings: a role of the input, or the default cluster-admin, admin and edit (not view)', () => {
    expect(findings('rbac/bindings.yaml', {}, rbac)).toEqual([
      'warning rbac-no-exec-attach ClusterRole/debugger rules[0].resources',
      'warning rbac-no-exec-attach ClusterRoleBinding/debugger roleRef.name',
      'warning rbac-no-cluster-admin ClusterRole/everything rules[0]',
      'warning rbac-no-wildcards ClusterRole/everything rules[0].apiGroups',
      'warning rbac-no-wildcards ClusterRole/everything rules[0].resources',
      'warning rbac-no-wildcards ClusterRole/everything rules[0].verbs',
      'warning rbac-no-cluster-admin RoleBinding/everything roleRef.name',
      'warning rbac-no-cluster-admin ClusterRoleBinding/ci-cluster-admin roleRef.name',
      'warning rbac-no-exec-attach RoleBinding/team-admin roleRef.name',
      'warning rbac-no-secret-read RoleBinding/team-admin roleRef.name',
      'warning rbac-no-escalation RoleBinding/team-admin roleRef.name',
      'warning rbac-no-exec-attach RoleBinding/team-edit roleRef.name',
      'warning rbac-no-secret-read RoleBinding/team-edit roleRef.name',
      'warning rbac-no-escalation RoleBinding/team-edit roleRef.name',
    ]);
  });

  test('Kubernetes\' own system: roles and bindings are exempt, unless checkSystemRbac', () => {
    expect(findings('rbac/system.yaml', {}, rbac)).toEqual([]);
    expect(findings('rbac/system.yaml', { checkSystemRbac: true }, rbac)).toEqual([
      'warning rbac-no-cluster-admin ClusterRole/system:controller:example rules[0]',
      'warning rbac-no-wildcards ClusterRole/system:controller:example rules[0].apiGroups',
      'warning rbac-no-wildcards ClusterRole/system:controller:example rules[0].resources',
      'warning rbac-no-wildcards ClusterRole/system:controller:example rules[0].verbs',
      'warning rbac-no-cluster-admin ClusterRoleBinding/system:masters-admin roleRef.name',
    ]);
  });
});

describe('levels by the project\'s rule: an error is refused by the API server or breaks at run time', () => {
  const errors = (fixture: string) => PolicyCheck.run(objects(fixture)).errors.map(line);

  test('an autoscaler with minReplicas above maxReplicas is an error', () => {
    expect(errors('levels/hpa-min-above-max.yaml')).toEqual(['error hpa-replica-range HorizontalPodAutoscaler/api spec.maxReplicas']);
  });

  test('an autoscaler on a utilization of pods that do not request the resource cannot act: an error; limits, LimitRange defaults, AverageValue and Pods metrics are fine', () => {
    const set = objects('levels/hpa-utilization-requests.yaml');
    const rule = (found: PolicyFinding[]) => found.filter((f) => f.rule === 'hpa-utilization-requests').map(line);
    const expected = [
      'error hpa-utilization-requests HorizontalPodAutoscaler/api spec.metrics[1]',
      'error hpa-utilization-requests HorizontalPodAutoscaler/worker spec.targetCPUUtilizationPercentage',
      'error hpa-utilization-requests HorizontalPodAutoscaler/cache spec.metrics[0]',
      'error hpa-utilization-requests HorizontalPodAutoscaler/batch spec.metrics',
      'error hpa-utilization-requests HorizontalPodAutoscaler/gone spec.metrics[0]',
    ];
    expect(rule(PolicyCheck.run(set).errors)).toEqual(expected);
    expect(rule(PolicyCheck.run(set, { kubernetesVersion: '1.34' }).errors)).toEqual(expected);
    const messages = PolicyCheck.run(set).errors.filter((f) => f.rule === 'hpa-utilization-requests').map((f) => `${f.name}: ${f.message}`);
    expect(messages[0]).toBe('api: Resource metric cpu with target type Utilization: container "proxy" (spec.template.spec.containers[1].resources) of Deployment api sets '
      + 'neither requests.cpu nor limits.cpu, so the autoscaler cannot compute the utilization (a percentage of the requests) and does not scale; '
      + 'set requests.cpu in every container, or use target type AverageValue');
    expect(messages[4]).toContain('the pods of Deployment gone have no container "sidecar" (they run "app")');
    // The target outside the input gets hpa-target-exists' warning only.
    expect(PolicyCheck.run(set).findings.filter((f) => f.name === 'elsewhere').map(line)).toEqual(['warning hpa-target-exists HorizontalPodAutoscaler/elsewhere spec.scaleTargetRef']);
    // Requests added where they were missing: nothing left.
    const containers = (name: string) => set.find((o) => o.kind !== 'HorizontalPodAutoscaler' && o.metadata.name === name).spec.template.spec.containers;
    containers('api')[1].resources.requests = { cpu: '10m' };
    containers('worker')[0].resources = { limits: { cpu: '1' } };
    containers('cache')[0].resources.requests.memory = '256Mi';
    containers('batch')[0].resources.requests.cpu = '50m';
    set.find((o) => o.metadata.name === 'gone' && o.kind === 'HorizontalPodAutoscaler').spec.metrics[0].containerResource.container = 'app';
    expect(rule(PolicyCheck.run(set).findings)).toEqual([]);
  });

  test('a native sidecar counts where the version runs it: without a cpu request it is an error under 1.34 only', () => {
    const set = objects('levels/hpa-utilization-requests.yaml').filter((o) => ['limited'].includes(o.metadata.name));
    const pod = set.find((o) => o.kind === 'Deployment').spec.template.spec;
    pod.initContainers[0].restartPolicy = 'Always';
    const rule = (kubernetesVersion: string) => PolicyCheck.run(set, { kubernetesVersion, rules: ['hpa-utilization-requests'] }).findings.map((f) => f.message);
    expect(rule('1.28')).toEqual([]);
    expect(rule('1.34')).toEqual([
      expect.stringContaining('container "migrate" (spec.template.spec.initContainers[0].resources) of Deployment limited sets neither requests.cpu nor limits.cpu'),
      expect.stringContaining('container "migrate" (spec.template.spec.initContainers[0].resources) of Deployment limited sets neither requests.memory nor limits.memory'),
    ]);
    // A pod-level request (Kubernetes 1.32 and later) is what the autoscaler reads then.
    pod.resources = { requests: { cpu: '600m', memory: '300Mi' } };
    expect(rule('1.34')).toEqual([]);
  });

  test('a named targetPort no selected pod declares is an error; an undeclared number a warning; no selector, ExternalName or undeclared ports nothing', () => {
    expect(errors('levels/service-target-ports.yaml')).toEqual(['error service-target-port-name Service/web spec.ports[1].targetPort']);
    const services = PolicyCheck.run(objects('levels/service-target-ports.yaml')).findings.filter((f) => f.kind === 'Service' || f.kind === 'Endpoints');
    expect(services.map(line)).toEqual([
      'error service-target-port-name Service/web spec.ports[1].targetPort',
      'warning service-target-port-declared Service/metrics spec.ports[0].port',
    ]);
    expect(services[1].message).toBe('targetPort 9102 is no containerPort of the pods of Deployment web (they declare 8080); '
      + 'traffic reaches the pods only if a container listens there undeclared');
  });

  test('several possible replicas on one ReadWriteOnce or ReadWriteOncePod claim is an error; one pod (replicas unset, no autoscaler) is fine', () => {
    expect(errors('levels/single-writer-claims.yaml')).toEqual([
      'error single-writer-claim-replicas Deployment/cms spec.template.spec.volumes[0].persistentVolumeClaim.claimName',
      'error single-writer-claim-replicas Deployment/queue spec.template.spec.volumes[0].persistentVolumeClaim.claimName',
    ]);
  });

  test('pods pinned to one node share a ReadWriteOnce claim; two possible nodes, or ReadWriteOncePod, stay errors', () => {
    expect(errors('levels/single-writer-pinned.yaml')).toEqual([
      'error single-writer-claim-replicas Deployment/spread spec.template.spec.volumes[0].persistentVolumeClaim.claimName',
      'error single-writer-claim-replicas Deployment/jobs spec.template.spec.volumes[0].persistentVolumeClaim.claimName',
    ]);
  });
});

describe('renders in the shape of common public charts: no false error', () => {
  const PSS_BASELINE_OF_METALLB = [
    'error hostNamespaces DaemonSet/metallb-speaker spec.template.spec.hostNetwork',
    'error capabilities_baseline DaemonSet/metallb-speaker spec.template.spec.containers[0].securityContext.capabilities.add',
  ];
  const isPodSecurityControl = (rule: string) => PolicyCheck.rules().some((r) => r.id === rule && r.podSecurityLevel !== undefined);

  test('no error at the privileged level; at baseline and restricted only the Pod Security Standards controls that level enforces', () => {
    const set = objects('charts');
    const privileged = PolicyCheck.run(set, { level: PodSecurityLevel.PRIVILEGED });
    expect(privileged.errors.map(line)).toEqual([]);
    expect(privileged.passed).toBe(true);
    // What the peers block on but real clusters run is a warning: no memory limit, a writable root filesystem...
    expect(privileged.findings.filter((f) => f.rule === 'resources-memory-limit').map(line)).toEqual([
      'warning resources-memory-limit Deployment/cert-manager-webhook spec.template.spec.containers[0].resources.limits.memory',
      'warning resources-memory-limit Deployment/ingress-nginx-controller spec.template.spec.containers[0].resources.limits.memory',
      'warning resources-memory-limit DaemonSet/metallb-speaker spec.template.spec.containers[0].resources.limits.memory',
    ]);
    expect(privileged.findings.filter((f) => f.rule === 'container-read-only-root-fs').map(line)).toEqual([
      'warning container-read-only-root-fs Deployment/ingress-nginx-controller spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem',
    ]);
    // ...and so is a Service whose pods an operator creates from a custom resource of the input.
    expect(privileged.findings.filter((f) => f.rule === 'service-selects-pods').map(line)).toEqual([
      'warning service-selects-pods Service/kube-prometheus-stack-prometheus spec.selector',
    ]);
    const baseline = PolicyCheck.run(set, { level: PodSecurityLevel.BASELINE });
    expect(baseline.errors.map(line)).toEqual(PSS_BASELINE_OF_METALLB);
    const restricted = PolicyCheck.run(set, { level: PodSecurityLevel.RESTRICTED });
    expect(restricted.errors.length).toBeGreaterThan(PSS_BASELINE_OF_METALLB.length);
    expect(restricted.errors.filter((f) => !isPodSecurityControl(f.rule)).map(line)).toEqual([]);
    for (const level of Object.values(PodSecurityLevel)) {
      for (const kubernetesVersion of ['1.28', '1.34']) {
        const report = PolicyCheck.run(set, { level, kubernetesVersion });
        expect(report.findings.filter((f) => SCHEMA_AND_SECRET_RULES.includes(f.rule) || f.rule.startsWith('service-target-port'))).toEqual([]);
        expect(report.errors.filter((f) => !isPodSecurityControl(f.rule))).toEqual([]);
      }
    }
    expect(privileged.findings.map(line)).toMatchSnapshot();
  });
});

describe('application manifests whose policies name what the objects cannot tell: no false error', () => {
  const FLOW_AND_SECRET = ['networkpolicy-blocks-flow', 'secret-values'];
  const errorsOf = (set: any[]) => PolicyCheck.run(set, { level: PodSecurityLevel.BASELINE }).errors.map(line);

  test('an Ingress of class traefik, namespaces and pods admitted by labels the cluster may carry, a script naming a PEM header', () => {
    expect(errorsOf(objects('apps'))).toEqual([]);
  });

  test('the same rules still reject what surely breaks or exposes a secret', () => {
    const set = objects('apps');
    const ledger = set.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'ledger');
    // A namespace named by kubernetes.io/metadata.name is known: monitoring is neither ingress-nginx nor ops.
    ledger.spec.ingress[0].from[0].namespaceSelector.matchLabels = { 'kubernetes.io/metadata.name': 'ingress-nginx' };
    ledger.spec.ingress[1].from[0].namespaceSelector.matchLabels = { 'kubernetes.io/metadata.name': 'ops' };
    const notes = set.find((o) => o.kind === 'Ingress' && o.metadata.name === 'notes');
    delete notes.spec.ingressClassName;
    const script = set.find((o) => o.kind === 'ConfigMap');
    script.data['tls.key'] = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
    expect(PolicyCheck.run(set, { level: PodSecurityLevel.BASELINE }).errors.filter((f) => FLOW_AND_SECRET.includes(f.rule)).map(line)).toEqual([
      'error networkpolicy-blocks-flow NetworkPolicy/ledger spec.ingress',
      'error secret-values ConfigMap/split-bundle data.tls.key',
      'error networkpolicy-blocks-flow NetworkPolicy/deny-all spec.ingress',
    ]);
  });
});

describe('cluster-level and operator-style renders: no false error, under each version', () => {
  const VERSIONS = ['1.28', '1.34'];
  const CLUSTER = ['cluster/admission.yaml', 'cluster/crds.yaml', 'cluster/cluster-objects.yaml', 'cluster/controllers.yaml', 'cluster/services-and-jobs.yaml'];

  test('webhooks, APIServices, CRDs and custom resources, cluster objects, controllers\' RBAC, Services and Jobs: no error; custom resources skipped', () => {
    for (const kubernetesVersion of VERSIONS) {
      const report = PolicyCheck.run(CLUSTER.flatMap(objects), { kubernetesVersion });
      expect(report.errors.map(line)).toEqual([]);
      // A custom resource whose CRD is not shipped is skipped, whether its CRD is in the input or not.
      expect(report.skipped.map((s) => `${s.apiVersion} ${s.kind}/${s.name}`)).toEqual([
        'acme.example.com/v1 Widget/sample',
        'acme.example.com/v1alpha1 Widget/legacy',
        'gateway.networking.k8s.io/v1 GatewayClass/acme-gateways',
        'gateway.networking.k8s.io/v1 Gateway/public',
        'gateway.networking.k8s.io/v1 HTTPRoute/storefront',
        'gateway.networking.k8s.io/v1beta1 ReferenceGrant/allow-shop-routes',
        'snapshot.storage.k8s.io/v1 VolumeSnapshotClass/acme-ssd-snapshots',
      ]);
      // Wide reads, leader election, aggregated roles: no RBAC finding; pods and Services: nothing about ports.
      expect(report.findings.filter((f) => f.rule.startsWith('rbac-') || f.rule.startsWith('service-') || f.rule.startsWith('hpa-')).map(line)).toEqual([]);
    }
  });

  test('flowcontrol v1beta3 and admission policies v1beta1 are 1.28\'s; 1.34 serves v1 only, and says so', () => {
    expect(PolicyCheck.run(objects('cluster/policies-v1beta.yaml')).findings.map(line)).toEqual([]);
    expect(PolicyCheck.run(objects('cluster/policies-v1.yaml'), { kubernetesVersion: '1.34' }).findings.map(line)).toEqual([]);
    expect(PolicyCheck.run(objects('cluster/policies-v1beta.yaml'), { kubernetesVersion: '1.34' }).findings.map((f) => f.message)).toEqual([
      '"flowcontrol.apiserver.k8s.io/v1beta3" "PriorityLevelConfiguration" is not a Kubernetes 1.34 kind; PriorityLevelConfiguration is served as flowcontrol.apiserver.k8s.io/v1',
      '"flowcontrol.apiserver.k8s.io/v1beta3" "FlowSchema" is not a Kubernetes 1.34 kind; FlowSchema is served as flowcontrol.apiserver.k8s.io/v1',
      '"admissionregistration.k8s.io/v1beta1" "ValidatingAdmissionPolicy" is not a Kubernetes 1.34 kind; ValidatingAdmissionPolicy is served as admissionregistration.k8s.io/v1',
      '"admissionregistration.k8s.io/v1beta1" "ValidatingAdmissionPolicyBinding" is not a Kubernetes 1.34 kind; ValidatingAdmissionPolicyBinding is served as admissionregistration.k8s.io/v1',
    ]);
    expect(PolicyCheck.run(objects('cluster/policies-v1.yaml')).errors.map((f) => `${f.kind} ${f.path}`)).toEqual([
      'PriorityLevelConfiguration apiVersion', 'FlowSchema apiVersion', 'ValidatingAdmissionPolicy apiVersion', 'ValidatingAdmissionPolicyBinding apiVersion',
    ]);
  });

  test('node agents on the host pass at the privileged level; at baseline and restricted only the controls that level enforces are errors', () => {
    const set = objects('cluster/node-agents.yaml');
    const isPodSecurityControl = (rule: string) => PolicyCheck.rules().some((r) => r.id === rule && r.podSecurityLevel !== undefined);
    const baselineControl = (rule: string) => PolicyCheck.rules().some((r) => r.id === rule && r.podSecurityLevel === PodSecurityLevel.BASELINE);
    for (const kubernetesVersion of VERSIONS) {
      const privileged = PolicyCheck.run(set, { level: PodSecurityLevel.PRIVILEGED, kubernetesVersion });
      expect(privileged.errors.map(line)).toEqual([]);
      expect(privileged.passed).toBe(true);
      // No NetworkPolicy governs a host-network pod: only the log shipper is told to get one.
      expect(privileged.findings.filter((f) => f.rule === 'networkpolicy-covers-pod').map(line)).toEqual([
        'warning networkpolicy-covers-pod DaemonSet/fluent-bit spec.template.metadata.labels',
      ]);
      const baseline = PolicyCheck.run(set, { level: PodSecurityLevel.BASELINE, kubernetesVersion });
      expect(baseline.errors.every((f) => baselineControl(f.rule))).toBe(true);
      expect([...new Set(baseline.errors.map((f) => `${f.name} ${f.rule}`))]).toEqual([
        'node-exporter hostNamespaces', 'node-exporter hostPathVolumes', 'node-exporter hostPorts',
        'fluent-bit hostPathVolumes',
        'acme-cni-node hostNamespaces', 'acme-cni-node privileged', 'acme-cni-node capabilities_baseline', 'acme-cni-node hostPathVolumes',
        'acme-csi-node hostNamespaces', 'acme-csi-node privileged', 'acme-csi-node hostPathVolumes',
      ]);
      const restricted = PolicyCheck.run(set, { level: PodSecurityLevel.RESTRICTED, kubernetesVersion });
      expect(restricted.errors.length).toBeGreaterThan(baseline.errors.length);
      expect(restricted.errors.filter((f) => !isPodSecurityControl(f.rule)).map(line)).toEqual([]);
    }
  });

  test('what the API server refuses though the schema allows it is an error: contradicting pod settings, Jobs restarting Always, stuck updates, both budgets', () => {
    const refused = objects('levels/api-server-refusals.yaml');
    const schemaErrors = (set: any[], kubernetesVersion: string) => PolicyCheck.run(set, { kubernetesVersion, rules: ['k8s-schema'] }).errors;
    const expected = [
      'error k8s-schema DaemonSet/bad spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation',
      'error k8s-schema DaemonSet/bad spec.template.spec.containers[1].volumeMounts[0].mountPropagation',
      'error k8s-schema DaemonSet/bad spec.template.spec.containers[1].ports[0].hostPort',
      'error k8s-schema DaemonSet/bad spec.template.spec.tolerations[0].value',
      'error k8s-schema DaemonSet/bad spec.template.spec.tolerations[1].operator',
      'error k8s-schema DaemonSet/bad spec.updateStrategy.rollingUpdate.maxUnavailable',
      'error k8s-schema Deployment/recreate spec.strategy.rollingUpdate',
      'error k8s-schema Deployment/stuck spec.strategy.rollingUpdate.maxUnavailable',
      'error k8s-schema Deployment/quoted spec.strategy.rollingUpdate.maxUnavailable',
      'error k8s-schema Deployment/quoted spec.strategy.rollingUpdate.maxSurge',
      'error k8s-schema StatefulSet/ondelete spec.updateStrategy.rollingUpdate',
      'error k8s-schema PodDisruptionBudget/both spec.minAvailable',
      'error k8s-schema PodDisruptionBudget/both spec.maxUnavailable',
      'error k8s-schema Job/norestart spec.template.spec.tolerations[0].effect',
      'error k8s-schema Job/norestart spec.template.spec.restartPolicy',
      'error k8s-schema Job/pfp spec.template.spec.restartPolicy',
      'error k8s-schema CronJob/tz spec.schedule',
    ];
    expect(schemaErrors(refused, '1.28').map(line)).toEqual(expected);
    // From 1.29 a TZ= prefix is refused in a new CronJob's schedule even without timeZone.
    expect(schemaErrors(refused, '1.34').map(line)).toEqual([...expected, 'error k8s-schema CronJob/tzonly spec.schedule']);
    const messages = schemaErrors(refused, '1.28').map((f) => `${f.name} ${f.path}: ${f.message}`);
    expect(messages).toContain('bad spec.template.spec.containers[1].ports[0].hostPort: got 9090; on the host network (hostNetwork: true) a hostPort must equal its containerPort 8080 (or be unset)');
    expect(messages).toContain('norestart spec.template.spec.restartPolicy: got unset (Always); a Job\'s pods restart OnFailure or Never (the API server refuses Always, the default)');
    expect(messages).toContain('quoted spec.strategy.rollingUpdate.maxSurge: got "1"; expected an integer of at least 0 or a percentage such as "25%"');
    // The same settings as real node agents and controllers render them are accepted: privileged with
    // Bidirectional propagation, hostPort equal to containerPort, tolerations operator Exists, Recreate
    // without rollingUpdate, maxUnavailable 10%, budgets in percentages, a Job restarting Never beside
    // its podFailurePolicy, a CronJob in its timeZone.
    const accepted = ['cluster/node-agents.yaml', 'cluster/controllers.yaml', 'cluster/services-and-jobs.yaml'].flatMap(objects);
    for (const kubernetesVersion of VERSIONS) expect(schemaErrors(accepted, kubernetesVersion).map(line)).toEqual([]);
  });
});

describe('platform renders (observability, service mesh, CI/CD, storage and messaging, security, JupyterHub): no false error, under each version', () => {
  const VERSIONS = ['1.28', '1.34'];
  const PLATFORM = ['observability', 'mesh-istio', 'mesh-linkerd', 'cicd', 'storage-messaging', 'security', 'jupyterhub'].map((f) => `platform/${f}.yaml`);
  const REDIS_UNPROBED = 'error probe-present-behind-service Deployment/argocd-redis spec.template.spec.containers[0].readinessProbe';
  const isPodSecurityControl = (rule: string) => PolicyCheck.rules().some((r) => r.id === rule && r.podSecurityLevel !== undefined);
  const baselineControl = (rule: string) => PolicyCheck.rules().some((r) => r.id === rule && r.podSecurityLevel === PodSecurityLevel.BASELINE);
  const find = (set: any[], kind: string, name: string) => set.find((o) => o.kind === kind && o.metadata.name === name);
  const run = (set: any[], level = PodSecurityLevel.PRIVILEGED, kubernetesVersion = '1.28') => PolicyCheck.run(set, { level, kubernetesVersion });

  test('the one error at the privileged level is Argo CD\'s Redis, a Deployment without any probe behind its Service; custom resources are skipped', () => {
    for (const kubernetesVersion of VERSIONS) {
      const report = run(PLATFORM.flatMap(objects), PodSecurityLevel.PRIVILEGED, kubernetesVersion);
      expect(report.errors.map(line)).toEqual([REDIS_UNPROBED]);
      expect(report.errors[0].message).toBe('no container of the pod has a probe, though Service argocd-redis sends it traffic: '
        + 'new and hung pods get requests they cannot serve; add a readinessProbe (and a livenessProbe)');
      // An operator's custom resources (Strimzi, RabbitMQ), policy engines' policies and constraints: never an error.
      expect(report.skipped.map((s) => `${s.apiVersion} ${s.kind}/${s.name}`)).toEqual([
        'kafka.strimzi.io/v1beta2 KafkaNodePool/dual-role',
        'kafka.strimzi.io/v1beta2 Kafka/events',
        'kafka.strimzi.io/v1beta2 KafkaTopic/orders',
        'kafka.strimzi.io/v1beta2 KafkaUser/orders-app',
        'rabbitmq.com/v1beta1 RabbitmqCluster/orders-mq',
        'kyverno.io/v1 ClusterPolicy/require-run-as-non-root',
        'templates.gatekeeper.sh/v1 ConstraintTemplate/k8srequiredlabels',
        'constraints.gatekeeper.sh/v1beta1 K8sRequiredLabels/namespaces-need-owner',
      ]);
      // Memberlist, MinIO, NATS, RabbitMQ and Vault Services publish pods before they are ready: no probe finding on them.
      expect(report.findings.filter((f) => SCHEMA_AND_SECRET_RULES.includes(f.rule) || f.rule === 'service-target-port-name' || f.rule === 'networkpolicy-blocks-flow')).toEqual([]);
    }
  });

  test('at baseline the controls that level enforces: host paths and ports of the agents, IPC_LOCK for Vault, NET_ADMIN for linkerd-init, Falco privileged', () => {
    for (const kubernetesVersion of VERSIONS) {
      const baseline = run(PLATFORM.flatMap(objects), PodSecurityLevel.BASELINE, kubernetesVersion);
      expect(baseline.errors.filter((f) => !baselineControl(f.rule)).map(line)).toEqual([REDIS_UNPROBED]);
      expect([...new Set(baseline.errors.filter((f) => baselineControl(f.rule)).map((f) => `${f.name} ${f.rule}`))]).toEqual([
        'otel-agent hostPathVolumes', 'otel-agent hostPorts', 'alloy hostPathVolumes',
        'linkerd-identity capabilities_baseline', 'vault capabilities_baseline', 'falco privileged', 'falco hostPathVolumes',
      ]);
      const vault = baseline.errors.find((f) => f.name === 'vault')!;
      expect(`${vault.path}: ${vault.message}`).toMatch(/^spec\.template\.spec\.containers\[0\]\.securityContext\.capabilities\.add: adds IPC_LOCK; only AUDIT_WRITE, /);
      const restricted = run(PLATFORM.flatMap(objects), PodSecurityLevel.RESTRICTED, kubernetesVersion);
      expect(restricted.errors.length).toBeGreaterThan(baseline.errors.length);
      expect(restricted.errors.filter((f) => !isPodSecurityControl(f.rule)).map(line)).toEqual([REDIS_UNPROBED]);
    }
  });

  test('pods as Istio and Linkerd inject native sidecars run under 1.34; 1.28 drops the sidecars\' restartPolicy, and says so', () => {
    const injected = objects('platform/mesh-injected.yaml');
    expect(run(injected, PodSecurityLevel.PRIVILEGED, '1.34').errors.map(line)).toEqual([]);
    expect(run(injected, PodSecurityLevel.PRIVILEGED, '1.28').errors.map(line)).toEqual([
      'error k8s-schema Deployment/reviews spec.template.spec.initContainers[1].readinessProbe',
      'error k8s-schema Deployment/reviews spec.template.spec.initContainers[1].startupProbe',
      'error native-sidecar-supported Deployment/reviews spec.template.spec.initContainers[1].restartPolicy',
      'error k8s-schema Deployment/web spec.template.spec.initContainers[1].lifecycle',
      'error k8s-schema Deployment/web spec.template.spec.initContainers[1].livenessProbe',
      'error k8s-schema Deployment/web spec.template.spec.initContainers[1].readinessProbe',
      'error native-sidecar-supported Deployment/web spec.template.spec.initContainers[1].restartPolicy',
    ]);
    // The app containers have no probe of their own: the proxy's readiness counts for the pod.
    expect(run(injected, PodSecurityLevel.PRIVILEGED, '1.34').findings.filter((f) => f.rule === 'probe-readiness-present')).toEqual([]);
  });

  test('probe-present-behind-service: not for Services that publish unready pods, Services without a selector, or a Job\'s pods', () => {
    const cicd = () => objects('platform/cicd.yaml');
    const unprobed = (set: any[]) => run(set).findings.filter((f) => f.rule === 'probe-present-behind-service').map(line);
    expect(unprobed(cicd())).toEqual([REDIS_UNPROBED]);
    const publishing = cicd();
    find(publishing, 'Service', 'argocd-redis').spec.publishNotReadyAddresses = true;
    expect(unprobed(publishing)).toEqual([]);
    const endpointsByHand = cicd();
    delete find(endpointsByHand, 'Service', 'argocd-redis').spec.selector;
    expect(unprobed(endpointsByHand)).toEqual([]);
    // A Service in front of the pods of a Job (no probe): they run to completion, no probe is asked of them.
    const job = cicd();
    find(job, 'Service', 'argocd-redis').spec.selector = { 'app.kubernetes.io/name': 'argocd-redis-secret-init', 'app.kubernetes.io/instance': 'argocd' };
    expect(unprobed(job)).toEqual([]);
    // Any probe ends the error; without readiness the warning remains.
    const liveOnly = cicd();
    find(liveOnly, 'Deployment', 'argocd-redis').spec.template.spec.containers[0].livenessProbe = { exec: { command: ['redis-cli', 'ping'] } };
    expect(run(liveOnly).findings.filter((f) => f.name === 'argocd-redis' && f.rule.startsWith('probe-')).map(line)).toEqual([
      'warning probe-readiness-present Deployment/argocd-redis spec.template.spec.containers[0].readinessProbe',
    ]);
  });

  test('what the sweep found false is accepted, and the same rules still reject the broken shape', () => {
    // Istio's gateway: the injector completes the `image: auto` container with its proxy and the proxy's readiness probe.
    const istio = objects('platform/mesh-istio.yaml');
    const gatewayFindings = (set: any[]) => run(set).findings
      .filter((f) => f.name === 'istio-ingressgateway' && /^(probe-(present|readiness)|image-pinned|service-target-port-declared)/.test(f.rule)).map(line);
    expect(gatewayFindings(istio)).toEqual([]);
    const notInjected = JSON.parse(JSON.stringify(istio));
    const pod = find(notInjected, 'Deployment', 'istio-ingressgateway').spec.template.metadata;
    delete pod.labels['sidecar.istio.io/inject'];
    delete pod.annotations['inject.istio.io/templates'];
    expect(gatewayFindings(notInjected)).toEqual([
      ...[0, 1, 2].map((i) => `warning service-target-port-declared Service/istio-ingressgateway spec.ports[${i}].targetPort`),
      'warning image-pinned-tag Deployment/istio-ingressgateway spec.template.spec.containers[0].image',
      'error probe-present-behind-service Deployment/istio-ingressgateway spec.template.spec.containers[0].readinessProbe',
    ]);
    const secrets = (set: any[]) => run(set).findings.filter((f) => SCHEMA_AND_SECRET_RULES.includes(f.rule)).map(line);
    // Jenkins configuration as code reads ${chart-admin-password} from a file of that name; a literal is a secret.
    const cicd = objects('platform/cicd.yaml');
    const jcasc = find(cicd, 'ConfigMap', 'jenkins-jenkins-config-common');
    jcasc.data['jcasc-default-config.yaml'] = jcasc.data['jcasc-default-config.yaml'].replace('"${chart-admin-password}"', '"hunter2"');
    expect(secrets(cicd)).toEqual(['error configmap-no-secret-content ConfigMap/jenkins-jenkins-config-common data.jcasc-default-config.yaml']);
    // Kyverno's registry credential helpers are programs; a registry password on the command line is a secret.
    const security = objects('platform/security.yaml');
    find(security, 'Deployment', 'kyverno-admission-controller').spec.template.spec.containers[0].args.push('--registryPassword=hunter2');
    expect(secrets(security)).toEqual(['error secret-values Deployment/kyverno-admission-controller spec.template.spec.containers[0].args[24]']);
    // JupyterHub's Python configuration computes the password; a quoted literal there is one.
    const hub = objects('platform/jupyterhub.yaml');
    const config = find(hub, 'ConfigMap', 'hub');
    config.data['jupyterhub_config.py'] += 'c.Authenticator.admin_password = "hunter2"\n';
    expect(secrets(hub)).toEqual(['error configmap-no-secret-content ConfigMap/hub data.jupyterhub_config.py']);
  });
});
