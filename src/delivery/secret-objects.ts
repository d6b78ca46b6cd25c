import * as path from 'path';
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { SealingScope, SecretDeliveryMode, SecretStoreKind } from './delivery-types';
import { controllerCertificate } from './private/controller-certificate';
import { sealedData } from './private/sealed-data';
import { scopeAnnotations } from './private/sealing-crypto';
import { DEFAULT_SEALING_DIRECTORY, DEFAULT_SEALING_PASSPHRASE_ENV_VAR, SealingStore, SealingStoreError } from './private/sealing-store';
import { ResolvedDelivery } from './secret-delivery';
import { Findings } from '../core/findings';
import {
  ExternalSecret, ExternalSecretSpecSecretStoreRefKind, ExternalSecretSpecTargetCreationPolicy,
} from '../imports/externalsecrets-external-secrets.io';
import { SealedSecret } from '../imports/sealedsecrets-bitnami.com';

/*
 * The room's surface for the entities that own a Secret (SecretConfiguration, CertificateBundle):
 * one Secret, delivered as the resolved options say. Internal to the library.
 */

/** The Secret an entity delivers. @internal */
export interface SecretRequest {
  /** Construct id of a plain Secret (entities keep the id they always had). */
  readonly plainId: string;
  readonly name: string;
  /** The entity's own namespace prop (the chart's applies when unset). */
  readonly namespace?: string;
  /** The Secret type, such as "Opaque" or "kubernetes.io/tls". */
  readonly type: string;
  readonly labels: Record<string, string>;
  /** The Secret's keys (an ExternalSecret maps each). */
  readonly keys: readonly string[];
  /** The values, once known (undefined while they cannot be made: the entity reports why). */
  readonly values: () => Record<string, string> | undefined;
  readonly delivery: ResolvedDelivery;
  /** The entity's field of its delivery options, such as "delivery". */
  readonly field: string;
}

/**
 * One Secret delivered: a plain Secret, nothing (out of band), a SealedSecret or an ExternalSecret.
 * A SealedSecret is sealed by `prepare()` (the entity calls it while validating, before its findings
 * are reported) or at the latest when the object is rendered. @internal
 */
export class DeliveredSecret {
  public readonly mode: SecretDeliveryMode;
  public readonly secret?: k8s.KubeSecret;
  public readonly sealedSecret?: ApiObject;
  public readonly externalSecret?: ApiObject;
  private sealed?: Record<string, string>;
  private prepared = false;

  constructor(private readonly scope: Construct, private readonly findings: Findings, private readonly request: SecretRequest) {
    const { name, type, labels, delivery } = request;
    this.mode = delivery.mode;
    const metadata = { name, namespace: request.namespace, labels };
    switch (delivery.mode) {
      case SecretDeliveryMode.OUT_OF_BAND:
        break;
      case SecretDeliveryMode.SEALED: {
        const scopeAnnotation = scopeAnnotations(this.sealingScope);
        const annotations = Object.keys(scopeAnnotation).length > 0 ? scopeAnnotation : undefined;
        this.checkSealing();
        this.sealedSecret = new SealedSecret(scope, 'SealedSecret', {
          metadata: { ...metadata, namespace: this.namespace, annotations },
          spec: {
            encryptedData: Lazy.any({ produce: () => this.encryptedData() }),
            template: { type, metadata: { labels: { ...labels }, annotations } },
          },
        });
        break;
      }
      case SecretDeliveryMode.EXTERNAL:
        this.externalSecret = this.external(metadata);
        break;
      default:
        this.secret = new k8s.KubeSecret(scope, request.plainId, {
          metadata,
          type,
          stringData: Lazy.any({ produce: () => this.request.values() ?? {} }),
        });
    }
  }

