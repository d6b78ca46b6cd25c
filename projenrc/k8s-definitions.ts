/*
 * Derives the Kubernetes 1.34 API definitions `deploykit check --kubernetes-version 1.34` validates
 * against (schemas/k8s-v1.34-definitions.json) from the npm package kubernetes-models (generated
 * from the Kubernetes OpenAPI; pinned as a devDependency), in the form of the 1.28 definitions beside
 * it (OpenAPI v2 `definitions`, `x-kubernetes-group-version-kind` on each kind), so one validator
 * reads both. The package's type declarations give every type's properties, which are required,
 * their types, enums, maps, lists and references; its compiled validators tell integers from other
 * numbers. Kinds of API versions Kubernetes 1.34 no longer serves (the package keeps them, for old
 * clusters) are left out, so they stay errors naming their replacement. Run by
 * `npx projen gen:k8s-definitions`.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { unservedApiVersion } from '../src/clusters/private/served-apis';

/** The Kubernetes minor version kubernetes-models 5.1.0 was generated from (it has resource.k8s.io/v1 and PodSpec.hostnameOverride, 1.34's). */
export const GENERATED_MINOR = 34;
export const SOURCE_PACKAGE = 'kubernetes-models';
export const DEFINITIONS_FILE = `schemas/k8s-v1.${GENERATED_MINOR}-definitions.json`;

const ROOT = path.resolve(__dirname, '..');

