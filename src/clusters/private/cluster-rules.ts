import { isIP } from 'net';
import { Rule } from '../../core/findings';
import { parseKubernetesVersion } from '../../core/rules/versions';

/** Rules of a target cluster's attributes (seed 004 Cluster). */

/** The oldest Kubernetes minor version (1.x) the library supports: its objects are checked against 1.28. */
export const MIN_KUBERNETES_MINOR = 28;

const HOST_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * A Kubernetes API server URL: https, a host (DNS name or IP address), an optional port, an optional
 * path (a proxied API server, as Rancher's "https://rancher.example.com/k8s/clusters/c-m-abc12"
 * kubeconfig server), and no user info, query or fragment, such as "https://api.example.com:6443".
 */
export const kubernetesApiUrl: Rule<string> = (value) => {
  const expected = 'a Kubernetes API server URL: https://, a host, an optional port and an optional path (of a proxied API server), '
    + 'no query or fragment, such as "https://api.example.com:6443" or "https://rancher.example.com/k8s/clusters/c-m-abc12"';
  if (/\s/.test(value)) return expected;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return expected;
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const hostOk = isIP(host) !== 0 || (host.length <= 253 && host.split('.').every((label) => label.length <= 63 && HOST_LABEL.test(label)));
  // The authority and an optional path of plain segments: no "?" or "#" even when empty, no "." or ".." segments.
  const bare = /^https:\/\/[^/?#]+(\/[A-Za-z0-9._~%!$&'()*+,;=:@-]*)*$/i.test(value) && !/\/\.\.?(\/|$)/.test(value);
  const portOk = url.port === '' || Number(url.port) >= 1;
  return url.protocol === 'https:' && hostOk && portOk && url.username === '' && url.password === '' && bare ? undefined : expected;
};

/** A kubectl context name: non-empty, without whitespace. */
export const kubectlContext: Rule<string> = (value) =>
  value.length > 0 && !/\s/.test(value)
    ? undefined
    : 'a kubectl context name without whitespace, such as "kind-dev" or "prod-admin@prod" (see `kubectl config get-contexts`)';

/** A display name: 1-253 characters, no control characters, no surrounding whitespace. */
export const displayName: Rule<string> = (value) =>
  value.length > 0 && value.length <= 253 && value.trim() === value && !/[\u0000-\u001f\u007f]/.test(value)
    ? undefined
    : 'a display name of 1-253 characters without surrounding whitespace, such as "Production (eu-west-1)"';

/** A capability name: lowercase letters, digits, "-" and ".", such as "cert-manager" or "prometheus-operator". */
export const capabilityName: Rule<string> = (value) =>
  /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(value)
    ? undefined
    : 'a capability of lowercase letters, digits, "-" and ".", such as "cert-manager", "prometheus-operator" or an API group such as "example.com"';

/** A Kubernetes version the library supports: "v1.28.3", "1.28" or later. */
export const supportedKubernetesVersion: Rule<string> = (value) => {
  const parsed = parseKubernetesVersion(value);
  if (parsed === undefined) return `a Kubernetes version such as "v1.${MIN_KUBERNETES_MINOR}.3" or "1.${MIN_KUBERNETES_MINOR}"`;
  return parsed[0] === 1 && parsed[1] >= MIN_KUBERNETES_MINOR
    ? undefined
    : `a supported Kubernetes version: 1.${MIN_KUBERNETES_MINOR} or later (the objects are checked against the 1.${MIN_KUBERNETES_MINOR} schema)`;
};
