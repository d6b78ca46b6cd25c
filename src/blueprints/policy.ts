/**
 * Internal to the blueprints: each blueprint runs `PolicyCheck` inside `app.synth()` on its chart, and
 * waives, with the reason, what it does on purpose. The waivers are the same in every environment
 * (a Helm chart holds one template for all of them); where a choice is development's only, the reason
 * says so, and the entities refuse it elsewhere.
 */
import { ApiObject } from 'cdk8s';
import { Waivers } from '../policy/waivers';

/** The waivers of a workload for development's deliberate choices (a `latest` image pulled IfNotPresent). */
export function waiveDevelopmentChoices(workload: ApiObject): void {
  Waivers.add(workload, 'image-pull-policy-always',
    'development pulls IfNotPresent, so an image loaded into the cluster (minikube image load) is used as is; other environments pull Always');
  Waivers.add(workload, 'image-pinned-tag',
    'development may run the image built locally as latest; ContainerImage refuses latest in other environments');
}

/** The waiver of an autoscaler whose replica range is the caller's (one replica fits a development cluster). */
export function waiveCallersScaling(autoscaler: ApiObject | undefined): void {
  if (autoscaler) Waivers.add(autoscaler, 'hpa-min-replicas', 'the replica range is the caller\'s scaling choice (the default is 2 to 4; development may run one)');
}
