import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { isConfigFile, secretsInConfigFile } from '../core/config-file-secrets';
import { Findings } from '../core/findings';
import { objectLabels, checkObjectLabels, ObjectLabelProps } from '../core/labels';
import { dataKey, dns1123Label, dns1123Subdomain, envFromKey, writableKey } from '../core/rules/names';
import { absolutePath } from '../core/rules/urls';
import { credentialWord, dataSize, MAX_DATA_BYTES, nonCredentialKey, noPrivateKey, secretContent, secretPlaceholder } from '../core/secrets';
import { duplicates } from '../core/text';
import { checkArgs, checkProps } from '../core/validation';
import { addWarning } from '../core/warnings';
import { dataVolume } from '../pod/volumes';
import { WorkloadVolume } from '../pod/workload-volume';

/** Props of a ConfigMapConfiguration (seed 002 ConfigMap Configuration). */
export interface ConfigMapConfigurationProps extends ObjectLabelProps {
  /** The ConfigMap name (DNS-1123 subdomain), such as "rescan-config". */
  readonly name: string;
  /**
   * Namespace of the ConfigMap.
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * The non-sensitive configuration (seed `config_data`): data keys of letters, digits, "-", "_" and ".".
   * Credentials (keys naming a password, secret, token, API key or private key; PEM private keys)
   * belong in a `SecretConfiguration`.
   */
  readonly configData: { [key: string]: string };
  /**
   * Keys that must be present in `configData` with a non-empty value.
   * @default - none
   */
  readonly requiredKeys?: string[];
  /**
   * Offer every key as an environment variable (`envFrom`); keys must then be valid variable names.
   * @default true
   */
  readonly consumeAsEnv?: boolean;
  /**
   * Mount the keys as files in this folder (seed `mount_paths`), absolute.
   * @default - not mounted, unless `volume()` is given a path
   */
  readonly mountPath?: string;
}

/**
 * Non-sensitive configuration as a Kubernetes ConfigMap (seed 002 ConfigMap Configuration, seed 003
 * `rescan-config`), consumed by a workload as environment variables and/or mounted files.
 *
 * Rules (each a synth finding): a valid name and namespace, valid data keys, the required keys
 * present and non-empty, env-compatible keys when consumed as env, an absolute mount path, at most
 * 1 MiB of data, and no credentials: those belong in a `SecretConfiguration`.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ConfigMapConfiguration, ContainerImage, DeploymentManifest } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * // The ConfigMap "api-config", offered to the container as environment variables.
 * const config = new ConfigMapConfiguration(chart, 'api-config', {
 *   name: 'api-config',
 *   configData: { LOG_LEVEL: 'info', FEATURE_SEARCH: 'true' },
 * });
 * new DeploymentManifest(chart, 'api', {
 *   image: new ContainerImage(chart, 'api-image', { repository: 'acme/api', tag: '1.4.2' }),
 *   ports: [{ containerPort: 8080 }],
 *   configMaps: [config],
 * });
 * app.synth();
 */
export class ConfigMapConfiguration extends Construct {
  /** The ConfigMap name. */
  public readonly configMapName: string;
  /** The data keys, in the order given. */
  public readonly keys: string[];
  /** Whether the workload gets every key as an environment variable (`envFrom`). */
  public readonly consumeAsEnv: boolean;
  /** Where the keys are mounted as files, if set. */
  public readonly mountPath?: string;
  /** The ConfigMap object (an escape hatch). */
  public readonly apiObject: k8s.KubeConfigMap;

  private readonly findings: Findings;

  constructor(scope: Construct, id: string, props: ConfigMapConfigurationProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'ConfigMapConfigurationProps', props);
    this.findings = findings;
    this.configMapName = props.name;
    this.keys = Object.keys(props.configData ?? {});
    this.consumeAsEnv = props.consumeAsEnv ?? true;
    this.mountPath = props.mountPath;

