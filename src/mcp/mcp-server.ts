import { Construct } from 'constructs';
import { McpRegistry } from './mcp-registry';
import { catalogTag, versionOrTag } from './private/mcp-rules';
import { duplicates } from '../core/collections';
import { Findings } from '../core/findings';
import { Protocol } from '../core/protocol';
import { parseImageReference, imageReference } from '../core/rules/image-reference';
import { dns1123Label, dnsHostName } from '../core/rules/names';
import { cidr, cidrStrictlyInside } from '../core/rules/network';
import { portNumber } from '../core/rules/numbers';
import { absolutePath, httpUrl } from '../core/rules/urls';
import { checkProps } from '../core/validation';
import { addWarning } from '../core/warnings';
import { EgressRule } from '../networking/network-policy-options';
import { ContainerImage } from '../pod/container-image';
import { ResourceLimits, ResourceLimitsProps } from '../pod/resource-limits';

/** How an MCP server talks to its clients (seed 004 Server `transport`). */
export enum McpTransport {
  /** JSON-RPC over the process's stdin and stdout: deployed with an HTTP proxy container. */
  STDIO = 'stdio',
  /** Streamable HTTP on a port. */
  HTTP = 'http',
  /** Server-sent events on a port. */
  SSE = 'sse',
}

/** Who maintains an MCP server (seed 004 Server `tier`). */
export enum McpServerTier {
  /** Maintained by the service's vendor or the registry. */
  OFFICIAL = 'official',
  /** Maintained by the community. */
  COMMUNITY = 'community',
}

/** Lifecycle of an MCP server definition (seed 004 Server `status`). */
export enum McpServerStatus {
  /** Offered for use. */
  AVAILABLE = 'available',
  /** Still deployable, but on its way out (a warning at synth). */
  DEPRECATED = 'deprecated',
  /** Offered for trying out. */
  EXPERIMENTAL = 'experimental',
}

/**
 * Outbound network access an MCP server needs (seed 004 Server `networkPermissions`). A
 * NetworkPolicy matches IP addresses, never host names: a permission with a `host` must list the
 * address blocks it resolves to in `cidrs` (the host is then documentation); a host alone is an error.
 */
export interface NetworkPermission {
  /**
   * The host name the server connects to, such as "api.github.com" (documentation: NetworkPolicies cannot match names).
   * @default - none
   */
  readonly host?: string;
  /**
   * The destination's address blocks in CIDR notation, such as "140.82.112.0/20".
   * @default - none (then `host` alone is an error)
   */
  readonly cidrs?: string[];
  /**
   * Blocks inside `cidrs` to leave out.
   * @default - none
   */
  readonly except?: string[];
  /**
   * Destination ports.
   * @default [443]
   */
  readonly ports?: number[];
  /**
   * Protocol of the ports.
   * @default Protocol.TCP
   */
  readonly protocol?: Protocol;
}

/** The attributes of an MCP server definition (seed 004 Server), without its registry. */
export interface McpServerAttributes {
  /** Server name from the registry: a DNS label, such as "github" or "fetch". */
  readonly name: string;
  /**
   * Description.
   * @default - none
   */
  readonly description?: string;
  /** Version: a semantic version or a tag. */
  readonly version: string;
  /** Container image reference, such as "ghcr.io/github/github-mcp-server:0.5.0" (a semantic version tag or a digest). */
  readonly image: string;
  /** Transport. */
  readonly transport: McpTransport;
  /**
   * Tier.
   * @default McpServerTier.COMMUNITY
   */
  readonly tier?: McpServerTier;
  /**
   * Status; deprecated is a warning at synth.
   * @default McpServerStatus.AVAILABLE
   */
  readonly status?: McpServerStatus;
  /**
   * Categorization tags.
   * @default - none
   */
  readonly category?: string[];
  /**
   * The tools the server offers.
   * @default - none
   */
  readonly capabilities?: string[];
  /**
   * Source code repository (http or https URL).
   * @default - none
   */
  readonly repositoryUrl?: string;
  /**
   * Outbound network access; nothing else is allowed but cluster DNS.
   * @default - none: DNS only
   */
  readonly networkPermissions?: NetworkPermission[];
  /**
   * Resource requirements of the server container, as plain quantities (the seed's form, for
   * registry data). `McpServerProps.resourceLimits` takes a `ResourceLimits`, as the workloads do.
   * @default - ResourceLimits.DEFAULT_REQUESTS and DEFAULT_LIMITS
   */
  readonly deploymentRequirements?: ResourceLimitsProps;
  /**
   * Port of an http or sse server.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Entrypoint and arguments that start the server; required for stdio (its stdin and stdout are
   * wired to the proxy through named pipes by a shell wrapper around it).
   * @default - the image's entrypoint (http and sse only)
   */
  readonly command?: string[];
  /**
   * An HTTP path of an http or sse server that answers 200 while it can serve (its readiness probe).
   * @default - TCP connect probes on its port
   */
  readonly healthCheckPath?: string;
  /**
   * Where an http or sse server serves Prometheus metrics (a stdio server's proxy serves /metrics).
   * @default - none
   */
  readonly metricsPath?: string;
}

