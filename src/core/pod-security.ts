/** A Pod Security Standards level, enforced per namespace by Pod Security Admission. */
export enum PodSecurityLevel {
  /** Hardened pods: non-root, no privilege escalation, all capabilities dropped, seccomp. */
  RESTRICTED = 'restricted',
  /** Blocks known privilege escalations only. */
  BASELINE = 'baseline',
  /** No restrictions. */
  PRIVILEGED = 'privileged',
}
