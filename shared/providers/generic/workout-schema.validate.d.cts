// Types of workout-schema.validate.cjs, which scripts/schema-validators.ts generates from workout.schema.json.
import type { SchemaError } from '../../webhook/schema-problems.ts';

/** True when `data` satisfies the schema; otherwise false, with every problem in `errors`. */
declare const validate: ((data: unknown) => boolean) & { errors?: SchemaError[] | null };
export = validate;
