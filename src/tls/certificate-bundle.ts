import * as path from 'path';
import { ApiObject, Chart, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct, Node } from 'constructs';
import { CertificateBundleProps } from './certificate-bundle-props';
import { CertificateFiles, CertificateProvider, CertificateType, ICertificateClock } from './certificate-types';
import { certManagerNames, emitCertManagerResources } from './private/cert-manager';
import { writeCertificateFiles } from './private/certificate-files';
import { rsaKeySize, subjectAltName, validityDays } from './private/certificate-rules';
import { generateRsaKey, generateRsaKeySync } from './private/crypto';
import { checkCustomMaterial } from './private/custom-material';
import { GenerationRequest, MaterialPlan, planMaterial, produceMaterial } from './private/generated-material';
import {
  CertificateStoreError,
  CertificateStoreFolder,
  DEFAULT_PASSPHRASE_ENV_VAR,
  DEFAULT_STORE_DIRECTORY,
  Material,
} from './private/store';
import { Environment } from '../core/environment';
import { Findings } from '../core/findings';
import { derivedLabelExpected, labelProblems } from '../core/labels';
import { includesName, dns1123Label, dns1123Subdomain, dnsHostName, labelValue } from '../core/rules/names';
import { integerBetween } from '../core/rules/numbers';
import { checkArgs, checkArgsOrThrow, checkProps } from '../core/validation';
import { addWarning } from '../core/warnings';
import { SecretDeliveryMode } from '../delivery/delivery-types';
import { resolveDelivery } from '../delivery/secret-delivery';
import { DeliveredSecret } from '../delivery/secret-objects';
import { volumeNameForObject } from '../pod/volumes';
import { WorkloadVolume } from '../pod/workload-volume';

const SYSTEM_CLOCK: ICertificateClock = { now: () => new Date() };

/**
 * A TLS certificate and key for one server: custom (supplied), self-signed or signed by a generated
 * root CA, delivered as a `kubernetes.io/tls` Secret (`tls.crt`, `tls.key`, `ca.crt`); or, with
 * `CertificateProvider.CERT_MANAGER`, as cert-manager Issuer and Certificate resources.
 *
 * Generated material is kept in the certificate store (private keys encrypted with the store
 * passphrase), so every synth emits the same Secret until names, key size or type change or the
 * certificate comes within the renewal window of its expiry.
 *
 * Keys are generated on first need (`certificatePem`, validation or synth), one after another. To
 * generate the keys of many bundles concurrently, `await CertificateBundle.prepareAll(app)` before
 * `app.synth()`.
 *
 * @example
 * import { App, Chart } from 'cdk8s';
 * import { CertificateBundle, CertificateType, Environment, IngressConfiguration, ServiceConfiguration } from 'cdk8s-deploykit';
 *
 * const app = new App();
 * const chart = new Chart(app, 'shop', { namespace: 'shop' });
 *
 * // A root CA and a server certificate, generated at the first synth and kept in .deploykit/certs
 * // (in production the keys are encrypted with DEPLOYKIT_CERT_PASSPHRASE, which must be set).
 * const tls = new CertificateBundle(chart, 'shop', {
 *   serverName: 'shop.example.com',
 *   certType: CertificateType.AUTO_GENERATED_CA,
 *   environment: Environment.DEVELOPMENT,
 * });
 * const web = new ServiceConfiguration(chart, 'web', {
 *   serviceName: 'web',
 *   selectorLabels: { app: 'web' },
 *   ports: [{ name: 'http', port: 80, targetPort: 8080 }],
 * });
 * new IngressConfiguration(chart, 'ingress', {
 *   name: 'shop',
 *   hostname: 'shop.example.com',
 *   pathPrefixes: [{ pathPrefix: '/', service: web }],
 *   tlsConfiguration: { secretName: tls.secretName },
 * });
 * // With many bundles, `await CertificateBundle.prepareAll(app)` first generates their keys concurrently.
 * app.synth();
 */
export class CertificateBundle extends Construct {
  /**
   * Generates the missing key material of every bundle under `scope` concurrently (on the libuv
   * thread pool, sized by UV_THREADPOOL_SIZE) and writes it to the store. Bundles with valid stored
   * material, custom bundles and cert-manager bundles need nothing. Call it before `app.synth()`.
   */
  public static async prepareAll(scope: IConstruct): Promise<void> {
    checkArgsOrThrow('CertificateBundle', 'static prepareAll', [scope]);
    const bundles = Node.of(scope).findAll().filter((c): c is CertificateBundle => c instanceof CertificateBundle);
    await Promise.all(bundles.map(async (bundle) => {
      const plan = bundle.plan();
      if (!plan || plan.keysNeeded === 0) return bundle.resolve();
      let keys: string[];
      try {
        keys = await Promise.all(Array.from({ length: plan.keysNeeded }, () => generateRsaKey(bundle.keySize)));
      } catch {
        return bundle.resolve();
      }
      return bundle.resolve(keys);
    }));
  }

