import { Chart, Testing } from 'cdk8s';
import { MinikubeCluster, MinikubeClusterProps } from '../../src/clusters/minikube-cluster';
import { ContainerImage } from '../../src/pod/container-image';
import { ResourceLimits } from '../../src/pod/resource-limits';
import { DeploymentManifest } from '../../src/workloads/deployment-manifest';
import { StatefulManifest } from '../../src/workloads/stateful-manifest';
import { synthError, synthManifests } from '../util/manifests';

/**
 * Two workloads: a web Deployment (HPA up to 4, surge 1: 5 pods x 500m / 512Mi) and a database
 * StatefulSet (2 replicas x 1 CPU / 1Gi, 10Gi claims). Demand: 4.5 CPU, 4608Mi memory, 20480Mi disk;
 * with the control plane (750m, 170Mi): 5.25 CPU, 4778Mi.
 */
function workloads(chart: any) {
  new DeploymentManifest(chart, 'web', {
    image: new ContainerImage(chart, 'web-image', { repository: 'web', tag: '1.0.0' }),
    ports: [{ containerPort: 3000 }],
    scalingConfig: { minReplicas: 2, maxReplicas: 4, targetCpuPercent: 70 },
    resourceLimits: new ResourceLimits(chart, 'web-res', { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: '1', memory: '1Gi' } }),
  });
  new StatefulManifest(chart, 'db', {
    image: new ContainerImage(chart, 'db-image', { repository: 'db', tag: '1.0.0' }),
    ports: [{ name: 'db', containerPort: 5432 }],
    replicaCount: 2,
    resourceLimits: new ResourceLimits(chart, 'db-res', { limits: { cpu: '1', memory: '1Gi' } }),
    volumeClaim: { name: 'data', mountPath: '/data', size: '10Gi' },
  });
}

const FITS: MinikubeClusterProps = { name: 'local-dev', cpus: 6, memory: 5120, diskSize: 30000, kubernetesVersion: '1.28.3' };

function chartWith(props: Partial<MinikubeClusterProps>) {
  const chart = Testing.chart();
  (chart as any).namespace = 'shop';
  workloads(chart);
  const cluster = new MinikubeCluster(chart, 'cluster', { ...FITS, ...props });
  return { chart, cluster };
}


describe('MinikubeCluster', () => {
  test('fits: emits no object and sums requests at maximum replicas plus surge, and claims per replica', () => {
    const { chart, cluster } = chartWith({});
    const objects = synthManifests(chart);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).not.toContain('cluster');
    const demand = cluster.demand(objects);
    expect(demand.cpuCores).toBeCloseTo(4.5);
    expect(demand.memoryMiB).toBe(4608);
    expect(demand.diskMiB).toBe(20480);
    expect(demand.breakdown).toEqual([
      'Deployment shop/web: 5 pods x (500m CPU, 512Mi)',
      'StatefulSet shop/db: 2 pods x (1000m CPU, 1024Mi)',
      'StatefulSet shop/db claim data: 2 x 10240Mi',
    ]);
    expect(cluster.checkFits(objects)).toEqual([]);
  });

  test('startCommand renders the minikube start flags', () => {
    expect(chartWith({}).cluster.startCommand()).toBe(
      'minikube start --profile local-dev --cpus 6 --memory 5120MB --disk-size 30000MB --kubernetes-version v1.28.3');
    expect(chartWith({ kubernetesVersion: 'v1.29' }).cluster.kubernetesVersion).toBe('v1.29.0');
  });

  test('too few CPUs: the finding lists the totals', () => {
    const message = synthError(chartWith({ cpus: 4 }).chart);
    expect(message).toMatch(/\[test\/cluster\] cpus: got 4; expected at least 6: the workloads request 4500m CPU and 4608Mi memory at maximum replicas plus rolling-update surge, and the control plane 750m CPU and 170Mi/);
    expect(message).toMatch(/Deployment shop\/web: 5 pods x \(500m CPU, 512Mi\)/);
    expect(message).not.toMatch(/memory: got/);
  });

  test('too little memory', () => {
    expect(synthError(chartWith({ memory: 4096 }).chart))
      .toMatch(/\[test\/cluster\] memory: got 4096; expected at least 4778 \(MB\): the workloads request 4500m CPU and 4608Mi memory/);
  });

  test('too little disk: the claim templates count once per replica', () => {
    expect(synthError(chartWith({ diskSize: 20000 }).chart))
      .toMatch(/\[test\/cluster\] diskSize: got 20000; expected at least 20480 \(MB\): the persistent volume claims total 20480Mi \(StatefulSet shop\/db claim data: 2 x 10240Mi\)/);
  });

  test('hosts() adds the objects of another chart', () => {
    const app = Testing.app();
    const workloadChart = new Chart(app, 'apps', { namespace: 'shop' });
    workloads(workloadChart);
    const clusterChart = new Chart(app, 'infra');
    const cluster = new MinikubeCluster(clusterChart, 'cluster', { ...FITS, cpus: 2 });
    expect(() => Testing.synth(clusterChart)).not.toThrow();
    cluster.hosts(workloadChart);
    expect(() => Testing.synth(clusterChart)).toThrow(/cpus: got 2; expected at least 6/);
  });

  test.each([
    ['Kubernetes 1.27', { kubernetesVersion: '1.27.9' }, /kubernetesVersion: got "1.27.9"; expected at least 1.28/],
    ['an unparsable version', { kubernetesVersion: 'latest' }, /kubernetesVersion: got "latest"; expected a Kubernetes version such as "1.28.3"/],
    ['a bad name', { name: 'Local_Dev' }, /name: got "Local_Dev"; expected a DNS-1123 label/],
    ['one CPU', { cpus: 1 }, /cpus: got 1; expected an integer from 2 to 1024/],
    ['fractional CPUs', { cpus: 2.5 }, /cpus: got 2.5; expected an integer from 2 to 1024/],
    ['1 GB of memory', { memory: 1024 }, /memory: got 1024; expected an integer from 2048/],
    ['a 1000 MB disk', { diskSize: 1000 }, /diskSize: got 1000; expected an integer from 2000/],
  ])('rejects %s', (_what, props, message) => {
    expect(synthError(chartWith(props).chart)).toMatch(message);
  });
});