    findings.check('name', props.name, dns1123Subdomain);
    findings.check('namespace', props.namespace, dns1123Label);
    findings.check('mountPath', props.mountPath, absolutePath);
    checkObjectLabels(findings, props, props.name);

    const data = props.configData ?? {};
    if (this.keys.length === 0) {
      findings.add('configData', data, 'at least one key, such as { NODE_ENV: "production" }');
    }
    for (const [key, value] of Object.entries(data)) {
      const field = `configData.${key}`;
      if (!findings.check(`${field} key`, key, dataKey) || !findings.check(`${field} key`, key, writableKey)) continue;
      // One detector with the policy's configmap-no-secret-content: a credential name alone is no
      // secret (DB_PASSWORD_SECRET_NAME, ALLOW_EMPTY_PASSWORD: "yes"); with a value that can hold one it is.
      const why = secretContent(key, value);
      const placeholder = secretPlaceholder(key, value);
      if (noPrivateKey(value) !== undefined) {
        findings.addRedacted(field, noPrivateKey(value)!);
      } else if (typeof value === 'string' && isConfigFile(key, value)) {
        // A configuration file (config.json, application.yaml, .env): each key inside, by the same detector.
        for (const f of secretsInConfigFile(key, value)) {
          const where = f.at ? `${f.at} ` : 'the file ';
          if (f.placeholder) {
            addWarning(this, `${field} ${where}${f.why}: the real value belongs in a SecretConfiguration (a Secret), not in a ConfigMap`);
          } else {
            findings.addRedacted(field, `no secret in a configuration file in a ConfigMap (${where}${f.why}): put the file in a SecretConfiguration (a Secret) and mount it, or fill the value in from a variable the Secret supplies`);
          }
        }
      } else if (why !== undefined && credentialWord(key) !== undefined) {
        // The value may be a real password: never echo it.
        findings.addRedacted(field, nonCredentialKey(key)!);
      } else if (why !== undefined) {
        findings.addRedacted(field, `no secret in a ConfigMap (the value ${why}): put it in a SecretConfiguration (a Secret) instead`);
      } else if (placeholder !== undefined) {
        addWarning(this, `${field} ${placeholder}: the real value belongs in a SecretConfiguration (a Secret), not in a ConfigMap`);
      }
      if (this.consumeAsEnv) findings.check(`${field} key`, key, envFromKey);
    }
    const size = dataSize(data);
    if (size > MAX_DATA_BYTES) {
      findings.add('configData', `${size} bytes`, `at most ${MAX_DATA_BYTES} bytes (1 MiB) of keys and values in total`);
    }

    const required = props.requiredKeys ?? [];
    required.forEach((key, i) => {
      if (!findings.check(`requiredKeys[${i}]`, key, dataKey)) return;
      if (!Object.prototype.hasOwnProperty.call(data, key)) {
        findings.add(`configData.${key}`, undefined, `a value for the required key "${key}" (listed in requiredKeys)`);
      } else if (String(data[key]).trim() === '') {
        findings.add(`configData.${key}`, data[key], `a non-empty value for the required key "${key}" (listed in requiredKeys)`);
      }
    });
    for (const dup of duplicates(required)) findings.add('requiredKeys', dup, 'each required key listed once');
    this.apiObject = new k8s.KubeConfigMap(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels: {
          ...objectLabels(props.name, props),
        },
      },
      data: { ...data },
    });
  }

  /**
   * The ConfigMap as a read-only volume whose files are the keys.
   * @param mountPath where to mount it (absolute path); defaults to the `mountPath` prop
   */
  public volume(mountPath?: string): WorkloadVolume {
    [mountPath] = checkArgs(this.findings, 'ConfigMapConfiguration', 'volume', [mountPath]) as [string?];
    return dataVolume(this.findings, this.configMapName, this.mountPath, mountPath, { configMapName: this.configMapName });
  }
}
