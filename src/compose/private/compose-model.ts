/**
 * The parts of the Compose Specification (https://compose-spec.io) the compose synth writes
 * (internal). Key order in these objects is the order of the written file.
 */

/** A service `secrets` or `configs` entry, long syntax. */
export interface ComposeFileReference {
  readonly source: string;
  /** Relative: under /run/secrets (secrets) or / (configs); absolute: that path. */
  readonly target: string;
}

/** A service `volumes` entry, long syntax. */
export interface ComposeVolumeMount {
  readonly type: 'volume' | 'bind';
  readonly source: string;
  readonly target: string;
  readonly read_only?: boolean;
}

/** A service `healthcheck`. */
export interface ComposeHealthcheck {
  readonly test: string[];
  readonly interval: string;
  readonly timeout: string;
  readonly retries: number;
  readonly start_period?: string;
}

/** `deploy.resources.limits` / `reservations`. */
export interface ComposeResources {
  readonly cpus?: string;
  readonly memory?: string;
}

/** A service. Fields are optional so that absent ones are left out of the file. */
export interface ComposeService {
  image: string;
  pull_policy?: string;
  entrypoint?: string[];
  command?: string[];
  working_dir?: string;
  user?: string;
  read_only?: boolean;
  privileged?: boolean;
  cap_drop?: string[];
  cap_add?: string[];
  security_opt?: string[];
  /** A null value passes the variable through from the shell that runs docker compose. */
  environment?: Record<string, string | null>;
  env_file?: string[];
  secrets?: ComposeFileReference[];
  configs?: ComposeFileReference[];
  /** Published on the host: "host:container[/udp]", or "address:host:container" for one address. */
  ports?: string[];
  /** Reachable by the other services of the file only: "container[/udp]". */
  expose?: string[];
  volumes?: ComposeVolumeMount[];
  tmpfs?: string[];
  healthcheck?: ComposeHealthcheck;
  deploy?: { resources: { limits?: ComposeResources; reservations?: ComposeResources } };
  stop_grace_period?: string;
  /** Services that must have completed successfully before this one starts (its init containers). */
  depends_on?: Record<string, { condition: string }>;
  restart: string;
  labels?: Record<string, string>;
  networks?: { default: { aliases: string[] } };
}

/** A top-level secret: read from an environment variable or a file, never written inline. */
export interface ComposeSecret {
  readonly environment?: string;
  readonly file?: string;
}

/** A top-level config with inline (non-secret) content. */
export interface ComposeConfig {
  readonly content: string;
}

/** The whole file. */
export interface ComposeDocument {
  name: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, Record<string, never>>;
  secrets?: Record<string, ComposeSecret>;
  configs?: Record<string, ComposeConfig>;
}

/** A broken rule found in the synthesized objects, reported like a construct finding. */
export interface ComposeProblem {
  readonly field: string;
  readonly value: unknown;
  readonly expected: string;
}
