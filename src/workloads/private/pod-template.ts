import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { containerProbes, probeFields, ResolvedPort } from './probes';
import { ConfigMapConfiguration } from '../../config/config-map-configuration';
import { SecretConfiguration, SecretType } from '../../config/secret-configuration';
import { isConfigFile, secretsInConfigFile } from '../../core/config-file-secrets';
import { Environment } from '../../core/environment';
import { Findings } from '../../core/findings';
import { labelProblems } from '../../core/labels';
import { Protocol } from '../../core/protocol';
import { dns1123Label, envVarName, labelKey, portName, writableKey } from '../../core/rules/names';
import { portNumber } from '../../core/rules/numbers';
import { credentialWord, secretArguments, secretContent, secretPlaceholder } from '../../core/secrets';
import { duplicates } from '../../core/text';
import { addWarning } from '../../core/warnings';
import { ContainerImage } from '../../pod/container-image';
import { HealthEndpoint, ProbeKind } from '../../pod/health-endpoint';
import { ResourceLimits } from '../../pod/resource-limits';
import { TaintEffect, TolerationOperator, TolerationSpec } from '../../pod/scheduling';
import { SecurityProfile } from '../../pod/security-profile';
import { buildPodVolumes, listedVolumes, PodVolumeEntry, serviceAccountTokenVolume, volumeNameForPath } from '../../pod/volumes';
import { WorkloadVolume } from '../../pod/workload-volume';
import { ContainerPortSpec, InitContainerSpec, SidecarSpec } from '../workload-options';

// Checked at run time too: JavaScript callers may pass any string where the enums are typed.
const TOLERATION_OPERATORS: string[] = Object.values(TolerationOperator);
const TOLERATION_EFFECTS: string[] = Object.values(TaintEffect);

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
  /** TCP connects to the first port for every probe kind no health endpoint covers. */
  readonly tcpHealthCheck?: boolean;
  /** Further regular containers. */
  readonly sidecars?: SidecarSpec[];
  /** Annotations of the pods. */
  readonly podAnnotations?: { [key: string]: string };
  readonly securityProfile?: SecurityProfile;
  readonly configMaps?: ConfigMapConfiguration[];
  readonly secrets?: SecretConfiguration[];
  /** The workload's `volumes` prop: reported as `volumes[i]`. */
  readonly volumes?: WorkloadVolume[];
  /** The volumes the workload made from other props (persistent storage, a certificate bundle). */
  readonly madeVolumes?: PodVolumeEntry[];
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
  /** Every port of the pod: the main container's, then the sidecars'. */
  readonly ports: ResolvedPort[];
  readonly template: k8s.PodTemplateSpec;
  /** Whether a container of the pod (the main one or a sidecar) has a readiness probe. */
  readonly readiness: boolean;
  /** Whether a container of the pod has a liveness probe. */
  readonly liveness: boolean;
}

/**
 * The warning of a long-running pod without a liveness probe (what `deploykit check` says as
 * probe-liveness-present), so the synth tells the same as the check.
 * @internal
 */
