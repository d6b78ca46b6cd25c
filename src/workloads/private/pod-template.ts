import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ConfigMapConfiguration } from '../../config/config-map-configuration';
import { SecretConfiguration } from '../../config/secret-configuration';
import { duplicates } from '../../core/collections';
import { Environment } from '../../core/environment';
import { Findings } from '../../core/findings';
import { Protocol } from '../../core/protocol';
import { dns1123Label, envVarName, labelKey, portName } from '../../core/rules/names';
import { portNumber } from '../../core/rules/numbers';
import { credentialWord, secretArguments, secretContent } from '../../core/secrets';
import { ContainerImage } from '../../pod/container-image';
import { HealthEndpoint, ProbeKind } from '../../pod/health-endpoint';
import { ResourceLimits } from '../../pod/resource-limits';
import { TaintEffect, TolerationOperator, TolerationSpec } from '../../pod/scheduling';
import { SecurityProfile } from '../../pod/security-profile';
import { buildPodVolumes, volumeNameForPath } from '../../pod/volumes';
import { WorkloadVolume } from '../../pod/workload-volume';
import { ContainerPortSpec, InitContainerSpec } from '../workload-options';

// Checked at run time too: JavaScript callers may pass any string where the enums are typed.
const TOLERATION_OPERATORS: string[] = Object.values(TolerationOperator);
const TOLERATION_EFFECTS: string[] = Object.values(TaintEffect);

/** A container port with its name and protocol filled in. @internal */
export interface ResolvedPort {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
}

/**
 * What a workload (Deployment, StatefulSet) hands to `buildPodTemplate`: the container and pod
 * settings its props share.
 * @internal
 */
export interface PodTemplateInput {
  /** The workload name: the default container name. */
  readonly name: string;
  readonly environment: Environment;
  readonly image: ContainerImage;
  readonly containerName?: string;
  readonly ports?: ContainerPortSpec[];
  readonly command?: string[];
  readonly args?: string[];
  readonly env?: { [name: string]: string };
  readonly resourceLimits?: ResourceLimits;
  /** Given endpoints; when undefined, `defaultProbes` decides. */
  readonly healthEndpoints?: HealthEndpoint[];
  /** Create HTTP liveness and readiness endpoints on the first port when none are given. */
  readonly defaultProbes: boolean;
  /** Probes that replace the HealthEndpoint ones by kind (for example TCP probes). */
  readonly probeOverrides?: Partial<Record<ProbeKind, k8s.Probe>>;
  readonly securityProfile?: SecurityProfile;
  readonly configMaps?: ConfigMapConfiguration[];
  readonly secrets?: SecretConfiguration[];
  /** Further pod volumes (persistent storage, certificate bundles, ...). */
  readonly volumes?: WorkloadVolume[];
  /** Mounts of volumes the pod spec does not declare (StatefulSet volumeClaimTemplates), checked under `field`. */
  readonly templateMounts?: Array<{ field: string; mount: k8s.VolumeMount }>;
  readonly initContainers?: InitContainerSpec[];
  readonly nodeSelector?: { [key: string]: string };
  readonly tolerations?: TolerationSpec[];
  readonly selectorLabels: { [key: string]: string };
  readonly podLabels: { [key: string]: string };
  /** Prefer spreading the pods over nodes. */
  readonly antiAffinity: boolean;
  readonly automountServiceAccountToken?: boolean;
  readonly serviceAccountName?: string;
}

/** The pod template and what the workload needs besides it. @internal */
export interface PodTemplate {
  readonly ports: ResolvedPort[];
  readonly template: k8s.PodTemplateSpec;
  /** Whether the container has a readiness probe. */
  readonly readiness: boolean;
}

/**
 * Builds the secure pod template shared by DeploymentManifest and StatefulManifest, recording
 * every broken rule (ports, literal credentials, probes, volumes, init containers) in `findings`.
 * Default SecurityProfile, ResourceLimits and HealthEndpoints are created under `scope`.
 * @internal
 */
