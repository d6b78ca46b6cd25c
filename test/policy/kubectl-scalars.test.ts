/**
 * `deploykit check` reads scalars as kubectl and Helm do (sigs.k8s.io/yaml on go-yaml v2): YAML 1.1
 * booleans and Go's integer forms, but no sexagesimal numbers or timestamps.
 */
import { PolicyCheck } from '../../src/policy';
import { readInputs } from '../../src/policy/private/cli/inputs';

const read = (text: string) => readInputs(['-'], () => text).objects.map((o) => o.object);

function deployment(podSpec: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
${podSpec}`;
}

const CONTAINER = `      containers:
        - name: web
          image: registry.example/web:1.0.0
`;

describe('scalars as kubectl reads them', () => {
  test('yes/no/on/off are booleans; 0644, 0o644, 0x1F, 0b101 and 1_000 are numbers; 12:30 and dates stay strings', () => {
    const [cm] = read(`apiVersion: v1
kind: ConfigMap
metadata: {name: c, annotations: {created: 2024-01-01, at: 12:30, quoted: "yes"}}
data: {}
binaryData: {}
immutable: yes
x-values: [yes, No, on, OFF, y, n, 0644, 0o644, 0x1F, 0b101, 1_000, -0644, 1.5, 0, 10]
`);
    expect(cm.immutable).toBe(true);
    expect(cm['x-values']).toEqual([true, false, true, false, true, false, 420, 420, 31, 5, 1000, -420, 1.5, 0, 10]);
    expect(cm.metadata.annotations).toEqual({ created: '2024-01-01', at: '12:30', quoted: 'yes' });
  });

  test('a file js-yaml refuses (a duplicate key) is read by yaml with the same scalars', () => {
    const inputs = readInputs(['-'], () => 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\nimmutable: on\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\nmetadata: {name: c}\n');
    expect(inputs.objects.map((o) => o.object.immutable)).toEqual([true]);
    expect(inputs.unreadable).toHaveLength(1);
  });

  test('stdin: yes and defaultMode: 0644 pass the schema; an env value or ConfigMap entry of yes is the boolean the API server refuses', () => {
    const schemaErrors = (text: string) => PolicyCheck.run(read(text), { rules: ['k8s-schema'] }).errors.map((f) => f.path);
    expect(schemaErrors(deployment(`      volumes: [{name: cfg, configMap: {name: web, defaultMode: 0644}}]
${CONTAINER}          stdin: yes
          volumeMounts: [{name: cfg, mountPath: /etc/web}]
`))).toEqual([]);
    expect(schemaErrors(deployment(`${CONTAINER}          env: [{name: DEBUG, value: yes}]
`))).toEqual(['spec.template.spec.containers[0].env[0].value']);
    expect(schemaErrors('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: flags}\ndata: {ENABLED: on, AT: 12:30}\n')).toEqual(['data.ENABLED']);
  });
});
