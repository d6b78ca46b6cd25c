import { ROOMS } from '../../projenrc/rooms';
import * as root from '../../src';

/*
 * Every name the package root exported before src/ was regrouped into rooms (the commit "Rooms by
 * domain"). Users' code imports these from 'cdk8s-deploykit'; removing one is a breaking change.
 */

/** Classes, enums and functions: checked at run time. */
const VALUES = [
  'AccessMode', 'CertificateBundle', 'CertificateProvider', 'CertificateType', 'ClusterAccessLevel',
  'ComposeFile', 'ConfigMapConfiguration', 'ContainerImage', 'DeploymentManifest', 'Environment',
  'ExternalTrafficPolicy', 'HealthEndpoint', 'HelmChart', 'ImagePullPolicy', 'IngressConfiguration',
  'ManifestPolicy', 'ManifestType', 'MinikubeCluster', 'Namespace', 'PersistentStorage', 'PodSecurityLevel',
  'PolicyLevel', 'ProbeKind', 'Protocol', 'Rescan', 'ResourceLimits', 'RestrictedProfile', 'SampleCatalog',
  'ScheduledBackup', 'SeccompProfileType', 'SecretConfiguration', 'SecretType', 'SecurityProfile',
  'ServiceConfiguration', 'ServiceType', 'SessionAffinity', 'StatefulManifest', 'TaintEffect',
  'TargetCluster', 'TodoChatbot', 'TolerationOperator', 'ValueParameter', 'ValueParameterType',
  'checkObjectLabels', 'clearFileDigests', 'fileDigestsComputed', 'fileSha256', 'objectLabels',
];

/** Interfaces: each must resolve, or `tsc -p test` (the typecheck step of `npm test`) fails. */
export type RootTypes = [
  root.AzureOpenAiSettings, root.CertificateBundleProps, root.CertificateStoreOptions, root.ClusterDemand,
  root.ClusterResourceQuota, root.ComposeFileProps, root.ConfigMapConfigurationProps,
  root.ContainerImageProps, root.ContainerPortSpec, root.DeploymentManifestProps,
  root.DeploymentServiceOptions, root.HealthEndpointProps, root.HelmChartDependency,
  root.HelmChartMaintainer, root.HelmChartProps, root.HelmEnvironment, root.ICertificateClock,
  root.IngressConfigurationProps, root.IngressPath, root.IngressTls, root.InitContainerSpec,
  root.MinikubeClusterProps, root.NamespaceProps, root.NetworkPeer, root.NetworkPolicyOptions,
  root.ObjectLabelProps, root.PersistentStorageProps, root.PolicyRule, root.PolicyViolation,
  root.RateLimiting, root.RescanBackupImage, root.RescanBackupOptions, root.RescanIngressOptions,
  root.RescanProps, root.ResourceLimitsProps, root.ResourceQuantities, root.RollingUpdateConfig,
  root.SampleCatalogProps, root.ScalingConfig, root.ScheduledBackupProps, root.SeLinuxOptions,
  root.SecretConfigurationProps, root.SecurityProfileProps, root.ServiceConfigurationProps,
  root.ServicePortSpec, root.ServiceTarget, root.StatefulManifestProps, root.TargetClusterProps,
  root.TodoChatbotProps, root.TodoImageOptions, root.TolerationSpec, root.ValueParameterProps,
  root.VolumeClaimTemplate, root.WorkloadProps, root.WorkloadVolume,
];

test.each(VALUES)('%s is still exported from the package root', (name) => {
  expect((root as Record<string, unknown>)[name]).toBeDefined();
});

// One name per type: a room namespace (`export * as helm from './helm'`) would make jsii record each
// of its types a second time (test/package/one-name-per-type.test.ts checks the built .jsii).
test.each(ROOMS.map((room) => room.name))('the root exports no %s namespace: its types are root names', (room) => {
  expect(Object.keys(root)).not.toContain(room);
});
