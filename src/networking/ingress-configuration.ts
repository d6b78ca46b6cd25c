import { Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ServiceConfiguration } from './service-configuration';
import { Findings } from '../core/findings';
import { objectLabels, checkObjectLabels, ObjectLabelProps } from '../core/labels';
import { duplicates } from '../core/text';
import { ingressPathPrefix, normalizePathPrefix } from './private/ingress-rules';
import { dns1123Label, dns1123Subdomain, dnsHostName, labelKey, writableKey } from '../core/rules/names';
import { positiveInteger } from '../core/rules/numbers';
import { checkProps } from '../core/validation';

/** One routed path of an Ingress (seed 002 `path_prefixes`). */
export interface IngressPath {
  /** The URL path prefix, such as "/" or "/api" (pathType Prefix). */
  readonly pathPrefix: string;
  /** The Service that receives the requests; it must be in the Ingress's namespace. */
  readonly service: ServiceConfiguration;
  /**
   * The Service port (its `port`, not the targetPort); must be one of the Service's ports.
   * @default - the Service's first port
   */
  readonly servicePort?: number;
}

/** TLS termination of an Ingress (seed 002 `tls_configuration`). */
export interface IngressTls {
  /**
   * The `kubernetes.io/tls` Secret with the certificate for the hostname, such as a
   * CertificateBundle's `secretName`.
   */
  readonly secretName: string;
}

/** Per-client rate limits, rendered as ingress-nginx annotations (seed 002 `rate_limiting`). */
export interface RateLimiting {
  /** Requests per second from one client IP (`nginx.ingress.kubernetes.io/limit-rps`). */
  readonly requestsPerSecond: number;
  /**
   * Burst size as a multiple of the rate (`limit-burst-multiplier`).
   * @default - ingress-nginx's default (5)
   */
  readonly burstMultiplier?: number;
  /**
   * Concurrent connections from one client IP (`limit-connections`).
   * @default - no connection limit
   */
  readonly connections?: number;
}

/** Props of an IngressConfiguration (seed 002 Ingress Configuration). */
export interface IngressConfigurationProps extends ObjectLabelProps {
  /** The Ingress name (DNS-1123 subdomain), such as "todo-frontend". */
  readonly name: string;
  /**
   * Namespace of the Ingress; the Services it routes to must be in the same one.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** The host name clients use (seed `hostname`), such as "todo.example.com". */
  readonly hostname: string;
  /** The routed path prefixes (seed `path_prefixes`); at least one, unique. */
  readonly pathPrefixes: IngressPath[];
  /**
   * TLS termination for `hostname` (seed `tls_configuration`).
   * @default - TLS with the `kubernetes.io/tls` Secret `<name>-tls`, made outside the chart
   * (`kubectl create secret tls`, cert-manager, or a CertificateBundle of that name); none with `plainHttp`
   */
  readonly tlsConfiguration?: IngressTls;
  /**
   * Serve plain HTTP, without TLS (for example on a local cluster without certificates). The traffic
   * is unencrypted, so `PolicyCheck` and `deploykit check` warn (`ingress-tls`); waive it on
   * `apiObject` with your reason when that is the plan.
   * @default false
   */
  readonly plainHttp?: boolean;
  /**
   * The IngressClass that serves this Ingress.
   * @default "nginx"
   */
  readonly ingressClassName?: string;
  /**
   * Annotations for the ingress controller or cloud load balancer (seed `load_balancer_annotations`).
   * @default - none
   */
  readonly loadBalancerAnnotations?: { [key: string]: string };
  /**
   * Per-client rate limits (seed `rate_limiting`), as ingress-nginx annotations.
   * @default - no rate limits
   */
  readonly rateLimiting?: RateLimiting;
}

const NGINX = 'nginx.ingress.kubernetes.io/';

/**
 * External HTTP(S) access as a `networking.k8s.io/v1` Ingress (seed 002 Ingress Configuration):
 * one host, Prefix paths to Services, TLS (by default from the Secret `<name>-tls`; `plainHttp`
 * opts out) and ingress-nginx rate limits.
 *
 * Rules (each a synth finding): a valid name, namespace, host name, IngressClass and TLS Secret
 * name; at least one path, each starting with "/" and unique; each Service in the same namespace
 * and the port one of its ports; valid annotation keys that do not fight `rateLimiting`; positive
 * whole rate limits.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { IngressConfiguration, ServiceConfiguration } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * const web = new ServiceConfiguration(chart, 'web', {
 *   serviceName: 'web',
 *   selectorLabels: { app: 'web' },
 *   ports: [{ name: 'http', port: 80, targetPort: 8080 }],
 * });
 * // https://shop.example.com/ routed to the Service, with TLS from the Secret "shop-tls".
 * new IngressConfiguration(chart, 'ingress', {
 *   name: 'shop',
 *   hostname: 'shop.example.com',
 *   pathPrefixes: [{ pathPrefix: '/', service: web }],
 *   tlsConfiguration: { secretName: 'shop-tls' },
 * });
 * app.synth();
 */
export class IngressConfiguration extends Construct {
  /** The Ingress name. */
  public readonly ingressName: string;
  /** The host name. */
  public readonly hostname: string;
  /** The IngressClass name. */
  public readonly ingressClassName: string;
  /** The `kubernetes.io/tls` Secret the Ingress terminates TLS with, unless it serves plain HTTP. */
  public readonly tlsSecretName?: string;
  /** The URL clients use: `https://<hostname>` with TLS, else `http://<hostname>`. */
  public readonly url: string;
  /** The Ingress object (an escape hatch: `addJsonPatch` reaches any field). */
  public readonly apiObject: k8s.KubeIngress;

