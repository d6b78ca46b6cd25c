import { Construct, IConstruct } from 'constructs';
import { ExternalSecretOptions, SealingOptions, SecretDeliveryMode, SecretDeliveryOptions } from './delivery-types';
import { checkDeliveryOptions } from './private/delivery-rules';
import { Findings } from '../core/findings';
import { checkArgsOrThrow, checkProps } from '../core/validation';

/** Props of a SecretDelivery: the default delivery of every Secret in its scope. */
export interface SecretDeliveryProps extends SecretDeliveryOptions {}

/** The entities that took their delivery from the tree, to find those made before a default. */
const CONSUMERS = new WeakSet<IConstruct>();

/**
 * The default delivery of the Secrets of a chart or a whole app: every `SecretConfiguration` and
 * `CertificateBundle` in its scope (the construct it is added to, and everything under it) delivers
 * its Secret this way unless its own `delivery` says otherwise, field by field. The nearest default
 * wins: one on a chart overrides one on the app.
 *
 * Create it before the entities it applies to (as aws-cdk asks of context): an entity decides how its
 * Secret is delivered when it is built, and a default that comes too late is an error that names them.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { SecretConfiguration, SecretDelivery, SecretDeliveryMode, SecretStoreKind } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * // Every Secret of the chart is read from the "vault" ClusterSecretStore by the External Secrets
 * // Operator: the manifests hold only ExternalSecrets, safe to commit.
 * new SecretDelivery(chart, 'secret-delivery', {
 *   mode: SecretDeliveryMode.EXTERNAL,
 *   external: { storeName: 'vault', storeKind: SecretStoreKind.CLUSTER_SECRET_STORE },
 * });
 * new SecretConfiguration(chart, 'api-secrets', {
 *   name: 'api-secrets',
 *   requiredKeys: ['DATABASE_PASSWORD'],
 *   // read from the property "password" of the store's secret "shop/database"
 *   delivery: { external: { keys: [{ secretKey: 'DATABASE_PASSWORD', remoteKey: 'shop/database', property: 'password' }] } },
 * });
 * app.synth();
 */
export class SecretDelivery extends Construct {
  /**
   * The default that applies to a construct built under `scope`: the nearest SecretDelivery among
   * the children of `scope` and of each of its ancestors.
   */
  public static of(scope: IConstruct): SecretDelivery | undefined {
    checkArgsOrThrow('SecretDelivery', 'static of', [scope]);
    for (let s: IConstruct | undefined = scope; s; s = s.node.scope) {
      const found = s.node.children.find((c): c is SecretDelivery => c instanceof SecretDelivery);
      if (found) return found;
    }
    return undefined;
  }

  /** The default mode (undefined: each entity's own, else PLAIN). */
  public readonly mode?: SecretDeliveryMode;
  /** The default sealing options. */
  public readonly sealing?: SealingOptions;
  /** The default external store options. */
  public readonly external?: ExternalSecretOptions;

  constructor(scope: Construct, id: string, props: SecretDeliveryProps) {
    super(scope, id);
    const findings = Findings.attach(this);
    props = checkProps(findings, 'SecretDeliveryProps', props);
    this.mode = props.mode;
    this.sealing = props.sealing;
    this.external = props.external;

    checkDeliveryOptions(findings, '', props);
    const sealing = props.sealing ?? {};
    if (this.mode === SecretDeliveryMode.SEALED && sealing.certificate === undefined && sealing.certificateFile === undefined) {
      findings.add('sealing.certificate', undefined, "the sealed-secrets controller's certificate for SecretDeliveryMode.SEALED: certificate (PEM text) or certificateFile (kubeseal --fetch-cert > controller.crt)");
    }
    if (this.mode === SecretDeliveryMode.EXTERNAL && props.external?.storeName === undefined) {
      findings.add('external.storeName', undefined, 'the name of the SecretStore or ClusterSecretStore the ExternalSecrets read, for SecretDeliveryMode.EXTERNAL');
    }
    const early = scope.node.findAll().filter((c) => CONSUMERS.has(c)).map((c) => c.node.path);
    if (early.length > 0) {
      findings.add('order', early.length === 1 ? early[0] : `${early[0]} and ${early.length - 1} more`,
        'a SecretDelivery created before the Secrets it applies to: these were built without it; create it first');
    }
  }
}

/**
 * The options of an entity built at `scope` (its `delivery`, checked into `findings` under `field`),
 * merged over the default there: the entity's own fields win. `existing` forces OUT_OF_BAND (an
 * entity's `existingSecret`).
 * @internal
 */
export function resolveDelivery(
  scope: IConstruct, findings: Findings, field: string, own: SecretDeliveryOptions | undefined, existing?: boolean,
): ResolvedDelivery {
  CONSUMERS.add(scope);
  checkDeliveryOptions(findings, field, own);
  if (existing && own?.mode !== undefined && own.mode !== SecretDeliveryMode.OUT_OF_BAND) {
    findings.add(`${field}.mode`, own.mode, `${SecretDeliveryMode.OUT_OF_BAND} or nothing: existingSecret says the Secret is made outside the manifests`);
  }
  const base = SecretDelivery.of(scope);
  const ownSealing = own?.sealing ?? {};
  const ownCertificate = ownSealing.certificate !== undefined || ownSealing.certificateFile !== undefined;
  const baseSealing = base?.sealing ?? {};
  const sealing: SealingOptions = {
    ...defined(baseSealing),
    ...defined(ownSealing),
    // The certificate's two sources are one choice: the entity's, else the default's.
    certificate: ownCertificate ? ownSealing.certificate : baseSealing.certificate,
    certificateFile: ownCertificate ? ownSealing.certificateFile : baseSealing.certificateFile,
  };
  const external: ExternalSecretOptions = { ...defined(base?.external ?? {}), ...defined(own?.external ?? {}) };
  return {
    mode: existing ? SecretDeliveryMode.OUT_OF_BAND : own?.mode ?? base?.mode ?? SecretDeliveryMode.PLAIN,
    sealing,
    external,
    modeFromDefault: !existing && own?.mode === undefined && base?.mode !== undefined,
  };
}

/** Delivery options after the default is applied. @internal */
export interface ResolvedDelivery {
  readonly mode: SecretDeliveryMode;
  readonly sealing: SealingOptions;
  readonly external: ExternalSecretOptions;
  /** The mode comes from the default, which reports a missing certificate or store for it. */
  readonly modeFromDefault: boolean;
}

/** The fields of `o` that are set. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
