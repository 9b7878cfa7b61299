// The module structure of src/: no import cycles, nothing app.ts pulls in reaches back to
// it, and the service's modules never depend on test code. Imports are read from the source
// text (static, re-exports and literal dynamic imports, type-only ones included).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// The Prisma client is generated, not written here: its cycles are not ours to remove.
const GENERATED = 'src/db/generated/';

const STATIC_IMPORT = /(?:^|[\s;])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function tsFilesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file))
    .filter((file) => !file.startsWith(GENERATED));
}

/** Every import specifier in a file, in order. */
function specifiers(file: string): string[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  return [...source.matchAll(STATIC_IMPORT), ...source.matchAll(DYNAMIC_IMPORT)].map((m) => m[1]!);
}

/** A relative specifier as a repository path; packages stay as they are. */
function resolveSpecifier(from: string, specifier: string): string {
  if (!specifier.startsWith('.')) return specifier;
  const target = relative(ROOT, resolve(ROOT, dirname(from), specifier));
  return [target, `${target}.ts`, join(target, 'index.ts')].find((path) => existsSync(join(ROOT, path))) ?? target;
}

const isModule = (path: string) => path.endsWith('.ts') && !path.startsWith(GENERATED);

/** The import graph from every file under src/, following imports into the rest of the repository. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const pending = tsFilesUnder('src');
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const targets = specifiers(file).map((s) => resolveSpecifier(file, s));
    graph.set(file, targets);
    pending.push(...targets.filter((t) => isModule(t) && !t.startsWith('test/') && !graph.has(t)));
  }
  return graph;
}

/** One cycle per back edge of a depth-first walk, each starting at its smallest path. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles = new Map<string, string[]>();
  const done = new Set<string>();
  const stack: string[] = [];
  const visit = (file: string) => {
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next) || done.has(next)) continue;
      const at = stack.indexOf(next);
      if (at === -1) {
        visit(next);
        continue;
      }
      const cycle = stack.slice(at);
      const start = cycle.indexOf([...cycle].sort()[0]!);
      const rotated = [...cycle.slice(start), ...cycle.slice(0, start)];
      cycles.set(rotated.join(' → '), [...rotated, rotated[0]!]);
    }
    stack.pop();
    done.add(file);
  };
  for (const file of [...graph.keys()].sort()) if (!done.has(file)) visit(file);
  return [...cycles.values()];
}

function reachableFrom(graph: Map<string, string[]>, start: string): Set<string> {
  const seen = new Set<string>();
  const pending = [...(graph.get(start) ?? [])];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file) || !graph.has(file)) continue;
    seen.add(file);
    pending.push(...graph.get(file)!);
  }
  return seen;
}

const graph = importGraph();

describe('the module structure of src/', () => {
  it('reads the imports it checks', () => {
    expect(graph.get('src/app.ts')?.length).toBeGreaterThan(0);
  });

  it('has no import cycle', () => {
    expect(findCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([]);
  });

  it('nothing src/app.ts imports, directly or not, imports src/app.ts', () => {
    const importers = [...reachableFrom(graph, 'src/app.ts')].filter((file) => graph.get(file)!.includes('src/app.ts'));
    expect(importers).toEqual([]);
  });

  it('no module imports test code or vitest', () => {
    const offending = [...graph.keys()]
      .filter((file) => file.startsWith('src/'))
      .flatMap((file) =>
        graph
          .get(file)!
          // A unit test beside its module is a test: vitest is its runner.
          .filter((target) => target.startsWith('test/') || (!file.endsWith('.test.ts') && /^vitest(\/|$)/.test(target)))
          .map((target) => `${file} imports ${target}`),
      );
    expect(offending).toEqual([]);
  });
});
