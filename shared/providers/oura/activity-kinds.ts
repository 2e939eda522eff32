import type { ActivityKindTable } from '../../activity/kinds.ts';

/**
 * Oura workout `activity` (lower-case, free-form: Oura publishes no list, https://cloud.ouraring.com/v2/docs#tag/Workout-Routes;
 * these are the values known from integrations and real data) → fitsync activity kind. Only the values in
 * `ouraValuesWithoutHealthMatch` are `other`; a value Oura adds later is `other` with a warning (resolveActivityKind).
 */
export const ouraActivityKinds: ActivityKindTable = {
  running: 'running',
  trail_running: 'trail-run',
  walking: 'walking',
  hiking: 'hiking',
  cycling: 'biking',
  mountain_biking: 'mountain-bike',
  indoor_cycling: 'stationary-bike',
  swimming: 'swimming',
  rowing: 'rowing',
  kayaking: 'kayaking',
  stand_up_paddling: 'paddleboarding',
  surfing: 'surfing',
  sailing: 'sailing',
  water_polo: 'water-polo',
  strength_training: 'strength-training',
  weightlifting: 'weightlifting',
  functional_training: 'functional-strength-training',
  hiit: 'hiit',
  circuit_training: 'circuit-training',
  elliptical: 'elliptical',
  stair_climbing: 'stair-climbing',
  jump_rope: 'jumping-rope',
  yoga: 'yoga',
  pilates: 'pilates',
  stretching: 'stretching',
  meditation: 'meditation',
  breathwork: 'guided-breathing',
  skiing: 'skiing',
  cross_country_skiing: 'cross-country-ski',
  snowboarding: 'snowboarding',
  ice_skating: 'ice-skating',
  soccer: 'soccer',
  basketball: 'basketball',
  volleyball: 'volleyball',
  baseball: 'baseball',
  rugby: 'rugby',
  cricket: 'cricket',
  handball: 'handball',
  lacrosse: 'lacrosse',
  american_football: 'football-american',
  ice_hockey: 'hockey',
  field_hockey: 'field-hockey',
  tennis: 'tennis',
  squash: 'squash',
  badminton: 'badminton',
  table_tennis: 'table-tennis',
  pickleball: 'pickleball',
  padel: 'padel',
  boxing: 'boxing',
  martial_arts: 'martial-arts',
  wrestling: 'wrestling',
  rock_climbing: 'rock-climbing',
  climbing: 'climbing',
  golf: 'golf',
  inline_skating: 'rollerblading',
  skateboarding: 'skateboarding',
  horseback_riding: 'equestrian-sports',
  dancing: 'dancing',
  dance: 'dancing',
  group_exercise: 'exercise-class',
  aerobics: 'aerobic-workout',
  gymnastics: 'gymnastics',
  triathlon: 'multisport',
  other: 'other',
  activity: 'other',
  workout: 'workout',
  rest: 'other',
  recovery: 'other',
};

/** Oura values no Health exercise type describes, so `other` is the honest answer; the reason says why. */
export const ouraValuesWithoutHealthMatch: Readonly<Record<string, string>> = {
  other: "Oura's own unclassified workout",
  activity: 'movement Oura detected without naming a sport',
  rest: 'rest, not exercise',
  recovery: 'recovery, not exercise',
};

/** A session title when the user gave none: `trail_running` → "Trail running". */
export function ouraActivityLabel(activity: string): string {
  const words = activity.replace(/_+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Oura workout';
}
