import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/*
 * What was sealed, kept between synths so that an unchanged value keeps its ciphertext (sealing is
 * randomized; a GitOps diff must not change on every synth).
 *
 * Layout: `<directory>/<slug>-<hash>.json` per sealed Secret (construct path, namespace and name),
 * holding per key the sealed text (public: it is in the manifests) and a digest of what it was sealed
 * from: HMAC-SHA256 over the controller certificate's fingerprint, the scope, the namespace, the
 * name, the key and the value. Never the value itself.
 *
 * The HMAC key is why a low-entropy value (a short password) cannot be guessed from the store by
 * hashing candidates: with the store passphrase set it is derived from the passphrase (scrypt), so
 * the store alone reveals nothing; without one it is a random key in `<directory>/digest.key`
 * (mode 0600), which has to stay out of version control like the certificate store's keys beside it
 * (`.deploykit/` is git-ignored).
 */

/** The default folder, relative to the working directory. @internal */
export const DEFAULT_SEALING_DIRECTORY = path.join('.deploykit', 'sealed');

/** The default variable of the passphrase that keys the digests (the certificate store's). @internal */
export const DEFAULT_SEALING_PASSPHRASE_ENV_VAR = 'DEPLOYKIT_CERT_PASSPHRASE';

/** A stored key: what its ciphertext was sealed from (a digest) and the ciphertext. @internal */
export interface SealedKey {
  readonly digest: string;
  readonly sealed: string;
}

/** A store problem; the message names files, never values. @internal */
export class SealingStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealingStoreError';
  }
}

const FORMAT_VERSION = 1;
const KEY_FILE = 'digest.key';
const SALT = 'cdk8s-deploykit sealed-secret digests v1';
const derivedKeys = new Map<string, Buffer>();

/** Reads and writes sealed records in one folder. @internal */
export class SealingStore {
  private key?: Buffer;

  /**
   * @param directory the folder (relative to the working directory or absolute)
   * @param passphrase keys the digests when set
   */
  constructor(public readonly directory: string, private readonly passphrase: string | undefined) {}

  /** The keyed digest of a value sealed in a context (fingerprint, scope, namespace, name, key). */
  public digest(context: readonly string[], value: string): string {
    return crypto.createHmac('sha256', this.digestKey()).update(JSON.stringify([...context, value])).digest('hex');
  }

  /** The stored keys of one Secret (empty when there is none or it cannot be read). */
  public load(identity: string): Record<string, SealedKey> {
    const file = this.fileOf(identity);
    if (!fs.existsSync(file)) return {};
    try {
      const record = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (record?.version !== FORMAT_VERSION || record.identity !== identity || typeof record.keys !== 'object') return {};
      return record.keys;
    } catch {
      return {}; // A damaged record only costs new ciphertexts.
    }
  }

  /** Replaces the stored keys of one Secret. Throws SealingStoreError. */
  public save(identity: string, keys: Record<string, SealedKey>): void {
    const record = { version: FORMAT_VERSION, identity, keys };
    try {
      fs.mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      writeAtomic(this.fileOf(identity), `${JSON.stringify(record, undefined, 2)}\n`, 0o644);
    } catch (e) {
      throw new SealingStoreError(`cannot write ${this.fileOf(identity)}: ${(e as NodeJS.ErrnoException).code ?? 'write failed'}`);
    }
  }

  private fileOf(identity: string): string {
    const slug = identity.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'secret';
    const hash = crypto.createHash('sha256').update(identity).digest('hex').slice(0, 12);
    return path.join(this.directory, `${slug}-${hash}.json`);
  }

  private digestKey(): Buffer {
    if (this.key) return this.key;
    if (this.passphrase !== undefined) {
      let key = derivedKeys.get(this.passphrase);
      if (!key) {
        key = crypto.scryptSync(this.passphrase, SALT, 32);
        derivedKeys.set(this.passphrase, key);
      }
      return (this.key = key);
    }
    return (this.key = this.randomKey());
  }

  /** The store's random digest key, made on first use (mode 0600; another synth may make it at the same time). */
  private randomKey(): Buffer {
    const file = path.join(this.directory, KEY_FILE);
    try {
      fs.mkdirSync(this.directory, { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, crypto.randomBytes(32).toString('hex'), { flag: 'wx', mode: 0o600 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new SealingStoreError(`cannot create ${file}: ${(e as NodeJS.ErrnoException).code ?? 'write failed'}`);
      }
    }
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8').trim();
    } catch (e) {
      throw new SealingStoreError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'read failed'}`);
    }
    if (!/^[0-9a-f]{64}$/.test(text)) throw new SealingStoreError(`${file} is not a digest key (64 hex digits); delete it to make a new one (every value is sealed anew)`);
    return Buffer.from(text, 'hex');
  }
}

function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.renameSync(tmp, file);
}
