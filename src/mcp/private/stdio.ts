/**
 * How a stdio MCP server and its HTTP proxy container share a pod: two named pipes in an emptyDir.
 *
 * Containers of a pod cannot reach each other's stdin and stdout, and attaching to them through the
 * Kubernetes API (pods/attach) would need a privilege the library never grants. So the server
 * container runs its command through a shell wrapper that creates the pipes (once; they survive a
 * container restart) and opens them read-write, which never blocks: stdin from `/run/mcp/stdin`,
 * stdout to `/run/mcp/stdout`. The proxy writes each JSON-RPC message as one line to the first and
 * reads the server's lines from the second (the contract is in docs/mcp.md).
 */

/** Mount path of the pipes volume in both containers. @internal */
export const PIPES_DIR = '/run/mcp';
/** The pipe the proxy writes requests to: the server's stdin. @internal */
export const STDIN_PIPE = `${PIPES_DIR}/stdin`;
/** The pipe the proxy reads responses from: the server's stdout. @internal */
export const STDOUT_PIPE = `${PIPES_DIR}/stdout`;
/** Name of the proxy container. @internal */
export const PROXY_CONTAINER = 'mcp-proxy';

/** The server container's command: a POSIX shell wrapper that wires `command` to the pipes. @internal */
export function stdioCommand(command: string[]): string[] {
  const script = `for p in ${STDIN_PIPE} ${STDOUT_PIPE}; do [ -p "$p" ] || mkfifo -m 600 "$p"; done; `
    + `exec "$0" "$@" 0<>${STDIN_PIPE} 1<>${STDOUT_PIPE}`;
  return ['/bin/sh', '-c', script, ...command];
}

/** The proxy container's environment: where the pipes are and which port to serve. @internal */
export function proxyEnv(serverName: string, port: number): Record<string, string> {
  return {
    MCP_SERVER_NAME: serverName,
    MCP_TRANSPORT: 'stdio',
    MCP_STDIN: STDIN_PIPE,
    MCP_STDOUT: STDOUT_PIPE,
    PORT: String(port),
  };
}
