/**
 * The certificate, key and CA of a bundle as files (CertificateBundle.writeFiles): a folder only the
 * user can read, the key file mode 0600, and the `kubectl create secret tls` command that makes the
 * Secret from them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Material } from './store';
import { shellWord } from '../../core/text';
import { CertificateFiles } from '../certificate-types';

/** Writes `material` into `folder` as tls.crt, tls.key and ca.crt. */
export function writeCertificateFiles(folder: string, material: Material, secretName: string, namespace: string | undefined): CertificateFiles {
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  fs.chmodSync(folder, 0o700);
  const certificateFile = path.join(folder, 'tls.crt');
  const keyFile = path.join(folder, 'tls.key');
  const caFile = material.caCertPem ? path.join(folder, 'ca.crt') : undefined;
  writeFileWithMode(certificateFile, material.certPem, 0o644);
  writeFileWithMode(keyFile, material.keyPem, 0o600);
  if (caFile && material.caCertPem) writeFileWithMode(caFile, material.caCertPem, 0o644);
  const createSecretCommand = ['kubectl', ...(namespace ? ['--namespace', namespace] : []), 'create', 'secret', 'tls', secretName,
    `--cert=${shellWord(certificateFile)}`, `--key=${shellWord(keyFile)}`].join(' ');
  return { directory: folder, certificateFile, keyFile, caFile, createSecretCommand };
}

/** Writes `text` to `file` and sets its mode (also when the file existed with another mode). */
function writeFileWithMode(file: string, text: string, mode: number): void {
  fs.writeFileSync(file, text, { mode });
  fs.chmodSync(file, mode);
}
