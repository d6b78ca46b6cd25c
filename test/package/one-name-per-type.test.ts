/**
 * One name per public type. jsii records every exported type under its fully qualified name; a
 * namespace re-export (`export * as helm from './helm'`) would record each of the room's types a
 * second time (`cdk8s-deploykit.HelmChart` and `cdk8s-deploykit.helm.HelmChart`), which Python,
 * Java, .NET and Go turn into two unrelated classes. The package exports every type from the root
 * only; API.md groups them by room with headings. Needs the jsii build (`npx projen compile`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { requireBuild, ROOT } from './built';
import { roomOf } from '../../projenrc/rooms';

interface Assembly {
  readonly name: string;
  readonly types?: Record<string, { readonly name: string; readonly locationInModule?: { readonly filename: string } }>;
  readonly submodules?: Record<string, unknown>;
}

/** Each short type name recorded under more than one fully qualified name, with those names. */
function duplicateTypeNames(assembly: Assembly): Record<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const [fqn, type] of Object.entries(assembly.types ?? {})) byName.set(type.name, [...byName.get(type.name) ?? [], fqn]);
  return Object.fromEntries([...byName].filter(([, fqns]) => fqns.length > 1));
}

/** The `### Type` sections of API.md, each with the room heading (`## room`) it sits under. */
function apiSections(markdown: string): { id: string; room?: string }[] {
  const sections: { id: string; room?: string }[] = [];
  let room: string | undefined;
  for (const line of markdown.split('\n')) {
    const roomHeading = /^## .* id="room-([a-z]+)"><\/a>$/.exec(line);
    if (roomHeading) room = roomHeading[1];
    const typeHeading = /^### .* id="([^"]+)"><\/a>$/.exec(line);
    if (typeHeading) sections.push({ id: typeHeading[1], room });
  }
  return sections;
}

function builtAssembly(): Assembly {
  requireBuild();
  return JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf8'));
}

test('the check reports a short name recorded under two fully qualified names', () => {
  const planted: Assembly = {
    name: 'cdk8s-deploykit',
    types: {
      'cdk8s-deploykit.HelmChart': { name: 'HelmChart' },
      'cdk8s-deploykit.helm.HelmChart': { name: 'HelmChart' },
      'cdk8s-deploykit.ValueParameter': { name: 'ValueParameter' },
    },
  };
  expect(duplicateTypeNames(planted)).toEqual({ HelmChart: ['cdk8s-deploykit.HelmChart', 'cdk8s-deploykit.helm.HelmChart'] });
  expect(duplicateTypeNames({ name: 'x', types: { 'x.A': { name: 'A' }, 'x.B': { name: 'B' } } })).toEqual({});
});

test('.jsii lists every public type once, at the package root, with no submodules', () => {
  const assembly = builtAssembly();
  const fqns = Object.keys(assembly.types ?? {});
  expect(fqns.length).toBeGreaterThan(100);
  expect(duplicateTypeNames(assembly)).toEqual({});
  expect(assembly.submodules ?? {}).toEqual({});
  expect(fqns.filter((fqn) => fqn !== `${assembly.name}.${assembly.types![fqn].name}`)).toEqual([]);
  expect(fqns).toEqual(expect.arrayContaining(['cdk8s-deploykit.DeploymentManifest', 'cdk8s-deploykit.HelmChart', 'cdk8s-deploykit.CertificateBundle']));
});

test('API.md documents every type once, under the heading of the room its source file lives in', () => {
  const assembly = builtAssembly();
  const sections = apiSections(fs.readFileSync(path.join(ROOT, 'API.md'), 'utf8'));
  const expected = Object.entries(assembly.types!).map(([fqn, type]) => ({ id: fqn, room: roomOf(type.locationInModule!.filename)?.name }));
  expect(expected.filter((e) => !e.room)).toEqual([]);
  const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
  expect([...sections].sort(byId)).toEqual(expected.sort(byId));
  expect(sections.find((s) => s.id === 'cdk8s-deploykit.HelmChart')?.room).toBe('helm');
});

test('the API.md reader sees a type under the wrong room, or twice', () => {
  const planted = [
    '## helm <a name="helm" id="room-helm"></a>',
    '### HelmChart <a name="HelmChart" id="cdk8s-deploykit.HelmChart"></a>',
    '## tls <a name="tls" id="room-tls"></a>',
    '### HelmChart <a name="HelmChart" id="cdk8s-deploykit.HelmChart"></a>',
    '#### Initializers <a name="Initializers" id="cdk8s-deploykit.HelmChart.Initializer"></a>',
  ].join('\n');
  expect(apiSections(planted)).toEqual([
    { id: 'cdk8s-deploykit.HelmChart', room: 'helm' },
    { id: 'cdk8s-deploykit.HelmChart', room: 'tls' },
  ]);
});
