import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Findings } from '../core/findings';
import { labelProblems } from '../core/labels';
import { Protocol } from '../core/protocol';
import { formatFinding } from '../core/report';
import { dns1035Label, dns1123Label, dns1123Subdomain, portName } from '../core/rules/names';
import { portNumber } from '../core/rules/numbers';
import { duplicates } from '../core/text';
import { checkArgs, checkProps } from '../core/validation';
import { describeObject, ManifestSet, POD_KINDS } from '../manifests';

/** How a Service is exposed (seed 000 Service Configuration `service_type`). */
export enum ServiceType {
  /** Reachable inside the cluster only. */
  CLUSTER_IP = 'ClusterIP',
  /** Also on a port of every node. */
  NODE_PORT = 'NodePort',
  /** Also through a cloud load balancer. */
  LOAD_BALANCER = 'LoadBalancer',
}

/** Session affinity of a Service (seed 002). */
export enum SessionAffinity {
  /** No affinity. */
  NONE = 'None',
  /** Requests from one client IP go to the same pod. */
  CLIENT_IP = 'ClientIP',
}

/** External traffic policy of a NodePort or LoadBalancer Service (seed 002). */
export enum ExternalTrafficPolicy {
  /** Spread over all nodes (may lose the client IP). */
  CLUSTER = 'Cluster',
  /** Only to pods on the receiving node (keeps the client IP). */
  LOCAL = 'Local',
}

/** One port of a Service (seed 000 `ports`: name, port, target_port, protocol). */
export interface ServicePortSpec {
  /** Port name (IANA service name, at most 15 characters). */
  readonly name: string;
  /** The port the Service listens on (1-65535). */
  readonly port: number;
  /**
   * The container port traffic goes to (1-65535); must be a container port of the selected workload.
   * @default - the same as `port`
   */
  readonly targetPort?: number;
  /**
   * Transport protocol.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/** Props of a ServiceConfiguration. */
export interface ServiceConfigurationProps {
  /** The Service name (DNS-1035 label: at most 63 characters, starting with a letter). */
  readonly serviceName: string;
  /**
   * Namespace of the Service.
   * @default - the chart's namespace, else "default"
   */
  readonly namespace?: string;
  /**
   * How the Service is exposed.
   * @default ServiceType.CLUSTER_IP
   */
  readonly serviceType?: ServiceType;
  /** The ports; at least one, unique by number and name. */
  readonly ports: ServicePortSpec[];
  /** Labels of the pods the Service selects; must match the workload's pod labels. */
  readonly selectorLabels: { [key: string]: string };
  /**
   * Session affinity.
   * @default SessionAffinity.NONE
   */
  readonly sessionAffinity?: SessionAffinity;
  /**
   * External traffic policy; only for NodePort and LoadBalancer Services.
   * @default - Kubernetes' default (Cluster)
   */
  readonly externalTrafficPolicy?: ExternalTrafficPolicy;
  /**
   * A headless Service (clusterIP None), as a StatefulSet needs.
   * @default false
   */
  readonly headless?: boolean;
  /**
   * The cluster's DNS domain, used for `dnsName`.
   * @default "cluster.local"
   */
  readonly clusterDomain?: string;
  /**
   * Labels of the Service object.
   * @default - none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * What a Service must agree with: the pod labels and container ports of the workload it selects.
 */
export interface ServiceTarget {
  /** Path of the workload, for error messages. */
  readonly path: string;
  /** The workload's pod template labels. */
  readonly podLabels: { [key: string]: string };
  /** The workload's container port numbers. */
  readonly containerPorts: number[];
}

/**
 * A Kubernetes Service with a stable DNS name (seed 000 Service Configuration).
 *
 * `dnsName` is `<serviceName>.<namespace>.svc.<clusterDomain>`.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ServiceConfiguration } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * // A ClusterIP Service "web" on port 80 for the pods labelled app=web (listening on 8080).
 * const web = new ServiceConfiguration(chart, 'web', {
 *   serviceName: 'web',
 *   selectorLabels: { app: 'web' },
 *   ports: [{ name: 'http', port: 80, targetPort: 8080 }],
 * });
 * // web.dnsName is "web.shop.svc.cluster.local".
 * app.synth();
 */
export class ServiceConfiguration extends Construct {
  /** The Service name. */
  public readonly serviceName: string;
  /** The namespace the DNS name is built from. */
  public readonly namespace: string;
  /** The ports, with targetPort and protocol filled in. */
  public readonly ports: ServicePortSpec[];
  /** Fully qualified DNS name: `<serviceName>.<namespace>.svc.<clusterDomain>`. */
  public readonly dnsName: string;
  /** The selector labels. */
  public readonly selectorLabels: { [key: string]: string };
  /** The Service type. */
  public readonly serviceType: ServiceType;
  /** The Service object (an escape hatch: `addJsonPatch` reaches any field). */
  public readonly apiObject: k8s.KubeService;

  private readonly targets: ServiceTarget[] = [];
  private readonly findings: Findings;

