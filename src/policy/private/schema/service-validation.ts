/**
 * Internal to `policy`: a Service as the API server validates it on create, beyond the OpenAPI
 * schema (the schema rule reports each as a schema problem). Only values the API server surely
 * refuses are reported; a value of the wrong type is the schema's.
 */
import { isIPv6 } from 'net';
import { isLabel, isObject, isPort, isSubdomain, LABEL_TEXT, list, PORT_TEXT, SchemaProblem, show, SUBDOMAIN_TEXT } from './metadata';

/**
 * A Service as the API server validates it on create (type unset is ClusterIP, protocol unset TCP):
 * ports (required unless headless or ExternalName; named when more than one, each name a DNS-1123
 * label and unique; numbers from 1 to 65535; each port and protocol once; a nodePort only for
 * NodePort and LoadBalancer, each once), headless only for ClusterIP, an ExternalName's DNS name and
 * no cluster IP, loadBalancerSourceRanges only for LoadBalancer and each a CIDR, and a ClientIP
 * affinity timeout from 1 to 86400 seconds. A sessionAffinityConfig under affinity None is dropped,
 * not refused; a nodePort outside the default 30000-32767 range is not reported, as clusters may
 * configure another range.
 */
export function serviceProblems(spec: Record<string, any>): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const add = (path: string, message: string) => out.push({ path, message });
  const type = typeof spec.type === 'string' && spec.type !== '' ? spec.type : 'ClusterIP';
  const clusterIPs = list(spec.clusterIPs);
  const clusterIPPath = clusterIPs.length ? 'spec.clusterIPs[0]' : 'spec.clusterIP';
  const firstIP = clusterIPs.length ? clusterIPs[0] : spec.clusterIP;
  const headless = firstIP === 'None';
  const ports = list(spec.ports);
  if (!ports.length && !headless && type !== 'ExternalName') {
    add('spec.ports', `got ${spec.ports === undefined ? 'no ports' : '[]'}; a ${type} Service needs at least one port (only headless and ExternalName Services may have none)`);
  }
  if (headless && (type === 'LoadBalancer' || type === 'NodePort')) {
    add(clusterIPPath, `got "None" with type ${type}; a ${type} Service needs a cluster IP (headless, "None", is for ClusterIP Services)`);
  }
  if (type === 'ExternalName') {
    if (typeof firstIP === 'string' && firstIP !== '') add(clusterIPPath, `got ${show(firstIP)}; an ExternalName Service has no cluster IP (drop it)`);
    const name = typeof spec.externalName === 'string' ? spec.externalName : '';
    const cname = name.endsWith('.') ? name.slice(0, -1) : name;
    if (cname === '') {
      add('spec.externalName', `${spec.externalName === undefined ? 'required field is missing' : `got ${show(spec.externalName)}`}; a Service of type ExternalName needs externalName, the DNS name it aliases`);
    } else if (!isSubdomain(cname)) {
      add('spec.externalName', `got ${show(name)}; expected a DNS name: ${SUBDOMAIN_TEXT}, a trailing dot allowed, such as "db.example.com"`);
    }
  }
  const names = new Map<string, number>();
  const pairs = new Map<string, number>();
  const nodePorts = new Map<string, number>();
  ports.forEach((p: any, i) => {
    if (!isObject(p)) return;
    const at = `spec.ports[${i}]`;
    const name = typeof p.name === 'string' ? p.name : '';
    if (name === '' && ports.length > 1) {
      add(`${at}.name`, `${p.name === undefined ? 'required field is missing' : 'got ""'}; a Service with more than one port must name each`);
    } else if (name !== '') {
      if (!isLabel(name)) add(`${at}.name`, `got ${show(name)}; expected ${LABEL_TEXT}`);
      if (names.has(name)) add(`${at}.name`, `got ${show(name)} again (spec.ports[${names.get(name)}] has it); port names must be unique`);
      else names.set(name, i);
    }
    if (typeof p.port === 'number' && !isPort(p.port)) add(`${at}.port`, `got ${p.port}; expected ${PORT_TEXT}`);
    const protocol = typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP';
    if (typeof p.port === 'number') {
      const key = `${p.port}/${protocol}`;
      if (pairs.has(key)) add(at, `port ${key} again (spec.ports[${pairs.get(key)}] has it); each port and protocol may appear once`);
      else pairs.set(key, i);
    }
    if (typeof p.nodePort === 'number' && p.nodePort !== 0) {
      if (type === 'ClusterIP') add(`${at}.nodePort`, `got ${p.nodePort} with type ClusterIP; a nodePort may be set only on NodePort and LoadBalancer Services`);
      else if (!isPort(p.nodePort)) add(`${at}.nodePort`, `got ${p.nodePort}; expected a port in the cluster's node port range (30000-32767 by default)`);
      const key = `${p.nodePort}/${protocol}`;
      if (nodePorts.has(key)) add(`${at}.nodePort`, `got ${p.nodePort} again for ${protocol} (spec.ports[${nodePorts.get(key)}] has it); each nodePort may appear once`);
      else nodePorts.set(key, i);
    }
  });
  const ranges = list(spec.loadBalancerSourceRanges);
  if (ranges.length) {
    if (type !== 'LoadBalancer') add('spec.loadBalancerSourceRanges', `set with type ${type}; loadBalancerSourceRanges may be used only with type LoadBalancer`);
    ranges.forEach((r, i) => {
      if (typeof r === 'string' && !isCidr(r.trim())) add(`spec.loadBalancerSourceRanges[${i}]`, `got ${show(r)}; expected a CIDR such as "203.0.113.0/24" or "2001:db8::/32"`);
    });
  }
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (spec.sessionAffinity === 'ClientIP' && typeof timeout === 'number' && (timeout < 1 || timeout > 86400)) {
    add('spec.sessionAffinityConfig.clientIP.timeoutSeconds', `got ${timeout}; expected 1 to 86400 seconds`);
  }
  return out;
}

/**
 * An IPv4 or IPv6 CIDR as the API server reads one (leniently: IPv4 octets with leading zeros and
 * host bits after the prefix are accepted).
 */
function isCidr(value: string): boolean {
  const slash = value.lastIndexOf('/');
  if (slash < 0 || !/^\d+$/.test(value.slice(slash + 1))) return false;
  const ip = value.slice(0, slash);
  const prefix = Number(value.slice(slash + 1));
  if (/^\d+(\.\d+){3}$/.test(ip)) return ip.split('.').every((o) => Number(o) <= 255) && prefix <= 32;
  return isIPv6(ip) && !ip.includes('%') && prefix <= 128;
}
