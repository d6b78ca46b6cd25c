/** McpServer (seed 004 Server): each rule with a bad value and the expected error; network permissions become egress rules. */
import { Chart } from 'cdk8s';
import { mcpChart, serverIn } from './fixtures';
import { McpServerInstance, McpServerProps, McpServerStatus, McpServerTier, McpTransport, Protocol, ResourceLimits } from '../../src';
import { warningsOf } from '../../src/core/warnings';
import { findObject, synthError, synthManifests } from '../util/manifests';

function errorFor(props: Partial<McpServerProps>): string {
  const chart = mcpChart();
  serverIn(chart, props);
  return synthError(chart);
}

describe('McpServer', () => {
  test('emits no object; exposes its attributes and a pinned ContainerImage', () => {
    const chart = mcpChart();
    const server = serverIn(chart, { category: ['web'], capabilities: ['fetch'], repositoryUrl: 'https://github.com/acme/fetch' });
    expect(synthManifests(chart)).toEqual([]);
    expect(server.containerImage.reference).toBe('registry.example.com/mcp/fetch:1.2.0');
    expect([server.containerImage.registry, server.containerImage.repository, server.containerImage.tag]).toEqual(['registry.example.com', 'mcp/fetch', '1.2.0']);
    expect([server.tier, server.status, server.port, server.registry.name]).toEqual([McpServerTier.COMMUNITY, McpServerStatus.AVAILABLE, 8080, 'toolhive-official']);
    expect([server.category, server.capabilities]).toEqual([['web'], ['fetch']]);
  });

  test('network permissions become egress rules: CIDRs less except (per block), ports (443 by default) and protocol', () => {
    const chart = mcpChart();
    const server = serverIn(chart, {
      networkPermissions: [
        { host: 'api.github.com', cidrs: ['140.82.112.0/20', '192.30.252.0/22'] },
        { cidrs: ['0.0.0.0/0', '203.0.113.0/24'], except: ['10.0.0.0/8', '203.0.113.128/25'], ports: [80, 443] },
        { cidrs: ['198.51.100.53/32'], ports: [53], protocol: Protocol.UDP },
      ],
    });
    synthManifests(chart);
    expect(server.egressRules()).toEqual([
      { ipBlocks: [{ cidr: '140.82.112.0/20', except: undefined }, { cidr: '192.30.252.0/22', except: undefined }], ports: [{ port: 443, protocol: 'TCP' }] },
      {
        ipBlocks: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '203.0.113.128/25'] }, { cidr: '203.0.113.0/24', except: ['203.0.113.128/25'] }],
        ports: [{ port: 80, protocol: 'TCP' }, { port: 443, protocol: 'TCP' }],
      },
      { ipBlocks: [{ cidr: '198.51.100.53/32', except: undefined }], ports: [{ port: 53, protocol: 'UDP' }] },
    ]);
  });

  test('resourceLimits takes a ResourceLimits, as DeploymentManifestProps does; deploymentRequirements the same as quantities', () => {
    const requirements = { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } };
    const resources = (props: (chart: Chart) => Partial<McpServerProps>) => {
      const chart = mcpChart();
      new McpServerInstance(chart, 'instance', { server: serverIn(chart, props(chart)) });
      return findObject(synthManifests(chart), 'Deployment', 'fetch').spec.template.spec.containers[0].resources;
    };
    const fromConstruct = resources((c) => ({ resourceLimits: new ResourceLimits(c, 'fetch-resources', requirements) }));
    expect(fromConstruct).toEqual(resources(() => ({ deploymentRequirements: requirements })));
    expect(fromConstruct.limits).toEqual({ 'cpu': '200m', 'memory': '128Mi', 'ephemeral-storage': '256Mi' });
  });

  test('resourceLimits beside deploymentRequirements is refused, naming both', () => {
    const chart = mcpChart();
    const requirements = { limits: { cpu: '1', memory: '1Gi' } };
    serverIn(chart, { resourceLimits: new ResourceLimits(chart, 'res', requirements), deploymentRequirements: requirements });
    expect(synthError(chart)).toMatch(
      /\[mcp\/server\] deploymentRequirements: got \{"limits":\{"cpu":"1","memory":"1Gi"\}\}; expected nothing beside resourceLimits \(both set the server container's requests and limits\): give one of them/);
  });

  test('a deprecated server is a warning at synth, not an error', () => {
    const chart = mcpChart();
    const server = serverIn(chart, { status: McpServerStatus.DEPRECATED });
    expect(synthManifests(chart)).toEqual([]);
    expect(warningsOf(server)).toEqual(['status: the MCP server "fetch" is deprecated in its registry; plan to replace it']);
  });

  test.each([
    ['a name that is not a DNS label (upper case)', { name: 'GitHub' }, /\[mcp\/server\] name: got "GitHub"; expected a DNS-1123 label/],
    ['a name that is not a DNS label (a dot)', { name: 'github.com' }, /name: got "github\.com"; expected a DNS-1123 label/],
    ['a name longer than 63 characters', { name: 'm'.repeat(64) }, /name: got "m{64}"; expected a DNS-1123 label: 1-63/],
    ['a version that is neither a semantic version nor a tag', { version: '1.0 beta' }, /version: got "1\.0 beta"; expected a semantic version such as "1\.2\.0" or a tag/],
    ['a version starting with a dot', { version: '.1' }, /version: got "\.1"; expected a semantic version/],
    ['an image reference with upper case', { image: 'Registry.example.com/MCP/Fetch:1.0.0' }, /\[mcp\/server\] image: got "Registry\.example\.com\/MCP\/Fetch:1\.0\.0"; expected an image reference/],
    ['an image reference with a space', { image: 'mcp/fetch :1.0.0' }, /image: got "mcp\/fetch :1\.0\.0"; expected an image reference/],
    ['an image without a pinned tag', { image: 'registry.example.com/mcp/fetch:main' }, /\[mcp\/server\/image\] tag: got "main"; expected an image tag that is a semantic version/],
    ['an unknown transport', { transport: 'websocket' as McpTransport }, /transport: got "websocket"; expected one of stdio, http, sse/],
    ['an unknown tier', { tier: 'gold' as McpServerTier }, /tier: got "gold"; expected one of official, community/],
    ['an unknown status', { status: 'retired' as McpServerStatus }, /status: got "retired"; expected one of available, deprecated, experimental/],
    ['a category with a space', { category: ['developer tools'] }, /category\[0\]: got "developer tools"; expected a tag of 1-63 characters without whitespace/],
    ['a capability listed twice', { capabilities: ['fetch', 'fetch'] }, /capabilities: got "fetch"; expected each entry listed once/],
    ['a repository URL that is no URL', { repositoryUrl: 'github.com/acme/fetch' }, /repositoryUrl: got "github\.com\/acme\/fetch"; expected an http:\/\/ or https:\/\/ URL/],
    ['a port out of range', { port: 70000 }, /port: got 70000; expected an integer from 1 to 65535/],
    ['a relative health path', { healthCheckPath: 'health' }, /healthCheckPath: got "health"; expected an absolute path/],
    ['a stdio server without its command', { transport: McpTransport.STDIO }, /command: got nothing; expected the command that starts the stdio server/],
    ['a stdio server with a port', { transport: McpTransport.STDIO, command: ['node', 'index.js'], port: 9000 }, /port: got 9000; expected nothing for a stdio server/],
    ['requirements with a request above the limit', { deploymentRequirements: { requests: { cpu: '2' }, limits: { cpu: '1', memory: '1Gi' } } },
      /\[mcp\/server\/deployment-requirements\] requests\.cpu: got "2"; expected at most the limit "1"/],
  ])('refuses %s', (_what, props, message) => {
    expect(errorFor(props)).toMatch(message);
  });

  describe('network permissions', () => {
    test('a host name alone is an error: a NetworkPolicy cannot match names', () => {
      expect(errorFor({ networkPermissions: [{ host: 'api.github.com', ports: [443] }] })).toMatch(
        /networkPermissions\[0\]\.host: got "api\.github\.com"; expected the address blocks "api\.github\.com" resolves to, in cidrs: a NetworkPolicy matches IP addresses, never host names/,
      );
    });

    test.each([
      ['no destination at all', { ports: [443] }, /networkPermissions\[0\]\.cidrs: got \[\]; expected at least one address block in CIDR notation/],
      ['a host that is no host name', { host: 'not a host', cidrs: ['203.0.113.0/24'] }, /networkPermissions\[0\]\.host: got "not a host"; expected a DNS host name/],
      ['a host name given as a CIDR', { cidrs: ['api.github.com'] }, /networkPermissions\[0\]\.cidrs\[0\]: got "api\.github\.com"; expected an IP address block in CIDR notation/],
      ['an address without prefix', { cidrs: ['140.82.112.3'] }, /cidrs\[0\]: got "140\.82\.112\.3"; expected an IP address block in CIDR notation/],
      ['an except outside every CIDR', { cidrs: ['10.0.0.0/16'], except: ['10.9.0.0/24'] }, /except\[0\]: got "10\.9\.0\.0\/24"; expected an address block strictly inside one of the cidrs \(10\.0\.0\.0\/16\)/],
      ['port 0', { cidrs: ['10.0.0.0/16'], ports: [0] }, /networkPermissions\[0\]\.ports\[0\]: got 0; expected an integer from 1 to 65535/],
      ['an empty port list', { cidrs: ['10.0.0.0/16'], ports: [] }, /networkPermissions\[0\]\.ports: got \[\]; expected at least one port/],
      ['an unknown protocol', { cidrs: ['10.0.0.0/16'], protocol: 'SCTP' as Protocol }, /networkPermissions\[0\]\.protocol: got "SCTP"; expected one of TCP, UDP/],
    ])('refuses %s', (_what, permission, message) => {
      expect(errorFor({ networkPermissions: [permission as any] })).toMatch(message);
    });
  });
});
