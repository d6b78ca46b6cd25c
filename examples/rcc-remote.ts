import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ExampleOutput } from './rescan';
import {
  CatalogSource, CertificateProvider, CertificateType, ClusterAccessLevel, ComposeFile, ContainerImage, Environment,
  HelmChart, ManifestType, RccRemote, SampleCatalog, ServiceConfiguration, ServiceType, TargetCluster,
} from '../src';

/** The DNS name RCC clients use. */
export const SERVER_NAME = 'rcc.example.com';

/**
 * The demonstration catalog kept beside this file (477 bytes). Replace it with the ZIP that
 * `rcc holotree export -z` writes for your robot (50-200 MB) and its `sha256sum` and size.
 */
export function demoCatalog(chart: Chart): SampleCatalog {
  return new SampleCatalog(chart, 'python311', {
    catalogName: 'python311-demo',
    baseDirectory: __dirname,
    zipFilePath: 'catalogs/python311-demo.zip',
    pythonVersion: '3.11.5',
    condaDependencies: ['python=3.11.5', 'pip=23.3.1'],
    robocorpHomePath: '/opt/robocorp',
    namespace: 'rcc-remote',
    sizeBytes: 477,
    checksumSha256: 'f1076ad1624c289c8ac5bd5603db8a1b4e1c31cee16c44507ab41b5c32b691e6',
    appName: 'rcc-remote',
    instance: 'rcc-remote',
    partOf: 'rcc-remote',
  });
}

/**
 * The image carrying the catalog folder, built next to this file with
 * `FROM busybox:1.36.1` / `COPY catalogs/*.zip /catalogs/` and pushed with a pinned tag.
 */
export function catalogSource(chart: Chart): CatalogSource {
  return CatalogSource.fromImage(new ContainerImage(chart, 'catalog-image', { registry: 'ghcr.io', repository: 'acme/rcc-catalogs', tag: '1.0.0' }));
}

/**
 * RCC Remote (seed 000) on Kubernetes in one environment. Every environment gets its certificate
 * from cert-manager (so nothing secret is needed to synthesize, and the objects match for the Helm
 * chart); the production chart is checked against its TargetCluster (cert-manager installed, the
 * quota holds the autoscaler's maximum). A standalone ServiceConfiguration publishes the server
 * outside the cluster through a load balancer.
 */
export function rccRemoteChart(app: App, environment: Environment = Environment.PRODUCTION): { chart: Chart; rcc: RccRemote } {
  const suffix = environment === Environment.PRODUCTION ? '' : `-${environment}`;
  const chart = new Chart(app, `rcc-remote${suffix}`, { disableResourceNameHashes: true });
  const rcc = new RccRemote(chart, 'rcc-remote', {
    serverName: SERVER_NAME,
    environment,
    tls: { certType: CertificateType.AUTO_GENERATED_CA, provider: CertificateProvider.CERT_MANAGER },
    image: { registry: 'ghcr.io', repository: 'acme/rccremote', tag: '18.17.2' },
    catalogs: [demoCatalog(chart)],
    catalogSource: catalogSource(chart),
  });
  new ServiceConfiguration(chart, 'public', {
    serviceName: 'rcc-remote-public',
    namespace: rcc.namespaceName,
    serviceType: ServiceType.LOAD_BALANCER,
    ports: [{ name: 'https', port: rcc.port, targetPort: rcc.port }],
    selectorLabels: rcc.server.selectorLabels,
    labels: { 'app.kubernetes.io/part-of': 'rcc-remote' },
  });
  if (environment === Environment.PRODUCTION) {
    new TargetCluster(chart, 'cluster', {
      name: 'Production',
      endpoint: 'https://k8s.example.com:6443',
      context: 'rcc-admin@production',
      version: 'v1.28.3',
      capabilities: ['cert-manager'],
      accessLevel: ClusterAccessLevel.ADMIN, // the chart holds the Namespace
      resourceQuota: { cpu: '16', memory: '32Gi', storage: '200Gi' },
    });
  }
  return { chart, rcc };
}

