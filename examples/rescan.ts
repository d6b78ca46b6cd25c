import { App, Chart } from 'cdk8s';
import { Environment, Rescan } from '../src';

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
