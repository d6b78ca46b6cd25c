/**
 * The NetworkPolicy evaluator, one semantic rule per test, from the cases of the Kubernetes
 * documentation (concepts/services-networking/network-policies): default deny and allow each way,
 * allow from a namespace, podSelector AND namespaceSelector in one peer versus two peers, named
 * ports, endPort, ipBlock except, policyTypes defaulting. Each asserts allowed or blocked.
 */
import { Connection, evaluateConnection, ManifestSet, PodPeer, policyTypes } from '../../src/manifests';

/** A pod in `namespace` with `labels`, serving `ports` (name → number, TCP unless given). */
type Port = { name?: string; containerPort: number; protocol?: string };
const pod = (name: string, namespace: string, labels: Record<string, string>, ports: Port[] = []) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27.0', ports }] },
});
const policy = (name: string, namespace: string, spec: any) => ({
  apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec,
});
const namespaceObject = (name: string, labels: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

const DB = pod('db', 'default', { role: 'db' }, [{ name: 'redis', containerPort: 6379 }]);
const FRONTEND = pod('frontend', 'default', { role: 'frontend' });
const OTHER = pod('other', 'default', { role: 'other' });

/** The pods of an object as the evaluator sees them. */
function peerOf(obj: any): PodPeer {
  const ports = (obj.spec.containers[0].ports ?? []).map((p: any) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? 'TCP' }));
  return { namespace: obj.metadata.namespace, labels: obj.metadata.labels, ports };
}

/** "allowed", or what blocks it: "egress by a, ingress by b". */
function verdict(objects: any[], from: any, to: any, port: number, protocol = 'TCP'): string {
  const connection: Connection = { source: peerOf(from), destination: peerOf(to), port, protocol };
  return describe_(evaluateConnection(new ManifestSet([...objects, from, to]), connection));
}

function toAddresses(objects: any[], from: any, cidr: string, port: number, except: string[] = []): string {
  return describe_(evaluateConnection(new ManifestSet([...objects, from]), { source: peerOf(from), addresses: { cidr, except }, port, protocol: 'TCP' }));
}

function describe_(v: { egressBlockedBy: any[]; ingressBlockedBy: any[] }): string {
  const parts = [
    ...(v.egressBlockedBy.length ? [`egress by ${v.egressBlockedBy.map((p) => p.name).join(', ')}`] : []),
    ...(v.ingressBlockedBy.length ? [`ingress by ${v.ingressBlockedBy.map((p) => p.name).join(', ')}`] : []),
  ];
  return parts.length ? parts.join(', ') : 'allowed';
}

describe('isolation', () => {
  test('without a policy selecting a pod, everything reaches it and it reaches everything', () => {
    expect(verdict([], FRONTEND, DB, 6379)).toBe('allowed');
  });

  test('default deny all ingress: podSelector {} with policyTypes [Ingress] blocks every source, and not egress', () => {
    const deny = policy('default-deny-ingress', 'default', { podSelector: {}, policyTypes: ['Ingress'] });
    expect(verdict([deny], FRONTEND, DB, 6379)).toBe('ingress by default-deny-ingress');
    // The source is selected too, but only for ingress: its egress stays open.
    expect(verdict([deny], FRONTEND, pod('web', 'shop', { app: 'web' }), 80)).toBe('allowed');
  });

  test('allow all ingress: ingress: [{}] admits every source on every port', () => {
    const allow = policy('allow-all-ingress', 'default', { podSelector: {}, ingress: [{}], policyTypes: ['Ingress'] });
    expect(verdict([allow], OTHER, DB, 6379)).toBe('allowed');
    expect(verdict([allow], pod('x', 'elsewhere', {}), DB, 1234)).toBe('allowed');
  });

  test('default deny all egress: policyTypes [Egress] without rules blocks every destination', () => {
    const deny = policy('default-deny-egress', 'default', { podSelector: {}, policyTypes: ['Egress'] });
    expect(verdict([deny], FRONTEND, DB, 6379)).toBe('egress by default-deny-egress');
    expect(toAddresses([deny], FRONTEND, '203.0.113.0/24', 443)).toBe('egress by default-deny-egress');
  });

  test('allow all egress: egress: [{}] reaches every destination', () => {
    const allow = policy('allow-all-egress', 'default', { podSelector: {}, egress: [{}], policyTypes: ['Egress'] });
    expect(verdict([allow], FRONTEND, DB, 6379)).toBe('allowed');
    expect(toAddresses([allow], FRONTEND, '0.0.0.0/0', 443)).toBe('allowed');
  });

  test('policies add up: a pod isolated by a deny-all is reached through any other policy that admits the source', () => {
    const deny = policy('deny', 'default', { podSelector: {}, policyTypes: ['Ingress'] });
    const allow = policy('allow-frontend', 'default', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }] });
    expect(verdict([deny, allow], FRONTEND, DB, 6379)).toBe('allowed');
    expect(verdict([deny, allow], OTHER, DB, 6379)).toBe('ingress by deny, allow-frontend');
  });

  test('a connection needs the egress of the source and the ingress of the destination', () => {
    const egress = policy('frontend-egress', 'default', { podSelector: { matchLabels: { role: 'frontend' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { role: 'db' } } }] }] });
    const ingress = policy('db-ingress', 'default', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'other' } } }] }] });
    expect(verdict([egress], FRONTEND, DB, 6379)).toBe('allowed');
    expect(verdict([egress, ingress], FRONTEND, DB, 6379)).toBe('ingress by db-ingress');
    expect(verdict([egress], FRONTEND, OTHER, 80)).toBe('egress by frontend-egress');
  });
});