/**
 * Synthesizes RCC Remote into `<outdir>/rcc-remote/` (rcc-remote.k8s.yaml for production,
 * rcc-remote-staging.k8s.yaml, rcc-remote-development.k8s.yaml) and its Helm chart into
 * `<outdir>/helm/rcc-remote/` (values.yaml for production, values-<environment>.yaml).
 */
export function synthRccRemote(outdir: string): ExampleOutput {
  const app = new App({ outdir: path.join(outdir, 'rcc-remote') });
  const { chart: production, rcc } = rccRemoteChart(app, Environment.PRODUCTION);
  const staging = rccRemoteChart(app, Environment.STAGING).chart;
  const development = rccRemoteChart(app, Environment.DEVELOPMENT).chart;
  const helm = new HelmChart(app, 'helm', {
    chartName: 'rcc-remote',
    chartVersion: '1.0.0',
    appVersion: '18.17.2',
    description: 'RCC Remote (seed 000): serves hololib catalogs to RCC clients over HTTPS',
    chart: production,
    defaultEnvironmentName: 'production',
    environments: [{ name: 'staging', chart: staging }, { name: 'development', chart: development }],
    notes: rcc.helmNotes(),
  });
  app.synth();
  return {
    plainDir: app.outdir,
    helmDir: helm.writeTo(path.join(outdir, 'helm')),
    charts: [
      { name: 'production', chart: production },
      { name: 'staging', chart: staging },
      { name: 'development', chart: development },
    ],
  };
}

/** What the docker-compose example writes. */
export interface RccRemoteComposeOutput {
  /** `<outdir>/rcc-remote/docker-compose.yaml`. */
  readonly composeFile: string;
  /** The TLS files beside it, under `secrets/rcc-remote-tls/`. */
  readonly certificateFiles: string[];
}

/**
 * RCC Remote as a docker-compose project on one host (development): writes
 * `<outdir>/rcc-remote/docker-compose.yaml` and the certificate files it mounts as compose secrets,
 * `<outdir>/rcc-remote/secrets/rcc-remote-tls/{tls.crt,tls.key,ca.crt}` (generated at synth and kept
 * in the git-ignored certificate store, the key unencrypted with mode 0600 as development allows).
 * The catalog folder beside this file is bind-mounted read-only into the one-shot import service.
 * @param certificateStore the certificate store folder (default ".deploykit/certs")
 */
export function synthRccRemoteCompose(outdir: string, certificateStore?: string): RccRemoteComposeOutput {
  const dir = path.join(outdir, 'rcc-remote');
  const app = new App({ outdir: dir });
  const chart = new Chart(app, 'rcc-remote-compose', { disableResourceNameHashes: true });
  const rcc = new RccRemote(chart, 'rcc-remote', {
    serverName: SERVER_NAME,
    environment: Environment.DEVELOPMENT,
    type: ManifestType.DOCKER_COMPOSE,
    tls: { certType: CertificateType.AUTO_GENERATED_CA, extraSanNames: ['localhost', '127.0.0.1'], store: { directory: certificateStore } },
    image: { registry: 'ghcr.io', repository: 'acme/rccremote', tag: '18.17.2' },
    catalogs: [demoCatalog(chart)],
    catalogSource: catalogSource(chart),
    // The image has curl; -k: the healthcheck checks the server is up, not who it is.
    composeHealthcheckCommand: ['curl', '-fsk'],
  });
  const compose = new ComposeFile(app, 'compose', { chart, projectName: 'rcc-remote', environment: Environment.DEVELOPMENT });
  const composeFile = compose.writeTo(dir);
  const files = rcc.certificateBundle.writeFiles(path.join(dir, 'secrets'));
  return { composeFile, certificateFiles: [files.certificateFile, files.keyFile, ...(files.caFile ? [files.caFile] : [])] };
}