  constructor(scope: Construct, id: string, props: IngressConfigurationProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'IngressConfigurationProps', props);
    this.ingressName = props.name;
    this.hostname = props.hostname;
    this.ingressClassName = props.ingressClassName ?? 'nginx';
    // TLS unless plain HTTP is asked for: the Secret is named after the Ingress when none is given.
    const tls = props.plainHttp ? undefined : props.tlsConfiguration ?? { secretName: `${props.name}-tls` };
    this.tlsSecretName = tls?.secretName;
    this.url = `${tls ? 'https' : 'http'}://${props.hostname}`;
    const namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';

    findings.check('name', props.name, dns1123Subdomain);
    findings.check('namespace', props.namespace, dns1123Label);
    if (props.hostname === undefined) findings.add('hostname', undefined, 'a DNS host name such as "app.example.com"');
    findings.check('hostname', props.hostname, dnsHostName);
    findings.check('ingressClassName', props.ingressClassName, dns1123Subdomain);
    findings.check('tlsConfiguration.secretName', props.tlsConfiguration?.secretName, dns1123Subdomain);
    if (props.plainHttp && props.tlsConfiguration) {
      findings.add('plainHttp', true, `no tlsConfiguration beside it (the Secret "${props.tlsConfiguration.secretName}" would not be used): drop one of them`);
    }
    checkObjectLabels(findings, props, props.name);
    // A name the label rule refuses is reported once, there.
    if (!props.tlsConfiguration && tls && !findings._reported('name') && dns1123Subdomain(props.name ?? '') === undefined && dns1123Subdomain(tls.secretName) !== undefined) {
      findings.add('name', props.name, 'at most 249 characters, so that the default TLS Secret name "<name>-tls" is a valid name too (or give tlsConfiguration)');
    }

    const paths = props.pathPrefixes ?? [];
    if (paths.length === 0) {
      findings.add('pathPrefixes', [], 'at least one path, such as { pathPrefix: "/", service: frontendService }');
    }
    const backends = paths.map((p, i) => {
      const field = `pathPrefixes[${i}]`;
      findings.check(`${field}.pathPrefix`, p.pathPrefix, ingressPathPrefix);
      const service = p.service;
      if (service === undefined) return { path: p.pathPrefix, serviceName: '', port: p.servicePort ?? 0 };
      if (service.namespace !== namespace) {
        findings.add(`${field}.service`, `${service.serviceName} in namespace ${service.namespace}`,
          `a Service in the Ingress's namespace "${namespace}" (an Ingress cannot route across namespaces)`);
      }
      const ports = service.ports.map((sp) => sp.port);
      const port = p.servicePort ?? ports[0];
      // A Service without ports reports that itself (its ports may be refused values of the wrong kind).
      if (ports.length > 0 && !ports.includes(port)) {
        findings.add(`${field}.servicePort`, port, `one of the ports of Service "${service.serviceName}": ${ports.join(', ')}`);
      }
      return { path: p.pathPrefix, serviceName: service.serviceName, port };
    });
    for (const dup of duplicates(paths.map((p) => normalizePathPrefix(p.pathPrefix ?? '')))) {
      findings.add('pathPrefixes', dup, 'unique path prefixes ("/api" and "/api/" are the same prefix)');
    }

    const annotations: Record<string, string> = {};
    for (const [key, value] of Object.entries(props.loadBalancerAnnotations ?? {})) {
      const keyProblem = labelKey(key) ?? writableKey(key);
      if (keyProblem) {
        findings.add('loadBalancerAnnotations key', key, keyProblem.replace('a label key', 'an annotation key'));
      }
      if (props.rateLimiting && key.startsWith(`${NGINX}limit-`)) {
        findings.add(`loadBalancerAnnotations.${key}`, value, 'no limit-* annotation next to rateLimiting: set the limit in rateLimiting');
      }
      annotations[key] = value;
    }
    const rate = props.rateLimiting;
    if (rate) {
      findings.check('rateLimiting.requestsPerSecond', rate.requestsPerSecond, positiveInteger);
      findings.check('rateLimiting.burstMultiplier', rate.burstMultiplier, positiveInteger);
      findings.check('rateLimiting.connections', rate.connections, positiveInteger);
      annotations[`${NGINX}limit-rps`] = String(rate.requestsPerSecond);
      if (rate.burstMultiplier !== undefined) annotations[`${NGINX}limit-burst-multiplier`] = String(rate.burstMultiplier);
      if (rate.connections !== undefined) annotations[`${NGINX}limit-connections`] = String(rate.connections);
    }
    this.apiObject = new k8s.KubeIngress(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: {
          ...objectLabels(props.name ?? '', props),
        },
        annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
      },
      spec: {
        ingressClassName: this.ingressClassName,
        tls: tls ? [{ hosts: [props.hostname], secretName: tls.secretName }] : undefined,
        rules: [{
          host: props.hostname,
          http: {
            paths: backends.map((b) => ({
              path: b.path,
              pathType: 'Prefix',
              backend: { service: { name: b.serviceName, port: { number: b.port } } },
            })),
          },
        }],
      },
    });
  }
}
