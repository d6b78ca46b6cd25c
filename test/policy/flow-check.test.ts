/**
 * networkpolicy-blocks-flow and object-unique through the API (`PolicyCheck.run`, `ManifestPolicy`)
 * and the cdk8s validation plugin: the same findings, and the same options for where the ingress
 * controller, Prometheus and the cluster DNS run.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ManifestPolicy, PolicyCheck } from '../../src/policy';
import { DeploykitValidation } from '../../src/policy/private/validation-plugin';

const FIXTURE = path.join(__dirname, 'fixtures', 'flows', 'blocked-scrape.yaml');
const objects = () => parseAllDocuments(fs.readFileSync(FIXTURE, 'utf8')).map((d) => d.toJS());
const FLOW = 'ServiceMonitor shop/api -> Deployment shop/api :8080 blocked by NetworkPolicy shop/api (ingress)';

describe('PolicyCheck and ManifestPolicy', () => {
  test('a blocked flow: an error on the NetworkPolicy, naming the flow, with the declaring object', () => {
    const list = objects();
    const report = PolicyCheck.run(list);
    expect(report.errors.map((f) => [f.rule, f.kind, f.name, f.path, f.objectIndex, f.relatedObjectIndex])).toEqual([
      ['networkpolicy-blocks-flow', 'NetworkPolicy', 'api', 'spec.ingress', 3, 4],
    ]);
    expect(report.errors[0].message).toContain(FLOW);
    expect(report.errors[0].message).toContain('admits Prometheus (pods of namespace monitoring labeled app.kubernetes.io/name=prometheus)');
    expect(ManifestPolicy.errors(list).map((v) => v.rule)).toEqual(['networkpolicy-blocks-flow']);
  });

  test('options say where the outside world runs', () => {
    const list = objects();
    expect(PolicyCheck.run(list, { prometheusNamespace: 'ingress-nginx' }).errors).toEqual([]);
    expect(PolicyCheck.run(list, { prometheusNamespace: 'ingress-nginx', prometheusPodLabels: { app: 'prometheus' } }).errors).toEqual([]);
    // The API is an Ingress backend too: its controller elsewhere is blocked.
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'api', namespace: 'shop' },
      spec: { tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }], rules: [{ host: 'shop.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'api', port: { number: 8080 } } } }] } }] },
    };
    const withIngress = [...list, ingress];
    const messages = (options: object) => PolicyCheck.run(withIngress, { prometheusNamespace: 'ingress-nginx', ...options }).errors.map((f) => f.message.split(':')[0]);
    expect(messages({})).toEqual([]);
    expect(messages({ ingressControllerNamespace: 'traefik' })).toEqual(['Ingress shop/api -> Deployment shop/api ']);
    expect(PolicyCheck.run(withIngress, { rules: ['networkpolicy-blocks-flow'], skip: ['networkpolicy-blocks-flow'] }).findings).toEqual([]);
  });

  test('the cluster DNS: a pod that may connect needs it; where it runs is an option', () => {
    const list = objects();
    list[3].spec.egress = [{ to: [{ podSelector: {} }] }];
    const dns = (options: object) => PolicyCheck.run(list, options).errors.map((f) => f.message.split(':')[0]);
    expect(dns({ prometheusNamespace: 'ingress-nginx' })).toEqual(['Deployment shop/api -> cluster DNS (namespace kube-system, k8s-app=kube-dns) ']);
    list[3].spec.egress.push({ to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } } }], ports: [{ port: 53, protocol: 'UDP' }] });
    expect(dns({ prometheusNamespace: 'ingress-nginx' })).toHaveLength(1);
    expect(dns({ prometheusNamespace: 'ingress-nginx', clusterDnsNamespace: 'dns', clusterDnsPodLabels: { app: 'coredns' } })).toEqual([]);
  });

  test('an object twice: an error on the second, naming the first', () => {
    const list = objects();
    const report = PolicyCheck.run([...list, list[1]]);
    const duplicate = report.errors.find((f) => f.rule === 'object-unique')!;
    expect([duplicate.kind, duplicate.name, duplicate.objectIndex, duplicate.relatedObjectIndex, duplicate.path]).toEqual(['Service', 'api', 5, 1, 'metadata.name']);
    expect(duplicate.message).toMatch(/^Service shop\/api is in the input twice/);
  });
});

describe('the cdk8s validation plugin', () => {
  /** Runs the plugin over the fixture; returns the status and the rule names of its violations. */
  async function validate(properties: object): Promise<{ status: string; rules: string[] }> {
    const rules: string[] = [];
    let status = '';
    await new DeploykitValidation(properties).validate({
      manifests: [FIXTURE],
      report: { addViolation: (v) => rules.push(v.ruleName), submit: (s) => { status = s; } },
      logger: { log: () => undefined },
    });
    return { status, rules };
  }

  test('fails on the blocked flow, and takes the same options in its properties', async () => {
    expect(await validate({})).toEqual({ status: 'failure', rules: ['networkpolicy-blocks-flow (error)'] });
    expect(await validate({ prometheusNamespace: 'ingress-nginx' })).toEqual({ status: 'success', rules: [] });
  });
});
