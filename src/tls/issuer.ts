/*
 * A small typed wrapper for cert-manager's Issuer (cert-manager.io/v1), covering the two issuer kinds
 * CertificateBundle uses: `selfSigned` and `ca`.
 *
 * The Certificate type in src/imports/ is generated from the vendored CRD (shipped in crds/):
 *
 *     npx cdk8s import certificates:=crds/cert-manager.io_certificates.yaml --output src/imports --no-check-upgrade
 *
 * The same command for Issuer (`issuers:=crds/cert-manager.io_issuers.yaml`) generates ~400 KB of
 * types (ACME solvers, Vault, Venafi, ...), so Issuer is written by hand here instead. The tests check its
 * output against the Issuer CRD schema.
 */
import { ApiObject, ApiObjectMetadata, GroupVersionKind } from 'cdk8s';
import { Construct } from 'constructs';

/** `spec.ca`: signs with the CA key pair in a Secret of the Issuer's namespace. @internal */
export interface IssuerCaSpec {
  /** Secret holding `tls.crt` and `tls.key` of the CA. */
  readonly secretName: string;
}

/** `spec` of an Issuer: exactly one of the fields. @internal */
export interface IssuerSpec {
  /** Self-signs every certificate (used to bootstrap a root CA). */
  readonly selfSigned?: Record<string, never>;
  /** Signs with a CA kept in a Secret. */
  readonly ca?: IssuerCaSpec;
}

/** Props of an Issuer. @internal */
export interface IssuerProps {
  readonly metadata: ApiObjectMetadata;
  readonly spec: IssuerSpec;
}

/** A cert-manager.io/v1 Issuer. @internal */
export class Issuer extends ApiObject {
  /** apiVersion and kind of an Issuer. */
  public static readonly GVK: GroupVersionKind = { apiVersion: 'cert-manager.io/v1', kind: 'Issuer' };

  constructor(scope: Construct, id: string, props: IssuerProps) {
    super(scope, id, { ...Issuer.GVK, metadata: props.metadata, spec: props.spec });
  }
}
