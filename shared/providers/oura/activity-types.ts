import { FitActivity as A, type ActivityTypeTable } from '../../fit/activity-types.ts';

/**
 * Oura workout `activity` (provider-types/oura.csv, 68 lower-case values; Oura publishes no enum, the list is
 * third-party) → Google Fit activity type. Only the values in `ouraTypesWithoutFitMatch` fall back to Other (108);
 * a value Oura adds later maps to 108 with a warning (resolveActivityType).
 */
export const ouraActivityTypes: ActivityTypeTable = {
  running: A.RUNNING,
  trail_running: A.RUNNING,
  walking: A.WALKING,
  hiking: A.HIKING,
  cycling: A.BIKING,
  mountain_biking: A.BIKING_MOUNTAIN,
  indoor_cycling: A.BIKING_STATIONARY,
  swimming: A.SWIMMING,
  rowing: A.ROWING,
  kayaking: A.KAYAKING,
  stand_up_paddling: A.STANDUP_PADDLEBOARDING,
  surfing: A.SURFING,
  sailing: A.SAILING,
  water_polo: A.WATER_POLO,
  strength_training: A.STRENGTH_TRAINING,
  weightlifting: A.WEIGHTLIFTING,
  functional_training: A.CROSSFIT, // functional fitness is CrossFit's own term for it
  hiit: A.HIIT,
  circuit_training: A.CIRCUIT_TRAINING,
  elliptical: A.ELLIPTICAL,
  stair_climbing: A.STAIR_CLIMBING,
  jump_rope: A.JUMP_ROPE,
  yoga: A.YOGA,
  pilates: A.PILATES,
  stretching: A.OTHER, // Fit has no stretching or mobility type
  meditation: A.MEDITATION,
  breathwork: A.GUIDED_BREATHING,
  skiing: A.SKIING,
  cross_country_skiing: A.SKIING_CROSS_COUNTRY,
  snowboarding: A.SNOWBOARDING,
  ice_skating: A.ICE_SKATING,
  soccer: A.FOOTBALL_SOCCER,
  basketball: A.BASKETBALL,
  volleyball: A.VOLLEYBALL,
  baseball: A.BASEBALL,
  rugby: A.RUGBY,
  cricket: A.CRICKET,
  handball: A.HANDBALL,
  lacrosse: A.TEAM_SPORTS, // no lacrosse type; Fit's team-sport type is exact about what it is
  american_football: A.FOOTBALL_AMERICAN,
  ice_hockey: A.HOCKEY,
  field_hockey: A.HOCKEY,
  tennis: A.TENNIS,
  squash: A.SQUASH,
  badminton: A.BADMINTON,
  table_tennis: A.TABLE_TENNIS,
  pickleball: A.TENNIS, // as Strava's Pickleball: racket sport on a court
  padel: A.TENNIS,
  boxing: A.BOXING,
  martial_arts: A.MARTIAL_ARTS,
  wrestling: A.MARTIAL_ARTS, // grappling combat sport; Fit has no wrestling type
  rock_climbing: A.ROCK_CLIMBING,
  climbing: A.ROCK_CLIMBING,
  golf: A.GOLF,
  inline_skating: A.SKATING_INLINE,
  skateboarding: A.SKATEBOARDING,
  horseback_riding: A.HORSEBACK_RIDING,
  dancing: A.DANCING,
  dance: A.DANCING,
  group_exercise: A.AEROBICS,
  aerobics: A.AEROBICS,
  gymnastics: A.GYMNASTICS,
  triathlon: A.OTHER, // a multisport whole; Fit has no multisport type
  other: A.OTHER,
  activity: A.OTHER,
  workout: A.OTHER,
  rest: A.OTHER,
  recovery: A.OTHER,
};

/** Oura values for which Fit has no counterpart, so Other (108) is the honest answer. */
export const ouraTypesWithoutFitMatch: readonly string[] = ['stretching', 'triathlon', 'other', 'activity', 'workout', 'rest', 'recovery'];

/** A session title when the user gave none: `trail_running` → "Trail running". */
export function ouraActivityLabel(activity: string): string {
  const words = activity.replace(/_+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Oura workout';
}
