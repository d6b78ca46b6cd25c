/**
 * Internal to `policy`: cluster-level objects as the API server validates them on create, the same
 * in 1.28 and 1.34 (the schema rule reports each as a schema problem): admission webhooks (fully
 * qualified, unique names; exactly one of url and service; an https URL without user, query or
 * fragment; a port from 1 to 65535; no side effects; a timeout from 1 to 30 seconds; a known
 * AdmissionReview version; the policy enums the 1.28 definitions lack), PriorityClass (the user
 * range, the reserved system- names, the preemption policy), StorageClass (a qualified provisioner,
 * Delete or Retain, the binding mode), LimitRange (min <= defaultRequest <= default <= max, ratios),
 * a ClusterRole's aggregationRule without selectors, a Service's ports, type, externalName, source
 * ranges and affinity timeout (`service-validation.ts`), and a PersistentVolume's hostPath type.
 *
 * Only values the API server surely refuses are reported; a value of the wrong type is the schema's.
 */
import { isObject, isPort, isQualifiedName, isSubdomain, list, oneOf, PORT_TEXT, SchemaProblem, show, SUBDOMAIN_TEXT } from './metadata';
import { hostPathTypeProblems } from './pod-validation';
import { serviceProblems } from './service-validation';
import { dns1035Label } from '../../../core/rules/names';
import { parseQuantity } from '../../../core/rules/quantity';

/** The problems of the cluster-level kinds this section knows, or undefined for another kind. */
export function clusterObjectProblems(obj: any): SchemaProblem[] | undefined {
  if (!isObject(obj)) return undefined;
  switch (`${obj.apiVersion} ${obj.kind}`) {
    case 'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration':
    case 'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration':
      return webhookProblems(obj, obj.kind === 'MutatingWebhookConfiguration');
    case 'scheduling.k8s.io/v1 PriorityClass':
      return priorityClassProblems(obj);
    case 'storage.k8s.io/v1 StorageClass':
      return storageClassProblems(obj);
    case 'v1 LimitRange':
      return limitRangeProblems(obj.spec);
    case 'rbac.authorization.k8s.io/v1 ClusterRole':
      return isObject(obj.aggregationRule) && !list(obj.aggregationRule.clusterRoleSelectors).length
        ? [{ path: 'aggregationRule.clusterRoleSelectors', message: `got ${obj.aggregationRule.clusterRoleSelectors === undefined ? 'unset' : show(obj.aggregationRule.clusterRoleSelectors)}; an aggregationRule needs at least one clusterRoleSelector (or drop aggregationRule)` }]
        : [];
    case 'v1 Service':
      return isObject(obj.spec) ? serviceProblems(obj.spec) : [];
    case 'v1 PersistentVolume':
      return hostPathTypeProblems(obj.spec?.hostPath, 'spec.hostPath.type');
    default:
      return undefined;
  }
}

const FAILURE_POLICIES = ['Fail', 'Ignore'];
const MATCH_POLICIES = ['Equivalent', 'Exact'];
const REINVOCATION_POLICIES = ['IfNeeded', 'Never'];
const NO_SIDE_EFFECTS = ['None', 'NoneOnDryRun'];
const ADMISSION_REVIEW_VERSIONS = ['v1', 'v1beta1'];

/**
 * A webhook configuration's webhooks as the API server validates them on create: each name fully
 * qualified (a DNS-1123 subdomain of at least three labels) and unique, exactly one of
 * clientConfig.url and clientConfig.service, an https URL without user information, query or
 * fragment, a service port from 1 to 65535 and a path of DNS-1123 subdomains, no side effects, a
 * timeout from 1 to 30 seconds, an AdmissionReview version it knows, and the enum values of
 * failurePolicy, matchPolicy and reinvocationPolicy (which the 1.28 definitions lack).
 */
