import { App, Chart } from 'cdk8s';
import { Environment, TodoChatbot } from '../src';

/** The local minikube node both example charts are checked against (see docs/todo-chatbot.md). */
export const TODO_CLUSTER = { name: 'todo-local', cpus: 4, memory: 4096, diskSize: 20000, kubernetesVersion: '1.28.3' };

/**
 * The Todo AI chatbot (seeds 001, 002): chart `todo-chatbot` (production, pinned images) and
 * `todo-chatbot-development` (development: `latest` images pulled IfNotPresent, as after
 * `minikube image load`). Secret values come from the environment when present; otherwise the
 * Secrets `todo-postgres-credentials`, `todo-backend-secrets` and `todo-ai-provider` must be
 * created outside the chart (see docs/todo-chatbot.md).
 */
export function todoChatbotCharts(app: App): Chart[] {
  const secrets = {
    databasePassword: process.env.TODO_POSTGRES_PASSWORD || undefined,
    jwtSecret: process.env.TODO_JWT_SECRET || undefined,
  };

  const production = new Chart(app, 'todo-chatbot', { disableResourceNameHashes: true });
  new TodoChatbot(production, 'todo-chatbot', {
    environment: Environment.PRODUCTION,
    frontendImage: { repository: 'todo-frontend', tag: '1.0.0' },
    backendImage: { repository: 'todo-backend', tag: '1.0.0' },
    hostname: 'todo.local',
    tlsSecretName: 'todo-tls',
    cluster: TODO_CLUSTER,
    ...secrets,
  });

  const development = new Chart(app, 'todo-chatbot-development', { disableResourceNameHashes: true });
  new TodoChatbot(development, 'todo-chatbot', {
    environment: Environment.DEVELOPMENT,
    frontendImage: { repository: 'todo-frontend', tag: 'latest' },
    backendImage: { repository: 'todo-backend', tag: 'latest' },
    frontendScaling: { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 80 },
    backendScaling: { minReplicas: 1, maxReplicas: 2, targetCpuPercent: 80 },
    hostname: 'todo.local',
    cluster: TODO_CLUSTER,
    ...secrets,
  });
  return [production, development];
}
