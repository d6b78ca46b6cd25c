import * as path from 'path';
import { k8s } from 'cdk8s-plus-28';
import { CATALOG_STAGING_PATH, CATALOG_STAGING_VOLUME, CatalogContainer, CatalogImportPlan } from '../../config/catalog-import';
import { Environment } from '../../core/environment';
import { Findings } from '../../core/findings';
import { ContainerImage } from '../../pod/container-image';

/**
 * Adds the catalog import to a pod template: the scratch volume the ZIP files are fetched into, the
 * fetch init container (it mounts only that volume) and the verify-and-import init container (the
 * scratch volume read-only, the holotree volume at ROBOCORP_HOME and the pod's emptyDir scratch
 * paths). Both run with the main container's security context and resources, after the workload's
 * own init containers.
 * @internal
 */
export function withCatalogImport(
  findings: Findings,
  template: k8s.PodTemplateSpec,
  plan: CatalogImportPlan,
  environment: Environment,
): k8s.PodTemplateSpec {
  const spec = template.spec!;
  const main = spec.containers[0];
  const mounts = main.volumeMounts ?? [];
  const volumes = spec.volumes ?? [];
  const home = mounts.find((m) => path.posix.normalize(m.mountPath) === path.posix.normalize(plan.robocorpHomePath));
  if (!home) {
    findings.add('catalogs', plan.robocorpHomePath,
      'a volume mounted at the catalogs\' robocorpHomePath to import into (the holotree: a PersistentStorage in `storage` with that mountPath)');
  } else if (home.readOnly) {
    findings.add('catalogs', plan.robocorpHomePath, `a writable volume at robocorpHomePath; ${home.name} is mounted read-only`);
  }
  if (volumes.some((v) => v.name === CATALOG_STAGING_VOLUME)) {
    findings.add('volumes', CATALOG_STAGING_VOLUME, `no volume named "${CATALOG_STAGING_VOLUME}": the catalog import uses that name for the fetched ZIP files`);
  }
  const scratch = mounts.filter((m) => volumes.some((v) => v.name === m.name && v.emptyDir !== undefined));
  const resources = plan.resources ? plan.resources.toResourceRequirements() : main.resources;
  const staging: k8s.VolumeMount = { name: CATALOG_STAGING_VOLUME, mountPath: CATALOG_STAGING_PATH };

  const container = (c: CatalogContainer, containerMounts: k8s.VolumeMount[]): k8s.Container => {
    // The workload's own image stands in for the importer's: a JavaScript caller may have left it
    // out or given a string (the props check reports that), so there may be none to read.
    const image: ContainerImage | undefined = c.image instanceof ContainerImage ? c.image : undefined;
    const tagProblem = image?.tagProblem(environment);
    if (image && tagProblem) findings.add(`catalogs.${c.name}.image.tag`, image.tag, tagProblem);
    return {
      name: c.name,
      image: image?.reference ?? '',
      imagePullPolicy: image?.imagePullPolicyFor(environment),
      command: c.command,
      env: c.env ? Object.entries(c.env).map(([name, value]) => ({ name, value })) : undefined,
      resources,
      securityContext: main.securityContext,
      volumeMounts: containerMounts,
    };
  };
  const fetch = container(plan.fetch, [staging]);
  const verifyAndImport = container(plan.verifyAndImport, [
    { ...staging, readOnly: true },
    ...(home ? [{ name: home.name, mountPath: home.mountPath }] : []),
    ...scratch.filter((m) => m !== home),
  ]);
  return {
    ...template,
    spec: {
      ...spec,
      initContainers: [...(spec.initContainers ?? []), fetch, verifyAndImport],
      volumes: [...volumes, { name: CATALOG_STAGING_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString(plan.stagingSizeLimit) } }],
    },
  };
}