  /** Name of the `kubernetes.io/tls` Secret (with cert-manager: the Secret cert-manager writes). */
  public readonly secretName: string;
  /** Name of the ConfigMap holding the CA as `ca.crt`, when the bundle has a CA and makes its Secret. */
  public readonly caConfigMapName?: string;
  /** The server name (certificate subject CN). */
  public readonly serverName: string;
  /** The subject alternative names. */
  public readonly sanNames: string[];
  /** Where the certificate comes from. */
  public readonly certType: CertificateType;
  /** Who produces generated key material. */
  public readonly provider: CertificateProvider;
  /**
   * How the TLS Secret is delivered (undefined with cert-manager, which writes it in the cluster).
   */
  public readonly deliveryMode?: SecretDeliveryMode;
  /** The plain `kubernetes.io/tls` Secret, when the library writes it (generated at synth, or custom) as SecretDeliveryMode.PLAIN. */
  public readonly secret?: k8s.KubeSecret;
  /** The SealedSecret of the key pair, with SecretDeliveryMode.SEALED. */
  public readonly sealedSecret?: ApiObject;
  /** The ExternalSecret that reads the key pair from a secret store, with SecretDeliveryMode.EXTERNAL. */
  public readonly externalSecret?: ApiObject;
  /** The ConfigMap publishing the CA certificate to clients, when there is a CA. */
  public readonly caConfigMap?: k8s.KubeConfigMap;
  /** The cert-manager Certificate, when cert-manager issues the bundle (it writes the Secret in the cluster). */
  public readonly certManagerCertificate?: ApiObject;

  private readonly findings: Findings;
  private readonly namespace?: string;
  private readonly keySize: number;
  private readonly request?: GenerationRequest;
  private readonly folder?: CertificateStoreFolder;
  private readonly identity: string;
  private material?: Material;
  private planned?: MaterialPlan;
  private resolved = false;
  private delivered?: DeliveredSecret;

