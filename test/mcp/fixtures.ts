/** A chart, a registry and server definitions for the MCP tests. */
import { Chart, Testing } from 'cdk8s';
import { McpRegistry, McpServer, McpServerProps, McpTransport } from '../../src';

export function mcpChart(): Chart {
  return new Chart(Testing.app(), 'mcp', { namespace: 'toolhive', disableResourceNameHashes: true });
}

export function registryIn(chart: Chart): McpRegistry {
  return new McpRegistry(chart, 'registry', { name: 'toolhive-official', url: 'https://registry.example.com/v0/servers' });
}

/** An http server "fetch" unless `props` say otherwise. */
export function serverIn(chart: Chart, props: Partial<McpServerProps> = {}, id = 'server'): McpServer {
  return new McpServer(chart, id, {
    registry: props.registry ?? registryIn(chart),
    name: 'fetch',
    version: '1.2.0',
    image: 'registry.example.com/mcp/fetch:1.2.0',
    transport: McpTransport.HTTP,
    ...props,
  });
}
