import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ComposeFile, Environment, HelmChart, ManifestType, Rescan } from '../src';

/**
 * Rescan (seed 003). The Azure OpenAI credentials come from the environment when present; without
 * them the chart expects a `rescan-secrets` Secret created outside it (see README).
 */
export function rescanChart(app: App, environment: Environment = Environment.PRODUCTION): Chart {
  const suffix = environment === Environment.PRODUCTION ? '' : `-${environment}`;
  const chart = new Chart(app, `rescan${suffix}`, { disableResourceNameHashes: true });
  const apiKey = process.env.AZURE_OPENAI_API_KEY;
  new Rescan(chart, 'rescan', {
    environment,
    imageTag: '1.0.0',
    azureOpenAi: apiKey ? {
      apiKey,
      endpoint: process.env.AZURE_OPENAI_ENDPOINT ?? 'https://your-resource.openai.azure.com/',
      modelDeployment: process.env.AZURE_OPENAI_MODEL_DEPLOYMENT ?? 'gpt-4o',
    } : undefined,
  });
  return chart;
}

/** What an example system synthesizes: its plain YAML folder and its Helm chart folder. */
export interface ExampleOutput {
  /** Folder of the plain YAML, one `<chart>.k8s.yaml` per environment. */
  readonly plainDir: string;
  /** Folder of the Helm chart. */
  readonly helmDir: string;
  /** The charts by environment name; the first is the chart's default (values.yaml). */
  readonly charts: { readonly name: string; readonly chart: Chart }[];
}

/**
 * Synthesizes Rescan into `<outdir>/rescan/` (rescan.k8s.yaml for production,
 * rescan-development.k8s.yaml) and its Helm chart into `<outdir>/helm/rescan/` (values.yaml for
 * production, values-development.yaml, values-production.yaml).
 */
export function synthRescan(outdir: string): ExampleOutput {
  const app = new App({ outdir: path.join(outdir, 'rescan') });
  const production = rescanChart(app, Environment.PRODUCTION);
  const development = rescanChart(app, Environment.DEVELOPMENT);
  const helm = new HelmChart(app, 'helm', {
    chartName: 'rescan',
    chartVersion: '1.0.0',
    appVersion: '1.0.0',
    description: 'Rescan on Kubernetes (seed 003): Deployment, Service, ConfigMap, Secret reference and SQLite volume',
    chart: production,
    defaultEnvironmentName: 'production',
    environments: [{ name: 'development', chart: development }],
  });
  app.synth();
  return {
    plainDir: app.outdir,
    helmDir: helm.writeTo(path.join(outdir, 'helm')),
    charts: [{ name: 'production', chart: production }, { name: 'development', chart: development }],
  };
}

/**
 * Rescan as a docker-compose project (seed 000's docker-compose manifest type) for a laptop:
 * writes `<outdir>/rescan/docker-compose.yaml` and returns its path. Its Secret is not in the
 * chart, so compose reads it from `rescan-secrets.env` beside the file (see the file's header).
 */
export function synthRescanCompose(outdir: string): string {
  const app = new App({ outdir: path.join(outdir, 'rescan') });
  const chart = new Chart(app, 'rescan-compose', { disableResourceNameHashes: true });
  new Rescan(chart, 'rescan', { environment: Environment.DEVELOPMENT, type: ManifestType.DOCKER_COMPOSE, imageTag: '1.0.0' });
  const compose = new ComposeFile(app, 'compose', { chart, projectName: 'rescan', environment: Environment.DEVELOPMENT });
  return compose.writeTo(app.outdir);
}
