import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, Node } from 'constructs';
import { Findings } from '../core/findings';
import { objectLabels, checkObjectLabels, ObjectLabelProps } from '../core/labels';
import { dataKey, dns1123Label, dns1123Subdomain, envFromKey, writableKey } from '../core/rules/names';
import { absolutePath } from '../core/rules/urls';
import { dataSize, MAX_DATA_BYTES, pemCertificate, pemPrivateKey } from '../core/secrets';
import { duplicates } from '../core/text';
import { checkArgs, checkProps } from '../core/validation';
import { SecretDeliveryMode, SecretDeliveryOptions } from '../delivery/delivery-types';
import { resolveDelivery } from '../delivery/secret-delivery';
import { DeliveredSecret } from '../delivery/secret-objects';
import { dataVolume } from '../pod/volumes';
import { WorkloadVolume } from '../pod/workload-volume';

/** The type of a Secret (seed 002 `secret_type`). */
export enum SecretType {
  /** Arbitrary key-value pairs ("generic"). */
  OPAQUE = 'Opaque',
  /** A TLS certificate and key: requires the keys `tls.crt` and `tls.key` (`kubernetes.io/tls`). */
  TLS = 'kubernetes.io/tls',
  /**
   * Credentials of image registries: requires the key `.dockerconfigjson`, a Docker config
   * (`{"auths": {"<registry>": {"auth": "<base64 user:password>"}}}`; `kubernetes.io/dockerconfigjson`).
   * A workload that lists it in `secrets` pulls its images with it (`imagePullSecrets`).
   */
  DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson',
}

/** The key each typed Secret requires. */
const TYPE_KEYS: Partial<Record<SecretType, string[]>> = {
  [SecretType.TLS]: ['tls.crt', 'tls.key'],
  [SecretType.DOCKER_CONFIG_JSON]: ['.dockerconfigjson'],
};

/** Props of a SecretConfiguration (seed 002 Secret Configuration). */
export interface SecretConfigurationProps extends ObjectLabelProps {
  /** The Secret name (DNS-1123 subdomain), such as "rescan-secrets". */
  readonly name: string;
  /**
   * Namespace of the Secret.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The Secret type.
   * @default SecretType.OPAQUE
   */
  readonly secretType?: SecretType;
  /**
   * The sensitive values (seed `secret_data`), in plain text: they are rendered as `stringData`,
   * which the API server base64-encodes. Values never appear in error messages.
   * @default - none (for example when `existingSecret` is true)
   */
  readonly secretData?: { [key: string]: string };
  /**
   * Keys the workload needs. Unless `existingSecret` is true, each must have a non-empty value in
   * `secretData`; with `existingSecret` they declare the keys the outside Secret must hold.
   * @default - none
   */
  readonly requiredKeys?: string[];
  /**
   * The Secret is created outside this chart (by hand, an operator or an external secret store):
   * emit no Secret object, only reference it by name (the same as `delivery.mode`
   * SecretDeliveryMode.OUT_OF_BAND).
   * @default false
   */
  readonly existingSecret?: boolean;
  /**
   * How the Secret reaches the cluster: a plain Secret, out of band, sealed (a SealedSecret the
   * cluster's sealed-secrets controller decrypts) or external (an ExternalSecret reading the keys
   * listed in `requiredKeys` from a secret store). Fields not set here come from the nearest
   * `SecretDelivery`.
   * @default - the nearest SecretDelivery's, else SecretDeliveryMode.PLAIN
   */
  readonly delivery?: SecretDeliveryOptions;
  /**
   * Offer every key as an environment variable (`envFrom`); keys must then be valid variable names.
   * @default - true for OPAQUE, false for TLS and DOCKER_CONFIG_JSON
   */
  readonly consumeAsEnv?: boolean;
  /**
   * Mount the keys as files in this folder, absolute.
   * @default - not mounted, unless `volume()` is given a path
   */
  readonly mountPath?: string;
}

