import { Rule } from '../findings';

// The Docker reference grammar (distribution/reference): [domain[:port]/]path[:tag][@digest].
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const PATH = `${PATH_COMPONENT}(?:/${PATH_COMPONENT})*`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
// Built once: the rules run for every image of every object.
const WHOLE_PATH_COMPONENT = new RegExp(`^${PATH_COMPONENT}$`);
const WHOLE_DOMAIN = new RegExp(`^${DOMAIN}$`);
const WHOLE_PATH = new RegExp(`^${PATH}$`);

/** The parts of an image reference. */
export interface ImageReferenceParts {
  readonly registry?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/**
 * Parses an image reference by the Docker grammar. The first path part is a registry only when it
 * looks like a host (contains "." or ":", or is "localhost"), as Docker decides.
 */
export function parseImageReference(reference: string): ImageReferenceParts | undefined {
  if (reference.length > 255 + 128 + 80) return undefined;
  const m = REFERENCE.exec(reference);
  if (!m) return undefined;
  let domain: string | undefined = m[1];
  let path = m[2];
  const [, , , tag, digest] = m;
  if (domain !== undefined && !/[.:]/.test(domain) && domain !== 'localhost') {
    // "library/nginx": the first part was a path component, not a host.
    if (!WHOLE_PATH_COMPONENT.test(domain)) return undefined;
    path = `${domain}/${path}`;
    domain = undefined;
  }
  if (path.length > 255) return undefined;
  return { registry: domain, repository: path, tag, digest };
}

/** A full image reference by the Docker grammar, such as "ghcr.io/acme/api:1.2.0". */
export const imageReference: Rule<string> = (value) =>
  parseImageReference(value) !== undefined
    ? undefined
    : 'an image reference such as "registry.example.com/team/app:1.2.0" (Docker reference grammar: lowercase repository, optional registry host, tag and sha256 digest)';

/** A registry host with an optional port, such as "ghcr.io" or "localhost:5000". */
export const registryHost: Rule<string> = (value) =>
  WHOLE_DOMAIN.test(value) ? undefined : 'a registry host such as "ghcr.io" or "registry.local:5000"';

/** A repository path such as "rescan" or "acme/todo-backend". */
export const repositoryPath: Rule<string> = (value) =>
  WHOLE_PATH.test(value) && value.length <= 255
    ? undefined
    : 'a repository path of lowercase letters, digits and separators (".", "_", "__", "-", "/"), such as "acme/todo-backend"';

/** A content digest such as "sha256:<64 hex digits>". */
export const imageDigest: Rule<string> = (value) =>
  /^sha256:[0-9a-f]{64}$/.test(value) || /^sha512:[0-9a-f]{128}$/.test(value)
    ? undefined
    : 'a digest such as "sha256:" followed by 64 lowercase hex digits';