export function buildPodTemplate(scope: Construct, findings: Findings, input: PodTemplateInput): PodTemplate {
  const environment = input.environment;
  const image = input.image;

  // --- ports and environment ----------------------------------------------------------------
  const ports: ResolvedPort[] = (input.ports ?? []).map((p, i) => ({
    name: p.name ?? (i === 0 ? 'http' : undefined),
    containerPort: p.containerPort,
    protocol: p.protocol ?? Protocol.TCP,
  }));
  ports.forEach((p, i) => {
    findings.check(`ports[${i}].containerPort`, p.containerPort, portNumber);
    findings.check(`ports[${i}].name`, p.name, portName);
  });
  for (const dup of duplicates(ports.map((p) => `${p.containerPort}/${p.protocol}`))) findings.add('ports', dup, 'unique container ports');
  for (const dup of duplicates(ports.map((p) => p.name).filter((n) => n !== undefined))) findings.add('ports', dup, 'unique port names');

  for (const [envName, value] of Object.entries(input.env ?? {})) {
    findings.check(`env.${envName}`, envName, envVarName);
    const why = secretContent(envName, value);
    if (why !== undefined && credentialWord(envName) !== undefined) {
      findings.addRedacted(`env.${envName}`, 'no credential as a literal environment variable: put it in a SecretConfiguration and list it in `secrets`');
    } else if (why !== undefined) {
      findings.addRedacted(`env.${envName}`, `no credential as a literal environment variable (the value ${why}): put it in a SecretConfiguration and list it in \`secrets\``);
    }
  }
  checkArguments(findings, '', input.command, input.args);

  (input.tolerations ?? []).forEach((t, i) => {
    findings.check(`tolerations[${i}].key`, t.key, labelKey);
    if (t.operator !== undefined && !TOLERATION_OPERATORS.includes(t.operator)) {
      findings.add(`tolerations[${i}].operator`, t.operator, `one of ${TOLERATION_OPERATORS.join(', ')}`);
    }
    if (t.operator === TolerationOperator.EXISTS && t.value !== undefined) {
      findings.add(`tolerations[${i}].value`, t.value, 'no value with operator Exists');
    }
    if (t.effect !== undefined && !TOLERATION_EFFECTS.includes(t.effect)) {
      findings.add(`tolerations[${i}].effect`, t.effect, `one of ${TOLERATION_EFFECTS.join(', ')}, or none for every effect`);
    }
  });

  // --- probes ---------------------------------------------------------------------------------
  const firstPort = ports[0]?.containerPort;
  const endpoints = input.healthEndpoints ?? (firstPort === undefined || !input.defaultProbes ? [] : [
    new HealthEndpoint(scope, 'liveness', { kind: ProbeKind.LIVENESS }),
    new HealthEndpoint(scope, 'readiness', { kind: ProbeKind.READINESS }),
  ]);
  const probes: Partial<Record<ProbeKind, k8s.Probe>> = {};
  endpoints.forEach((endpoint, i) => {
    const at = `healthEndpoints[${i}]`;
    if (probes[endpoint.kind]) findings.add(`${at}.kind`, endpoint.kind, 'at most one health endpoint per kind');
    if (endpoint.port !== undefined && !ports.some((p) => p.containerPort === endpoint.port)) {
      findings.add(`${at}.port`, endpoint.port, `a declared container port (${ports.map((p) => p.containerPort).join(', ') || 'none declared'})`);
    }
    if (endpoint.portName !== undefined && !ports.some((p) => p.name === endpoint.portName)) {
      findings.add(`${at}.portName`, endpoint.portName, `a declared container port name (${ports.map((p) => p.name).filter(Boolean).join(', ') || 'none declared'})`);
    }
    if (endpoint.port === undefined && endpoint.portName === undefined && firstPort === undefined) {
      findings.add(`${at}.port`, undefined, 'a port, since the container declares none');
    }
    probes[endpoint.kind] = endpoint.toProbe(firstPort ?? 1);
  });
  Object.assign(probes, input.probeOverrides ?? {});

  // --- volumes, env sources, security, resources --------------------------------------------
  const security = input.securityProfile ?? new SecurityProfile(scope, 'security-profile');
  const resources = input.resourceLimits ?? new ResourceLimits(scope, 'resource-limits', {
    requests: ResourceLimits.DEFAULT_REQUESTS,
    limits: ResourceLimits.DEFAULT_LIMITS,
  });
  const configMaps = input.configMaps ?? [];
  const secrets = input.secrets ?? [];
  const volumeEntries: WorkloadVolume[] = [
    ...security.writablePaths.map((path) => ({ name: volumeNameForPath(path), mountPath: path, emptyDir: true })),
    ...configMaps.filter((c) => c.mountPath).map((c) => c.volume()),
    ...secrets.filter((s) => s.mountPath).map((s) => s.volume()),
    ...(input.volumes ?? []),
  ];
  const { volumes, mounts } = buildPodVolumes(findings, 'volumes', volumeEntries);
  for (const { field, mount } of input.templateMounts ?? []) {
    if (mounts.some((m) => m.name === mount.name)) findings.add(`${field}.name`, mount.name, 'a volume name no other volume of the pod uses');
    if (mounts.some((m) => m.mountPath === mount.mountPath)) findings.add(`${field}.mountPath`, mount.mountPath, 'a mount path no other volume of the pod uses');
    mounts.push(mount);
  }
  const envFrom: k8s.EnvFromSource[] = [
    ...configMaps.filter((c) => c.consumeAsEnv).map((c) => ({ configMapRef: { name: c.configMapName } })),
    ...secrets.filter((s) => s.consumeAsEnv).map((s) => ({ secretRef: { name: s.secretName } })),
  ];
  const containerSecurity = security.containerSecurityContext();
  const requirements = resources.toResourceRequirements();
  const initContainers: k8s.Container[] = (input.initContainers ?? []).map((init, i) => {
    findings.check(`initContainers[${i}].name`, init.name, dns1123Label);
    const initTag = init.image?.tagProblem(environment);
    if (initTag) findings.add(`initContainers[${i}].image.tag`, init.image.tag, initTag);
    checkArguments(findings, `initContainers[${i}].`, init.command, init.args);
    return {
      name: init.name,
      image: init.image?.reference ?? '',
      imagePullPolicy: init.image?.imagePullPolicyFor(environment),
      command: init.command,
      args: init.args,
      envFrom: envFrom.length > 0 ? envFrom : undefined,
      resources: requirements,
      securityContext: containerSecurity,
      volumeMounts: mounts.length > 0 ? mounts : undefined,
    };
  });
  findings.check('containerName', input.containerName, dns1123Label);

  const template: k8s.PodTemplateSpec = {
    metadata: { labels: input.podLabels },
    spec: {
      automountServiceAccountToken: input.automountServiceAccountToken ?? false,
      serviceAccountName: input.serviceAccountName,
      securityContext: security.podSecurityContext(),
      nodeSelector: input.nodeSelector,
      tolerations: input.tolerations?.map((t) => ({
        key: t.key, operator: t.operator ?? TolerationOperator.EQUAL, value: t.value, effect: t.effect,
      })),
      affinity: input.antiAffinity ? {
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [{
            weight: 100,
            podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: input.selectorLabels } },
          }],
        },
      } : undefined,
      initContainers: initContainers.length > 0 ? initContainers : undefined,
      containers: [{
        name: input.containerName ?? input.name,
        image: image?.reference ?? '',
        imagePullPolicy: image?.imagePullPolicyFor(environment),
        command: input.command,
        args: input.args,
        ports: ports.length > 0 ? ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol })) : undefined,
        env: input.env ? Object.entries(input.env).map(([n, value]) => ({ name: n, value })) : undefined,
        envFrom: envFrom.length > 0 ? envFrom : undefined,
        resources: requirements,
        securityContext: containerSecurity,
        startupProbe: probes[ProbeKind.STARTUP],
        livenessProbe: probes[ProbeKind.LIVENESS],
        readinessProbe: probes[ProbeKind.READINESS],
        volumeMounts: mounts.length > 0 ? mounts : undefined,
      }],
      volumes: volumes.length > 0 ? volumes : undefined,
    },
  };
  return { ports, template, readiness: probes[ProbeKind.READINESS] !== undefined };
}

/** Records a redacted finding for each command or argument that holds a secret (`--api-key=sk-...`). */
function checkArguments(findings: Findings, prefix: string, command: string[] | undefined, args: string[] | undefined): void {
  for (const [field, list] of [['command', command], ['args', args]] as const) {
    for (const { index, why } of secretArguments(list ?? [])) {
      findings.addRedacted(`${prefix}${field}[${index}]`,
        `no secret on the command line (it ${why}): put it in a SecretConfiguration, list it in \`secrets\` and refer to the variable as $(NAME)`);
    }
  }
}