describe('policyTypes defaulting', () => {
  test('unset policyTypes: Ingress always, Egress only with egress rules', () => {
    expect(policyTypes(policy('a', 'default', { podSelector: {} }))).toEqual({ ingress: true, egress: false });
    expect(policyTypes(policy('b', 'default', { podSelector: {}, egress: [{}] }))).toEqual({ ingress: true, egress: true });
    expect(policyTypes(policy('c', 'default', { podSelector: {}, egress: [] }))).toEqual({ ingress: true, egress: false });
    expect(policyTypes(policy('d', 'default', { podSelector: {}, policyTypes: ['Egress'] }))).toEqual({ ingress: false, egress: true });
  });

  test('a policy without policyTypes and without ingress rules denies ingress; it leaves egress open', () => {
    const implicit = policy('implicit', 'default', { podSelector: { matchLabels: { role: 'db' } } });
    expect(verdict([implicit], FRONTEND, DB, 6379)).toBe('ingress by implicit');
    const fromDb = policy('from-db', 'default', { podSelector: { matchLabels: { role: 'db' } } });
    expect(verdict([fromDb], DB, FRONTEND, 80)).toBe('allowed');
  });

  test('egress rules under policyTypes [Ingress] isolate nothing for egress', () => {
    const ingressOnly = policy('ingress-only', 'default', {
      podSelector: { matchLabels: { role: 'frontend' } }, policyTypes: ['Ingress'], ingress: [{}], egress: [{ to: [{ podSelector: { matchLabels: { role: 'nothing' } } }] }],
    });
    expect(verdict([ingressOnly], FRONTEND, DB, 6379)).toBe('allowed');
  });
});

