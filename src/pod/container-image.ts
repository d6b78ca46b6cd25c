import { Construct } from 'constructs';
import { Environment } from '../core/environment';
import { Findings } from '../core/findings';
import { imageDigest, imageReference, registryHost, repositoryPath } from '../core/rules/image-reference';
import { semverOrLatestTag } from '../core/rules/versions';
import { checkArgs, checkProps } from '../core/validation';

/** When the kubelet pulls an image. */
export enum ImagePullPolicy {
  /** Every time a container starts. */
  ALWAYS = 'Always',
  /** Only when the node lacks it. */
  IF_NOT_PRESENT = 'IfNotPresent',
  /** Never; the image must be on the node. */
  NEVER = 'Never',
}

/** Props of a ContainerImage (seeds 001 Container Images, 002 Docker Image Configuration). */
export interface ContainerImageProps {
  /**
   * Registry host, such as "ghcr.io" or "registry.local:5000".
   * @default - Docker Hub
   */
  readonly registry?: string;
  /** Repository (image name), such as "rescan" or "acme/todo-backend". */
  readonly repository: string;
  /**
   * Tag: a semantic version ("1.0.0", "v1.0.0") or "latest" (development only).
   * @default - "latest" when there is no digest
   */
  readonly tag?: string;
  /**
   * Content digest ("sha256:..."), pinning the image exactly.
   * @default - none
   */
  readonly digest?: string;
  /**
   * The environment, which decides the pull policy and whether "latest" is allowed.
   * @default - the environment of the workload that runs the image
   */
  readonly environment?: Environment;
  /**
   * Pull policy.
   * @default - IfNotPresent in development, Always in staging and production
   */
  readonly imagePullPolicy?: ImagePullPolicy;
}

/**
 * A container image reference, checked against the Docker reference grammar.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * // ghcr.io/acme/api:1.4.2, pulled Always in production ("latest" is for development only).
 * const image = new ContainerImage(chart, 'api-image', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.4.2' });
 * new DeploymentManifest(chart, 'api', { image, ports: [{ containerPort: 8080 }] });
 * app.synth();
 */
export class ContainerImage extends Construct {
  /** Registry host, if any. */
  public readonly registry?: string;
  /** Repository. */
  public readonly repository: string;
  /** Tag, if any. */
  public readonly tag?: string;
  /** Digest, if any. */
  public readonly digest?: string;
  /** The full reference: `[registry/]repository[:tag][@digest]`. */
  public readonly reference: string;
  /** The environment, when the image was given one. */
  public readonly environment?: Environment;

  private readonly pullPolicy?: ImagePullPolicy;
  private readonly findings: Findings;

  constructor(scope: Construct, id: string, props: ContainerImageProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'ContainerImageProps', props);
    this.findings = findings;
    this.registry = props.registry;
    this.repository = props.repository;
    this.digest = props.digest;
    this.tag = props.tag ?? (props.digest ? undefined : 'latest');
    this.environment = props.environment;
    this.pullPolicy = props.imagePullPolicy;
    this.reference = `${props.registry ? `${props.registry}/` : ''}${props.repository ?? ''}${this.tag ? `:${this.tag}` : ''}${props.digest ? `@${props.digest}` : ''}`;

    findings.check('registry', props.registry, registryHost);
    const repositoryOk = props.repository !== undefined && findings.check('repository', props.repository, repositoryPath);
    findings.check('tag', props.tag, semverOrLatestTag);
    findings.check('digest', props.digest, imageDigest);
    if (repositoryOk) findings.check('reference', this.reference, imageReference);
    if (this.environment !== undefined) {
      const problem = this.tagProblem(this.environment);
      if (problem) findings.add('tag', this.tag, problem);
    }
  }

  /**
   * The pull policy of this image in a workload of `environment`: the given pull policy, else IfNotPresent
   * in development and Always elsewhere, where the image's own `environment`, when given, overrides the workload's.
   */
  public imagePullPolicyFor(environment: Environment): ImagePullPolicy {
    [environment] = checkArgs(this.findings, 'ContainerImage', 'imagePullPolicyFor', [environment]) as [Environment];
    const effective = this.environment ?? environment;
    return this.pullPolicy
      ?? (effective === Environment.DEVELOPMENT ? ImagePullPolicy.IF_NOT_PRESENT : ImagePullPolicy.ALWAYS);
  }

  /** The pull policy given by hand (`imagePullPolicy`), if any. @internal */
  public get _givenPullPolicy(): ImagePullPolicy | undefined {
    return this.pullPolicy;
  }

  /** What is wrong with the tag in `environment`, or undefined: "latest" is for development only. */
  public tagProblem(environment: Environment): string | undefined {
    [environment] = checkArgs(this.findings, 'ContainerImage', 'tagProblem', [environment]) as [Environment];
    if (this.tag === 'latest' && !this.digest && environment !== Environment.DEVELOPMENT) {
      return `a pinned semantic version (or a digest) in ${environment}; "latest" is for development only`;
    }
    return undefined;
  }
}