/** The dotted OpenAPI name of a kubernetes-models name: IoK8sApiAppsV1Deployment -> io.k8s.api.apps.v1.Deployment. */
export function dottedName(camel: string): string {
  const fixed: Array<[string, string]> = [
    ['IoK8sApimachineryPkgApisMetaV1', 'io.k8s.apimachinery.pkg.apis.meta.v1'],
    ['IoK8sApimachineryPkgApiResource', 'io.k8s.apimachinery.pkg.api.resource'],
    ['IoK8sApimachineryPkgUtilIntstr', 'io.k8s.apimachinery.pkg.util.intstr'],
    ['IoK8sApimachineryPkgRuntime', 'io.k8s.apimachinery.pkg.runtime'],
    ['IoK8sApimachineryPkgVersion', 'io.k8s.apimachinery.pkg.version'],
    ['IoK8sApiextensionsApiserverPkgApisApiextensionsV1beta1', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1beta1'],
    ['IoK8sApiextensionsApiserverPkgApisApiextensionsV1', 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1'],
    ['IoK8sKubeAggregatorPkgApisApiregistrationV1beta1', 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1beta1'],
    ['IoK8sKubeAggregatorPkgApisApiregistrationV1', 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1'],
  ];
  for (const [prefix, dotted] of fixed) if (camel.startsWith(prefix) && /^[A-Z]/.test(camel.slice(prefix.length))) return `${dotted}.${camel.slice(prefix.length)}`;
  const api = /^IoK8sApi([A-Z][a-z0-9]+)(V\d+(?:(?:alpha|beta)\d+)?)([A-Z]\w*)$/.exec(camel);
  if (!api) throw new Error(`no OpenAPI name for ${camel}`);
  return `io.k8s.api.${api[1].toLowerCase()}.${api[2].toLowerCase()}.${api[3]}`;
}

/** Every declaration file of the package and of its apimachinery types (not the compiled validators). */
function declarationFiles(): string[] {
  const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === '_schemas' || e.name === 'node_modules' ? [] : walk(full);
    return e.name.endsWith('.d.ts') && e.name !== 'index.d.ts' ? [full] : [];
  });
  return [...walk(path.join(ROOT, 'node_modules', SOURCE_PACKAGE)), ...walk(path.join(ROOT, 'node_modules', '@kubernetes-models', 'apimachinery'))];
}

interface Declared {
  readonly camel: string;
  readonly file: string;
  readonly node: ts.InterfaceDeclaration | ts.TypeAliasDeclaration;
  /** The canonical names of the file's own declarations, by their local name (a type may refer to itself). */
  readonly locals: ReadonlyMap<string, string>;
}

/** The declarations a file exports under a canonical name (`export type { IX as IIoK8s... }`). */
function declarationsOf(file: string): Declared[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const local = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
  const out: Declared[] = [];
  const locals = new Map<string, string>();
  for (const st of source.statements) {
    if (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st)) local.set(st.name.text, st);
    if (ts.isExportDeclaration(st) && st.isTypeOnly && st.exportClause && ts.isNamedExports(st.exportClause)) {
      for (const el of st.exportClause.elements) {
        const exported = el.name.text;
        const own = el.propertyName?.text ?? exported;
        if (/^IIoK8s/.test(exported) && local.has(own)) {
          locals.set(own, exported.slice(1));
          out.push({ camel: exported.slice(1), file, node: local.get(own)!, locals });
        }
      }
    }
  }
  return out;
}

/** The schema of a type in a declaration. */
function schemaOf(type: ts.TypeNode, locals: ReadonlyMap<string, string>): any {
  if (type.kind === ts.SyntaxKind.StringKeyword) return { type: 'string' };
  if (type.kind === ts.SyntaxKind.NumberKeyword) return { type: 'number' };
  if (type.kind === ts.SyntaxKind.BooleanKeyword) return { type: 'boolean' };
  if (type.kind === ts.SyntaxKind.AnyKeyword || type.kind === ts.SyntaxKind.UnknownKeyword || type.kind === ts.SyntaxKind.ObjectKeyword) return {};
  if (ts.isParenthesizedTypeNode(type)) return schemaOf(type.type, locals);
  if (ts.isLiteralTypeNode(type) && ts.isStringLiteral(type.literal)) return { type: 'string', enum: [type.literal.text] };
  if (ts.isUnionTypeNode(type)) {
    const parts = type.types.map((t) => schemaOf(t, locals));
    if (parts.every((p) => p.type === 'string' && p.enum)) return { type: 'string', enum: parts.flatMap((p) => p.enum) };
    if (parts.every((p) => p.type === 'string')) return { type: 'string' };
    return { anyOf: parts };
  }
  if (ts.isArrayTypeNode(type)) return { type: 'array', items: schemaOf(type.elementType, locals) };
  if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    if (name === 'Array' && type.typeArguments?.length === 1) return { type: 'array', items: schemaOf(type.typeArguments[0], locals) };
    if (name === 'Record' && type.typeArguments?.length === 2) return { type: 'object', additionalProperties: schemaOf(type.typeArguments[1], locals) };
    if (/^IIoK8s/.test(name)) return { $ref: `#/definitions/${dottedName(name.slice(1))}` };
    if (locals.has(name)) return { $ref: `#/definitions/${dottedName(locals.get(name)!)}` };
    throw new Error(`unknown type reference ${name}`);
  }
  if (ts.isTypeLiteralNode(type)) {
    const index = type.members.find(ts.isIndexSignatureDeclaration);
    if (index) return { type: 'object', additionalProperties: schemaOf(index.type, locals) };
    if (type.members.length === 0) return { type: 'object' };
    // An inline object (a StatefulSet's volumeClaimTemplates items): its properties, as an interface's.
    const properties: Record<string, any> = {};
    const required: string[] = [];
    for (const m of type.members) {
      if (!ts.isPropertySignature(m) || !m.type) continue;
      const name = ts.isStringLiteral(m.name) ? m.name.text : m.name.getText();
      properties[name] = schemaOf(m.type, locals);
      if (!m.questionToken && name !== 'apiVersion' && name !== 'kind') required.push(name);
    }
    return { type: 'object', properties, ...(required.length ? { required: required.sort() } : {}) };
  }
  throw new Error(`unknown type ${ts.SyntaxKind[type.kind]}: ${type.getText()}`);
}