describe('peers', () => {
  test('empty or missing from: every source; no ingress rules: none', () => {
    const emptyFrom = policy('empty-from', 'default', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [], ports: [{ port: 6379 }] }] });
    const missingFrom = policy('missing-from', 'default', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ ports: [{ port: 6379 }] }] });
    const noRules = policy('no-rules', 'default', { podSelector: { matchLabels: { role: 'db' } }, ingress: [] });
    expect(verdict([emptyFrom], pod('x', 'elsewhere', {}), DB, 6379)).toBe('allowed');
    expect(verdict([missingFrom], pod('x', 'elsewhere', {}), DB, 6379)).toBe('allowed');
    expect(verdict([noRules], FRONTEND, DB, 6379)).toBe('ingress by no-rules');
  });

  test('podSelector alone admits pods of the policy\'s own namespace only', () => {
    const fromFrontend = policy('db', 'default', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { role: 'frontend' } } }] }] });
    expect(verdict([fromFrontend], FRONTEND, DB, 6379)).toBe('allowed');
    expect(verdict([fromFrontend], pod('frontend', 'shop', { role: 'frontend' }), DB, 6379)).toBe('ingress by db');
    expect(verdict([fromFrontend], OTHER, DB, 6379)).toBe('ingress by db');
  });

  test('allow from a namespace: namespaceSelector matches the namespace\'s labels, and kubernetes.io/metadata.name of any namespace', () => {
    const fromProject = policy('db', 'default', {
      podSelector: { matchLabels: { role: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { project: 'myproject' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ops' } } }] }],
    });
    const client = pod('client', 'myproject', { app: 'anything' });
    expect(verdict([fromProject, namespaceObject('myproject', { project: 'myproject' })], client, DB, 6379)).toBe('allowed');
    // The Namespace among the objects has its labels, and no other: a namespace without project=myproject is not admitted.
    expect(verdict([fromProject, namespaceObject('myproject', { team: 'a' })], client, DB, 6379)).toBe('ingress by db');
    expect(verdict([fromProject], pod('tool', 'ops', {}), DB, 6379)).toBe('allowed');
  });

  test('a namespace outside the objects: only kubernetes.io/metadata.name is known, a requirement on another label may hold', () => {
    const fromProject = policy('db', 'default', {
      podSelector: { matchLabels: { role: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { project: 'myproject' } } }] }],
    });
    // Whoever installed namespace myproject may have labeled it project=myproject: the objects cannot tell.
    expect(verdict([fromProject], pod('client', 'myproject', { app: 'anything' }), DB, 6379)).toBe('allowed');
    // The name is known, so a selector that names another namespace surely does not select this one.
    const named = (matchLabels: any, matchExpressions?: any[]) => policy('db', 'default', {
      podSelector: { matchLabels: { role: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels, ...(matchExpressions ? { matchExpressions } : {}) } }] }],
    });
    expect(verdict([named({ 'kubernetes.io/metadata.name': 'ops', 'project': 'myproject' })], pod('client', 'myproject', {}), DB, 6379)).toBe('ingress by db');
    expect(verdict([named({}, [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['myproject'] }, { key: 'team', operator: 'Exists' }])],
      pod('client', 'myproject', {}), DB, 6379)).toBe('ingress by db');
    expect(verdict([named({ 'kubernetes.io/metadata.name': 'myproject', 'team': 'a' })], pod('client', 'myproject', {}), DB, 6379)).toBe('allowed');
  });

  test('podSelector AND namespaceSelector in one peer: pods with those labels in those namespaces', () => {
    const and = policy('and', 'default', {
      podSelector: { matchLabels: { role: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { user: 'alice' } }, podSelector: { matchLabels: { role: 'client' } } }] }],
    });
    const alice = namespaceObject('alice', { user: 'alice' });
    expect(verdict([and, alice], pod('c', 'alice', { role: 'client' }), DB, 6379)).toBe('allowed');
    expect(verdict([and, alice], pod('s', 'alice', { role: 'server' }), DB, 6379)).toBe('ingress by and');
    expect(verdict([and, alice, namespaceObject('default', {})], pod('c', 'default', { role: 'client' }), DB, 6379)).toBe('ingress by and');
  });

  test('podSelector OR namespaceSelector as two peers: either admits', () => {
    const or = policy('or', 'default', {
      podSelector: { matchLabels: { role: 'db' } },
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { user: 'alice' } } }, { podSelector: { matchLabels: { role: 'client' } } }] }],
    });
    const alice = namespaceObject('alice', { user: 'alice' });
    expect(verdict([or, alice], pod('s', 'alice', { role: 'server' }), DB, 6379)).toBe('allowed');
    expect(verdict([or, alice], pod('c', 'default', { role: 'client' }), DB, 6379)).toBe('allowed');
    expect(verdict([or, alice, namespaceObject('bob', {})], pod('c', 'bob', { role: 'client' }), DB, 6379)).toBe('ingress by or');
  });

  test('matchExpressions select too', () => {
    const expr = policy('expr', 'default', {
      podSelector: { matchExpressions: [{ key: 'role', operator: 'In', values: ['db', 'cache'] }] },
      ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: 'role', operator: 'NotIn', values: ['other'] }] } }] }],
    });
    expect(verdict([expr], FRONTEND, DB, 6379)).toBe('allowed');
    expect(verdict([expr], OTHER, DB, 6379)).toBe('ingress by expr');
  });
});

describe('ports', () => {
  const onPorts = (ports: any[]) => policy('ports', 'default', { podSelector: { matchLabels: { role: 'db' } }, ingress: [{ ports }] });

  test('a port number with its protocol, TCP by default', () => {
    expect(verdict([onPorts([{ port: 6379 }])], FRONTEND, DB, 6379)).toBe('allowed');
    expect(verdict([onPorts([{ port: 6379 }])], FRONTEND, DB, 6380)).toBe('ingress by ports');
    expect(verdict([onPorts([{ port: 6379 }])], FRONTEND, DB, 6379, 'UDP')).toBe('ingress by ports');
    expect(verdict([onPorts([{ port: 53, protocol: 'UDP' }])], FRONTEND, DB, 53, 'UDP')).toBe('allowed');
    expect(verdict([onPorts([{ protocol: 'UDP' }])], FRONTEND, DB, 5000, 'UDP')).toBe('allowed');
  });

  test('named ports resolve against the destination pod\'s container ports', () => {
    expect(verdict([onPorts([{ port: 'redis' }])], FRONTEND, DB, 6379)).toBe('allowed');
    expect(verdict([onPorts([{ port: 'redis' }])], FRONTEND, DB, 6380)).toBe('ingress by ports');
    expect(verdict([onPorts([{ port: 'metrics' }])], FRONTEND, DB, 6379)).toBe('ingress by ports');
    const otherDb = pod('db2', 'default', { role: 'db' }, [{ name: 'redis', containerPort: 7000 }]);
    expect(verdict([onPorts([{ port: 'redis' }])], FRONTEND, otherDb, 7000)).toBe('allowed');
    // In egress rules the name is the destination pod's port too.
    const egress = policy('egress', 'default', { podSelector: { matchLabels: { role: 'frontend' } }, policyTypes: ['Egress'], egress: [{ ports: [{ port: 'redis' }] }] });
    expect(verdict([egress], FRONTEND, DB, 6379)).toBe('allowed');
    expect(verdict([egress], FRONTEND, OTHER, 6379)).toBe('egress by egress');
  });

  test('endPort: a range of ports from port to endPort', () => {
    const range = [{ protocol: 'TCP', port: 32000, endPort: 32768 }];
    expect(verdict([onPorts(range)], FRONTEND, DB, 32000)).toBe('allowed');
    expect(verdict([onPorts(range)], FRONTEND, DB, 32768)).toBe('allowed');
    expect(verdict([onPorts(range)], FRONTEND, DB, 32769)).toBe('ingress by ports');
    expect(verdict([onPorts(range)], FRONTEND, DB, 31999)).toBe('ingress by ports');
  });
});

