import { ApiObject, Chart, Testing } from 'cdk8s';
import { unservedApiVersion } from '../../src/clusters/private/served-apis';
import { ClusterAccessLevel, TargetCluster, TargetClusterProps } from '../../src/clusters/target-cluster';
import { PersistentStorage } from '../../src/config/persistent-storage';
import { Namespace } from '../../src/networking/namespace';
import { ContainerImage } from '../../src/pod/container-image';
import { ResourceLimits } from '../../src/pod/resource-limits';
import { CertificateBundle } from '../../src/tls/certificate-bundle';
import { CertificateProvider, CertificateType } from '../../src/tls/certificate-types';
import { DeploymentManifest } from '../../src/workloads/deployment-manifest';
import { synthError, synthManifests } from '../util/manifests';

const PROD: TargetClusterProps = {
  name: 'Production (eu-west-1)',
  endpoint: 'https://api.prod.example.com:6443',
  context: 'prod-deployer@prod',
  version: 'v1.28.3',
  accessLevel: ClusterAccessLevel.DEPLOY,
};

function chartWith(props: Partial<TargetClusterProps> = {}) {
  const chart = Testing.chart();
  (chart as any).namespace = 'shop';
  const cluster = new TargetCluster(chart, 'cluster', { ...PROD, ...props });
  return { chart, cluster };
}

/**
 * A web Deployment requesting 500m / 512Mi per pod, autoscaled up to 4 replicas (2000m, 2048Mi at
 * most), and a 10Gi claim (used by a backup job elsewhere: a ReadWriteOnce claim is never mounted by
 * an autoscaled Deployment).
 */
