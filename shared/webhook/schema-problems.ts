/** One problem a JSON Schema validator compiled by Ajv reports (https://ajv.js.org/api.html#error-objects). */
export interface SchemaError {
  /** JSON Pointer to the value, e.g. `/workouts/0/metrics/avgHeartRate`. */
  instancePath: string;
  /** Where in the schema the failing keyword is, e.g. `#/$defs/workout/properties/id/pattern`. */
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * What to say instead of the schema's own words, by where in the schema the problem is (the longest matching prefix
 * of `schemaPath` wins): where the schema speaks in a regular expression or a `oneOf`, a sender wants a reason.
 */
export type SchemaReasons = Readonly<Record<string, string>>;

/** `/workouts/0/metrics/avgHeartRate` → `workouts[0].metrics.avgHeartRate`. */
function pathText(pointer: string, child?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}

const MAX_LISTED_VALUES = 10;

/**
 * Ajv's errors as one sentence per problem, naming the field and never echoing its value (only names a sender chose
 * as keys). A value the reasons cover gets its reason once, however many keywords it failed (a `oneOf` fails each
 * branch, a time both its pattern and its format). Returns the problems and the paths that have one, so checks beyond
 * the schema can leave those alone.
 */
export function schemaProblems(errors: readonly SchemaError[], reasons: SchemaReasons): { problems: string[]; paths: Set<string> } {
  const reasonFor = (schemaPath: string) =>
    Object.keys(reasons)
      .filter((prefix) => schemaPath === prefix || schemaPath.startsWith(`${prefix}/`))
      .sort((a, b) => b.length - a.length)
      .map((prefix) => reasons[prefix]!)[0];
  const problems = new Set<string>();
  const paths = new Set<string>();
  const groups = new Map<string, SchemaError[]>();
  for (const e of errors) groups.set(e.instancePath, [...(groups.get(e.instancePath) ?? []), e]);
  for (const [pointer, group] of groups) {
    const at = pathText(pointer);
    for (const e of group.filter((x) => x.keyword === 'additionalProperties' || x.keyword === 'required')) {
      // A field that is unknown or missing is that field's problem, not its parent's.
      const field = pathText(pointer, String(e.keyword === 'required' ? e.params.missingProperty : e.params.additionalProperty));
      const reason = e.keyword === 'required' ? reasonFor(e.schemaPath) : undefined;
      paths.add(reason ? at : field);
      problems.add(reason ? `${at} ${reason}`.trim() : `${field} ${e.keyword === 'required' ? 'is required' : 'is not a known field'}`);
    }
    const rest = group.filter((x) => x.keyword !== 'additionalProperties' && x.keyword !== 'required');
    if (!rest.length) continue;
    paths.add(at);
    const reason = rest.map((e) => reasonFor(e.schemaPath)).find((r) => r !== undefined);
    if (reason) {
      problems.add(`${at} ${reason}`.trim());
      continue;
    }
    for (const e of rest) {
      if (e.keyword === 'enum' && Array.isArray(e.params.allowedValues) && e.params.allowedValues.length <= MAX_LISTED_VALUES) {
        problems.add(`${at} must be one of ${e.params.allowedValues.join(', ')}`);
      } else problems.add(`${at || 'the body'} ${e.message ?? `fails ${e.keyword}`}`);
    }
  }
  return { problems: [...problems], paths };
}