export const NO_LIVENESS_WARNING = 'healthEndpoints has no liveness endpoint: a hung process is never restarted; '
  + 'add a liveness HealthEndpoint (ProbeKind.LIVENESS) that checks the process itself, not its dependencies, or tcpHealthCheck: true';

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
  const resolve = (list: ContainerPortSpec[] | undefined, field: string, firstName?: string): ResolvedPort[] => (list ?? []).map((p, i) => {
    const protocol = p.protocol ?? Protocol.TCP;
    // A UDP or SCTP port is never named http: service meshes take the name for the protocol.
    const port = { name: p.name ?? (i === 0 && protocol === Protocol.TCP ? firstName : undefined), containerPort: p.containerPort, protocol };
    findings.check(`${field}[${i}].containerPort`, port.containerPort, portNumber);
    findings.check(`${field}[${i}].name`, port.name, portName);
    return port;
  });
  const mainPorts = resolve(input.ports, 'ports', 'http');
  const sidecars = input.sidecars ?? [];
  const sidecarPorts = sidecars.map((sc, i) => resolve(sc.ports, `sidecars[${i}].ports`));
  // Containers of a pod share its network namespace: a port or port name is the pod's.
  const ports = [...mainPorts, ...sidecarPorts.flat()];
  for (const dup of duplicates(ports.map((p) => `${p.containerPort}/${p.protocol}`))) findings.add('ports', dup, 'unique container ports in the pod');
  for (const dup of duplicates(ports.map((p) => p.name).filter((n) => n !== undefined))) findings.add('ports', dup, 'unique port names in the pod');

  for (const key of Object.keys(input.podAnnotations ?? {})) {
    if (findings.check('podAnnotations key', key, labelKey)) findings.check('podAnnotations key', key, writableKey);
  }
  // The API server checks a pod's nodeSelector as labels.
  for (const [f, v, e] of labelProblems('nodeSelector', input.nodeSelector)) findings.add(f, v, e);
  checkEnv(scope, findings, 'env', input.env);
  checkArguments(findings, '', input.command, input.args);
  sidecars.forEach((sc, i) => {
    checkEnv(scope, findings, `sidecars[${i}].env`, sc.env);
    checkArguments(findings, `sidecars[${i}].`, sc.command, sc.args);
  });

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
  const probes = containerProbes(scope, findings, {
    field: '', idPrefix: '', ports: mainPorts, healthEndpoints: input.healthEndpoints, defaultProbes: input.defaultProbes, tcpHealthCheck: input.tcpHealthCheck,
  });

  // --- volumes, env sources, security, resources --------------------------------------------
  const security = input.securityProfile ?? new SecurityProfile(scope, 'security-profile');
  const resources = input.resourceLimits ?? new ResourceLimits(scope, 'resource-limits', {
    requests: ResourceLimits.DEFAULT_REQUESTS,
    limits: ResourceLimits.DEFAULT_LIMITS,
  });
  const configMaps = input.configMaps ?? [];
  const secrets = input.secrets ?? [];
  const volumeEntries: PodVolumeEntry[] = [
    ...security.writablePaths.map((path) => ({ volume: { name: volumeNameForPath(path), mountPath: path, emptyDir: true } })),
    ...configMaps.filter((c) => c.mountPath).map((c) => ({ volume: c.volume() })),
    ...secrets.filter((s) => s.mountPath).map((s) => ({ volume: s.volume() })),
    ...(input.madeVolumes ?? []),
    ...listedVolumes('volumes', input.volumes),
  ];
  const { volumes, mounts } = buildPodVolumes(findings, 'volumes', volumeEntries);
  for (const { field, mount } of input.templateMounts ?? []) {
    if (mounts.some((m) => m.name === mount.name)) findings.add(`${field}.name`, mount.name, 'a volume name no other volume of the pod uses');
    if (mounts.some((m) => m.mountPath === mount.mountPath)) findings.add(`${field}.mountPath`, mount.mountPath, 'a mount path no other volume of the pod uses');
    mounts.push(mount);
  }
  // Registry credentials are how the pods pull their images.
  const pullSecrets = secrets.filter((s) => s.secretType === SecretType.DOCKER_CONFIG_JSON).map((s) => ({ name: s.secretName }));
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
  const mainName = input.containerName ?? input.name;

  const sidecarContainers: k8s.Container[] = sidecars.map((sc, i) => {
    const at = `sidecars[${i}]`;
    findings.check(`${at}.name`, sc.name, dns1123Label);
    const tag = sc.image?.tagProblem(environment);
    if (tag) findings.add(`${at}.image.tag`, sc.image.tag, tag);
    const scProbes = containerProbes(scope, findings, {
      field: `${at}.`, idPrefix: `${sc.name}-`, ports: sidecarPorts[i], healthEndpoints: sc.healthEndpoints, defaultProbes: true, tcpHealthCheck: sc.tcpHealthCheck,
    });
    return {
      name: sc.name,
      image: sc.image?.reference ?? '',
      imagePullPolicy: sc.image?.imagePullPolicyFor(environment),
      command: sc.command,
      args: sc.args,
      ports: containerPorts(sidecarPorts[i]),
      env: sc.env ? Object.entries(sc.env).map(([n, value]) => ({ name: n, value })) : undefined,
      resources: sc.resourceLimits?.toResourceRequirements() ?? requirements,
      securityContext: containerSecurity,
      ...probeFields(scProbes),
      volumeMounts: mounts.length > 0 ? mounts : undefined,
    };
  });
  // An app that calls the Kubernetes API gets its ServiceAccount's token in its own container only
  // (a projected volume at the path clients read), never in init containers and sidecars.
  const token = input.automountServiceAccountToken ? serviceAccountTokenVolume() : undefined;
  const mainMounts = token ? [...mounts, token.mount] : mounts;
  const podVolumes = token ? [...volumes, token.volume] : volumes;
  const containerNames = [mainName, ...initContainers.map((c) => c.name), ...sidecarContainers.map((c) => c.name)];
  for (const dup of duplicates(containerNames)) findings.add('containers', dup, 'unique container names in the pod (main, init containers and sidecars)');

  const template: k8s.PodTemplateSpec = {
    metadata: {
      labels: input.podLabels,
      annotations: input.podAnnotations && Object.keys(input.podAnnotations).length > 0 ? { ...input.podAnnotations } : undefined,
    },
    spec: {
      automountServiceAccountToken: false,
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
      imagePullSecrets: pullSecrets.length > 0 ? pullSecrets : undefined,
      initContainers: initContainers.length > 0 ? initContainers : undefined,
      containers: [{
        name: mainName,
        image: image?.reference ?? '',
        imagePullPolicy: image?.imagePullPolicyFor(environment),
        command: input.command,
        args: input.args,
        ports: containerPorts(mainPorts),
        env: input.env ? Object.entries(input.env).map(([n, value]) => ({ name: n, value })) : undefined,
        envFrom: envFrom.length > 0 ? envFrom : undefined,
        resources: requirements,
        securityContext: containerSecurity,
        ...probeFields(probes),
        volumeMounts: mainMounts.length > 0 ? mainMounts : undefined,
      }, ...sidecarContainers],
      volumes: podVolumes.length > 0 ? podVolumes : undefined,
    },
  };
  // A pod is ready when all its containers are: a sidecar's readiness probe (a stdio server's proxy) counts.
  const readiness = probes[ProbeKind.READINESS] !== undefined || sidecarContainers.some((c) => c.readinessProbe !== undefined);
  const liveness = probes[ProbeKind.LIVENESS] !== undefined || sidecarContainers.some((c) => c.livenessProbe !== undefined);
  return { ports, template, readiness, liveness };
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