function webhookProblems(obj: any, mutating: boolean): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const names = new Map<string, number>();
  list(obj.webhooks).forEach((hook: any, i) => {
    if (!isObject(hook)) return;
    const at = `webhooks[${i}]`;
    const add = (field: string, message: string) => out.push({ path: `${at}.${field}`, message });
    const name = hook.name;
    if (typeof name === 'string') {
      const example = 'such as "validate.example.com"';
      if (name === '') add('name', `got ""; a webhook needs a fully qualified name (${example})`);
      else if (!isSubdomain(name)) add('name', `got ${show(name)}; expected a fully qualified name: ${SUBDOMAIN_TEXT} of at least three labels, ${example}`);
      else if (name.split('.').length < 3) add('name', `got ${show(name)}; expected a fully qualified name of at least three labels separated by dots, ${example}`);
      if (name !== '' && names.has(name)) add('name', `got ${show(name)} again (webhooks[${names.get(name)}] has it); webhook names must be unique within a configuration`);
      else if (name !== '') names.set(name, i);
    }
    const enumField = (field: string, allowed: readonly string[]) => {
      if (typeof hook[field] === 'string' && !allowed.includes(hook[field])) add(field, oneOf(hook[field], allowed));
    };
    enumField('failurePolicy', FAILURE_POLICIES);
    enumField('matchPolicy', MATCH_POLICIES);
    if (mutating) enumField('reinvocationPolicy', REINVOCATION_POLICIES);
    if (typeof hook.sideEffects === 'string' && !NO_SIDE_EFFECTS.includes(hook.sideEffects)) {
      add('sideEffects', `got ${show(hook.sideEffects)}; expected None or NoneOnDryRun (admissionregistration.k8s.io/v1 refuses webhooks with side effects Some or Unknown)`);
    }
    if (typeof hook.timeoutSeconds === 'number' && (hook.timeoutSeconds < 1 || hook.timeoutSeconds > 30)) {
      add('timeoutSeconds', `got ${hook.timeoutSeconds}; expected 1 to 30 seconds`);
    }
    out.push(...admissionReviewVersionProblems(hook.admissionReviewVersions, `${at}.admissionReviewVersions`));
    if (isObject(hook.clientConfig)) out.push(...clientConfigProblems(hook.clientConfig, `${at}.clientConfig`));
  });
  return out;
}

function admissionReviewVersionProblems(versions: unknown, path: string): SchemaProblem[] {
  if (!Array.isArray(versions)) return [];
  const known = ADMISSION_REVIEW_VERSIONS.join(' or ');
  if (!versions.length) return [{ path, message: `got []; expected at least one AdmissionReview version the API server knows: ${known}` }];
  const out: SchemaProblem[] = [];
  const seen = new Set<unknown>();
  versions.forEach((v, i) => {
    if (typeof v !== 'string') return;
    if (seen.has(v)) out.push({ path: `${path}[${i}]`, message: `got ${show(v)} again; each version may be listed once` });
    else if (dns1035Label(v) !== undefined) out.push({ path: `${path}[${i}]`, message: `got ${show(v)}; expected a version name such as "v1" (a DNS-1035 label: lower-case alphanumerics and "-", starting with a letter)` });
    seen.add(v);
  });
  if (!versions.some((v) => ADMISSION_REVIEW_VERSIONS.includes(v))) {
    out.push({ path, message: `got ${show(versions)}; expected at least one AdmissionReview version the API server knows: ${known}` });
  }
  return out;
}

