/**
 * The rooms of `src/` (docs/DESIGN.md "Rooms"), in reading order. `.projenrc.ts` builds the import
 * rule from the names; `projenrc/api-docs.ts` groups API.md by room under these headings. Every
 * public type is exported once, from the package root: the rooms are headings, never namespaces.
 */
export interface Room {
  /** The folder under `src/`. */
  readonly name: string;
  /** What a user finds there, for the room's heading in API.md. */
  readonly about: string;
}

export const ROOMS: readonly Room[] = [
  { name: 'core', about: 'environments, protocols, Pod Security levels, object labels and warnings' },
  { name: 'manifests', about: 'the one reader of synthesized objects (no public types)' },
  { name: 'pod', about: 'what a container is made of: image, health endpoint, resources, security profile, tolerations, volumes' },
  { name: 'workloads', about: 'Deployments, StatefulSets and scheduled backups, with their Service, autoscaler, disruption budget and NetworkPolicy' },
  { name: 'delivery', about: 'how Secrets reach the cluster: plain, out of band, sealed at synth time (SealedSecret) or from an external store (ExternalSecret)' },
  { name: 'config', about: 'ConfigMaps, Secrets, persistent storage and sample catalogs' },
  { name: 'networking', about: 'Services, Ingresses, Namespaces and NetworkPolicy options' },
  { name: 'tls', about: 'certificate bundles: custom, self-signed, CA-signed or cert-manager' },
  { name: 'clusters', about: 'the target cluster (access level, served APIs, add-ons, quota, RBAC) and Minikube' },
  { name: 'monitoring', about: 'Prometheus operator ServiceMonitor or PodMonitor and alert rules, or scrape annotations' },
  { name: 'mcp', about: 'ToolHive registry entries, MCP servers and their instances (seed 004)' },
  { name: 'helm', about: 'Helm charts derived from the synthesized objects, and value parameters' },
  { name: 'compose', about: 'docker-compose files from a chart' },
  { name: 'policy', about: 'checks over any synthesized objects: Pod Security Standards, manifest rules, the schema, waivers' },
  { name: 'blueprints', about: 'one construct per seed system' },
];

/** The room a source file belongs to (`src/<room>/...`), or undefined outside the rooms. */
export function roomOf(sourceFile: string): Room | undefined {
  const match = /^src\/([^/]+)\//.exec(sourceFile.replace(/\\/g, '/'));
  return match ? ROOMS.find((room) => room.name === match[1]) : undefined;
}
