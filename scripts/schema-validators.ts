import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import addFormats from 'ajv-formats';
import type { Plugin } from 'esbuild';

/**
 * JSON Schemas fitsync enforces with a validator compiled ahead of time (Ajv's standalone code,
 * https://ajv.js.org/standalone.html): nothing compiles a schema at run time, so the webhook bundle carries the
 * generated checks and Ajv's few runtime helpers, not Ajv. `npm run build` compiles each schema into the bundles
 * (schemaValidatorsPlugin), whatever the committed module says; the committed module serves runs from source, and a
 * test fails when it is not what the schema gives (`npm run validators` rewrites it).
 */
export const schemaValidators = [
  { schema: 'shared/providers/generic/workout.schema.json', module: 'shared/providers/generic/workout-schema.validate.cjs' },
] as const;

/** Annotations (prose and examples) validate nothing; leaving them out keeps them out of the bundle. */
const ANNOTATIONS = new Set(['title', 'description', 'examples', '$comment']);
/** Keywords whose value is a map of names to schemas: the names are the sender's field names, kept whatever they are. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
/** Keywords whose value is data (enum values, required names): kept verbatim. */
const DATA = new Set(['enum', 'const', 'required', 'default']);

function withoutAnnotations(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutAnnotations); // oneOf, anyOf, allOf, prefixItems
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (DATA.has(keyword)) out[keyword] = value;
    else if (SCHEMA_MAPS.has(keyword))
      out[keyword] = Object.fromEntries(Object.entries(value as object).map(([name, sub]) => [name, withoutAnnotations(sub)]));
    else out[keyword] = withoutAnnotations(value);
  }
  return out;
}

/** The CommonJS module that validates `schema` (draft 2020-12), reporting every problem (allErrors). */
export function validatorSource(schema: unknown, schemaPath: string): string {
  // strictRequired is off: `oneOf: [{required: [a]}, {required: [b]}]` names properties defined beside it, as meant.
  const ajv = new Ajv2020.default({
    allErrors: true,
    strict: true,
    strictRequired: false,
    code: { source: true, esm: false, lines: false },
  });
  addFormats.default(ajv, ['date-time', 'uri']);
  const code = standaloneCode.default(ajv, ajv.compile(withoutAnnotations(schema) as object));
  return `// Generated from ${schemaPath} by scripts/schema-validators.ts (npm run build). Do not edit.\n${code}\n`;
}

async function generated(root: URL, v: (typeof schemaValidators)[number]): Promise<string> {
  return validatorSource(JSON.parse(await readFile(new URL(v.schema, root), 'utf8')) as unknown, v.schema);
}

/** Rewrites the committed modules from their schemas. */
export async function writeSchemaValidators(root: URL): Promise<void> {
  for (const v of schemaValidators) await writeFile(new URL(v.module, root), await generated(root, v));
}

/** Makes esbuild compile each validator module from its schema at build time instead of reading the file. */
export function schemaValidatorsPlugin(root: URL): Plugin {
  const byPath = new Map(schemaValidators.map((v) => [fileURLToPath(new URL(v.module, root)), v]));
  return {
    name: 'schema-validators',
    setup(build) {
      build.onLoad({ filter: /\.validate\.cjs$/ }, async (args) => {
        const v = byPath.get(args.path);
        return v ? { contents: await generated(root, v), loader: 'js' } : undefined;
      });
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await writeSchemaValidators(new URL('../', import.meta.url));