function clientConfigProblems(cc: Record<string, any>, at: string): SchemaProblem[] {
  const hasUrl = cc.url !== undefined;
  const hasService = cc.service !== undefined;
  if (hasUrl === hasService) {
    return [{ path: at, message: `${hasUrl ? 'sets both url and service' : 'sets neither url nor service'}; expected exactly one of them` }];
  }
  if (typeof cc.url === 'string') {
    const why = webhookUrlProblem(cc.url);
    return why ? [{ path: `${at}.url`, message: `got ${show(why.shown)}; ${why.problem} (expected https://host[/path])` }] : [];
  }
  const service = cc.service;
  if (!isObject(service)) return [];
  const out: SchemaProblem[] = [];
  for (const field of ['name', 'namespace']) {
    if (service[field] === '') out.push({ path: `${at}.service.${field}`, message: `got ""; the webhook's Service needs a ${field}` });
  }
  if (typeof service.port === 'number' && !isPort(service.port)) {
    out.push({ path: `${at}.service.port`, message: `got ${service.port}; expected ${PORT_TEXT}` });
  }
  if (typeof service.path === 'string') {
    const why = servicePathProblem(service.path);
    if (why) out.push({ path: `${at}.service.path`, message: `got ${show(service.path)}; ${why}` });
  }
  return out;
}

/**
 * What the API server refuses in a webhook URL, read as Go's url.Parse reads it: a scheme other
 * than https, no host, user information, a query or a fragment. `shown` is the URL without its user
 * information and query (they may hold credentials).
 */
function webhookUrlProblem(url: string): { shown: string; problem: string } | undefined {
  const hash = url.indexOf('#');
  const fragment = hash >= 0 ? url.slice(hash + 1) : '';
  let rest = hash >= 0 ? url.slice(0, hash) : url;
  const schemeMatch = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  const scheme = schemeMatch ? schemeMatch[1].toLowerCase() : '';
  rest = schemeMatch ? rest.slice(schemeMatch[0].length) : rest;
  const q = rest.indexOf('?');
  const query = q >= 0 ? rest.slice(q + 1) : '';
  rest = q >= 0 ? rest.slice(0, q) : rest;
  let host = '';
  let user = false;
  let afterAuthority = rest;
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end >= 0 ? rest.slice(2, end) : rest.slice(2);
    afterAuthority = end >= 0 ? rest.slice(end) : '';
    const at = authority.lastIndexOf('@');
    user = at >= 0;
    host = authority.slice(at + 1);
  }
  const shown = `${schemeMatch ? schemeMatch[0] : ''}${rest.startsWith('//') ? `//${user ? '…@' : ''}${host}` : ''}${afterAuthority}${query ? '?…' : ''}${fragment ? `#${fragment}` : ''}`;
  if (scheme !== 'https') return { shown, problem: scheme ? `the API server calls webhooks over https only, not ${scheme}` : 'a webhook URL needs the https scheme' };
  if (!host) return { shown, problem: 'a webhook URL needs a host' };
  if (user) return { shown, problem: 'user information (user@) is not permitted in a webhook URL' };
  if (query) return { shown, problem: 'query parameters are not permitted in a webhook URL' };
  if (fragment) return { shown, problem: 'a fragment (#...) is not permitted in a webhook URL' };
  return undefined;
}

/** A webhook Service's path the API server refuses: not starting with "/", or a segment that is empty or no DNS-1123 subdomain. */
function servicePathProblem(path: string): string | undefined {
  if (path === '' || path === '/') return undefined;
  const expected = `expected a path of "/"-separated segments, each ${SUBDOMAIN_TEXT}`;
  if (path === '//') return `segment 0 is empty; ${expected}`;
  const problems: string[] = [];
  if (!path.startsWith('/')) problems.push('it does not start with "/"');
  let rest = path.slice(1);
  if (rest.endsWith('/')) rest = rest.slice(0, -1);
  rest.split('/').forEach((segment, i) => {
    if (segment === '') problems.push(`segment ${i} is empty`);
    else if (!isSubdomain(segment)) problems.push(`segment ${i} ${show(segment)} is not`);
  });
  return problems.length ? `${problems.join(', ')}; ${expected}` : undefined;
}

/** The highest value a PriorityClass not named system-* may have. */
const HIGHEST_USER_PRIORITY = 1_000_000_000;
/** The system priority classes, the only names with the system- prefix the API server accepts, and their values. */
const SYSTEM_PRIORITY_CLASSES: { readonly [name: string]: number } = { 'system-node-critical': 2_000_001_000, 'system-cluster-critical': 2_000_000_000 };
const PREEMPTION_POLICIES = ['Never', 'PreemptLowerPriority'];

