/**
 * NetworkPolicy egress rules of every workload: IP blocks with `except`, ports (and ranges) with
 * protocols, pods and namespaces; DNS to the cluster DNS pods while egress is restricted.
 */
import { Chart, Testing } from 'cdk8s';
import { ContainerImage, DeploymentManifest, NetworkPolicyOptions, Protocol } from '../../src';
import { findObject, synthError, synthManifests } from '../util/manifests';

function policyOf(networkPolicy: NetworkPolicyOptions): { chart: Chart; spec: () => any } {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'shop', disableResourceNameHashes: true });
  new DeploymentManifest(chart, 'api', {
    image: new ContainerImage(chart, 'img', { registry: 'ghcr.io', repository: 'acme/api', tag: '1.0.0' }),
    ports: [{ containerPort: 8080 }],
    networkPolicy,
  });
  return { chart, spec: () => findObject(synthManifests(chart), 'NetworkPolicy', 'api').spec };
}

const KUBE_DNS = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};

describe('NetworkPolicy egress', () => {
  test('unrestricted by default: one rule allowing everything', () => {
    expect(policyOf({}).spec().egress).toEqual([{}]);
  });

  test('egress rules: CIDRs with except, ports with protocols and ranges, pods and namespaces; DNS to kube-dns first', () => {
    const spec = policyOf({
      egressRules: [
        { ipBlocks: [{ cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] }], ports: [{ port: 443 }, { port: 80, protocol: Protocol.TCP }] },
        { ipBlocks: [{ cidr: '2001:db8::/32' }], ports: [{ port: 5000, endPort: 5010, protocol: Protocol.UDP }] },
        { peers: [{ namespaceLabels: { team: 'data' }, podLabels: { app: 'db' } }, { podLabels: { app: 'cache' } }], ports: [{ port: 5432 }] },
        { peers: [{ namespaceLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }] },
      ],
    }).spec();
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    expect(spec.egress).toEqual([
      KUBE_DNS,
      { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '192.168.0.0/16'] } }], ports: [{ port: 443, protocol: 'TCP' }, { port: 80, protocol: 'TCP' }] },
      { to: [{ ipBlock: { cidr: '2001:db8::/32' } }], ports: [{ port: 5000, endPort: 5010, protocol: 'UDP' }] },
      {
        to: [
          { namespaceSelector: { matchLabels: { team: 'data' } }, podSelector: { matchLabels: { app: 'db' } } },
          { podSelector: { matchLabels: { app: 'cache' } } },
        ],
        ports: [{ port: 5432, protocol: 'TCP' }],
      },
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }] },
    ]);
  });

  test('egressTo and egressRules together; an empty list leaves DNS only', () => {
    expect(policyOf({ egressTo: [{ podLabels: { app: 'db' } }], egressRules: [{ ipBlocks: [{ cidr: '203.0.113.7/32' }] }] }).spec().egress).toEqual([
      KUBE_DNS, { to: [{ podSelector: { matchLabels: { app: 'db' } } }] }, { to: [{ ipBlock: { cidr: '203.0.113.7/32' } }] },
    ]);
    expect(policyOf({ egressRules: [] }).spec().egress).toEqual([KUBE_DNS]);
  });

  test('another DNS server, or no DNS at all', () => {
    expect(policyOf({ egressRules: [], dnsServer: { namespaceLabels: { 'kubernetes.io/metadata.name': 'dns' } } }).spec().egress).toEqual([
      { to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'dns' } } }], ports: KUBE_DNS.ports },
    ]);
    expect(policyOf({ egressRules: [], allowDns: false }).spec().egress).toEqual([]);
  });

  test.each([
    ['a CIDR without prefix', { ipBlocks: [{ cidr: '10.0.0.1' }] }, /networkPolicy\.egressRules\[0\]\.ipBlocks\[0\]\.cidr: got "10\.0\.0\.1"; expected an IP address block in CIDR notation/],
    ['a host name as a CIDR', { ipBlocks: [{ cidr: 'api.github.com/32' }] }, /ipBlocks\[0\]\.cidr: got "api\.github\.com\/32"; expected an IP address block in CIDR notation/],
    ['a prefix too long', { ipBlocks: [{ cidr: '10.0.0.0/33' }] }, /ipBlocks\[0\]\.cidr: got "10\.0\.0\.0\/33"; expected an IP address block/],
    ['an except outside the block', { ipBlocks: [{ cidr: '10.0.0.0/16', except: ['10.1.0.0/24'] }] },
      /ipBlocks\[0\]\.except\[0\]: got "10\.1\.0\.0\/24"; expected an address block strictly inside "10\.0\.0\.0\/16"/],
    ['an except equal to the block', { ipBlocks: [{ cidr: '10.0.0.0/16', except: ['10.0.0.0/16'] }] }, /except\[0\]: got "10\.0\.0\.0\/16"; expected an address block strictly inside/],
    ['an IPv6 except in an IPv4 block', { ipBlocks: [{ cidr: '10.0.0.0/8', except: ['2001:db8::/48'] }] }, /except\[0\]: got "2001:db8::\/48"; expected an address block strictly inside "10\.0\.0\.0\/8" \(same address family/],
    ['port 0', { ports: [{ port: 0 }] }, /egressRules\[0\]\.ports\[0\]\.port: got 0; expected an integer from 1 to 65535/],
    ['an endPort below the port', { ports: [{ port: 5000, endPort: 4000 }] }, /egressRules\[0\]\.ports\[0\]\.endPort: got 4000; expected an integer from 5000 to 65535/],
    ['an unknown protocol', { ports: [{ port: 53, protocol: 'ICMP' as Protocol }] }, /egressRules\[0\]\.ports\[0\]\.protocol: got "ICMP"; expected one of TCP, UDP/],
    ['a bad pod label', { peers: [{ podLabels: { app: 'not valid!' } }] }, /egressRules\[0\]\.peers\[0\]\.podLabels\.app: got "not valid!"; expected a label value/],
  ])('refuses %s', (_what, rule, message) => {
    expect(synthError(policyOf({ egressRules: [rule as any] }).chart)).toMatch(message);
  });
});
