import { ApiObject } from 'cdk8s';
import { DeclaredWaiver } from './private/rule-kit';
import { waiverAnnotation } from './private/waiver-rules';
import { WAIVE_ANNOTATION } from '../core/conventions';
import { checkArgsOrThrow } from '../core/validation';

const declared = new WeakMap<ApiObject, DeclaredWaiver[]>();

/**
 * Waives policy findings on an object, with the reason, in its `deploykit.dev/waive` annotation
 * (one `<rule-id>: <reason>` per line). `PolicyCheck`, `deploykit check` and the cdk8s validation
 * plugin then report the finding as a waiver, not as an error or warning; every report lists the
 * waivers. A waiver without a reason is itself an error.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { ContainerImage, DeploymentManifest, PersistentStorage, PolicyCheck, Waivers } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'rescan', { namespace: 'rescan' });
 * const manifest = new DeploymentManifest(chart, 'app', {
 *   image: new ContainerImage(chart, 'app-image', { repository: 'acme/rescan', tag: '1.0.0' }),
 *   ports: [{ containerPort: 3000 }],
 *   replicaCount: 1, // one writer of the SQLite file on a ReadWriteOnce claim
 *   storage: [new PersistentStorage(chart, 'data', { name: 'rescan-data', size: '1Gi', mountPath: '/data' })],
 * });
 * // A finding the system accepts on purpose, with the reason (written to the object as an annotation).
 * Waivers.add(manifest.deployment, 'replicas-min-two', 'SQLite on a ReadWriteOnce claim allows one writer');
 * PolicyCheck.enable(chart);
 * app.synth();
 */
export class Waivers {
  /** The annotation key. */
  public static readonly ANNOTATION = WAIVE_ANNOTATION;

  /** Waives `rule` on `apiObject` for `reason` (a later waiver of the same rule replaces its reason). */
  public static add(apiObject: ApiObject, rule: string, reason: string): void {
    checkArgsOrThrow('Waivers', 'static add', [apiObject, rule, reason]);
    const waivers = declared.get(apiObject) ?? [];
    const kept = waivers.filter((w) => w.rule !== rule);
    kept.push({ rule, reason });
    declared.set(apiObject, kept);
    apiObject.metadata.addAnnotation(WAIVE_ANNOTATION, waiverAnnotation(kept));
  }

  private constructor() {}
}
