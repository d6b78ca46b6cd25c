/**
 * Conventions every room shares: the annotation and label keys the library writes and reads back,
 * and the access modes that allow only one writer.
 */

/** Annotation on the Deployment of a docker-compose manifest (read by the compose engine). */
export const MANIFEST_TYPE_ANNOTATION = 'deploykit.io/manifest-type';

/** Its value for a docker-compose manifest (`ManifestType.DOCKER_COMPOSE`). */
export const DOCKER_COMPOSE = 'docker-compose';

/** Label on every compose service: the environment its manifest was synthesized for. */
export const ENVIRONMENT_LABEL = 'deploykit.io/environment';

/**
 * Access modes that let one node (ReadWriteOnce) or one pod (ReadWriteOncePod) write a volume:
 * a workload mounting such a claim has a single writer, as SQLite needs.
 */
export const SINGLE_WRITER_ACCESS_MODES: readonly string[] = ['ReadWriteOncePod', 'ReadWriteOnce'];

/** The single-writer mode among `modes`, if any. */
export function singleWriterMode(modes: readonly unknown[] | undefined): string | undefined {
  return SINGLE_WRITER_ACCESS_MODES.find((m) => (modes ?? []).includes(m));
}

/**
 * Annotation that waives policy findings on its object: one `<rule-id>: <reason>` per line. A waiver
 * without a reason is itself an error (read by `PolicyCheck`, written by `Waivers.add`).
 */
export const WAIVE_ANNOTATION = 'deploykit.dev/waive';