/**
 * Records a finding for each literal credential among `env` (by its name and a value that can hold a
 * secret, or by its value's form), and warns of a placeholder under a credential name (the same
 * detector as the policy's env-no-literal-secrets and secret-placeholder rules).
 */
function checkEnv(scope: Construct, findings: Findings, field: string, env: { [name: string]: string } | undefined): void {
  for (const [envName, value] of Object.entries(env ?? {})) {
    findings.check(`${field}.${envName}`, envName, envVarName);
    const why = secretContent(envName, value);
    const placeholder = secretPlaceholder(envName, value);
    if (why !== undefined && credentialWord(envName) !== undefined) {
      findings.addRedacted(`${field}.${envName}`, 'no credential as a literal environment variable: put it in a SecretConfiguration and list it in `secrets`');
    } else if (why !== undefined) {
      findings.addRedacted(`${field}.${envName}`, `no credential as a literal environment variable (the value ${why}): put it in a SecretConfiguration and list it in \`secrets\``);
    } else if (placeholder !== undefined) {
      addWarning(scope, `${field}.${envName} ${placeholder}: the real value belongs in a SecretConfiguration listed in \`secrets\`, not in a literal environment variable`);
    } else if (typeof value === 'string' && isConfigFile(envName, value)) {
      // A configuration file in a variable (SPRING_APPLICATION_JSON): each key inside, by the same detector.
      for (const f of secretsInConfigFile(envName, value)) {
        if (f.placeholder) {
          addWarning(scope, `${field}.${envName} ${f.at} ${f.why}: the real value belongs in a SecretConfiguration listed in \`secrets\``);
        } else {
          findings.addRedacted(`${field}.${envName}`, `no credential in a configuration file in a literal environment variable (${f.at} ${f.why}): put it in a SecretConfiguration and list it in \`secrets\``);
        }
      }
    }
  }
}

/** The container ports, or undefined when there are none. */
function containerPorts(ports: ResolvedPort[]): k8s.ContainerPort[] | undefined {
  return ports.length > 0 ? ports.map((p) => ({ name: p.name, containerPort: p.containerPort, protocol: p.protocol })) : undefined;
}
