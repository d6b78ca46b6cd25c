/**
 * The value lists of the Pod Security Standards controls (Kubernetes' pod-security-admission
 * policies) and the fields a Windows pod cannot set, kept once: the checker enforces them, the Helm
 * schema refuses values outside them and `SecurityProfile` allows only what restricted allows.
 */

/** Capabilities baseline allows a container to add. */
export const BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
];

/** The only capability restricted allows a container to add (every other is dropped with ALL). */
export const RESTRICTED_CAPABILITIES: readonly string[] = ['NET_BIND_SERVICE'];

/** Sysctls that are safe in any pod (namespaced and isolated). */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports',
];

/** SELinux types a pod may set (with no user or role). */
export const SELINUX_TYPES: readonly string[] = ['', 'container_t', 'container_init_t', 'container_kvm_t'];

/** Seccomp (and AppArmor) profile types restricted allows. */
export const RESTRICTED_PROFILE_TYPES: readonly string[] = ['RuntimeDefault', 'Localhost'];

/**
 * The security context fields the API server refuses on a pod with `spec.os.name: windows`: they
 * are Linux-only. Pod level, then container level; the booleans only when true (`false` is what
 * tools write by default).
 */
export const LINUX_ONLY_POD_SECURITY_FIELDS: readonly string[] = [
  'appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'fsGroup', 'fsGroupChangePolicy', 'sysctls',
  'runAsUser', 'runAsGroup', 'supplementalGroups', 'supplementalGroupsPolicy', 'seLinuxChangePolicy',
];
export const LINUX_ONLY_CONTAINER_SECURITY_FIELDS: readonly string[] = [
  'appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem',
  'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup',
];
