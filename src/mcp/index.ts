export * from './mcp-registry';
export * from './mcp-server';
export * from './mcp-server-instance';
