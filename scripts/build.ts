import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { oldestNode } from './oldest-node.ts';
import { schemaValidatorsPlugin } from './schema-validators.ts';

/**
 * Builds one CommonJS bundle per function into dist/<fn>/ with a package.json that gcloud can deploy as is.
 * functions-framework stays external: bundled, it would register into its own copy and the CLI would report
 * "Function 'webhook' is not defined". Only the fitness module of googleapis is imported.
 */
export const functionsToBuild = ['webhook', 'worker', 'connect'] as const;

/**
 * The webhook answers trackers with 2 s deadlines, and what it loads at a cold start is paid on that clock: it
 * carries no Google client library (Pub/Sub over REST on node:http instead of gRPC). The worker carries one,
 * Firestore's (about 2.3 MiB with google-gax and grpc-js); Secret Manager, Pub/Sub and Google's token endpoint are
 * REST calls (docs/speed.md). A build that grows past its budget (someone importing a client library) fails here
 * rather than in production latency.
 */
const sizeBudgets: Partial<Record<(typeof functionsToBuild)[number], number>> = { webhook: 250 * 1024, worker: 2800 * 1024 };

const rootPkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
  engines: { node?: string };
  dependencies: Record<string, string>;
};
const runtime = oldestNode(rootPkg.engines.node);

async function buildFunction(fn: (typeof functionsToBuild)[number]): Promise<number> {
  const outdir = `dist/${fn}`;
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({
    entryPoints: [`functions/${fn}.ts`],
    outfile: `${outdir}/index.js`,
    bundle: true,
    platform: 'node',
    target: runtime.esbuildTarget,
    format: 'cjs',
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    external: ['@google-cloud/functions-framework'],
    metafile: true,
    // The JSON Schema validators are compiled from their schemas now, not read from the committed modules.
    plugins: [schemaValidatorsPlugin(new URL('../', import.meta.url))],
    logLevel: 'warning',
  });
  const pkg = {
    name: `fitsync-${fn}`,
    version: rootPkg.version,
    private: true,
    main: 'index.js',
    type: 'commonjs',
    engines: { node: runtime.range },
    dependencies: { '@google-cloud/functions-framework': rootPkg.dependencies['@google-cloud/functions-framework'] },
  };
  await writeFile(`${outdir}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
  const bytes = result.metafile.outputs[`${outdir}/index.js`]?.bytes ?? 0;
  return bytes;
}

for (const fn of functionsToBuild) {
  const bytes = await buildFunction(fn);
  const budget = sizeBudgets[fn];
  console.log(`dist/${fn}/index.js  ${(bytes / 1024).toFixed(0)} KiB${budget ? ` (budget ${budget / 1024} KiB)` : ''}`);
  if (budget && bytes > budget) {
    console.error(
      `dist/${fn}/index.js is ${(bytes / 1024).toFixed(0)} KiB, over its ${budget / 1024} KiB budget; did a client library get imported?`,
    );
    process.exitCode = 1;
  }
}