/** A PriorityClass's name with the reserved system- prefix, a value above the user range, and its preemption policy. */
function priorityClassProblems(obj: any): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const name = obj.metadata?.name;
  const value = typeof obj.value === 'number' ? obj.value : 0;
  if (typeof name === 'string' && name.startsWith('system-')) {
    const known = SYSTEM_PRIORITY_CLASSES[name];
    if (known === undefined || known !== value || obj.globalDefault === true) {
      out.push({
        path: 'metadata.name',
        message: `got ${show(name)}${known !== undefined ? ` with value ${value}${obj.globalDefault === true ? ' and globalDefault true' : ''}` : ''}; names starting with "system-" are reserved: only system-node-critical (value 2000001000) and system-cluster-critical (value 2000000000), not global defaults`,
      });
    }
  } else if (value > HIGHEST_USER_PRIORITY) {
    out.push({ path: 'value', message: `got ${value}; expected at most ${HIGHEST_USER_PRIORITY} (higher values are reserved for the system-node-critical and system-cluster-critical classes)` });
  }
  if (typeof obj.preemptionPolicy === 'string' && !PREEMPTION_POLICIES.includes(obj.preemptionPolicy)) {
    out.push({ path: 'preemptionPolicy', message: oneOf(obj.preemptionPolicy, PREEMPTION_POLICIES) });
  }
  return out;
}

const STORAGE_RECLAIM_POLICIES = ['Delete', 'Retain'];
const VOLUME_BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];

/** A StorageClass's provisioner (set, a qualified name), reclaimPolicy (Delete or Retain: no Recycle) and volumeBindingMode. */
function storageClassProblems(obj: any): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const provisioner = obj.provisioner;
  if (provisioner === '') {
    out.push({ path: 'provisioner', message: 'got ""; a StorageClass needs a provisioner, such as "ebs.csi.aws.com" or "kubernetes.io/no-provisioner"' });
  } else if (typeof provisioner === 'string' && !isQualifiedName(provisioner.toLowerCase())) {
    out.push({
      path: 'provisioner',
      message: `got ${show(provisioner)}; expected a qualified name: an optional DNS-1123 subdomain and "/", then at most 63 alphanumerics, "-", "_" or "." (such as "ebs.csi.aws.com" or "kubernetes.io/no-provisioner")`,
    });
  }
  const reclaim = obj.reclaimPolicy;
  if (typeof reclaim === 'string' && reclaim !== '' && !STORAGE_RECLAIM_POLICIES.includes(reclaim)) {
    out.push({ path: 'reclaimPolicy', message: `got ${show(reclaim)}; expected "Delete" or "Retain" (a StorageClass may not Recycle its volumes)` });
  }
  if (typeof obj.volumeBindingMode === 'string' && !VOLUME_BINDING_MODES.includes(obj.volumeBindingMode)) {
    out.push({ path: 'volumeBindingMode', message: oneOf(obj.volumeBindingMode, VOLUME_BINDING_MODES) });
  }
  return out;
}

/** Resources whose request and limit must be equal: hugepages and extended resources outside kubernetes.io. */
const noOvercommit = (resource: string) => resource.startsWith('hugepages-') || (resource.includes('/') && !resource.includes('kubernetes.io/'));

/**
 * A LimitRange's limits as the API server validates them: one limit per type, no defaults on a Pod
 * limit, min or max storage on a PersistentVolumeClaim limit, and per resource min <= defaultRequest
 * <= default <= max, a maxLimitRequestRatio of at least 1 and at most max / min, and default equal to
 * defaultRequest for resources that cannot be overcommitted. A quantity that does not parse is the
 * schema's.
 */