  constructor(scope: Construct, id: string, props: CertificateBundleProps) {
    super(scope, id);
    // Generated material is resolved before the findings are reported, so store problems are reported too.
    Node.of(this).addValidation({ validate: () => { this.resolve(); this.delivered?.prepare(); return []; } });
    const findings = Findings.attach(this);
    props = checkProps(findings, 'CertificateBundleProps', props);
    this.findings = findings;

    this.serverName = props.serverName;
    this.sanNames = props.sanNames ?? (props.serverName === undefined ? [] : [props.serverName]);
    this.certType = props.certType;
    this.provider = props.provider ?? CertificateProvider.GENERATED_AT_SYNTH;
    this.keySize = props.keySize ?? 2048;
    this.namespace = props.namespace;
    this.secretName = props.name ?? `${id.toLowerCase()}-tls`;
    const validity = props.validityDays ?? 365;
    const store = props.store ?? {};
    const clock = store.clock ?? SYSTEM_CLOCK;
    const windowDays = store.renewalWindowDays ?? 30;
    const envVar = store.passphraseEnvVar ?? DEFAULT_PASSPHRASE_ENV_VAR;
    const passphrase = process.env[envVar] || undefined;
    const environment = props.environment ?? Environment.PRODUCTION;
    const isCustom = this.certType === CertificateType.CUSTOM;
    const certManager = this.provider === CertificateProvider.CERT_MANAGER;
    this.identity = `${Node.of(this).path}|${this.secretName}`;

    findings.check('serverName', props.serverName, dnsHostName);
    for (const [i, san] of this.sanNames.entries()) findings.check(`sanNames[${i}]`, san, subjectAltName);
    if (props.serverName !== undefined) findings.check('sanNames', this.sanNames, includesName(props.serverName));
    findings.check('validityDays', props.validityDays, validityDays);
    findings.check('keySize', props.keySize, rsaKeySize);
    if (findings.check('name', this.secretName, dns1123Subdomain) && labelValue(this.secretName) !== undefined) {
      findings.add('name', this.secretName, derivedLabelExpected(this.secretName).replace('; or set appName to a shorter label value', ''));
    }
    findings.check('namespace', props.namespace, dns1123Label);
    findings.check('store.renewalWindowDays', store.renewalWindowDays, integerBetween(0, Math.max(0, validity - 1)));
    for (const [field, value, expected] of labelProblems('labels', props.labels)) findings.add(field, value, expected);
    if (!isCustom) {
      if (props.serverCert !== undefined) findings.add('serverCert', '(a certificate)', `nothing: certType ${this.certType} generates the certificate (use CertificateType.CUSTOM to supply one)`);
      if (props.serverKey !== undefined) findings.addRedacted('serverKey', `nothing: certType ${this.certType} generates the key (use CertificateType.CUSTOM to supply one)`);
      if (props.rootCa !== undefined) findings.add('rootCa', '(a certificate)', `nothing: certType ${this.certType} generates the CA`);
    }
    if (isCustom && certManager) {
      findings.add('provider', this.provider, 'CertificateProvider.GENERATED_AT_SYNTH for a custom bundle (cert-manager issues generated certificates only)');
    }
    // Without a valid certType (reported by the check layer) there is nothing to issue or generate.
    if (this.certType === undefined || this.serverName === undefined) return;

    const labels: Record<string, string> = {
      'app.kubernetes.io/name': this.secretName.slice(0, 63),
      'app.kubernetes.io/component': 'tls',
      'app.kubernetes.io/managed-by': 'cdk8s-deploykit',
      ...props.labels,
    };

    if (certManager && props.delivery !== undefined) {
      addWarning(this, 'delivery is not used with CertificateProvider.CERT_MANAGER: cert-manager writes the TLS Secret in the cluster, no key material is in the manifests');
    }
    if (certManager && !isCustom) {
      for (const name of certManagerNames(this.secretName, this.certType)) findings.check('name', name, dns1123Subdomain);
      this.certManagerCertificate = emitCertManagerResources(this, {
        name: this.secretName,
        namespace: props.namespace,
        certType: this.certType,
        serverName: this.serverName,
        sanNames: this.sanNames,
        keySize: this.keySize,
        validityDays: validity,
        renewalWindowDays: windowDays,
        labels,
      });
      return;
    }

    if (isCustom) {
      const result = checkCustomMaterial(findings, {
        serverName: props.serverName,
        sanNames: props.sanNames,
        serverCert: props.serverCert,
        serverKey: props.serverKey,
        rootCa: props.rootCa,
        now: clock.now(),
        warnDays: windowDays,
        passphrase,
        passphraseEnvVar: envVar,
      });
      result.warnings.forEach((w) => addWarning(this, w));
      this.material = result.material;
      this.resolved = true;
    } else {
      if (passphrase === undefined && environment === Environment.PRODUCTION) {
        findings.add('store.passphraseEnvVar', `$${envVar} unset`,
          `a passphrase in $${envVar}: production keeps generated private keys only encrypted (or use CertificateProvider.CERT_MANAGER)`);
      } else if (passphrase === undefined) {
        addWarning(this, `$${envVar} is not set: generated private keys are stored unencrypted (file mode 0600) in ${store.directory ?? DEFAULT_STORE_DIRECTORY}`);
      }
      this.folder = new CertificateStoreFolder(path.resolve(store.directory ?? DEFAULT_STORE_DIRECTORY), passphrase, envVar);
      this.request = {
        spec: { certType: this.certType, serverName: this.serverName, sanNames: this.sanNames, keySize: this.keySize },
        validityDays: validity,
        renewalWindowDays: windowDays,
        now: clock.now(),
        caCommonName: `${this.serverName} root CA`,
      };
    }

    const hasCa = this.certType === CertificateType.AUTO_GENERATED_CA || props.rootCa !== undefined;
    this.delivered = new DeliveredSecret(this, findings, {
      plainId: 'Secret',
      name: this.secretName,
      namespace: props.namespace,
      type: 'kubernetes.io/tls',
      labels,
      keys: hasCa ? ['tls.crt', 'tls.key', 'ca.crt'] : ['tls.crt', 'tls.key'],
      values: () => (this.resolve() ? this.secretData() : undefined),
      delivery: resolveDelivery(this, findings, 'delivery', props.delivery),
      field: 'delivery',
    });
    this.deliveryMode = this.delivered.mode;
    this.secret = this.delivered.secret;
    this.sealedSecret = this.delivered.sealedSecret;
    this.externalSecret = this.delivered.externalSecret;
    if (hasCa) {
      this.caConfigMapName = `${this.secretName}-ca`;
      findings.check('name', this.caConfigMapName, dns1123Subdomain);
      this.caConfigMap = new k8s.KubeConfigMap(this, 'CaConfigMap', {
        metadata: { name: this.caConfigMapName, namespace: props.namespace, labels },
        data: Lazy.any({ produce: () => ({ 'ca.crt': this.resolve()?.caCertPem ?? '' }) }),
      });
    }
  }