/** Props of an McpServer (seed 004 Server). */
export interface McpServerProps extends McpServerAttributes {
  /** The registry the definition belongs to. */
  readonly registry: McpRegistry;
  /**
   * Requests and limits of the server container, as a `ResourceLimits` (the kind
   * `DeploymentManifestProps.resourceLimits` takes); the same as `deploymentRequirements`, which
   * gives them as plain quantities. Give one of the two.
   * @default - `deploymentRequirements`, else ResourceLimits.DEFAULT_REQUESTS and DEFAULT_LIMITS
   */
  readonly resourceLimits?: ResourceLimits;
}

/**
 * An MCP server definition of a registry (seed 004 Server). It emits no object:
 * `McpServerInstance` deploys it. Its network permissions become the instance's egress rules.
 *
 * Rules (each a synth finding): a DNS-label name; a semantic version or tag; a valid container
 * image reference (pinned: a semantic version tag or a digest, as every image of the library);
 * transport, tier and status among the defined values (deprecated is a warning); tags without
 * whitespace; an http(s) repository URL; network permissions with valid CIDRs (a host name alone
 * is an error: NetworkPolicies cannot match names), ports and protocols; a stdio server's command.
 * `pullCount`, `stars` and `lastUpdated` are registry statistics, not synthesized.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { McpRegistry, McpServer, McpTransport } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'toolhive', { namespace: 'toolhive' });
 * const registry = new McpRegistry(chart, 'official', { name: 'toolhive-official', url: 'https://registry.example.com/v0/servers' });
 *
 * // A NetworkPolicy cannot name a host: its network permissions give the host's address blocks.
 * new McpServer(chart, 'fetch', {
 *   registry, name: 'fetch', version: '1.0.0', image: 'ghcr.io/acme/mcp-fetch:1.0.0', transport: McpTransport.HTTP,
 *   networkPermissions: [{ host: 'example.com', cidrs: ['93.184.215.14/32'], ports: [443] }],
 * });
 * app.synth();
 */
export class McpServer extends Construct {
  /** The registry. */
  public readonly registry: McpRegistry;
  /** The server name. */
  public readonly name: string;
  /** The version. */
  public readonly version: string;
  /** The transport. */
  public readonly transport: McpTransport;
  /** The tier. */
  public readonly tier: McpServerTier;
  /** The status. */
  public readonly status: McpServerStatus;
  /** The container image. */
  public readonly containerImage: ContainerImage;
  /** The resource requirements, when given (`resourceLimits`, or `deploymentRequirements` as a ResourceLimits). */
  public readonly resourceLimits?: ResourceLimits;
  /** The network permissions. */
  public readonly networkPermissions: NetworkPermission[];
  /** The description, if any. */
  public readonly description?: string;
  /** The image reference as given. */
  public readonly image: string;
  /** Categorization tags. */
  public readonly category: string[];
  /** The tools the server offers. */
  public readonly capabilities: string[];
  /** The source code repository, if any. */
  public readonly repositoryUrl?: string;
  /** The port of an http or sse server. */
  public readonly port: number;
  /** The command that starts the server, if given. */
  public readonly command?: string[];
  /** The readiness path of an http or sse server, if any. */
  public readonly healthCheckPath?: string;
  /** Where an http or sse server serves metrics, if anywhere. */
  public readonly metricsPath?: string;

  constructor(scope: Construct, id: string, props: McpServerProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'McpServerProps', props);
    this.registry = props.registry;
    this.name = props.name;
    this.version = props.version;
    this.transport = props.transport;
    this.tier = props.tier ?? McpServerTier.COMMUNITY;
    this.status = props.status ?? McpServerStatus.AVAILABLE;
    this.networkPermissions = (props.networkPermissions ?? []).map((p) => ({ ...p }));
    this.description = props.description;
    this.image = props.image;
    this.category = [...(props.category ?? [])];
    this.capabilities = [...(props.capabilities ?? [])];
    this.repositoryUrl = props.repositoryUrl;
    this.port = props.port ?? 8080;
    this.command = props.command ? [...props.command] : undefined;
    this.healthCheckPath = props.healthCheckPath;
    this.metricsPath = props.metricsPath;