function limitRangeProblems(spec: any): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const types = new Map<string, number>();
  list(spec?.limits).forEach((limit: any, i) => {
    if (!isObject(limit)) return;
    const at = `spec.limits[${i}]`;
    if (typeof limit.type === 'string') {
      if (types.has(limit.type)) out.push({ path: `${at}.type`, message: `got ${show(limit.type)} again (spec.limits[${types.get(limit.type)}] has it); a LimitRange has one limit per type` });
      else types.set(limit.type, i);
    }
    const field = (name: string): Record<string, unknown> => (isObject(limit[name]) ? limit[name] : {});
    if (limit.type === 'Pod') {
      for (const f of ['default', 'defaultRequest']) {
        if (Object.keys(field(f)).length) out.push({ path: `${at}.${f}`, message: `cannot be set when type is Pod (a Pod limit has no ${f === 'default' ? 'default limits' : 'default requests'}; set them on a Container limit)` });
      }
    }
    if (limit.type === 'PersistentVolumeClaim' && field('min').storage === undefined && field('max').storage === undefined) {
      out.push({ path: at, message: 'a PersistentVolumeClaim limit needs min.storage or max.storage (it has neither)' });
    }
    const quantities = (name: string) => {
      const m = new Map<string, { text: string; value: number }>();
      if (name.startsWith('default') && limit.type === 'Pod') return m;
      for (const [k, v] of Object.entries(field(name))) {
        const value = typeof v === 'number' || typeof v === 'string' ? parseQuantity(String(v)) : undefined;
        if (value !== undefined) m.set(k, { text: String(v), value });
      }
      return m;
    };
    const [max, min, def, req, ratio] = ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio'].map(quantities);
    const keys = [...new Set([max, min, def, req, ratio].flatMap((m) => [...m.keys()]))];
    // Relative tolerance: "0.5" and "500m" are equal.
    const above = (a: number, b: number) => a - b > 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    for (const k of keys) {
      const [mx, mn, d, r, q] = [max.get(k), min.get(k), def.get(k), req.get(k), ratio.get(k)];
      const add = (f: string, message: string) => out.push({ path: `${at}.${f}.${k}`, message });
      if (mn && mx && above(mn.value, mx.value)) add('min', `got ${show(mn.text)} for ${k}, above max ${show(mx.text)}; min may not exceed max`);
      if (r && mn && above(mn.value, r.value)) add('defaultRequest', `got ${show(r.text)} for ${k}, below min ${show(mn.text)}; a default request must lie from min to max`);
      if (r && mx && above(r.value, mx.value)) add('defaultRequest', `got ${show(r.text)} for ${k}, above max ${show(mx.text)}; a default request must lie from min to max`);
      if (r && d && above(r.value, d.value)) add('defaultRequest', `got ${show(r.text)} for ${k}, above the default limit ${show(d.text)}; a default request may not exceed the default limit`);
      if (d && mn && above(mn.value, d.value)) add('default', `got ${show(d.text)} for ${k}, below min ${show(mn.text)}; a default limit must lie from min to max`);
      if (d && mx && above(d.value, mx.value)) add('default', `got ${show(d.text)} for ${k}, above max ${show(mx.text)}; a default limit must lie from min to max`);
      if (q && above(1, q.value)) {
        add('maxLimitRequestRatio', `got ${show(q.text)} for ${k}; expected a ratio of at least 1 (a limit is never below its request)`);
      } else if (q && mn && mx && mn.value > 0 && above(q.value, mx.value / mn.value)) {
        add('maxLimitRequestRatio', `got ${show(q.text)} for ${k}, above max / min = ${Number((mx.value / mn.value).toPrecision(6))} (max ${show(mx.text)}, min ${show(mn.text)}); no pod could use the ratio`);
      }
      if (noOvercommit(k) && d && r && (above(d.value, r.value) || above(r.value, d.value))) {
        add('defaultRequest', `got ${show(r.text)} for ${k}, beside the default limit ${show(d.text)}; ${k} cannot be overcommitted, so its default request must equal its default limit`);
      }
    }
  });
  return out;
}