  /** The server certificate (PEM, public part only); generates it on first use when needed. */
  public get certificatePem(): string {
    return this.requireMaterial('certificatePem').certPem;
  }

  /** The CA certificate (PEM), when the bundle has a CA. */
  public get caCertificatePem(): string | undefined {
    return this.requireMaterial('caCertificatePem').caCertPem;
  }

  /** A read-only volume of the TLS Secret (`tls.crt`, `tls.key`, `ca.crt`) at `mountPath`. */
  public volume(mountPath: string): WorkloadVolume {
    [mountPath] = checkArgs(this.findings, 'CertificateBundle', 'volume', [mountPath]) as [string];
    const name = volumeNameForObject(this.secretName);
    return { name, mountPath, readOnly: true, secretName: this.secretName };
  }

  /**
   * Writes the certificate, key and CA as PEM files into `<directory>/<secretName>/`: `tls.crt`,
   * `tls.key` (unencrypted, file mode 0600, folder 0700) and `ca.crt` when the bundle has a CA.
   * `writeFiles('<folder>/secrets')` puts them where a `ComposeFile` written to `<folder>` reads the
   * bundle's Secret: as read-only compose secrets. `createSecretCommand` makes the Kubernetes Secret
   * from them (print it in a chart's NOTES with the `HelmChart` prop `notes`).
   * Keep the folder out of version control: the default is inside `.deploykit/`, which the project's
   * .gitignore covers. Throws for a cert-manager bundle (its key exists only in the cluster) and when
   * the material cannot be made (the bundle's findings say why).
   * @param directory the parent folder (default ".deploykit/tls")
   */
  public writeFiles(directory?: string): CertificateFiles {
    const material = this.requireMaterial('writeFiles()');
    const folder = path.join(directory ?? path.join('.deploykit', 'tls'), this.secretName);
    return writeCertificateFiles(folder, material, this.secretName, this.namespace ?? Chart.of(this).namespace);
  }

  private requireMaterial(what: string): Material {
    if (this.provider === CertificateProvider.CERT_MANAGER) {
      throw new Error(`${Node.of(this).path}: ${what} is not known at synth with CertificateProvider.CERT_MANAGER; cert-manager writes it to Secret "${this.secretName}" in the cluster`);
    }
    const material = this.resolve();
    if (!material) {
      throw new Error(`${Node.of(this).path}: ${what} is not available:\n${this.findings.messages().join('\n')}`);
    }
    return material;
  }

  private secretData(): Record<string, string> {
    const material = this.resolve();
    if (!material) return {};
    const data: Record<string, string> = { 'tls.crt': material.certPem, 'tls.key': material.keyPem };
    if (material.caCertPem) data['ca.crt'] = material.caCertPem;
    return data;
  }

  /** The store decision, once; undefined when nothing is to be generated or the props are broken. */
  private plan(): MaterialPlan | undefined {
    if (this.resolved || !this.request || !this.folder || this.findings.all.length > 0) return undefined;
    if (!this.planned) {
      try {
        this.planned = planMaterial(this.request, this.folder.load(this.identity));
      } catch (e) {
        this.fail(e);
        return undefined;
      }
    }
    return this.planned;
  }

  /** The material: custom, stored or newly generated (from `keys`, else synchronously). */
  private resolve(keys?: string[]): Material | undefined {
    if (this.resolved) return this.material;
    const plan = this.plan();
    this.resolved = true;
    if (!plan || !this.request || !this.folder) return undefined;
    try {
      const fresh = keys ?? Array.from({ length: plan.keysNeeded }, () => generateRsaKeySync(this.keySize));
      this.material = produceMaterial(this.request, plan, fresh);
      if (!plan.reuse) this.folder.save(this.identity, this.request.spec, this.material);
    } catch (e) {
      this.fail(e);
    }
    return this.material;
  }

  private fail(e: unknown): void {
    const message = e instanceof CertificateStoreError ? e.message : String((e as Error)?.message ?? e);
    // A message must never carry key material, whatever threw it.
    this.findings.addRedacted('store', /PRIVATE KEY|-----BEGIN/.test(message) ? 'a usable certificate store' : `a usable certificate store: ${message}`);
  }
}