  /** Seals the values now (no-op for other modes, or when the entity has findings: its synth fails anyway). */
  public prepare(): void {
    if (this.prepared || this.mode !== SecretDeliveryMode.SEALED) return;
    this.prepared = true;
    if (this.findings.all.length > 0) return;
    const values = this.request.values();
    const sealing = this.request.delivery.sealing;
    const cert = controllerCertificate(`${this.request.field}.sealing`, sealing.certificate, sealing.certificateFile, new Date()).certificate;
    const namespace = this.namespace;
    if (!values || !cert || (namespace === undefined && this.sealingScope !== SealingScope.CLUSTER_WIDE)) return;
    const directory = path.resolve(sealing.storeDirectory ?? DEFAULT_SEALING_DIRECTORY);
    const passphrase = process.env[sealing.passphraseEnvVar ?? DEFAULT_SEALING_PASSPHRASE_ENV_VAR] || undefined;
    try {
      this.sealed = sealedData(new SealingStore(directory, passphrase), {
        identity: `${this.scope.node.path}|${namespace ?? ''}/${this.request.name}`,
        certificate: cert,
        scope: this.sealingScope,
        namespace: namespace ?? '',
        name: this.request.name,
        values,
      });
    } catch (e) {
      const message = e instanceof SealingStoreError ? e.message : 'sealing failed';
      this.findings.add(`${this.request.field}.sealing.storeDirectory`, sealing.storeDirectory ?? DEFAULT_SEALING_DIRECTORY, `a usable sealing store (${message})`);
    }
  }

  private get sealingScope(): SealingScope {
    return this.request.delivery.sealing.scope ?? SealingScope.STRICT;
  }

  /** The namespace the SealedSecret is sealed for: its own, else the chart's. */
  private get namespace(): string | undefined {
    return this.request.namespace ?? Chart.of(this.scope).namespace;
  }

  private encryptedData(): Record<string, string> {
    this.prepare();
    return this.sealed ?? {};
  }

  /** The problems only the Secret shows: no certificate at all, no namespace for a scope that needs one. */
  private checkSealing(): void {
    const { delivery, field } = this.request;
    const sealing = delivery.sealing;
    if (sealing.certificate === undefined && sealing.certificateFile === undefined && !delivery.modeFromDefault) {
      this.findings.add(`${field}.sealing.certificate`, undefined,
        "the sealed-secrets controller's certificate, here or in a SecretDelivery: certificate (PEM text) or certificateFile (kubeseal --fetch-cert > controller.crt)");
    }
    if (this.namespace === undefined && this.sealingScope !== SealingScope.CLUSTER_WIDE) {
      this.findings.add('namespace', undefined,
        `a namespace (the Secret's or the chart's): a SealedSecret of scope ${this.sealingScope} decrypts only in the namespace it was sealed for; or scope SealingScope.CLUSTER_WIDE`);
    }
  }

  private external(metadata: { name: string; namespace?: string; labels: Record<string, string> }): ApiObject {
    const { name, type, labels, keys, delivery, field } = this.request;
    const external = delivery.external;
    if (external.storeName === undefined && !delivery.modeFromDefault) {
      this.findings.add(`${field}.external.storeName`, undefined,
        'the name of the SecretStore or ClusterSecretStore the ExternalSecret reads, here or in a SecretDelivery');
    }
    const mappings = external.keys ?? [];
    mappings.forEach((m, i) => {
      if (typeof m?.secretKey === 'string' && !keys.includes(m.secretKey)) {
        this.findings.add(`${field}.external.keys[${i}].secretKey`, m.secretKey, `one of the Secret's keys (${keys.join(', ') || 'none'})`);
      }
    });
    return new ExternalSecret(this.scope, 'ExternalSecret', {
      metadata,
      spec: {
        refreshInterval: external.refreshInterval ?? '1h',
        secretStoreRef: {
          name: external.storeName ?? '',
          kind: external.storeKind === SecretStoreKind.CLUSTER_SECRET_STORE
            ? ExternalSecretSpecSecretStoreRefKind.CLUSTER_SECRET_STORE : ExternalSecretSpecSecretStoreRefKind.SECRET_STORE,
        },
        target: { name, creationPolicy: ExternalSecretSpecTargetCreationPolicy.OWNER, template: { type, metadata: { labels: { ...labels } } } },
        data: keys.map((key) => {
          const m = mappings.find((x) => x?.secretKey === key);
          return { secretKey: key, remoteRef: { key: m?.remoteKey ?? external.remoteKey ?? name, property: m?.property ?? key } };
        }),
      },
    });
  }
}