function web(chart: Chart) {
  new PersistentStorage(chart, 'web-data', { name: 'web-data', size: '10Gi', mountPath: '/data' });
  return new DeploymentManifest(chart, 'web', {
    image: new ContainerImage(chart, 'web-image', { repository: 'acme/web', tag: '1.0.0' }),
    ports: [{ containerPort: 8080 }],
    scalingConfig: { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 70 },
    resourceLimits: new ResourceLimits(chart, 'web-res', { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
  });
}

/** A raw object of any apiVersion and kind. */
function raw(chart: Chart, apiVersion: string, kind: string, name: string) {
  return new ApiObject(chart, `${kind}-${name}`, { apiVersion, kind, metadata: { name } });
}

describe('TargetCluster', () => {
  test('a fitting chart synthesizes, and the cluster emits no object', () => {
    const { chart, cluster } = chartWith({ resourceQuota: { cpu: '2', memory: '2Gi', storage: '10Gi' } });
    web(chart);
    const objects = synthManifests(chart);
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'HorizontalPodAutoscaler', 'PersistentVolumeClaim']));
    expect(objects.map((o) => o.metadata.name)).not.toContain('cluster');
    expect(cluster.name).toBe('Production (eu-west-1)');
    expect(cluster.endpoint).toBe('https://api.prod.example.com:6443');
    expect(cluster.context).toBe('prod-deployer@prod');
    expect(cluster.version).toBe('v1.28.3');
    expect(cluster.accessLevel).toBe(ClusterAccessLevel.DEPLOY);
    expect(cluster.capabilities).toEqual([]);
    expect(cluster.resourceQuota).toEqual({ cpu: '2', memory: '2Gi', storage: '10Gi' });
  });

  test('kubeconfigHint is the kubectl apply command with the context', () => {
    const { cluster } = chartWith();
    expect(cluster.kubeconfigHint()).toBe('kubectl --context prod-deployer@prod apply -f dist/');
    expect(cluster.kubeconfigHint('dist/shop.k8s.yaml')).toBe('kubectl --context prod-deployer@prod apply -f dist/shop.k8s.yaml');
    expect(chartWith({ context: "it's-$HOME" }).cluster.kubeconfigHint()).toBe("kubectl --context 'it'\\''s-$HOME' apply -f dist/");
  });

  test('accessLevel defaults to deploy; version "1.28" and later pass', () => {
    for (const version of ['1.28', 'v1.29.0', '1.31.2', 'v1.28.3+k3s1']) {
      const chart = Testing.chart();
      const cluster = new TargetCluster(chart, 'c', { name: 'dev', endpoint: 'https://127.0.0.1:6443', context: 'kind-dev', version });
      expect(cluster.accessLevel).toBe(ClusterAccessLevel.DEPLOY);
      expect(() => Testing.synth(chart)).not.toThrow();
    }
  });

  describe('props rules', () => {
    test('endpoint: an https API server URL with a host, an optional port and an optional path (proxied API servers); no query or fragment', () => {
      for (const good of ['https://api.example.com', 'https://api.example.com:6443/', 'https://10.0.0.1:6443', 'https://[fd00::1]:6443', 'https://kubernetes',
        // Rancher, and other proxies, serve a cluster's API under a path: kubeconfig's server is such a URL.
        'https://rancher.example.com/k8s/clusters/c-m-abc12', 'https://api.example.com/k8s/clusters/c-1/', 'https://gw.example.com:8443/api/clusters/prod']) {
        expect(() => Testing.synth(chartWith({ endpoint: good }).chart)).not.toThrow();
        expect(chartWith({ endpoint: good }).cluster.endpoint).toBe(good);
      }
      for (const bad of ['http://api.example.com:6443', 'https://api.example.com:6443?x=1', 'https://rancher.example.com/k8s/clusters/c-1?token=x',
        'https://api.example.com#x', 'https://api.example.com/k8s#x', 'https://api.example.com/k8s?', 'https://api.example.com/../admin',
        'https://user:pw@api.example.com', 'https://api_example.com', 'https://api.example.com:0', 'api.example.com:6443', 'https://', '']) {
        // A URL with a password is a secret: the finding names the field but never echoes it.
        const got = bad.includes(':pw@') ? '<redacted>' : '".*"';
        expect(synthError(chartWith({ endpoint: bad }).chart))
          .toMatch(new RegExp(`\\[test/cluster\\] endpoint: got ${got}; expected a Kubernetes API server URL: https://, a host, an optional port and an optional path \\(of a proxied API server\\), no query or fragment`));
      }
    });

    test('context: non-empty, no whitespace', () => {
      for (const bad of ['', 'prod deployer', 'prod\t']) {
        expect(synthError(chartWith({ context: bad }).chart)).toMatch(/context: got ".*"; expected a kubectl context name without whitespace/);
      }
      expect(() => Testing.synth(chartWith({ context: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod' }).chart)).not.toThrow();
    });

    test('version: a supported Kubernetes version, 1.28 or later', () => {
      expect(synthError(chartWith({ version: 'v1.27.9' }).chart))
        .toMatch(/version: got "v1.27.9"; expected a supported Kubernetes version: 1.28 or later/);
      expect(synthError(chartWith({ version: '2.0' }).chart)).toMatch(/version: got "2.0"; expected a supported Kubernetes version/);
      expect(synthError(chartWith({ version: 'latest' }).chart)).toMatch(/version: got "latest"; expected a Kubernetes version such as "v1.28.3" or "1.28"/);
    });

    test('name: a display name', () => {
      expect(synthError(chartWith({ name: '' }).chart)).toMatch(/name: got ""; expected a display name of 1-253 characters/);
      expect(synthError(chartWith({ name: ' prod ' }).chart)).toMatch(/name: got " prod "; expected a display name/);
    });

    test('capabilities: names, each once', () => {
      const message = synthError(chartWith({ capabilities: ['cert-manager', 'Cert Manager', 'cert-manager'] }).chart);
      expect(message).toMatch(/capabilities\[1\]: got "Cert Manager"; expected a capability of lowercase letters, digits, "-" and "."/);
      expect(message).toMatch(/capabilities: got "cert-manager"; expected each capability listed once/);
    });

    test('resourceQuota: quantities', () => {
      const message = synthError(chartWith({ resourceQuota: { cpu: 'two', memory: '2GB', storage: '-1Gi' } }).chart);
      expect(message).toMatch(/resourceQuota.cpu: got "two"; expected a CPU quantity/);
      expect(message).toMatch(/resourceQuota.memory: got "2GB"; expected a byte quantity/);
      expect(message).toMatch(/resourceQuota.storage: got "-1Gi"; expected a byte quantity/);
    });

    test('all props mistakes are reported together', () => {
      const message = synthError(chartWith({ name: '', endpoint: 'http://x', context: '', version: '1.20' }).chart);
      const fields = message.split('\n').filter((l) => l.includes('[test/cluster]')).map((l) => l.trim().split(' ')[1]);
      expect(fields).toEqual(['name:', 'endpoint:', 'context:', 'version:']);
    });
  });

  describe('access level', () => {
    test('read-only with objects to deploy is an error', () => {
      const { chart } = chartWith({ accessLevel: ClusterAccessLevel.READ_ONLY });
      web(chart);
      expect(synthError(chart)).toMatch(
        /\[test\/cluster\] accessLevel: got "read_only"; expected deploy or admin: a read-only context cannot apply the chart's \d+ objects \(PersistentVolumeClaim shop\/web-data, Deployment shop\/web, .* and \d+ more\)/);
    });

    test('read-only with nothing to deploy passes', () => {
      expect(() => Testing.synth(chartWith({ accessLevel: ClusterAccessLevel.READ_ONLY }).chart)).not.toThrow();
    });

    test('deploy cannot create cluster-scoped objects; admin can', () => {
      const deploy = chartWith();
      new Namespace(deploy.chart, 'ns', { name: 'shop' });
      expect(synthError(deploy.chart)).toMatch(
        /accessLevel: got "deploy"; expected admin: the chart creates cluster-scoped objects \(Namespace shop\), which need cluster-wide permissions/);
      const admin = chartWith({ accessLevel: ClusterAccessLevel.ADMIN });
      new Namespace(admin.chart, 'ns', { name: 'shop' });
      expect(() => synthManifests(admin.chart)).not.toThrow();
    });
  });

  describe('API versions served by the cluster version', () => {
    test('the GA versions the library emits pass', () => {
      const { chart } = chartWith();
      for (const [apiVersion, kind] of [['v1', 'ConfigMap'], ['apps/v1', 'Deployment'], ['autoscaling/v2', 'HorizontalPodAutoscaler'],
        ['policy/v1', 'PodDisruptionBudget'], ['networking.k8s.io/v1', 'Ingress'], ['batch/v1', 'CronJob'], ['rbac.authorization.k8s.io/v1', 'Role']]) {
        raw(chart, apiVersion, kind, kind.toLowerCase());
      }
      // Raw objects without a spec: chart.toJson() runs the validations without the schema check.
      expect(() => chart.toJson()).not.toThrow();
    });

    test('removed betas are findings naming the replacement', () => {
      const { chart } = chartWith();
      raw(chart, 'policy/v1beta1', 'PodDisruptionBudget', 'web');
      raw(chart, 'autoscaling/v2beta2', 'HorizontalPodAutoscaler', 'web');
      raw(chart, 'batch/v1beta1', 'CronJob', 'backup');
      raw(chart, 'networking.k8s.io/v1beta1', 'Ingress', 'web');
      raw(chart, 'extensions/v1beta1', 'Ingress', 'old');
      const message = synthError(chart);
      expect(message).toMatch(/PodDisruptionBudget shop\/web apiVersion: got "policy\/v1beta1"; expected an API version Kubernetes 1.28 serves, such as policy\/v1 \(policy\/v1beta1 was removed in 1.25\)/);
      expect(message).toMatch(/HorizontalPodAutoscaler shop\/web apiVersion: got "autoscaling\/v2beta2"; expected an API version Kubernetes 1.28 serves, such as autoscaling\/v2 \(autoscaling\/v2beta2 was removed in 1.26\)/);
      expect(message).toMatch(/CronJob shop\/backup apiVersion: got "batch\/v1beta1"; expected .* such as batch\/v1 \(batch\/v1beta1 was removed in 1.25\)/);
      expect(message).toMatch(/Ingress shop\/web apiVersion: got "networking.k8s.io\/v1beta1"; expected .* such as networking.k8s.io\/v1 \(networking.k8s.io\/v1beta1 was removed in 1.22\)/);
      expect(message).toMatch(/Ingress shop\/old apiVersion: got "extensions\/v1beta1"; expected .*networking.k8s.io\/v1 \(Ingress, NetworkPolicy\).*was removed in 1.22/);
    });

    test('what is served depends on the version', () => {
      expect(unservedApiVersion('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', 28)).toBeUndefined();
      expect(unservedApiVersion('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', 32)).toMatch(/removed in 1.32/);
      expect(unservedApiVersion('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 28)).toMatch(/such as flowcontrol.apiserver.k8s.io\/v1beta3 \(flowcontrol.apiserver.k8s.io\/v1 is served from 1.29\)/);
      expect(unservedApiVersion('flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 29)).toBeUndefined();

      const old = chartWith({ version: '1.28', accessLevel: ClusterAccessLevel.ADMIN });
      raw(old.chart, 'flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 'fs');
      expect(synthError(old.chart)).toMatch(/FlowSchema shop\/fs apiVersion: got "flowcontrol.apiserver.k8s.io\/v1"; expected an API version Kubernetes 1.28 serves/);
      const newer = chartWith({ version: '1.29', accessLevel: ClusterAccessLevel.ADMIN });
      raw(newer.chart, 'flowcontrol.apiserver.k8s.io/v1', 'FlowSchema', 'fs');
      expect(() => newer.chart.toJson()).not.toThrow();
    });

    test('unknown versions of built-in groups and removed kinds', () => {
      const { chart } = chartWith({ accessLevel: ClusterAccessLevel.ADMIN });
      raw(chart, 'apps/v2', 'Deployment', 'web');
      raw(chart, 'policy/v1beta1', 'PodSecurityPolicy', 'restricted');
      const message = synthError(chart);
      expect(message).toMatch(/Deployment shop\/web apiVersion: got "apps\/v2"; expected an API version Kubernetes 1.28 serves by default, such as apps\/v1 \(apps\/v2 is no built-in API version\)/);
      expect(message).toMatch(/PodSecurityPolicy shop\/restricted apiVersion: got "policy\/v1beta1"; expected Pod Security Admission/);
    });
  });

  describe('capabilities for custom resources', () => {
    function withCertManager(capabilities: string[]) {
      const { chart, cluster } = chartWith({ capabilities });
      const bundle = new CertificateBundle(chart, 'web-cert', {
        serverName: 'web.example.com',
        certType: CertificateType.AUTO_GENERATED_SELFSIGNED,
        provider: CertificateProvider.CERT_MANAGER,
      });
      new DeploymentManifest(chart, 'web', {
        image: new ContainerImage(chart, 'web-image', { repository: 'acme/web', tag: '1.0.0' }),
        ports: [{ containerPort: 8443 }],
        serverName: 'web.example.com',
        volumes: [bundle.volume('/etc/web/tls')],
      });
      return { chart, cluster };
    }

    test('DeploymentManifest + CertificateBundle (cert-manager) without the capability: a finding saying what to install', () => {
      expect(synthError(withCertManager([]).chart)).toMatch(
        /\[test\/cluster\] capabilities: got \[\]; expected a list including "cert-manager": the chart has Issuer shop\/web-cert-tls-selfsigned \(cert-manager.io\/v1\), Certificate shop\/web-cert-tls \(cert-manager.io\/v1\); install cert-manager \(https:\/\/cert-manager.io\/docs\/installation\/\) in the cluster and add "cert-manager" to capabilities/);
    });

    test('with the cert-manager capability it passes', () => {
      const objects = synthManifests(withCertManager(['cert-manager']).chart);
      expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['Issuer', 'Certificate', 'Deployment']));
    });

    test('monitoring.coreos.com needs the Prometheus Operator; other groups need themselves', () => {
      const { chart } = chartWith({ capabilities: ['cert-manager'] });
      raw(chart, 'monitoring.coreos.com/v1', 'ServiceMonitor', 'web');
      raw(chart, 'example.com/v1', 'Widget', 'w');
      const message = synthError(chart);
      expect(message).toMatch(/capabilities: got \["cert-manager"\]; expected a list including "prometheus-operator": the chart has ServiceMonitor shop\/web \(monitoring.coreos.com\/v1\); install the Prometheus Operator/);
      expect(message).toMatch(/capabilities: got \["cert-manager"\]; expected a list including "example.com": the chart has Widget shop\/w \(example.com\/v1\); install the CustomResourceDefinitions of the API group "example.com"/);
      const ok = chartWith({ capabilities: ['prometheus-operator', 'example.com'] });
      raw(ok.chart, 'monitoring.coreos.com/v1', 'ServiceMonitor', 'web');
      raw(ok.chart, 'example.com/v1', 'Widget', 'w');
      expect(() => ok.chart.toJson()).not.toThrow();
    });
  });

  describe('resource quota', () => {
    test('requests at maximum replicas (the HPA) must fit cpu and memory', () => {
      const { chart } = chartWith({ resourceQuota: { cpu: '1500m', memory: '1Gi' } });
      web(chart);
      const message = synthError(chart);
      expect(message).toMatch(/\[test\/cluster\] resourceQuota.cpu: got "1500m"; expected at least 2000m: the workloads request 2000m CPU at maximum replicas \(Deployment shop\/web: 4 pods x \(500m CPU, 512Mi\)\)/);
      expect(message).toMatch(/\[test\/cluster\] resourceQuota.memory: got "1Gi"; expected at least 2048Mi: the workloads request 2048Mi memory at maximum replicas/);
      expect(message).not.toMatch(/resourceQuota.storage/);
    });

    test('persistent claims must fit storage', () => {
      const { chart } = chartWith({ resourceQuota: { storage: '5Gi' } });
      web(chart);
      expect(synthError(chart)).toMatch(
        /resourceQuota.storage: got "5Gi"; expected at least 10240Mi: the persistent volume claims total 10240Mi \(PersistentVolumeClaim shop\/web-data: 10240Mi\)/);
    });

    test('without an HPA the replicas count; an exact fit passes', () => {
      const { chart } = chartWith({ resourceQuota: { cpu: '300m', memory: '384Mi', storage: '1Gi' } });
      new DeploymentManifest(chart, 'api', {
        image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.0.0' }),
        replicaCount: 3,
        resourceLimits: new ResourceLimits(chart, 'api-res', { limits: { cpu: '100m', memory: '128Mi' } }),
      });
      expect(() => synthManifests(chart)).not.toThrow();
    });

    test('objects of a hosted chart count too', () => {
      const app = Testing.app();
      const platform = new Chart(app, 'platform', { namespace: 'shop' });
      const cluster = new TargetCluster(platform, 'cluster', { ...PROD, resourceQuota: { cpu: '1' } });
      const workloads = new Chart(app, 'workloads', { namespace: 'shop' });
      web(workloads);
      expect(() => app.synth()).not.toThrow();
      cluster.hosts(workloads);
      expect(() => app.synth()).toThrow(/\[platform\/cluster\] resourceQuota.cpu: got "1"; expected at least 2000m/);
    });
  });
});
