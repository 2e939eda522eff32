import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, posix, relative, sep } from 'node:path';

/**
 * fitsync's own import graph, read from the TypeScript sources: which repository file imports which, type-only
 * imports included (they bind layers as much as value imports do, and esbuild erases them before any metafile
 * would show them). Package imports are left out; only relative specifiers are edges.
 *
 * Every import in the code base is a statement at the start of a line (`import … from '…'`, `export … from '…'`,
 * `import '…'`) or an `import('…')` expression, with a literal specifier; that is what is read. A specifier that
 * does not resolve to a file is reported, so a form this reader misses cannot go unnoticed.
 */
export type ImportGraph = Map<string, string[]>;

const STATIC_IMPORT = /^(?:import|export)\b[^;'"`]*?\bfrom\s*(['"])([^'"]+)\1/gm;
const BARE_IMPORT = /^import\s*(['"])([^'"]+)\1/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*(['"])([^'"]+)\1\s*\)/g;

/** The module specifiers one source file names, in order of appearance per form. */
export function importSpecifiers(source: string): string[] {
  return [STATIC_IMPORT, BARE_IMPORT, DYNAMIC_IMPORT].flatMap((re) => [...source.matchAll(re)].map((m) => m[2]!));
}

async function typeScriptFiles(root: string, dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => {
      const path = posix.join(dir, e.name);
      if (e.isDirectory()) return e.name === 'node_modules' ? [] : typeScriptFiles(root, path);
      return e.isFile() && e.name.endsWith('.ts') ? [path] : [];
    }),
  );
  return nested.flat();
}

export interface ReadGraph {
  graph: ImportGraph;
  /** Relative specifiers that name no file: `<file>: <specifier>`. */
  unresolved: string[];
}

/** Reads every .ts file under `dirs` (repository-relative) into a graph keyed by repository-relative POSIX paths. */
export async function readImportGraph(root: string, dirs: readonly string[]): Promise<ReadGraph> {
  const files = (await Promise.all(dirs.map((d) => typeScriptFiles(root, d)))).flat().sort();
  const graph: ImportGraph = new Map();
  const unresolved: string[] = [];
  for (const file of files) {
    const targets: string[] = [];
    for (const specifier of importSpecifiers(await readFile(join(root, file), 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = relative(root, join(root, dirname(file), specifier))
        .split(sep)
        .join('/');
      if (existsSync(join(root, target))) targets.push(target);
      else unresolved.push(`${file}: ${specifier}`);
    }
    graph.set(file, [...new Set(targets)]);
  }
  return { graph, unresolved };
}

/** Every import cycle, as the files of each strongly connected component (Tarjan), sorted. A self-import counts. */
export function findCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let next = 0;
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/**
 * One layer of the code base: the files whose path equals or starts with one of `paths` (a folder ends in "/").
 * Files may import files of their own layer and of the layers below it. In an `independent` layer, each path is
 * on its own: its files do not import the other paths' files (features that sit side by side).
 */
export interface Layer {
  name: string;
  paths: readonly string[];
  independent?: boolean;
}

const covers = (path: string, file: string) => (path.endsWith('/') ? file.startsWith(path) : file === path);

/** Where a file sits: its layer's position (0 = lowest) and the path that claimed it; the longest matching path wins. */
export function placeOf(file: string, layers: readonly Layer[]): { layer: number; path: string } | undefined {
  let best: { layer: number; path: string } | undefined;
  layers.forEach((l, layer) => {
    for (const path of l.paths) if (covers(path, file) && (!best || path.length > best.path.length)) best = { layer, path };
  });
  return best;
}

/** Files that no layer claims (a new folder must be placed), and every import that reaches up or sideways. */
export function layerViolations(graph: ImportGraph, layers: readonly Layer[]): { unplaced: string[]; forbidden: string[] } {
  const unplaced: string[] = [];
  const forbidden: string[] = [];
  for (const [file, targets] of graph) {
    const from = placeOf(file, layers);
    if (!from) {
      unplaced.push(file);
      continue;
    }
    for (const target of targets) {
      const to = placeOf(target, layers);
      if (!to) continue; // reported as unplaced when it is one of the graph's files
      const layer = layers[from.layer]!;
      if (to.layer > from.layer) forbidden.push(`${file} → ${target}: ${layer.name} sits below ${layers[to.layer]!.name}`);
      else if (to.layer === from.layer && layer.independent && to.path !== from.path) {
        forbidden.push(`${file} → ${target}: ${from.path} and ${to.path} are independent ${layer.name}`);
      }
    }
  }
  return { unplaced, forbidden };
}
