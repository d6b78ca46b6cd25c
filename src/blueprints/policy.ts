/**
 * Internal to the blueprints: each blueprint runs `PolicyCheck` inside `app.synth()` on its chart.
 * The entities waive what their own defaults do (`workloads/own-waivers.ts`); a blueprint waives,
 * with the reason, what it chooses on purpose beyond them. The waivers are the same in every
 * environment (a Helm chart holds one template for all of them); where a choice is development's
 * only, the reason says so.
 */
import { ApiObject } from 'cdk8s';
import { Waivers } from '../policy/waivers';

/** The waiver of an autoscaler whose replica range is the caller's (one replica fits a development cluster). */
export function waiveCallersScaling(autoscaler: ApiObject | undefined): void {
  if (autoscaler) Waivers.add(autoscaler, 'hpa-min-replicas', 'the replica range is the caller\'s scaling choice (the default is 2 to 4; development may run one)');
}
