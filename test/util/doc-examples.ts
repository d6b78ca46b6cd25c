/**
 * The code examples of the docs, as data: every exported construct class of a package entry point
 * with the `@example` blocks of its doc comment (found with the TypeScript compiler, so classes
 * re-exported through `export *` and subclasses of subclasses count), and the ```ts blocks of a
 * Markdown file. `runExample` runs one as a user would, with `cdk8s-deploykit` imports mapped to src/.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

export interface ExportedClass {
  /** The exported name. */
  readonly name: string;
  /** Source file of the declaration, relative to `root`. */
  readonly file: string;
  /** Whether it is (a subclass of) `Construct` from the `constructs` package. */
  readonly isConstruct: boolean;
  readonly isAbstract: boolean;
  /** The text of each `@example` tag of the class's doc comment. */
  readonly examples: string[];
}

function extendsConstruct(checker: ts.TypeChecker, type: ts.Type, seen = new Set<ts.Type>()): boolean {
  if (seen.has(type)) return false;
  seen.add(type);
  for (const base of checker.getBaseTypes(type as ts.InterfaceType) ?? []) {
    const decl = base.getSymbol()?.declarations?.[0];
    const from = decl?.getSourceFile().fileName.split(path.sep).join('/') ?? '';
    if (base.getSymbol()?.getName() === 'Construct' && /\/node_modules\/constructs\//.test(from)) return true;
    if (extendsConstruct(checker, base, seen)) return true;
  }
  return false;
}

/** Every class the module `entry` exports (directly or through `export *`), sorted by name. */
export function exportedClasses(entry: string, root = path.dirname(entry)): ExportedClass[] {
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    noEmit: true,
    skipLibCheck: true,
    types: [],
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  if (!source) throw new Error(`cannot read ${entry}`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${entry} is not a module`);
  const classes: ExportedClass[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    // eslint-disable-next-line no-bitwise -- SymbolFlags is a bit mask
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const decl = symbol.declarations?.find(ts.isClassDeclaration);
    if (!decl) continue;
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    classes.push({
      name: exported.getName(),
      file: path.relative(root, decl.getSourceFile().fileName).split(path.sep).join('/'),
      isConstruct: extendsConstruct(checker, type),
      isAbstract: !!decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword),
      examples: ts.getJSDocTags(decl)
        .filter((tag) => tag.tagName.text === 'example')
        .map((tag) => ts.getTextOfJSDocComment(tag.comment) ?? ''),
    });
  }
  return classes.sort((a, b) => a.name.localeCompare(b.name));
}

/** The names of the construct classes among `classes` without an `@example`. */
export function constructsWithoutExample(classes: ExportedClass[]): string[] {
  return classes.filter((c) => c.isConstruct && !c.examples.some((e) => e.trim())).map((c) => c.name);
}

export interface Snippet {
  /** 1-based line of the opening fence. */
  readonly line: number;
  readonly code: string;
}

/** The ```ts / ```typescript code blocks of a Markdown text (the languages jsii-rosetta compiles). */
export function typescriptSnippets(markdown: string): Snippet[] {
  const snippets: Snippet[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(```+)\s*(ts|typescript)\b/.exec(lines[i]);
    if (!open) continue;
    const end = lines.findIndex((l, j) => j > i && l.trim().startsWith(open[2]));
    if (end < 0) throw new Error(`line ${i + 1}: code block never closed`);
    snippets.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return snippets;
}

/**
 * Runs a TypeScript example in `cwd` (so `app.synth()` writes to `<cwd>/dist`) with imports of
 * `cdk8s-deploykit` served by `library` (the package's src/ in tests). Types are not checked here:
 * jsii-rosetta compiles the examples against the built package (test/package/docs.test.ts).
 */
export function runExample(code: string, cwd: string, library: unknown, requireFn: (id: string) => unknown): void {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
  const moduleRequire = (id: string) => (id === 'cdk8s-deploykit' ? library : requireFn(id));
  const previous = process.cwd();
  fs.mkdirSync(cwd, { recursive: true });
  process.chdir(cwd);
  try {
    const module = { exports: {} };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('require', 'module', 'exports', js)(moduleRequire, module, module.exports);
  } finally {
    process.chdir(previous);
  }
}