/**
 * Sensitive configuration as a Kubernetes Secret (seed 002 Secret Configuration, seed 003
 * `rescan-secrets`), consumed by a workload as environment variables and/or mounted files (or, for
 * registry credentials, as image pull credentials).
 *
 * How the Secret reaches the cluster is its `delivery` (or the nearest `SecretDelivery`'s): a plain
 * Secret, out of band (`existingSecret`), a SealedSecret sealed at synth to the sealed-secrets
 * controller's certificate (safe to commit), or an ExternalSecret reading the `requiredKeys` from a
 * secret store.
 *
 * Rules (each a synth finding, never echoing a secret value): a valid name and namespace, valid data
 * keys, the required keys present and non-empty, `tls.crt`/`tls.key` holding PEM blocks for TLS, a
 * Docker config with `auths` for DOCKER_CONFIG_JSON, env-compatible keys when consumed as env, an
 * absolute mount path and at most 1 MiB of data; sealed: a usable controller certificate (RSA, not
 * expired) and a namespace for the strict and namespace-wide scopes; external: a store.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, SecretConfiguration } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * // A Secret created outside the chart (kubectl, an operator or an external secret store): the
 * // chart only references it and declares the keys it must hold.
 * const secrets = new SecretConfiguration(chart, 'api-secrets', {
 *   name: 'api-secrets',
 *   existingSecret: true,
 *   requiredKeys: ['DATABASE_PASSWORD'],
 * });
 * new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 *   secrets: [secrets],
 * });
 * app.synth();
 */
export class SecretConfiguration extends Construct {
  /** The Secret name. */
  public readonly secretName: string;
  /** The keys: those of `secretData`, then any further `requiredKeys`. */
  public readonly keys: string[];
  /** Whether the workload gets every key as an environment variable (`envFrom`). */
  public readonly consumeAsEnv: boolean;
  /** Where the keys are mounted as files, if set. */
  public readonly mountPath?: string;
  /** The Secret type. */
  public readonly secretType: SecretType;
  /** How the Secret is delivered. */
  public readonly deliveryMode: SecretDeliveryMode;
  /** The plain Secret object (SecretDeliveryMode.PLAIN); undefined otherwise. */
  public readonly apiObject?: k8s.KubeSecret;
  /** The SealedSecret (bitnami.com/v1alpha1), with SecretDeliveryMode.SEALED. */
  public readonly sealedSecret?: ApiObject;
  /** The ExternalSecret (external-secrets.io/v1), with SecretDeliveryMode.EXTERNAL. */
  public readonly externalSecret?: ApiObject;

  private readonly findings: Findings;

