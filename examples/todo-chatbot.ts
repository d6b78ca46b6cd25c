import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { ExampleOutput } from './rescan';
import { CertificateProvider, Environment, HelmChart, TodoChatbot } from '../src';

/** The local minikube node both example charts are checked against (see docs/todo-chatbot.md). */
export const TODO_CLUSTER = { name: 'todo-local', cpus: 4, memory: 4096, diskSize: 20000, kubernetesVersion: '1.28.3' };

/** Seed 001's Helm Chart entity: "todo-app", version 1.0.0, and its purpose (verbatim) as the description. */
export const TODO_HELM_CHART = {
  chartName: 'todo-app',
  chartVersion: '1.0.0',
  appVersion: '1.0.0',
  description: 'Packaged Kubernetes deployment configuration that defines the application\'s services, deployments, and configurations',
};

/**
 * The Todo AI chatbot (seeds 001, 002): chart `todo-chatbot` (production, pinned images) and
 * `todo-chatbot-development` (development: `latest` images pulled IfNotPresent, as after
 * `minikube image load`). Secret values come from the environment when present; otherwise the
 * Secrets `todo-postgres-credentials`, `todo-backend-secrets` and `todo-ai-provider` must be
 * created outside the chart (see docs/todo-chatbot.md).
 */
export function todoChatbotCharts(app: App): Chart[] {
  return todoChatbotSystems(app).map((s) => s.chart);
}

/** The blueprints behind `todoChatbotCharts`, with their charts (production first). */
export function todoChatbotSystems(app: App): { chart: Chart; system: TodoChatbot }[] {
  const secrets = {
    databasePassword: process.env.TODO_POSTGRES_PASSWORD || undefined,
    jwtSecret: process.env.TODO_JWT_SECRET || undefined,
  };

  const production = new Chart(app, 'todo-chatbot', { disableResourceNameHashes: true });
  const productionSystem = new TodoChatbot(production, 'todo-chatbot', {
    environment: Environment.PRODUCTION,
    frontendImage: { repository: 'todo-frontend', tag: '1.0.0' },
    backendImage: { repository: 'todo-backend', tag: '1.0.0' },
    hostname: 'todo.local',
    // cert-manager issues the certificate in the cluster: no key material in the output.
    tlsCertificate: CertificateProvider.CERT_MANAGER,
    cluster: TODO_CLUSTER,
    ...secrets,
  });

  const development = new Chart(app, 'todo-chatbot-development', { disableResourceNameHashes: true });
  const developmentSystem = new TodoChatbot(development, 'todo-chatbot', {
    environment: Environment.DEVELOPMENT,
    frontendImage: { repository: 'todo-frontend', tag: 'latest' },
    backendImage: { repository: 'todo-backend', tag: 'latest' },
    frontendScaling: { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 80 },
    backendScaling: { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 80 },
    hostname: 'todo.local',
    tlsCertificate: CertificateProvider.CERT_MANAGER,
    cluster: TODO_CLUSTER,
    ...secrets,
  });
  return [{ chart: production, system: productionSystem }, { chart: development, system: developmentSystem }];
}

/**
 * Synthesizes the Todo chatbot into `<outdir>/todo-chatbot/` (todo-chatbot.k8s.yaml for production,
 * todo-chatbot-development.k8s.yaml) and its Helm chart into `<outdir>/helm/todo-app/`
 * (values.yaml for production, values-development.yaml, values-production.yaml); the chart's notes
 * say how to start the minikube cluster it was sized for.
 */
export function synthTodoChatbot(outdir: string): ExampleOutput {
  const app = new App({ outdir: path.join(outdir, 'todo-chatbot') });
  const [production, development] = todoChatbotSystems(app);
  const cluster = production.system.cluster!;
  const helm = new HelmChart(app, 'helm', {
    ...TODO_HELM_CHART,
    chart: production.chart,
    defaultEnvironmentName: 'production',
    environments: [{ name: 'development', chart: development.chart }],
    notes: [
      `The chart is sized for the minikube profile ${cluster.name} (${cluster.cpus} CPUs, ${cluster.memory} MB memory, ${cluster.diskSize} MB disk). Start it with:`,
      `  ${cluster.startCommand()}`,
      `  minikube addons enable ingress --profile ${cluster.name}`,
    ],
  });
  app.synth();
  return {
    plainDir: app.outdir,
    helmDir: helm.writeTo(path.join(outdir, 'helm')),
    charts: [{ name: 'production', chart: production.chart }, { name: 'development', chart: development.chart }],
  };
}
