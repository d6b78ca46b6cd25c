/*
 * Writes API.md from the jsii assembly, grouped by room: jsii-docgen renders every type (its own
 * Markdown for constructs, structs, classes, protocols and enums), and this file only arranges those
 * sections under one heading per room (projenrc/rooms.ts), the room taken from the source file jsii
 * records for the type. Each type appears once, under its root name. Run by `npx projen docgen` after
 * the jsii compile; CI fails when the committed API.md differs from what this makes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Documentation, Language, MarkdownDocument, MarkdownRenderer, Schema } from 'jsii-docgen';
import { roomOf, ROOMS } from './rooms';

/** Where the API reference lives, relative to the repository root. */
export const API_DOCS_FILE = 'API.md';

/** One type as jsii-docgen describes it, with the renderer call that writes its section. */
interface DocumentedType {
  readonly fqn: string;
  readonly id: string;
  readonly displayName: string;
  readonly kind: string;
  readonly summary: string;
  readonly render: () => MarkdownDocument;
}

/** The anchor of a room's heading. */
export function roomAnchor(room: string): string {
  return `room-${room}`;
}

/** Every type of the API reference: what a user creates first (constructs, classes), then structs, protocols and enums, each by name. */
function documentedTypes(schema: Schema, renderer: MarkdownRenderer): DocumentedType[] {
  const api = schema.apiReference;
  if (!api) throw new Error('jsii-docgen returned no API reference');
  const entry = <T extends { fqn: string; id: string; displayName: string; docs: { summary?: string } }>(
    kind: string, visit: (type: T) => MarkdownDocument) => (type: T): DocumentedType => ({
    fqn: type.fqn,
    id: type.id,
    displayName: type.displayName,
    kind,
    summary: MarkdownDocument.removeNewlines(MarkdownDocument.sanitize(type.docs.summary ?? '')),
    render: () => visit(type),
  });
  return [
    ...api.constructs.map(entry('Construct', (t) => renderer.visitConstruct(t))),
    ...api.classes.map(entry('Class', (t) => renderer.visitClass(t))),
    ...api.structs.map(entry('Struct', (t) => renderer.visitStruct(t))),
    ...api.interfaces.map(entry('Protocol', (t) => renderer.visitInterface(t))),
    ...api.enums.map(entry('Enum', (t) => renderer.visitEnum(t))),
  ];
}

/** The source file jsii records for each type of the assembly in `root`. */
function sourceFiles(root: string): Map<string, string> {
  const assemblyFile = path.join(root, '.jsii');
  if (!fs.existsSync(assemblyFile)) throw new Error('.jsii is missing: run `npx projen compile` first');
  const assembly = JSON.parse(fs.readFileSync(assemblyFile, 'utf8')) as { types?: Record<string, { locationInModule?: { filename: string } }> };
  return new Map(Object.entries(assembly.types ?? {}).map(([fqn, type]) => [fqn, type.locationInModule?.filename ?? '']));
}

/** The text of API.md for the jsii build in `root` (the repository root). */
export async function generateApiDocs(root: string): Promise<string> {
  const files = sourceFiles(root);
  const docs = await Documentation.forProject(root);
  try {
    const schema = (await docs.toJson({ language: Language.TYPESCRIPT })).content;
    const renderer = new MarkdownRenderer({ language: Language.TYPESCRIPT, ...schema.metadata });
    const byRoom = new Map<string, DocumentedType[]>();
    for (const type of documentedTypes(schema, renderer)) {
      const file = files.get(type.fqn) ?? '';
      const room = roomOf(file);
      if (!room) throw new Error(`${type.fqn} is declared in ${file || 'an unknown file'}, outside the rooms of projenrc/rooms.ts`);
      byRoom.set(room.name, [...byRoom.get(room.name) ?? [], type]);
    }
    const rooms = ROOMS.filter((room) => byRoom.has(room.name));

    const reference = new MarkdownDocument({ header: { title: 'API Reference' }, id: 'api-reference' });
    reference.lines(
      'Every type is exported from the package root (`import { DeploymentManifest } from \'cdk8s-deploykit\'`);',
      'the rooms below group them for discovery. Generated from the doc comments by `npx projen docgen`.',
      '',
    );
    for (const room of rooms) reference.bullet(`[${room.name}](#${roomAnchor(room.name)}): ${room.about}`);
    reference.lines('');
    for (const room of rooms) {
      const types = byRoom.get(room.name)!;
      const section = new MarkdownDocument({ header: { title: room.name }, id: roomAnchor(room.name) });
      section.lines(`${room.about[0].toUpperCase()}${room.about.slice(1)} (\`src/${room.name}/\`).`, '');
      section.table([
        ['Type', 'Kind', 'Summary'],
        ...types.map((t) => [`<a href="#${t.id}">${t.displayName}</a>`, t.kind, t.summary]),
      ]);
      for (const type of types) section.section(type.render());
      reference.section(section);
    }
    const document = new MarkdownDocument();
    document.section(reference);
    return document.render();
  } finally {
    await docs.cleanup();
  }
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  generateApiDocs(root).then(
    (text) => fs.writeFileSync(path.join(root, API_DOCS_FILE), text),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