    findings.check('name', props.name, dns1123Label);
    findings.check('version', props.version, versionOrTag);
    const parts = props.image !== undefined && findings.check('image', props.image, imageReference) ? parseImageReference(props.image) : undefined;
    // An unparsable reference is reported above; a pinned stand-in keeps the image's own rules quiet.
    this.containerImage = new ContainerImage(this, 'image', parts
      ? { registry: parts.registry, repository: parts.repository, tag: parts.tag, digest: parts.digest }
      : { repository: 'invalid', tag: '0.0.0' });
    enumCheck(findings, 'transport', props.transport, McpTransport);
    enumCheck(findings, 'tier', this.tier, McpServerTier);
    if (enumCheck(findings, 'status', this.status, McpServerStatus) && this.status === McpServerStatus.DEPRECATED) {
      addWarning(this, `status: the MCP server "${props.name}" is deprecated in its registry; plan to replace it`);
    }
    for (const field of ['category', 'capabilities'] as const) {
      (props[field] ?? []).forEach((t, i) => findings.check(`${field}[${i}]`, t, catalogTag));
      for (const dup of duplicates(props[field] ?? [])) findings.add(field, dup, 'each entry listed once');
    }
    findings.check('repositoryUrl', props.repositoryUrl, httpUrl);
    findings.check('healthCheckPath', props.healthCheckPath, absolutePath);
    findings.check('metricsPath', props.metricsPath, absolutePath);
    findings.check('port', props.port, portNumber);
    const stdio = props.transport === McpTransport.STDIO;
    // (checkProps reported a missing transport or registry; the rules below read what there is.)
    if (stdio && (props.command ?? []).length === 0) {
      findings.add('command', props.command, 'the command that starts the stdio server, such as ["node", "dist/index.js"]: its stdin and stdout are wired to the proxy container through named pipes, so the entrypoint must be known');
    }
    if (stdio) {
      for (const field of ['port', 'healthCheckPath', 'metricsPath'] as const) {
        if (props[field] !== undefined) findings.add(field, props[field], 'nothing for a stdio server (its proxy container serves HTTP, /health/live, /health/ready and /metrics)');
      }
    }
    this.networkPermissions.forEach((p, i) => checkPermission(findings, `networkPermissions[${i}]`, p));
    if (props.resourceLimits && props.deploymentRequirements) {
      findings.add('deploymentRequirements', props.deploymentRequirements, 'nothing beside resourceLimits (both set the server container\'s requests and limits): give one of them');
    }
    this.resourceLimits = props.resourceLimits
      ?? (props.deploymentRequirements ? new ResourceLimits(this, 'deployment-requirements', props.deploymentRequirements) : undefined);
  }

  /** The egress rules of the network permissions: each permission's CIDRs (less `except`) on its ports. */
  public egressRules(): EgressRule[] {
    return this.networkPermissions.map((p) => ({
      ipBlocks: (p.cidrs ?? []).map((block) => {
        const except = (p.except ?? []).filter((e) => cidrStrictlyInside(block)(e) === undefined);
        return { cidr: block, except: except.length > 0 ? except : undefined };
      }),
      ports: (p.ports ?? [443]).map((port) => ({ port, protocol: p.protocol ?? Protocol.TCP })),
    }));
  }
}

function enumCheck(findings: Findings, field: string, value: string, values: object): boolean {
  const allowed: string[] = Object.values(values);
  if (allowed.includes(value)) return true;
  findings.add(field, value, `one of ${allowed.join(', ')}`);
  return false;
}

function checkPermission(findings: Findings, at: string, p: NetworkPermission): void {
  const cidrs = p.cidrs ?? [];
  findings.check(`${at}.host`, p.host, dnsHostName);
  if (p.host !== undefined && cidrs.length === 0) {
    findings.add(`${at}.host`, p.host,
      `the address blocks ${JSON.stringify(p.host)} resolves to, in cidrs: a NetworkPolicy matches IP addresses, never host names (give the CIDRs, or send the traffic through an egress proxy)`);
  } else if (cidrs.length === 0) {
    findings.add(`${at}.cidrs`, [], 'at least one address block in CIDR notation, such as "203.0.113.0/24"');
  }
  const valid = cidrs.filter((c, j) => findings.check(`${at}.cidrs[${j}]`, c, cidr));
  (p.except ?? []).forEach((e, j) => {
    if (!findings.check(`${at}.except[${j}]`, e, cidr) || valid.length === 0) return;
    if (!valid.some((c) => cidrStrictlyInside(c)(e) === undefined)) {
      findings.add(`${at}.except[${j}]`, e, `an address block strictly inside one of the cidrs (${valid.join(', ')})`);
    }
  });
  (p.ports ?? []).forEach((port, j) => findings.check(`${at}.ports[${j}]`, port, portNumber));
  if (p.ports !== undefined && p.ports.length === 0) findings.add(`${at}.ports`, [], 'at least one port, or none given for 443');
  if (p.protocol !== undefined) enumCheck(findings, `${at}.protocol`, p.protocol, Protocol);
}
