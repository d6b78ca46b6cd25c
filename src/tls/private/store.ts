import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { parsePrivateKey, toPkcs8Pem } from './crypto';

/*
 * The certificate store: generated key material kept on disk between synths, so that the next synth
 * reproduces byte-identical Secrets instead of rotating every key.
 *
 * Layout: `<directory>/<slug>-<hash>/` per bundle identity (construct path + Secret name), holding
 * `bundle.json` (what the material was generated for), `tls.crt`, `tls.key` and, for CA bundles,
 * `ca.crt` and `ca.key`. Keys are PKCS#8 PEM, encrypted with AES-256-CBC (PBES2) when a passphrase is
 * set; key files are mode 0600 and the folders 0700 either way.
 */

/** The default store folder, relative to the current working directory. @internal */
export const DEFAULT_STORE_DIRECTORY = path.join('.deploykit', 'certs');

/** The default environment variable holding the store passphrase. @internal */
export const DEFAULT_PASSPHRASE_ENV_VAR = 'DEPLOYKIT_CERT_PASSPHRASE';

/** What a stored bundle was generated for; a change in any field means new material. @internal */
export interface MaterialSpec {
  readonly certType: string;
  readonly serverName: string;
  readonly sanNames: readonly string[];
  readonly keySize: number;
}

/** Key material of one bundle. Keys are unencrypted PKCS#8 PEM in memory. @internal */
export interface Material {
  readonly certPem: string;
  readonly keyPem: string;
  readonly caCertPem?: string;
  readonly caKeyPem?: string;
}

/** One stored bundle. @internal */
export interface StoredBundle {
  readonly spec: MaterialSpec;
  readonly material: Material;
}

/** A store problem; its message names files and the passphrase variable, never key material. @internal */
export class CertificateStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateStoreError';
  }
}

const FORMAT_VERSION = 1;

/** Reads and writes bundles in one store folder. @internal */
export class CertificateStoreFolder {
  /**
   * @param directory the store folder (relative to the working directory or absolute)
   * @param passphrase encrypts keys on write and decrypts them on read; undefined keeps keys unencrypted
   * @param passphraseEnvVar named in error messages
   */
  constructor(
    public readonly directory: string,
    private readonly passphrase: string | undefined,
    private readonly passphraseEnvVar: string,
  ) {}

  /** The folder of one bundle identity. */
  public folderOf(identity: string): string {
    const slug = identity.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'bundle';
    const hash = crypto.createHash('sha256').update(identity).digest('hex').slice(0, 12);
    return path.join(this.directory, `${slug}-${hash}`);
  }

  /** The stored bundle, or undefined when there is none (or it is incomplete). Throws CertificateStoreError. */
  public load(identity: string): StoredBundle | undefined {
    const folder = this.folderOf(identity);
    const metaFile = path.join(folder, 'bundle.json');
    if (!fs.existsSync(metaFile)) return undefined;
    let meta: any;
    try {
      meta = JSON.parse(fs.readFileSync(metaFile, 'utf8'));
    } catch {
      throw new CertificateStoreError(`${metaFile} is not valid JSON; delete the folder to regenerate`);
    }
    if (meta.version !== FORMAT_VERSION || meta.identity !== identity || !meta.spec) return undefined;
    const read = (file: string) => {
      const p = path.join(folder, file);
      return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined;
    };
    const certPem = read('tls.crt');
    const keyText = read('tls.key');
    if (certPem === undefined || keyText === undefined) return undefined;
    const caCertPem = read('ca.crt');
    const caKeyText = read('ca.key');
    return {
      spec: meta.spec,
      material: {
        certPem,
        keyPem: this.decrypt(keyText, path.join(folder, 'tls.key')),
        caCertPem,
        caKeyPem: caKeyText === undefined ? undefined : this.decrypt(caKeyText, path.join(folder, 'ca.key')),
      },
    };
  }

  /** Writes (replaces) a bundle. Key files get mode 0600. */
  public save(identity: string, spec: MaterialSpec, material: Material): void {
    const folder = this.folderOf(identity);
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
    writeAtomic(path.join(folder, 'tls.crt'), material.certPem, 0o644);
    writeAtomic(path.join(folder, 'tls.key'), this.encrypt(material.keyPem), 0o600);
    for (const file of ['ca.crt', 'ca.key']) fs.rmSync(path.join(folder, file), { force: true });
    if (material.caCertPem) writeAtomic(path.join(folder, 'ca.crt'), material.caCertPem, 0o644);
    if (material.caKeyPem) writeAtomic(path.join(folder, 'ca.key'), this.encrypt(material.caKeyPem), 0o600);
    const meta = { version: FORMAT_VERSION, identity, encrypted: this.passphrase !== undefined, spec };
    // Written last: a bundle without bundle.json is treated as absent.
    writeAtomic(path.join(folder, 'bundle.json'), `${JSON.stringify(meta, undefined, 2)}\n`, 0o644);
  }

  private encrypt(keyPem: string): string {
    const key = crypto.createPrivateKey(keyPem);
    if (this.passphrase === undefined) return toPkcs8Pem(key);
    return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: this.passphrase }).toString();
  }

  private decrypt(text: string, file: string): string {
    const encrypted = text.includes('ENCRYPTED PRIVATE KEY');
    if (encrypted && this.passphrase === undefined) {
      throw new CertificateStoreError(
        `${file} is encrypted but $${this.passphraseEnvVar} is not set; set it to the passphrase the store was written with`);
    }
    try {
      return toPkcs8Pem(parsePrivateKey(text, encrypted ? this.passphrase : undefined));
    } catch {
      throw new CertificateStoreError(encrypted
        ? `${file} cannot be decrypted with the passphrase in $${this.passphraseEnvVar} (wrong passphrase?); set the passphrase the store was written with, or delete the folder to regenerate`
        : `${file} is not a readable private key; delete the folder to regenerate`);
    }
  }
}

function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.chmodSync(tmp, mode);
  fs.renameSync(tmp, file);
}
