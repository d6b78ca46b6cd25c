import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { Findings } from '../core/findings';
import { RESTRICTED_CAPABILITIES } from '../core/pod-security-controls';
import { nonRootId } from '../core/rules/numbers';
import { absolutePath } from '../core/rules/urls';
import { checkProps } from '../core/validation';
import { addWarning } from '../core/warnings';

/** Seccomp profile type (seed 000 Security Profile `seccomp_profile`). */
export enum SeccompProfileType {
  /** The container runtime's default profile. */
  RUNTIME_DEFAULT = 'RuntimeDefault',
  /** A profile file on the node; needs `localhostProfile`. */
  LOCALHOST = 'Localhost',
  /**
   * No seccomp filtering. Breaks the restricted and baseline Pod Security profiles, so it is refused
   * unless `unconfinedSeccompReason` says why (an explicit opt-out, reported as a warning at every
   * synth); such pods run only in a namespace with PodSecurityLevel.PRIVILEGED.
   */
  UNCONFINED = 'Unconfined',
}

/** SELinux context options. Under the restricted profile only `type` and `level` may be set. */
export interface SeLinuxOptions {
  /** SELinux level, such as "s0:c123,c456". */
  readonly level?: string;
  /** SELinux type: "container_t", "container_init_t" or "container_kvm_t". */
  readonly type?: string;
  /** SELinux user; refused under the restricted profile. */
  readonly user?: string;
  /** SELinux role; refused under the restricted profile. */
  readonly role?: string;
}

/** Props of a SecurityProfile (seed 000 Security Profile). */
export interface SecurityProfileProps {
  /**
   * Non-root user id (> 0).
   * @default 1000
   */
  readonly runAsUser?: number;
  /**
   * Non-root group id (> 0).
   * @default 1000
   */
  readonly runAsGroup?: number;
  /**
   * Group that owns mounted volumes.
   * @default - the runAsGroup
   */
  readonly fsGroup?: number;
  /**
   * Mount the root filesystem read-only; writable paths become emptyDir volumes.
   * @default true
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Capabilities to add; all others are dropped. Only NET_BIND_SERVICE is allowed by the restricted profile.
   * @default - none
   */
  readonly allowedCapabilities?: string[];
  /**
   * Seccomp profile type.
   * @default SeccompProfileType.RUNTIME_DEFAULT
   */
  readonly seccompProfile?: SeccompProfileType;
  /**
   * Path of the Localhost seccomp profile, relative to the kubelet's seccomp directory.
   * @default - none (required with SeccompProfileType.LOCALHOST)
   */
  readonly localhostProfile?: string;
  /**
   * The explicit opt-out that `SeccompProfileType.UNCONFINED` requires: why the containers must run
   * without seccomp filtering, such as "strace-based debugging image, ticket OPS-123". Synth then
   * reports a warning naming it instead of an error. The pods break the baseline and restricted Pod
   * Security profiles: they run only in a namespace with PodSecurityLevel.PRIVILEGED.
   * @default - none: Unconfined is refused
   */
  readonly unconfinedSeccompReason?: string;
  /**
   * SELinux options.
   * @default - none
   */
  readonly selinuxOptions?: SeLinuxOptions;
  /**
   * Paths the app writes to, mounted as emptyDir volumes when the root filesystem is read-only.
   * @default ["/tmp"]
   */
  readonly writablePaths?: string[];
}

const SELINUX_TYPES = ['container_t', 'container_init_t', 'container_kvm_t'];

/**
 * Container security settings that pass the Pod Security Standards restricted profile
 * (seed 000 Security Profile): non-root, no privilege escalation, all capabilities dropped,
 * RuntimeDefault seccomp, read-only root filesystem.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, SecurityProfile } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * new DeploymentManifest(chart, 'web', {
 *   image: new ContainerImage(chart, 'web-image', { repository: 'nginxinc/nginx-unprivileged', tag: '1.27.0' }),
 *   ports: [{ containerPort: 8080 }],
 *   // Non-root uid 101, read-only root filesystem with two writable emptyDir paths.
 *   securityProfile: new SecurityProfile(chart, 'web-security', {
 *     runAsUser: 101,
 *     runAsGroup: 101,
 *     writablePaths: ['/tmp', '/var/cache/nginx'],
 *   }),
 * });
 * app.synth();
 */
export class SecurityProfile extends Construct {
  /** User id the containers run as. */
  public readonly runAsUser: number;
  /** Group id the containers run as. */
  public readonly runAsGroup: number;
  /** Whether the root filesystem is read-only. */
  public readonly readOnlyRootFilesystem: boolean;
  /** Paths that get an emptyDir volume (only when the root filesystem is read-only). */
  public readonly writablePaths: string[];

  private readonly props: SecurityProfileProps;

