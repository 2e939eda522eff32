// The oldest Node.js fitsync supports (package.json engines) is the one the compiler checks against and the one
// esbuild compiles for: Node's type definitions of that major and minor, the ECMAScript library that Node ships and
// no browser globals, so an API that runtime lacks does not type-check.

import { readFileSync } from 'node:fs';
import test from 'ava';
import { oldestNode } from '../../scripts/oldest-node.ts';

const readJson = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const pkg = readJson('package.json') as { engines: { node: string }; devDependencies: Record<string, string> };
const tsconfig = readJson('tsconfig.json') as { compilerOptions: { target: string; lib: string[] } };

/**
 * The newest ECMAScript edition each Node major implements in full (https://node.green/): Node 20 lacks
 * ES2024's Promise.withResolvers and Object.groupBy, which Node 22 has.
 */
const ecmaScriptOf: Record<number, string> = { 20: 'es2023', 22: 'es2024' };

test('engines names one exact oldest version, and esbuild compiles for it', (t) => {
  const node = oldestNode(pkg.engines.node);
  t.deepEqual(node, { range: pkg.engines.node, major: node.major, minor: node.minor, esbuildTarget: `node${node.major}.${node.minor}` });
  t.throws(() => oldestNode('>=20'), { message: /MAJOR\.MINOR\.PATCH/ });
  t.throws(() => oldestNode('^20.19.0'), { message: /MAJOR\.MINOR\.PATCH/ });
  t.throws(() => oldestNode(undefined), { message: /MAJOR\.MINOR\.PATCH/ });
});

test("@types/node is pinned to the oldest supported Node's major and minor", (t) => {
  const node = oldestNode(pkg.engines.node);
  const types = pkg.devDependencies['@types/node'] ?? '';
  t.regex(types, /^\d+\.\d+\.\d+$/, 'an exact version');
  t.is(types.split('.').slice(0, 2).join('.'), `${node.major}.${node.minor}`);
});

test('the compiler knows the ECMAScript library of the oldest Node, and no browser globals', (t) => {
  const node = oldestNode(pkg.engines.node);
  const edition = ecmaScriptOf[node.major];
  if (!edition) return t.fail(`add Node ${node.major}'s ECMAScript edition to this test`);
  t.deepEqual(
    tsconfig.compilerOptions.lib.map((l) => l.toLowerCase()),
    [edition],
  );
  t.is(tsconfig.compilerOptions.target.toLowerCase(), edition);
});

test('the deployed runtime is at least the oldest supported Node', (t) => {
  const node = oldestNode(pkg.engines.node);
  const env = readFileSync(new URL('../../infra/functions.env.sh', import.meta.url), 'utf8');
  const runtime = /^FITSYNC_RUNTIME=nodejs(\d+)$/m.exec(env);
  t.truthy(runtime, 'infra/functions.env.sh sets FITSYNC_RUNTIME');
  t.true(Number(runtime![1]) >= node.major);
});