  constructor(scope: Construct, id: string, props: ServiceConfigurationProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'ServiceConfigurationProps', props);
    this.findings = findings;
    this.serviceName = props.serviceName;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.serviceType = props.serviceType ?? ServiceType.CLUSTER_IP;
    this.selectorLabels = { ...props.selectorLabels };
    this.ports = (props.ports ?? []).map((p) => ({
      name: p.name,
      port: p.port,
      targetPort: p.targetPort ?? p.port,
      protocol: p.protocol ?? Protocol.TCP,
    }));
    const clusterDomain = props.clusterDomain ?? 'cluster.local';
    this.dnsName = `${this.serviceName}.${this.namespace}.svc.${clusterDomain}`;

    findings.check('serviceName', props.serviceName, dns1035Label);
    findings.check('namespace', props.namespace, dns1123Label);
    findings.check('clusterDomain', props.clusterDomain, dns1123Subdomain);
    if (this.ports.length === 0) findings.add('ports', [], 'at least one port');
    this.ports.forEach((p, i) => {
      findings.check(`ports[${i}].name`, p.name, portName);
      findings.check(`ports[${i}].port`, p.port, portNumber);
      findings.check(`ports[${i}].targetPort`, p.targetPort, portNumber);
    });
    for (const dup of duplicates(this.ports.map((p) => `${p.port}/${p.protocol}`))) {
      findings.add('ports', dup, 'unique port numbers per protocol');
    }
    for (const dup of duplicates(this.ports.map((p) => p.name))) {
      findings.add('ports', dup, 'unique port names');
    }
    if (Object.keys(this.selectorLabels).length === 0) {
      findings.add('selectorLabels', {}, 'at least one selector label, matching the workload\'s pod labels');
    }
    for (const [field, value, expected] of labelProblems('selectorLabels', props.selectorLabels)) findings.add(field, value, expected);
    for (const [field, value, expected] of labelProblems('labels', props.labels)) findings.add(field, value, expected);
    if (props.externalTrafficPolicy && this.serviceType === ServiceType.CLUSTER_IP) {
      findings.add('externalTrafficPolicy', props.externalTrafficPolicy, 'no externalTrafficPolicy on a ClusterIP Service (only NodePort or LoadBalancer)');
    }
    if (props.headless && this.serviceType !== ServiceType.CLUSTER_IP) {
      findings.add('headless', true, 'a headless Service to be of type ClusterIP');
    }

    this.node.addValidation({ validate: () => this.targetProblems() });

    this.apiObject = new k8s.KubeService(this, 'Resource', {
      metadata: {
        name: this.serviceName,
        namespace: props.namespace,
        labels: props.labels,
      },
      spec: {
        type: this.serviceType,
        clusterIp: props.headless ? 'None' : undefined,
        selector: this.selectorLabels,
        sessionAffinity: props.sessionAffinity,
        externalTrafficPolicy: props.externalTrafficPolicy,
        ports: this.ports.map((p) => ({
          name: p.name,
          port: p.port,
          targetPort: k8s.IntOrString.fromNumber(p.targetPort ?? 0),
          protocol: p.protocol,
        })),
      },
    });
  }

  /**
   * Declares the workload this Service selects, so synth checks that the selector matches its pod
   * labels and every targetPort is one of its container ports.
   */
  public addTarget(target: ServiceTarget): void {
    [target] = checkArgs(this.findings, 'ServiceConfiguration', 'addTarget', [target]) as [ServiceTarget];
    if (target) this.targets.push(target);
  }

  /**
   * The workloads this Service must agree with: those given to `addTarget`, else (a standalone
   * Service) the pod templates of its chart that its selector selects in its namespace.
   */
  private targetsToCheck(): ServiceTarget[] {
    if (this.targets.length > 0) return this.targets;
    const chart = Chart.of(this);
    const objects: unknown[] = [];
    try {
      objects.push(this.apiObject.toJson());
    } catch {
      return []; // a Service that cannot render has findings of its own
    }
    for (const c of chart.node.findAll()) {
      if (!ApiObject.isApiObject(c) || !POD_KINDS.includes(c.kind) || Chart.of(c) !== chart) continue;
      try {
        objects.push(c.toJson());
      } catch {
        // an object that cannot render reports its own problem
      }
    }
    const set = new ManifestSet(objects);
    return set.podsSelectedByService(set.objects[0]).map((pod) => ({
      path: describeObject(pod.obj.raw),
      podLabels: pod.labels,
      containerPorts: pod.containers.filter((c) => c.list === 'containers')
        .flatMap((c) => (Array.isArray(c.c.ports) ? c.c.ports : []).map((p: any) => p?.containerPort)),
    }));
  }

  private targetProblems(): string[] {
    const problems: string[] = [];
    for (const target of this.targetsToCheck()) {
      for (const [key, value] of Object.entries(this.selectorLabels)) {
        if (target.podLabels[key] !== value) {
          problems.push(formatFinding({
            field: `selectorLabels.${key}`,
            value: JSON.stringify(value),
            expected: `a label of the pods of ${target.path} (they have ${JSON.stringify(target.podLabels)})`,
          }));
        }
      }
      this.ports.forEach((p, i) => {
        // No port at all is the stand-in of a bad value, reported where it was given (a workload's containerPort).
        if (p.targetPort === undefined) return;
        if (!target.containerPorts.includes(p.targetPort)) {
          problems.push(formatFinding({
            field: `ports[${i}].targetPort`,
            value: String(p.targetPort),
            expected: `a container port of ${target.path} (${target.containerPorts.join(', ') || 'none declared'})`,
          }));
        }
      });
    }
    return problems;
  }
}
