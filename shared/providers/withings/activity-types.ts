import { FitActivity as A, type ActivityTypeTable } from '../../fit/activity-types.ts';

/**
 * Withings workout `category` (provider-types/withings.csv: the `workout_object.category` table of Withings'
 * OpenAPI) → [Google Fit activity type, Withings' name for it]. The name titles the session (Withings workouts
 * have none). Only the categories in `withingsTypesWithoutFitMatch` fall back to Other (108).
 */
const withingsCategories: Readonly<Record<string, readonly [number, string]>> = {
  1: [A.WALKING, 'Walk'],
  2: [A.RUNNING, 'Run'],
  3: [A.HIKING, 'Hiking'],
  4: [A.SKATING, 'Skating'],
  5: [A.BIKING, 'BMX'],
  6: [A.BIKING, 'Bicycling'],
  7: [A.SWIMMING, 'Swimming'],
  8: [A.SURFING, 'Surfing'],
  9: [A.KITESURFING, 'Kitesurfing'],
  10: [A.WINDSURFING, 'Windsurfing'],
  11: [A.SURFING, 'Bodyboard'], // wave riding lying down
  12: [A.TENNIS, 'Tennis'],
  13: [A.TABLE_TENNIS, 'Table tennis'],
  14: [A.SQUASH, 'Squash'],
  15: [A.BADMINTON, 'Badminton'],
  16: [A.WEIGHTLIFTING, 'Lift weights'],
  17: [A.OTHER, 'Fitness'], // Withings' generic fitness: exactly Fit's "Other (unclassified fitness activity)"
  18: [A.ELLIPTICAL, 'Elliptical'],
  19: [A.PILATES, 'Pilates'],
  20: [A.BASKETBALL, 'Basketball'],
  21: [A.FOOTBALL_SOCCER, 'Soccer'],
  22: [A.FOOTBALL_AMERICAN, 'Football'], // Withings lists Soccer (21) apart, so this is American football
  23: [A.RUGBY, 'Rugby'],
  24: [A.VOLLEYBALL, 'Volleyball'],
  25: [A.WATER_POLO, 'Water polo'],
  26: [A.HORSEBACK_RIDING, 'Horse riding'],
  27: [A.GOLF, 'Golf'],
  28: [A.YOGA, 'Yoga'],
  29: [A.DANCING, 'Dancing'],
  30: [A.BOXING, 'Boxing'],
  31: [A.FENCING, 'Fencing'],
  32: [A.MARTIAL_ARTS, 'Wrestling'], // grappling combat sport
  33: [A.MARTIAL_ARTS, 'Martial arts'],
  34: [A.SKIING, 'Skiing'],
  35: [A.SNOWBOARDING, 'Snowboarding'],
  36: [A.OTHER, 'Other'],
  128: [A.OTHER, 'No activity'],
  187: [A.ROWING, 'Rowing'],
  188: [A.ZUMBA, 'Zumba'],
  191: [A.BASEBALL, 'Baseball'],
  192: [A.HANDBALL, 'Handball'],
  193: [A.HOCKEY, 'Hockey'],
  194: [A.HOCKEY, 'Ice hockey'],
  195: [A.ROCK_CLIMBING, 'Climbing'],
  196: [A.ICE_SKATING, 'Ice skating'],
  272: [A.OTHER, 'Multi-sport'], // several sports in one workout
  306: [A.WALKING_TREADMILL, 'Indoor walk'],
  307: [A.RUNNING_TREADMILL, 'Indoor running'],
  308: [A.BIKING_STATIONARY, 'Indoor cycling'],
  455: [A.STANDUP_PADDLEBOARDING, 'Stand-up paddleboarding'],
  456: [A.TENNIS, 'Padel'], // racket sport on a court; Fit has no padel type
  457: [A.OTHER, 'Gaming'],
  490: [A.VOLLEYBALL_BEACH, 'Beach volleyball'],
  491: [A.STAIR_CLIMBING_MACHINE, 'Stair stepper'],
  492: [A.SKATEBOARDING, 'Skateboarding'],
  493: [A.OTHER, 'Parkour'], // Fit has no parkour or free-running type
  494: [A.KAYAKING, 'Kayaking'],
  495: [A.KAYAKING, 'Canoeing'], // Fit has no canoe type; a paddle (not oars) makes kayaking the closest
  496: [A.SAILING, 'Sailing'],
  497: [A.OTHER, 'Fishing'], // Fit has no fishing type
  498: [A.RUNNING, 'Trail running'],
  499: [A.SNOWSHOEING, 'Snowshoeing'],
  500: [A.OTHER, 'Paintball'],
  501: [A.ARCHERY, 'Archery'],
  502: [A.SCUBA_DIVING, 'Scuba diving'],
  503: [A.BASEBALL, 'Baseball training'],
  504: [A.BIATHLON, 'Biathlon'],
  505: [A.OTHER, 'Bocce'],
  506: [A.OTHER, 'Pétanque'],
  507: [A.PARAGLIDING, 'Paragliding'],
  508: [A.FRISBEE_DISC, 'Frisbee'],
  509: [A.OTHER, 'Skydiving'],
  510: [A.TENNIS, 'Pickleball'], // racket sport on a court; Fit has no pickleball type
  511: [A.OTHER, 'Cornhole'],
  512: [A.TEAM_SPORTS, 'Dodgeball'],
  513: [A.FRISBEE_DISC, 'Ultimate'],
  514: [A.OTHER, 'Teqball'], // football over a curved table: neither Fit's soccer nor its table tennis
  515: [A.WHEELCHAIR, 'Pushing a wheelchair (running pace)'],
  516: [A.WHEELCHAIR, 'Pushing a wheelchair (walking pace)'],
  517: [A.OTHER, 'Athletics'], // runs, jumps and throws: no single Fit type
  518: [A.BIKING, 'Track cycling'],
  519: [A.OTHER, 'Pentathlon'], // multisport
  520: [A.OTHER, 'Sport shooting'],
  521: [A.OTHER, 'Triathlon'], // multisport
  522: [A.DIVING, 'Diving'],
  523: [A.BIKING_MOUNTAIN, 'Mountain biking'],
  524: [A.BIKING_ROAD, 'Gravel biking'],
  525: [A.BIKING, 'E-biking'],
  526: [A.BIKING_MOUNTAIN, 'E-mountain biking'],
  527: [A.BIKING_HAND, 'Handcycling'],
  528: [A.BIKING, 'Velomobile'], // recumbent enclosed bicycle
  529: [A.SKIING_BACK_COUNTRY, 'Backcountry skiing'],
  530: [A.SKIING_CROSS_COUNTRY, 'Nordic skiing'],
  531: [A.SKIING_ROLLER, 'Roller skiing'],
  532: [A.RACQUETBALL, 'Racquetball'],
  534: [A.DANCING, 'Hip hop'],
  535: [A.KICKBOXING, 'Muay Thai'],
  536: [A.MARTIAL_ARTS, 'Taekwondo'],
  537: [A.MARTIAL_ARTS, 'Judo'],
  538: [A.GYMNASTICS, 'Trampoline'],
  539: [A.OTHER, 'Standing frame'], // assisted standing, not an exercise type Fit knows
  540: [A.STRENGTH_TRAINING, 'Seated strength'],
  541: [A.AEROBICS, 'Seated cardio'],
  542: [A.WALKING, 'Walk with walker'],
  543: [A.WALKING, 'Walk with cane'],
  544: [A.DANCING, 'Breaking'],
  545: [A.HOUSEWORK, 'Chores'],
  546: [A.CROSSFIT, 'Crossfit'],
  547: [A.BIKING_SPINNING, 'Spin class'],
  548: [A.CRICKET, 'Cricket'],
  549: [A.DANCING, 'Flamenco dancing'],
  550: [A.HIIT, 'HIIT'],
  551: [A.MEDITATION, 'Meditation'],
  552: [A.OTHER, 'Stretching'], // Fit has no stretching type
  553: [A.GARDENING, 'Yard work / gardening'],
  554: [A.HOUSEWORK, 'Cleaning'],
  555: [A.OTHER, 'Public speaking'],
  556: [A.TEAM_SPORTS, 'Spikeball'], // two-a-side ball game
  557: [A.TEAM_SPORTS, 'Lacrosse'], // Fit has no lacrosse type
  558: [A.WALKING, 'Baby wearing'],
  559: [A.WALKING, 'Dog walking'],
  560: [A.GUIDED_BREATHING, 'Breathing exercises'],
  561: [A.OTHER, 'Balance drills'],
  562: [A.WALKING_STROLLER, 'Pushing a stroller'],
  563: [A.WALKING, 'Toddler wearing'],
  564: [A.OTHER, 'Bowling'], // Fit has no bowling type
  565: [A.OTHER, 'Laser tag'],
  566: [A.WALKING_NORDIC, 'Nordic walking'],
  567: [A.MARTIAL_ARTS, 'Sumo wrestling'],
  568: [A.HOUSEWORK, 'Cooking'],
};

export const withingsActivityTypes: ActivityTypeTable = Object.fromEntries(
  Object.entries(withingsCategories).map(([category, [fit]]) => [category, fit]),
);

/** Withings categories for which Fit has no counterpart, so Other (108) is the honest answer. */
export const withingsTypesWithoutFitMatch: readonly string[] = [
  '17', '36', '128', '272', '457', '493', '497', '500', '505', '506', '509', '511', '514', '517', '519', '520', '521', '539',
  '552', '555', '561', '564', '565',
];

/** Withings' name for a category, or undefined for one this table does not know. */
export function withingsCategoryName(category: string): string | undefined {
  return Object.hasOwn(withingsCategories, category) ? withingsCategories[category]?.[1] : undefined;
}