describe('ipBlock', () => {
  const egressTo = (to: any[], ports: any[] = [{ protocol: 'TCP', port: 5978 }]) =>
    policy('egress', 'default', { podSelector: { matchLabels: { role: 'frontend' } }, policyTypes: ['Egress'], egress: [{ to, ports }] });

  test('a CIDR admits every address inside it, on the rule\'s ports', () => {
    const p = egressTo([{ ipBlock: { cidr: '10.0.0.0/24' } }]);
    expect(toAddresses([p], FRONTEND, '10.0.0.0/24', 5978)).toBe('allowed');
    expect(toAddresses([p], FRONTEND, '10.0.0.7/32', 5978)).toBe('allowed');
    expect(toAddresses([p], FRONTEND, '10.0.1.0/24', 5978)).toBe('egress by egress');
    expect(toAddresses([p], FRONTEND, '10.0.0.0/24', 443)).toBe('egress by egress');
  });

  test('except: the excepted blocks are not admitted', () => {
    const p = egressTo([{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }]);
    expect(toAddresses([p], FRONTEND, '172.17.2.0/24', 5978)).toBe('allowed');
    expect(toAddresses([p], FRONTEND, '172.17.1.0/24', 5978)).toBe('egress by egress');
    expect(toAddresses([p], FRONTEND, '172.17.1.9/32', 5978)).toBe('egress by egress');
    // The whole /16 is not admitted: a part of it is excepted.
    expect(toAddresses([p], FRONTEND, '172.17.0.0/16', 5978)).toBe('egress by egress');
    // ... unless another rule admits the excepted part.
    const rest = policy('rest', 'default', { podSelector: { matchLabels: { role: 'frontend' } }, policyTypes: ['Egress'], egress: [{ to: [{ ipBlock: { cidr: '172.17.1.0/24' } }], ports: [{ port: 5978 }] }] });
    expect(toAddresses([p, rest], FRONTEND, '172.17.0.0/16', 5978)).toBe('allowed');
  });

  test('a flow\'s own exceptions and IPv6 blocks', () => {
    const p = egressTo([{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }, { ipBlock: { cidr: '2001:db8::/32' } }], [{ port: 443 }]);
    expect(toAddresses([p], FRONTEND, '0.0.0.0/0', 443, ['10.0.0.0/8'])).toBe('allowed');
    expect(toAddresses([p], FRONTEND, '0.0.0.0/0', 443)).toBe('egress by egress');
    expect(toAddresses([p], FRONTEND, '2001:db8:1::/48', 443)).toBe('allowed');
    expect(toAddresses([p], FRONTEND, '2001:db9::/32', 443)).toBe('egress by egress');
    expect(toAddresses([p], FRONTEND, '::ffff:10.1.2.3/128', 443)).toBe('egress by egress');
  });

  test('podSelector and namespaceSelector never admit addresses outside the cluster', () => {
    const p = egressTo([{ namespaceSelector: {} }], []);
    expect(toAddresses([p], FRONTEND, '203.0.113.0/24', 443)).toBe('egress by egress');
    expect(verdict([p], FRONTEND, pod('x', 'elsewhere', {}), 443)).toBe('allowed');
  });

  test('an ipBlock may hold a pod\'s address (unknown in the objects): it counts as admitting pods', () => {
    const p = egressTo([{ ipBlock: { cidr: '10.0.0.0/8' } }], [{ port: 6379 }]);
    expect(verdict([p], FRONTEND, DB, 6379)).toBe('allowed');
    expect(verdict([p], FRONTEND, DB, 6380)).toBe('egress by egress');
  });
});