  constructor(scope: Construct, id: string, props: SecretConfigurationProps) {
    super(scope, id);
    let delivered: DeliveredSecret | undefined;
    // Sealed before the findings are reported, so that store problems are among them.
    Node.of(this).addValidation({ validate: () => { delivered?.prepare(); return []; } });
    const findings = Findings.attach(this);
    props = checkProps(findings, 'SecretConfigurationProps', props);
    this.findings = findings;
    this.secretName = props.name;
    this.secretType = props.secretType ?? SecretType.OPAQUE;
    const tls = this.secretType === SecretType.TLS;
    const typeKeys = TYPE_KEYS[this.secretType] ?? [];
    const delivery = resolveDelivery(this, findings, 'delivery', props.delivery, props.existingSecret === true);
    this.deliveryMode = delivery.mode;
    const external = delivery.mode === SecretDeliveryMode.EXTERNAL;
    // The values are not here: out of band, or in the secret store an ExternalSecret reads.
    const existing = delivery.mode === SecretDeliveryMode.OUT_OF_BAND || external;
    const data = props.secretData ?? {};
    const required = [...(props.requiredKeys ?? [])];
    for (const key of typeKeys) if (!required.includes(key)) required.push(key);
    this.keys = [...Object.keys(data)];
    for (const key of required) if (!this.keys.includes(key)) this.keys.push(key);
    this.consumeAsEnv = props.consumeAsEnv ?? typeKeys.length === 0;
    this.mountPath = props.mountPath;

    findings.check('name', props.name, dns1123Subdomain);
    findings.check('namespace', props.namespace, dns1123Label);
    findings.check('mountPath', props.mountPath, absolutePath);
    checkObjectLabels(findings, props, props.name);

    if (existing && Object.keys(data).length > 0) {
      findings.addRedacted('secretData', props.existingSecret === true
        ? 'no secretData when existingSecret is true (the Secret is managed outside this chart; list its keys in requiredKeys)'
        : `no secretData with delivery ${delivery.mode} (${external ? 'the ExternalSecret reads the values from its store' : 'the Secret is managed outside this chart'}; list its keys in requiredKeys)`);
    }
    if (!existing && this.keys.length === 0) {
      findings.addRedacted('secretData', 'at least one key, such as { API_KEY: "..." }, or existingSecret: true for a Secret managed elsewhere');
    }
    if (external && this.keys.length === 0) {
      findings.add('requiredKeys', props.requiredKeys, 'the keys the ExternalSecret reads from the secret store, such as ["API_KEY"]');
    }

    // Keys are names, not secrets: they may be echoed.
    for (const key of Object.keys(data)) {
      if (!findings.check(`secretData.${key} key`, key, dataKey) || !findings.check(`secretData.${key} key`, key, writableKey)) continue;
      if (this.consumeAsEnv) findings.check(`secretData.${key} key`, key, envFromKey);
    }
    (props.requiredKeys ?? []).forEach((key, i) => {
      if (!findings.check(`requiredKeys[${i}]`, key, dataKey)) return;
      if (existing && this.consumeAsEnv) findings.check(`requiredKeys[${i}]`, key, envFromKey);
    });
    for (const dup of duplicates(props.requiredKeys ?? [])) findings.add('requiredKeys', dup, 'each required key listed once');

    if (!existing) {
      for (const key of required) {
        if (dataKey(key) !== undefined) continue;
        const why = typeKeys.includes(key) ? `a ${this.secretType} Secret needs it` : 'listed in requiredKeys';
        if (!Object.prototype.hasOwnProperty.call(data, key)) {
          findings.addRedacted(`secretData.${key}`, `a value for the required key "${key}" (${why})`);
        } else if (String(data[key]).trim() === '') {
          findings.addRedacted(`secretData.${key}`, `a non-empty value for the required key "${key}" (${why})`);
        }
      }
      if (tls) {
        const crt = data['tls.crt'];
        const key = data['tls.key'];
        if (crt && crt.trim() !== '' && pemCertificate(crt) !== undefined) findings.addRedacted('secretData.tls.crt', pemCertificate(crt)!);
        if (key && key.trim() !== '' && pemPrivateKey(key) !== undefined) findings.addRedacted('secretData.tls.key', pemPrivateKey(key)!);
      }
      const dockerConfig = data['.dockerconfigjson'];
      if (this.secretType === SecretType.DOCKER_CONFIG_JSON && dockerConfig && dockerConfig.trim() !== '' && !isDockerConfig(dockerConfig)) {
        findings.addRedacted('secretData..dockerconfigjson', 'a Docker config JSON object with "auths", such as {"auths": {"ghcr.io": {"auth": "<base64 of user:token>"}}}');
      }
      const size = dataSize(data);
      if (size > MAX_DATA_BYTES) {
        findings.add('secretData', `${size} bytes`, `at most ${MAX_DATA_BYTES} bytes (1 MiB) of keys and values in total`);
      }
    }

    delivered = new DeliveredSecret(this, findings, {
      plainId: 'Resource',
      name: props.name,
      namespace: props.namespace,
      type: this.secretType,
      labels: objectLabels(props.name, props),
      keys: this.keys,
      values: () => ({ ...data }),
      delivery,
      field: 'delivery',
    });
    this.apiObject = delivered.secret;
    this.sealedSecret = delivered.sealedSecret;
    this.externalSecret = delivered.externalSecret;
  }

  /**
   * The Secret as a read-only volume whose files are the keys.
   * @param mountPath where to mount it (absolute path); defaults to the `mountPath` prop
   */
  public volume(mountPath?: string): WorkloadVolume {
    [mountPath] = checkArgs(this.findings, 'SecretConfiguration', 'volume', [mountPath]) as [string?];
    return dataVolume(this.findings, this.secretName, this.mountPath, mountPath, { secretName: this.secretName });
  }
}

/** A Docker config JSON (`~/.docker/config.json` form): an object whose `auths` is an object. */
function isDockerConfig(text: string): boolean {
  try {
    const config = JSON.parse(text);
    return config !== null && typeof config === 'object' && config.auths !== null && typeof config.auths === 'object' && !Array.isArray(config.auths);
  } catch {
    return false;
  }
}
