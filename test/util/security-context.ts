/**
 * The securityContext every container of the library gets by default (SecurityProfile defaults: the
 * seed's uid and gid 1000, the Pod Security Standards restricted profile), spelled out once for the
 * tests that assert it field by field.
 */
export const DEFAULT_CONTAINER_SECURITY_CONTEXT = {
  runAsNonRoot: true,
  runAsUser: 1000,
  runAsGroup: 1000,
  allowPrivilegeEscalation: false,
  privileged: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};
