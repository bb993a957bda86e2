// Adds the `override` modifiers the CDKTF generator omits, so its output compiles under the project's noImplicitOverride.

import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

/** TS4114: overrides a base-class member; TS4116: overrides an abstract base-class method. Both are fixed by `override`. */
const MISSING_OVERRIDE = new Set([4114, 4116]);

/**
 * Type-checks every .ts file under `dir` (recursively) with noImplicitOverride,
 * resolving packages such as `cdktn` and `constructs` from `nodeModules`, and
 * inserts `override` into each class member TypeScript reports as missing it
 * (after its `public`/`protected`/`static` modifiers). Rewrites the files in
 * place; the result depends only on their text and the installed typings.
 * Returns how many modifiers were added. Other type errors are left for tsc.
 */
export function addOverrideModifiers(dir: string, nodeModules: string): number {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    noImplicitOverride: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    baseUrl: dir,
    paths: { '*': [join(nodeModules, '*')] },
  });
  const insertions = new Map<ts.SourceFile, Map<number, string>>();
  for (const diag of program.getSemanticDiagnostics()) {
    if (!diag.file || diag.start === undefined || !MISSING_OVERRIDE.has(diag.code)) continue;
    const [pos, insert] = overrideInsertion(diag.file, diag.start);
    insertions.set(diag.file, (insertions.get(diag.file) ?? new Map<number, string>()).set(pos, insert));
  }
  let added = 0;
  for (const [file, edits] of insertions) {
    let text = file.text;
    for (const pos of [...edits.keys()].sort((a, b) => b - a)) text = text.slice(0, pos) + edits.get(pos) + text.slice(pos);
    writeFileSync(file.fileName, text);
    added += edits.size;
  }
  return added;
}

/** [offset, text] that adds `override` to the class member named at `namePos`: right after its accessibility/static modifiers, else before it. */
function overrideInsertion(file: ts.SourceFile, namePos: number): [number, string] {
  const member = findMember(file, namePos);
  if (!member) throw new Error(`${file.fileName}: no class member named at offset ${namePos} (TypeScript reported a missing override there)`);
  const modifiers = ts.canHaveModifiers(member) ? (ts.getModifiers(member) ?? []) : [];
  const leading = modifiers.filter((m) => LEADING_MODIFIERS.has(m.kind));
  return leading.length === 0 ? [member.getStart(file), 'override '] : [leading[leading.length - 1].end, ' override'];
}

/** Modifiers that must come before `override`. */
const LEADING_MODIFIERS = new Set<ts.SyntaxKind>([ts.SyntaxKind.PublicKeyword, ts.SyntaxKind.ProtectedKeyword, ts.SyntaxKind.StaticKeyword]);

function findMember(file: ts.SourceFile, namePos: number): ts.ClassElement | undefined {
  let found: ts.ClassElement | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) found ??= node.members.find((m) => m.name !== undefined && m.name.getStart(file) === namePos);
    if (!found) ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}