/** The definition of one declaration, with the names of its number properties (integers unless the validator says otherwise). */
function definitionOf(d: Declared): { definition: any; numbers: string[]; gvk?: { group: string; version: string; kind: string } } {
  if (ts.isTypeAliasDeclaration(d.node)) return { definition: schemaOf(d.node.type, d.locals), numbers: [] };
  const properties: Record<string, any> = {};
  const required: string[] = [];
  const numbers: string[] = [];
  let apiVersion: string | undefined;
  let kind: string | undefined;
  for (const m of d.node.members) {
    if (!ts.isPropertySignature(m) || !m.type) continue;
    const name = ts.isStringLiteral(m.name) ? m.name.text : m.name.getText();
    const schema = schemaOf(m.type, d.locals);
    if ((name === 'apiVersion' || name === 'kind') && schema.enum?.length === 1) {
      if (name === 'apiVersion') apiVersion = schema.enum[0]; else kind = schema.enum[0];
      properties[name] = { type: 'string' };
      continue;
    }
    properties[name] = schema;
    if (schema.type === 'number' || schema.items?.type === 'number') numbers.push(name);
    if (!m.questionToken) required.push(name);
  }
  // A declaration without members is a type the OpenAPI leaves open (FieldsV1, RawExtension, JSON...): no
  // properties listed, so the validator does not close it.
  const definition: any = d.node.members.length ? { type: 'object', properties } : { type: 'object' };
  if (required.length) definition.required = required.sort();
  const gvk = apiVersion && kind ? {
    group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '',
    version: apiVersion.slice(apiVersion.indexOf('/') + 1),
    kind,
  } : undefined;
  return { definition, numbers, gvk };
}

/** Asks the package's compiled validator of a definition whether a number property takes 1.5 (else it is an integer). */
async function takesFractions(camel: string, property: string, items: boolean): Promise<boolean> {
  const file = [path.join(ROOT, 'node_modules', SOURCE_PACKAGE, '_schemas', `${camel}.js`),
    path.join(ROOT, 'node_modules', '@kubernetes-models', 'apimachinery', '_schemas', `${camel}.js`)].find((f) => fs.existsSync(f));
  if (!file) throw new Error(`no compiled validator for ${camel}`);
  const { validate } = await import(file);
  validate({ [property]: items ? [1.5] : 1.5 });
  const at = `/${property}${items ? '/0' : ''}`;
  return !(validate.errors ?? []).some((e: any) => e.instancePath === at && e.keyword === 'type' && e.params?.type === 'integer');
}

/** The text of schemas/k8s-v1.34-definitions.json. */
export async function generateDefinitions(): Promise<string> {
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', SOURCE_PACKAGE, 'package.json'), 'utf8')).version;
  const definitions: Record<string, any> = {};
  for (const file of declarationFiles()) {
    for (const d of declarationsOf(file)) {
      const name = dottedName(d.camel);
      const { definition, numbers, gvk } = definitionOf(d);
      for (const property of numbers) {
        const items = definition.properties[property].type === 'array';
        const target = items ? definition.properties[property].items : definition.properties[property];
        target.type = await takesFractions(d.camel, property, items) ? 'number' : 'integer';
      }
      if (gvk && !unservedApiVersion(gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, gvk.kind, GENERATED_MINOR)) {
        definition['x-kubernetes-group-version-kind'] = [gvk];
      }
      definitions[name] = definition;
    }
  }
  const sorted = Object.fromEntries(Object.keys(definitions).sort().map((k) => [k, definitions[k]]));
  return `${JSON.stringify({
    'x-source': `derived from the npm package ${SOURCE_PACKAGE}@${version} (generated from the Kubernetes 1.${GENERATED_MINOR} OpenAPI) by projenrc/k8s-definitions.ts; do not edit`,
    'definitions': sorted,
  }, null, 1)}\n`;
}

if (require.main === module) {
  // `--check` compares instead of writing (the test suite runs it; the compiled validators are ES modules jest cannot load).
  void generateDefinitions().then((text) => {
    const file = path.join(ROOT, DEFINITIONS_FILE);
    if (process.argv.includes('--check')) {
      const same = fs.readFileSync(file, 'utf8') === text;
      console.log(same ? `${DEFINITIONS_FILE} is up to date` : `${DEFINITIONS_FILE} is stale: run \`npx projen gen:k8s-definitions\``);
      process.exitCode = same ? 0 : 1;
      return;
    }
    fs.writeFileSync(file, text);
    console.log(`wrote ${DEFINITIONS_FILE}`);
  });
}
