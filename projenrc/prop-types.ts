/*
 * Derives the runtime type tables of the public API from its TypeScript types (the compiler API over
 * src/), so the check layer (`src/core/validation.ts`) knows every props interface without a
 * hand-written copy: property names, optional or required, and kind (string, number, boolean, enum
 * values, entity class, array, map, nested struct). Run by `npx projen gen:prop-types`; the test
 * test/project/prop-types.test.ts fails when the committed file is stale.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

/** Where the generated tables live, relative to the repository root. */
export const PROP_TYPES_FILE = 'src/core/private/prop-types.generated.ts';

/** Whether `flags` has any of the bits of `masks` (the compiler API's flags are bit sets). */
function has(flags: number, ...masks: number[]): boolean {
  // eslint-disable-next-line no-bitwise
  return masks.some((mask) => (flags & mask) !== 0);
}

interface Tables {
  enums: Map<string, string[]>;
  structs: Map<string, Map<string, string>>;
  interfaces: Map<string, string[]>;
  classes: Map<string, { base?: string; params: Map<string, string[]>; entities: Map<string, string> }>;
}

/** The text of the generated file for the sources under `root` (the repository root). */
export function generatePropTypes(root: string): string {
  const program = ts.createProgram([path.join(root, 'src', 'index.ts')], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const index = program.getSourceFile(path.join(root, 'src', 'index.ts'));
  if (!index) throw new Error('src/index.ts not found');
  const moduleSymbol = checker.getSymbolAtLocation(index)!;
  const tables: Tables = { enums: new Map(), structs: new Map(), interfaces: new Map(), classes: new Map() };
  const pending: ts.Symbol[] = [];

  const resolve = (symbol: ts.Symbol): ts.Symbol =>
    has(symbol.flags, ts.SymbolFlags.Alias) ? checker.getAliasedSymbol(symbol) : symbol;
  const isOwn = (symbol: ts.Symbol): boolean =>
    (symbol.declarations ?? []).some((d) => !d.getSourceFile().fileName.includes('node_modules'));

  /** The type's spec: "string", "enum:X", "class:X", "struct:X", "iface:X", "T[]", "{T}", "any", "fn". */
  const spec = (type: ts.Type): string => {
    if (has(type.flags, ts.TypeFlags.Any, ts.TypeFlags.Unknown)) return 'any';
    if (type.isUnion()) {
      const parts = type.types.filter((t) => !has(t.flags, ts.TypeFlags.Undefined, ts.TypeFlags.Null));
      const enumSymbol = parts.every((t) => has(t.flags, ts.TypeFlags.EnumLiteral)) ? enumOf(parts[0]) : undefined;
      if (enumSymbol) return registerEnum(enumSymbol);
      if (parts.every((t) => has(t.flags, ts.TypeFlags.BooleanLike))) return 'boolean';
      if (parts.length === 1) return spec(parts[0]);
      return 'any';
    }
    if (has(type.flags, ts.TypeFlags.EnumLike)) {
      const e = enumOf(type);
      if (e) return registerEnum(e);
    }
    if (has(type.flags, ts.TypeFlags.StringLike)) return 'string';
    if (has(type.flags, ts.TypeFlags.NumberLike)) return 'number';
    if (has(type.flags, ts.TypeFlags.BooleanLike)) return 'boolean';
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const [element] = checker.getTypeArguments(type as ts.TypeReference);
      return `${element ? spec(element) : 'any'}[]`;
    }
    if (type.getCallSignatures().length > 0) return 'fn';
    const symbol = type.aliasSymbol ?? type.getSymbol();
    const stringIndex = type.getStringIndexType();
    if (stringIndex && type.getProperties().length === 0) return `{${spec(stringIndex)}}`;
    if (!symbol || has(symbol.flags, ts.SymbolFlags.TypeLiteral)) return 'any';
    if (has(symbol.flags, ts.SymbolFlags.Class)) {
      if (isOwn(symbol)) pending.push(symbol);
      return `class:${symbol.getName()}`;
    }
    if (has(symbol.flags, ts.SymbolFlags.Interface)) {
      if (!isOwn(symbol)) return `iface:${symbol.getName()}`;
      pending.push(symbol);
      return isStruct(symbol) ? `struct:${symbol.getName()}` : `iface:${symbol.getName()}`;
    }
    return 'any';
  };

  const enumOf = (type: ts.Type): ts.Symbol | undefined => {
    const symbol = type.getSymbol();
    if (!symbol) return undefined;
    if (has(symbol.flags, ts.SymbolFlags.Enum)) return symbol;
    const parent = (symbol as { parent?: ts.Symbol }).parent;
    return parent && has(parent.flags, ts.SymbolFlags.Enum) ? parent : undefined;
  };

  const registerEnum = (symbol: ts.Symbol): string => {
    const name = symbol.getName();
    if (!tables.enums.has(name)) {
      const declaration = symbol.declarations!.find(ts.isEnumDeclaration)!;
      tables.enums.set(name, declaration.members.map((m) => String(checker.getConstantValue(m))));
    }
    return `enum:${name}`;
  };

  const isStruct = (symbol: ts.Symbol): boolean => {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    return type.getProperties().every((p) => !has(p.flags, ts.SymbolFlags.Method));
  };

  const declareInterface = (symbol: ts.Symbol): void => {
    const name = symbol.getName();
    if (tables.structs.has(name) || tables.interfaces.has(name)) return;
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    if (!isStruct(symbol)) {
      tables.interfaces.set(name, type.getProperties().map((p) => p.getName()).sort());
      return;
    }
    const props = new Map<string, string>();
    tables.structs.set(name, props);
    for (const p of type.getProperties()) {
      const optional = has(p.flags, ts.SymbolFlags.Optional);
      const propType = checker.getTypeOfSymbol(p);
      props.set(p.getName(), `${spec(propType)}${optional ? '?' : ''}`);
    }
  };

  const parameters = (signature: ts.Signature): string[] => signature.getParameters().map((param) => {
    const declaration = param.valueDeclaration as ts.ParameterDeclaration | undefined;
    const optional = declaration !== undefined && (declaration.questionToken !== undefined || declaration.initializer !== undefined);
    return `${param.getName()}:${spec(checker.getTypeOfSymbol(param))}${optional ? '?' : ''}`;
  });

  const declareClass = (symbol: ts.Symbol): void => {
    const name = symbol.getName();
    if (tables.classes.has(name)) return;
    const entry: { base?: string; params: Map<string, string[]>; entities: Map<string, string> } = { params: new Map(), entities: new Map() };
    tables.classes.set(name, entry);
    const instanceType = checker.getDeclaredTypeOfSymbol(symbol) as ts.InterfaceType;
    const base = checker.getBaseTypes(instanceType)[0]?.getSymbol();
    if (base) entry.base = base.getName();
    const staticType = checker.getTypeOfSymbol(symbol);
    const constructors = staticType.getConstructSignatures();
    const declaration = symbol.declarations?.find(ts.isClassDeclaration);
    const isPublic = (member: ts.Symbol): boolean => {
      const d = member.valueDeclaration;
      if (!d || member.getName().startsWith('_')) return false;
      const modifiers = ts.getCombinedModifierFlags(d as ts.Declaration);
      return !has(modifiers, ts.ModifierFlags.Private, ts.ModifierFlags.Protected) && !ts.getJSDocTags(d).some((t) => t.tagName.text === 'internal');
    };
    const ctorDeclaration = declaration?.members.find(ts.isConstructorDeclaration);
    const ctorPublic = !ctorDeclaration || !has(ts.getCombinedModifierFlags(ctorDeclaration), ts.ModifierFlags.Private, ts.ModifierFlags.Protected);
    if (constructors.length > 0 && ctorPublic) entry.params.set('new', parameters(constructors[0]));
    const members = [
      ...instanceType.getProperties().map((m) => ({ m, prefix: '' })),
      ...staticType.getProperties().map((m) => ({ m, prefix: 'static ' })),
    ];
    // Public instance properties that hold an object of a class (`McpServerInstance.workload`): the
    // check layer names them when such an object is given where one of their class is expected.
    for (const m of instanceType.getProperties()) {
      if (has(m.flags, ts.SymbolFlags.Method) || !isPublic(m) || !isOwn(m)) continue;
      const kind = spec(checker.getTypeOfSymbol(m));
      if (kind.startsWith('class:')) entry.entities.set(m.getName(), kind.slice('class:'.length));
    }
    for (const { m, prefix } of members) {
      if (!(has(m.flags, ts.SymbolFlags.Method)) || !isPublic(m) || !isOwn(m)) continue;
      const signatures = checker.getTypeOfSymbol(m).getCallSignatures();
      if (signatures.length === 0) continue;
      const params = parameters(signatures[0]);
      if (params.length > 0) entry.params.set(`${prefix}${m.getName()}`, params);
    }
  };

  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = resolve(exported);
    if (has(symbol.flags, ts.SymbolFlags.ValueModule)) continue; // `export * as core`: the same names again
    if (has(symbol.flags, ts.SymbolFlags.Enum)) registerEnum(symbol);
    else if (has(symbol.flags, ts.SymbolFlags.Class)) pending.push(symbol);
    else if (has(symbol.flags, ts.SymbolFlags.Interface)) pending.push(symbol);
  }
  while (pending.length > 0) {
    const symbol = pending.shift()!;
    if (has(symbol.flags, ts.SymbolFlags.Class)) declareClass(symbol);
    else declareInterface(symbol);
  }
  return render(tables);
}

