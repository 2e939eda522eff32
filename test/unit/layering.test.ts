// The code base's layers (docs/layers.md): every import goes down or stays in its layer, no file is left out of
// the map, and no import cycle exists. The checks run on a tiny graph first, so a reader or rule that stopped
// seeing imports would fail here rather than pass quietly.

import { fileURLToPath } from 'node:url';
import test from 'ava';
import { providerIds } from '../../shared/provider-ids.ts';
import { findCycles, type ImportGraph, importSpecifiers, type Layer, layerViolations, readImportGraph } from '../support/import-graph.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Lowest first. A new folder under shared/ fails the "every file has a layer" test until it is placed here. */
const layers: Layer[] = [
  {
    name: 'foundation',
    paths: [
      'shared/errors.ts',
      'shared/clock.ts',
      'shared/log.ts',
      'shared/log-context.ts',
      'shared/config-reader.ts',
      'shared/types.ts',
      'shared/provider-ids.ts',
      'shared/time/',
      'shared/activity/',
    ],
  },
  { name: 'HTTP clients', paths: ['shared/http/'] },
  { name: 'the tracker event codec', paths: ['shared/events/'] },
  { name: 'Google Cloud plumbing', paths: ['shared/gcp/'] },
  { name: 'sinks', paths: ['shared/sinks/'] },
  { name: 'stores', paths: ['shared/stores/'] },
  { name: 'tokens', paths: ['shared/tokens/', 'shared/google/'] },
  { name: 'the webhook edge', paths: ['shared/webhook/'] },
  { name: 'the tracker adapter contract', paths: ['shared/providers/'] },
  { name: 'trackers', paths: providerIds.map((id) => `shared/providers/${id}/`), independent: true },
  { name: 'the sync core', paths: ['shared/sync/', 'shared/merge/'] },
  { name: 'backfill', paths: ['shared/backfill/'] },
  { name: 'features', paths: ['shared/worker/', 'shared/ops/', 'shared/connect/'], independent: true },
  {
    name: 'composition',
    paths: ['shared/config.ts', 'shared/providers/webhook-registry.ts', 'shared/providers/worker-registry.ts', 'functions/'],
  },
  { name: 'tools and tests', paths: ['scripts/', 'test/'] },
];

const sourceDirs = ['shared', 'functions', 'scripts', 'test'];

test('the reader finds every import form the code base uses, and none in a comment or a string', (t) => {
  const source = [
    "import { a } from './a.ts';",
    'import type {',
    '  B,',
    '  C,',
    "} from '../b.ts';",
    "export { d } from './d.ts';",
    "export * from './e.ts';",
    "import './f.ts';",
    // \u0027 is a quote: written plainly, these two samples would be read as imports of this test file itself.
    'const g = await import(\u0027./g.ts\u0027);',
    'type H = typeof import(\u0027./h.ts\u0027);',
    "import test from 'ava';",
    "  // import { no } from './comment.ts' is not at the start of a line",
    'const text = \'import { no } from "./string.ts"\';',
  ].join('\n');
  t.deepEqual(importSpecifiers(source).sort(), ['../b.ts', './a.ts', './d.ts', './e.ts', './f.ts', './g.ts', './h.ts', 'ava'].sort());
});

test('the rules catch an upward import, a sideways one between independent paths, an unplaced file and a cycle', (t) => {
  const tiny: Layer[] = [
    { name: 'low', paths: ['low/'] },
    { name: 'features', paths: ['a/', 'b/'], independent: true },
  ];
  const graph: ImportGraph = new Map([
    ['low/x.ts', ['a/y.ts']],
    ['a/y.ts', ['low/x.ts', 'b/z.ts', 'a/w.ts']],
    ['a/w.ts', []],
    ['b/z.ts', ['low/x.ts']],
    ['stray/s.ts', ['low/x.ts']],
  ]);
  const { unplaced, forbidden } = layerViolations(graph, tiny);
  t.deepEqual(unplaced, ['stray/s.ts']);
  t.deepEqual(forbidden, ['low/x.ts → a/y.ts: low sits below features', 'a/y.ts → b/z.ts: a/ and b/ are independent features']);
  t.deepEqual(findCycles(graph), [['a/y.ts', 'b/z.ts', 'low/x.ts']]);
  t.deepEqual(findCycles(new Map([['s.ts', ['s.ts']]])), [['s.ts']]);
  t.deepEqual(
    findCycles(
      new Map([
        ['p.ts', ['q.ts']],
        ['q.ts', []],
      ]),
    ),
    [],
  );
});

test('fitsync: every import resolves, every file has a layer, imports only go down, and nothing imports itself back', async (t) => {
  const { graph, unresolved } = await readImportGraph(repoRoot, sourceDirs);
  t.true(graph.size > 300, `read ${graph.size} files`);
  t.true(graph.get('functions/webhook.ts')?.includes('shared/config.ts'), 'a known edge is seen');
  t.deepEqual(unresolved, [], 'relative imports that name no file');
  const { unplaced, forbidden } = layerViolations(graph, layers);
  t.deepEqual(unplaced, [], 'files no layer claims: place their folder in this test and docs/layers.md');
  t.deepEqual(forbidden, [], 'imports that reach a higher layer or an independent neighbour');
  t.deepEqual(findCycles(graph), [], 'import cycles');
});