  constructor(scope: Construct, id: string, props: SecurityProfileProps = {}) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'SecurityProfileProps', props);
    this.props = props;
    this.runAsUser = props.runAsUser ?? 1000;
    this.runAsGroup = props.runAsGroup ?? 1000;
    this.readOnlyRootFilesystem = props.readOnlyRootFilesystem ?? true;
    this.writablePaths = this.readOnlyRootFilesystem ? [...(props.writablePaths ?? ['/tmp'])] : [];

    findings.check('runAsUser', props.runAsUser, nonRootId);
    findings.check('runAsGroup', props.runAsGroup, nonRootId);
    findings.check('fsGroup', props.fsGroup, nonRootId);
    (props.allowedCapabilities ?? []).forEach((cap, i) => {
      if (!RESTRICTED_CAPABILITIES.includes(cap)) {
        findings.add(`allowedCapabilities[${i}]`, cap, 'only NET_BIND_SERVICE (the restricted Pod Security profile drops every other capability)');
      }
    });
    const seccomp = props.seccompProfile ?? SeccompProfileType.RUNTIME_DEFAULT;
    if (seccomp === SeccompProfileType.LOCALHOST && !props.localhostProfile) {
      findings.add('localhostProfile', props.localhostProfile, 'the path of the Localhost seccomp profile (for example "profiles/app.json")');
    }
    if (props.localhostProfile && seccomp !== SeccompProfileType.LOCALHOST) {
      findings.add('localhostProfile', props.localhostProfile, 'no localhostProfile unless seccompProfile is LOCALHOST');
    }
    const reason = props.unconfinedSeccompReason?.trim();
    if (seccomp === SeccompProfileType.UNCONFINED && !reason) {
      findings.add('seccompProfile', seccomp,
        'RuntimeDefault or Localhost (the restricted Pod Security profile); Unconfined only with unconfinedSeccompReason saying why, in a namespace with PodSecurityLevel.PRIVILEGED');
    } else if (seccomp === SeccompProfileType.UNCONFINED) {
      addWarning(this, `seccompProfile Unconfined (opted out: ${reason}): the pods break the baseline and restricted Pod Security profiles and run only in a namespace with PodSecurityLevel.PRIVILEGED`);
    } else if (props.unconfinedSeccompReason !== undefined) {
      findings.add('unconfinedSeccompReason', props.unconfinedSeccompReason, 'no unconfinedSeccompReason unless seccompProfile is UNCONFINED');
    }
    if (props.localhostProfile && (props.localhostProfile.startsWith('/') || props.localhostProfile.includes('..'))) {
      findings.add('localhostProfile', props.localhostProfile, 'a path relative to the kubelet seccomp directory, without ".."');
    }
    const selinux = props.selinuxOptions;
    if (selinux?.type !== undefined && selinux.type !== '' && !SELINUX_TYPES.includes(selinux.type)) {
      findings.add('selinuxOptions.type', selinux.type, `one of ${SELINUX_TYPES.join(', ')} (restricted Pod Security profile)`);
    }
    if (selinux?.user) findings.add('selinuxOptions.user', selinux.user, 'no SELinux user (restricted Pod Security profile)');
    if (selinux?.role) findings.add('selinuxOptions.role', selinux.role, 'no SELinux role (restricted Pod Security profile)');
    this.writablePaths.forEach((p, i) => findings.check(`writablePaths[${i}]`, p, absolutePath));
  }

  /** The pod-level securityContext. */
  public podSecurityContext(): k8s.PodSecurityContext {
    return {
      runAsNonRoot: true,
      runAsUser: this.runAsUser,
      runAsGroup: this.runAsGroup,
      fsGroup: this.props.fsGroup ?? this.runAsGroup,
      seccompProfile: this.seccomp(),
      seLinuxOptions: this.seLinux(),
    };
  }

  /** The container-level securityContext. */
  public containerSecurityContext(): k8s.SecurityContext {
    const add = this.props.allowedCapabilities ?? [];
    return {
      runAsNonRoot: true,
      runAsUser: this.runAsUser,
      runAsGroup: this.runAsGroup,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: this.readOnlyRootFilesystem,
      capabilities: { drop: ['ALL'], add: add.length > 0 ? [...add] : undefined },
      seccompProfile: this.seccomp(),
    };
  }

  private seccomp(): k8s.SeccompProfile {
    const type = this.props.seccompProfile ?? SeccompProfileType.RUNTIME_DEFAULT;
    return { type, localhostProfile: type === SeccompProfileType.LOCALHOST ? this.props.localhostProfile : undefined };
  }

  private seLinux(): k8s.SeLinuxOptions | undefined {
    const s = this.props.selinuxOptions;
    return s && (s.level || s.type) ? { level: s.level, type: s.type || undefined } : undefined;
  }
}
