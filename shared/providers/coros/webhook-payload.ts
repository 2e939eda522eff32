import { PayloadError } from '../../errors.ts';
import { parseJsonObject } from '../../webhook/json-body.ts';
import { joinProblems } from '../read-fields.ts';
import { type CorosSportData, readSportData } from './sport-data.ts';

/**
 * Parses `{"sportDataList": [...]}`, reporting every problem at once. A body without workouts (or with an empty
 * list) is acknowledged with nothing to sync, as quantified-self does.
 */
export function parseCorosPush(rawBody: Buffer): CorosSportData[] {
  const body = parseJsonObject(rawBody);
  const list = body.sportDataList ?? [];
  if (!Array.isArray(list)) throw new PayloadError('sportDataList must be an array');
  const problems: string[] = [];
  const workouts = list.map((item, i) => readSportData(item, `sportDataList[${i}]`, problems));
  if (problems.length) throw new PayloadError(`not a COROS push: ${joinProblems(problems)}`);
  return workouts as CorosSportData[];
}