const sorted = <V>(map: Map<string, V>): Array<[string, V]> => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
const str = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, '\\\'')}'`;

function render(tables: Tables): string {
  const lines = [
    '// Generated by projenrc/prop-types.ts from the TypeScript types of src/: run `npx projen gen:prop-types`, never edit.',
    '// Type specs: string, number, boolean, any, fn, enum:<Enum>, class:<Class>, struct:<Interface>, iface:<Interface>,',
    '// <spec>[] (an array), {<spec>} (a map with string keys); a trailing "?" marks an optional property or parameter.',
    '',
    '/** The values of every public enum. @internal */',
    'export const ENUMS: { readonly [name: string]: readonly string[] } = {',
    ...sorted(tables.enums).map(([name, values]) => `  ${name}: [${values.map(str).join(', ')}],`),
    '};',
    '',
    '/** The properties of every public struct (props interfaces and the structs they hold). @internal */',
    'export const STRUCTS: { readonly [name: string]: { readonly [property: string]: string } } = {',
    ...sorted(tables.structs).map(([name, props]) =>
      `  ${name}: { ${[...props.entries()].map(([p, s]) => `${p}: ${str(s)}`).join(', ')} },`),
    '};',
    '',
    '/** Behavioural interfaces (objects with methods): their member names. @internal */',
    'export const INTERFACES: { readonly [name: string]: readonly string[] } = {',
    ...sorted(tables.interfaces).map(([name, members]) => `  ${name}: [${members.map(str).join(', ')}],`),
    '};',
    '',
    '/**',
    ' * Public classes: their base class, the parameters of their constructor ("new") and public methods,',
    ' * and the public properties that hold an object of a class ("entities": property name to class name). @internal',
    ' */',
    'export const CLASSES: { readonly [name: string]: {',
    '  readonly base?: string;',
    '  readonly params: { readonly [method: string]: readonly string[] };',
    '  readonly entities?: { readonly [property: string]: string };',
    '} } = {',
    ...sorted(tables.classes).map(([name, { base, params, entities }]) => {
      const methods = sorted(params).map(([m, ps]) => `${/^[A-Za-z_$][\w$]*$/.test(m) ? m : str(m)}: [${ps.map(str).join(', ')}]`);
      const held = sorted(entities).map(([p, c]) => `${p}: ${str(c)}`);
      return `  ${name}: { ${base ? `base: ${str(base)}, ` : ''}params: { ${methods.join(', ')} }${held.length ? `, entities: { ${held.join(', ')} }` : ''} },`;
    }),
    '};',
    '',
  ];
  return lines.join('\n');
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  fs.mkdirSync(path.dirname(path.join(root, PROP_TYPES_FILE)), { recursive: true });
  fs.writeFileSync(path.join(root, PROP_TYPES_FILE), generatePropTypes(root));
  console.log(`wrote ${PROP_TYPES_FILE}`);
}
