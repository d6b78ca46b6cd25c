/**
 * A cdk8s app written with cdk8s-plus-28 only (no cdk8s-deploykit construct): hash-suffixed names,
 * `cdk8s.io/metadata.addr` selectors, no app.kubernetes.io labels, NetworkPolicies from
 * `connections.allowFrom`, an init container and a second container, a Service's in-cluster DNS name
 * in an environment variable and in a ConfigMap. Restricted Pod Security settings are given
 * explicitly (cdk8s-plus sets neither seccomp nor dropped capabilities by default).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

export const PLAIN_NAMESPACE = 'store';

export function plainApp(app: App, id = 'store', options: { apiTag?: string } = {}): Chart {
  const chart = new Chart(app, id, { namespace: PLAIN_NAMESPACE });
  const securityContext = {
    user: 1000,
    group: 1000,
    capabilities: { drop: [kplus.Capability.ALL] },
    seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
  };
  const api = new kplus.Deployment(chart, 'api', {
    replicas: 2,
    containers: [{ image: `ghcr.io/acme/api:${options.apiTag ?? '1.2.0'}`, portNumber: 8080, securityContext }],
  });
  const apiService = api.exposeViaService({ ports: [{ port: 8080 }] });
  const host = `${apiService.name}.${PLAIN_NAMESPACE}.svc.cluster.local`;
  const config = new kplus.ConfigMap(chart, 'web-config', { data: { API_URL: `http://${host}:8080`, LOG_LEVEL: 'info' } });
  const web = new kplus.Deployment(chart, 'web', {
    containers: [
      {
        name: 'web',
        image: 'ghcr.io/acme/web:2.0.1',
        portNumber: 3000,
        securityContext,
        envVariables: { API_HOST: kplus.EnvValue.fromValue(host) },
        envFrom: [kplus.Env.fromConfigMap(config)],
      },
      { name: 'proxy', image: 'docker.io/envoyproxy/envoy:v1.29.1', portNumber: 9901, securityContext },
    ],
    initContainers: [{ name: 'wait-for-api', image: 'busybox:1.36.1', command: ['sh', '-c', `nc -z -w 5 ${host} 8080`], securityContext }],
  });
  const webService = web.exposeViaService({ ports: [{ port: 80, targetPort: 3000 }] });
  new kplus.Ingress(chart, 'ingress', { rules: [{ host: 'store.example.com', backend: kplus.IngressBackend.fromService(webService) }] });
  api.connections.allowFrom(web);
  return chart;
}
