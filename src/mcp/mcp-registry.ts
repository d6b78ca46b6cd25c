import { Construct } from 'constructs';
import { registryName, registryUrl } from './private/mcp-rules';
import { Findings } from '../core/findings';
import { dataKey, dns1123Subdomain } from '../core/rules/names';
import { secretContent } from '../core/secrets';
import { checkArgs, checkProps } from '../core/validation';
import { addWarning } from '../core/warnings';

/** Status of a registry (seed 004 Registry `status`). */
export enum McpRegistryStatus {
  /** Synced and offered to users. */
  ACTIVE = 'active',
  /** Registered but not synced or offered. */
  INACTIVE = 'inactive',
  /** The last sync failed (a runtime state the application sets). */
  ERROR = 'error',
  /** A sync is running (a runtime state the application sets). */
  SYNCING = 'syncing',
}

/** How the registry application presents the registry credential. */
export enum McpRegistryAuthScheme {
  /** `Authorization: Bearer <token>`. */
  BEARER = 'bearer',
  /** `Authorization: Basic <user:password in base64>` (the Secret key holds "user:password"). */
  BASIC = 'basic',
}

/** The credential of a registry (seed 004 Registry `authConfig`): a reference to a Secret, never a literal token. */
export interface McpRegistryAuthConfig {
  /** Name of the Secret (in the application's namespace) that holds the credential. */
  readonly secretName: string;
  /** Key of the credential in the Secret. */
  readonly secretKey: string;
  /**
   * How the credential is sent.
   * @default McpRegistryAuthScheme.BEARER
   */
  readonly scheme?: McpRegistryAuthScheme;
}

/** Props of an McpRegistry (seed 004 Registry). */
export interface McpRegistryProps {
  /** Name: 1-64 letters, digits and hyphens. */
  readonly name: string;
  /** The registry endpoint: an http or https URL, without credentials. */
  readonly url: string;
  /**
   * Description.
   * @default - none
   */
  readonly description?: string;
  /**
   * Status the application starts the registry in.
   * @default McpRegistryStatus.ACTIVE
   */
  readonly status?: McpRegistryStatus;
  /**
   * Further registry-specific data (nothing secret).
   * @default - none
   */
  readonly metadata?: { [key: string]: string };
  /**
   * The credential, by Secret reference.
   * @default - an anonymous registry
   */
  readonly authConfig?: McpRegistryAuthConfig;
}

/**
 * A ToolHive registry of MCP server definitions (seed 004 Registry). It emits no object: the
 * registry application's configuration lists it (`toConfig()`), with its credential as a
 * reference to a Secret that exists in the cluster (never a literal token).
 *
 * Rules (each a synth finding): a name of 1-64 letters, digits and hyphens; an http or https URL
 * with a host and no credentials; a status among the defined values (error and syncing, runtime
 * states, are a warning); metadata without secrets; a valid Secret name and key. The seed's `id`,
 * `serverCount`, `lastSyncAt`, `createdAt` and `updatedAt` are runtime records of the application.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { McpRegistry } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'toolhive', { namespace: 'toolhive' });
 *
 * // A registry the application reads servers from; a token would be a Secret reference (authConfig).
 * const registry = new McpRegistry(chart, 'official', { name: 'toolhive-official', url: 'https://registry.example.com/v0/servers' });
 * app.synth();
 */
export class McpRegistry extends Construct {
  /** The name. */
  public readonly name: string;
  /** The endpoint URL. */
  public readonly url: string;
  /** The description, if any. */
  public readonly description?: string;
  /** The status. */
  public readonly status: McpRegistryStatus;
  /** Registry-specific data. */
  public readonly metadata: { [key: string]: string };
  /** The credential reference, if any. */
  public readonly authConfig?: McpRegistryAuthConfig;

  private readonly findings: Findings;

  constructor(scope: Construct, id: string, props: McpRegistryProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'McpRegistryProps', props);
    this.findings = findings;
    this.name = props.name;
    this.url = props.url;
    this.description = props.description;
    this.status = props.status ?? McpRegistryStatus.ACTIVE;
    this.metadata = { ...props.metadata };
    this.authConfig = props.authConfig ? { ...props.authConfig } : undefined;

    findings.check('name', props.name, registryName);
    findings.check('url', props.url, registryUrl);
    const statuses: string[] = Object.values(McpRegistryStatus);
    if (!statuses.includes(this.status)) {
      findings.add('status', this.status, `one of ${statuses.join(', ')}`);
    } else if (this.status === McpRegistryStatus.ERROR || this.status === McpRegistryStatus.SYNCING) {
      addWarning(this, `status "${this.status}" is a runtime state the application sets while syncing; a synthesized registry usually starts "active" or "inactive"`);
    }
    for (const [key, value] of Object.entries(this.metadata)) {
      if (secretContent(key, value) !== undefined) {
        findings.addRedacted(`metadata.${key}`, 'no credential in metadata: put it in a Secret and reference it with authConfig');
      }
    }
    const auth = props.authConfig;
    if (auth) {
      findings.check('authConfig.secretName', auth.secretName, dns1123Subdomain);
      findings.check('authConfig.secretKey', auth.secretKey, dataKey);
      const schemes: string[] = Object.values(McpRegistryAuthScheme);
      if (auth.scheme !== undefined && !schemes.includes(auth.scheme)) {
        findings.add('authConfig.scheme', auth.scheme, `one of ${schemes.join(', ')}`);
      }
    }
  }

  /**
   * The registry as the application's configuration lists it: name, url, description, status,
   * metadata and, when set, `auth` with the Secret reference and the file the credential is
   * mounted at under `credentialsDir`.
   */
  public toConfig(credentialsDir: string): { [key: string]: any } {
    [credentialsDir] = checkArgs(this.findings, 'McpRegistry', 'toConfig', [credentialsDir]) as [string];
    const auth = this.authConfig;
    return {
      name: this.name,
      url: this.url,
      description: this.description,
      status: this.status,
      metadata: Object.keys(this.metadata).length > 0 ? this.metadata : undefined,
      auth: auth ? {
        scheme: auth.scheme ?? McpRegistryAuthScheme.BEARER,
        secretName: auth.secretName,
        secretKey: auth.secretKey,
        file: `${credentialsDir}/${auth.secretName}/${auth.secretKey}`,
      } : undefined,
    };
  }
}
