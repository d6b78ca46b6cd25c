/**
 * What the services of one compose file share while the objects are converted (internal): lookups
 * over the objects, and the top-level volumes, secrets and configs the services collect.
 */
import { ComposeConfig, ComposeSecret } from './compose-model';
import { isEnvVarName } from './compose-rules';
import { ManifestSet } from '../../manifests';

// The objects are plain JSON of unknown shape: read them defensively.
type KubeObject = any;

/** Lookups over the objects and the top-level entries the services share. */
export class ConversionState {
  /** Named volumes (PersistentVolumeClaim names). */
  public readonly volumes = new Set<string>();
  public readonly secrets = new Map<string, ComposeSecret>();
  /** Environment variables passed through from the shell that runs docker compose. */
  public readonly passedThrough = new Set<string>();

  /** Top-level configs (non-secret content written inline). */
  public readonly configs = new Map<string, ComposeConfig>();
  /** Env files standing in for ConfigMaps and Secrets outside the chart. */
  public readonly envFiles = new Set<string>();
  /** Local folders standing in for mounted ConfigMaps and Secrets outside the chart. */
  public readonly bindSources = new Set<string>();
  /** Local folders standing in for pod volumes (bind annotations), bind-mounted read-only. */
  public readonly localFolders = new Set<string>();
  /** Objects the conversion consumed. */
  public readonly used = new Set<KubeObject>();

  public readonly set: ManifestSet;

  constructor(objects: readonly KubeObject[]) {
    this.set = new ManifestSet(objects);
  }

  public find(kind: string, namespace: string, name: string): KubeObject | undefined {
    const found = this.set.find(kind, name, namespace)?.raw;
    if (found) this.used.add(found);
    return found;
  }

  /** Adds `name` to `env` without a value: compose takes it from its own environment. */
  public passThrough(env: Map<string, string | null>, name: string): void {
    env.set(name, null);
    this.passedThrough.add(name);
  }

  /** The compose secret for one key of a Kubernetes Secret: its name. */
  public secret(secretName: string, key: string): string {
    const name = `${secretName}.${key}`;
    this.secrets.set(name, isEnvVarName(key) ? { environment: key } : { file: `./secrets/${secretName}/${key}` });
    return name;
  }

  /** The compose config for one key of a ConfigMap (non-secret content, written inline): its name. */
  public config(configMapName: string, key: string, content: string): string {
    const name = `${configMapName}.${key}`;
    this.configs.set(name, { content });
    return name;
  }
}
