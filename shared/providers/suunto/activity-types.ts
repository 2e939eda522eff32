import { FitActivity as A, type ActivityTypeTable } from '../../fit/activity-types.ts';

/**
 * Suunto workout `activityId` (provider-types/suunto.csv: ids 0–121 from open-wearables, which cites Suunto's
 * Activities.pdf; 89 is not in the list) → [Google Fit activity type, Suunto's name for it]. The name titles a
 * session when the workout has no name of its own (the webhook carries none). Only the ids in
 * `suuntoTypesWithoutFitMatch` fall back to Other (108).
 */
const suuntoActivities: Readonly<Record<string, readonly [number, string]>> = {
  0: [A.WALKING, 'Walking'],
  1: [A.RUNNING, 'Running'],
  2: [A.BIKING, 'Cycling'],
  3: [A.SKIING_CROSS_COUNTRY, 'Cross-country skiing'],
  4: [A.OTHER, 'Sports'], // 4–9 are Suunto's unnamed "Other 1–6" slots: no sport to match
  5: [A.OTHER, 'Sports'],
  6: [A.OTHER, 'Sports'],
  7: [A.OTHER, 'Sports'],
  8: [A.OTHER, 'Sports'],
  9: [A.OTHER, 'Sports'],
  10: [A.BIKING_MOUNTAIN, 'Mountain biking'],
  11: [A.HIKING, 'Hiking'],
  12: [A.SKATING_INLINE, 'Roller skating'], // Suunto's roller skating is inline skating
  13: [A.SKIING_DOWNHILL, 'Downhill skiing'],
  14: [A.KAYAKING, 'Paddling'], // Fit's only paddle-driven boat type
  15: [A.ROWING, 'Rowing'],
  16: [A.GOLF, 'Golfing'],
  17: [A.OTHER, 'Indoor sports'], // a setting, not a sport
  18: [A.OTHER, 'Parkour'], // Fit has no parkour or free-running type
  19: [A.TEAM_SPORTS, 'Ball games'],
  20: [A.STRENGTH_TRAINING, 'Outdoor gym'],
  21: [A.SWIMMING, 'Swimming'],
  22: [A.RUNNING, 'Trail running'],
  23: [A.STRENGTH_TRAINING, 'Gym'],
  24: [A.WALKING_NORDIC, 'Nordic walking'],
  25: [A.HORSEBACK_RIDING, 'Horseback riding'],
  26: [A.OTHER, 'Motorsports'], // Fit types are human-powered activities
  27: [A.SKATEBOARDING, 'Skateboarding'],
  28: [A.OTHER, 'Water sports'], // a family of sports, none named
  29: [A.ROCK_CLIMBING, 'Climbing'],
  30: [A.SNOWBOARDING, 'Snowboarding'],
  31: [A.SKIING_BACK_COUNTRY, 'Ski touring'],
  32: [A.AEROBICS, 'Fitness class'], // group exercise class
  33: [A.FOOTBALL_SOCCER, 'Soccer'],
  34: [A.TENNIS, 'Tennis'],
  35: [A.BASKETBALL, 'Basketball'],
  36: [A.BADMINTON, 'Badminton'],
  37: [A.BASEBALL, 'Baseball'],
  38: [A.VOLLEYBALL, 'Volleyball'],
  39: [A.FOOTBALL_AMERICAN, 'American football'],
  40: [A.TABLE_TENNIS, 'Table tennis'],
  41: [A.RACQUETBALL, 'Racquetball'],
  42: [A.SQUASH, 'Squash'],
  43: [A.HOCKEY, 'Floorball'], // floor hockey
  44: [A.HANDBALL, 'Handball'],
  45: [A.SOFTBALL, 'Softball'],
  46: [A.OTHER, 'Bowling'], // Fit has no bowling type
  47: [A.CRICKET, 'Cricket'],
  48: [A.RUGBY, 'Rugby'],
  49: [A.ICE_SKATING, 'Ice skating'],
  50: [A.HOCKEY, 'Ice hockey'],
  51: [A.YOGA, 'Yoga/pilates'],
  52: [A.BIKING_STATIONARY, 'Indoor cycling'],
  53: [A.TREADMILL, 'Treadmill'],
  54: [A.CROSSFIT, 'Crossfit'],
  55: [A.ELLIPTICAL, 'Cross trainer'],
  56: [A.SKIING_ROLLER, 'Roller skiing'],
  57: [A.ROWING_MACHINE, 'Indoor rowing'],
  58: [A.OTHER, 'Stretching'], // Fit has no stretching type
  59: [A.OTHER, 'Track and field'], // runs, jumps and throws: no single Fit type
  60: [A.RUNNING, 'Orienteering'], // cross-country running with a map
  61: [A.STANDUP_PADDLEBOARDING, 'Standup paddling'],
  62: [A.MARTIAL_ARTS, 'Combat sport'],
  63: [A.KETTLEBELL_TRAINING, 'Kettlebell'],
  64: [A.DANCING, 'Dancing'],
  65: [A.SNOWSHOEING, 'Snowshoeing'],
  66: [A.FRISBEE_DISC, 'Frisbee golf'],
  67: [A.FOOTBALL_SOCCER, 'Futsal'], // indoor soccer
  68: [A.OTHER, 'Multisport'], // several sports in one workout
  69: [A.AEROBICS, 'Aerobics'],
  70: [A.HIKING, 'Trekking'],
  71: [A.SAILING, 'Sailing'],
  72: [A.KAYAKING, 'Kayaking'],
  73: [A.CIRCUIT_TRAINING, 'Circuit training'],
  74: [A.OTHER, 'Triathlon'], // multisport
  75: [A.TENNIS, 'Padel'], // racket sport on a court; Fit has no padel type
  76: [A.GYMNASTICS, 'Cheerleading'], // tumbling and stunts
  77: [A.BOXING, 'Boxing'],
  78: [A.SCUBA_DIVING, 'Scuba diving'],
  79: [A.DIVING, 'Freediving'],
  80: [A.OTHER, 'Adventure racing'], // multisport
  81: [A.GYMNASTICS, 'Gymnastics'],
  82: [A.KAYAKING, 'Canoeing'], // Fit has no canoe type; a paddle (not oars) makes kayaking the closest
  83: [A.HIKING, 'Mountaineering'],
  84: [A.SKIING_DOWNHILL, 'Telemark skiing'], // a downhill technique
  85: [A.SWIMMING_OPEN_WATER, 'Open water swimming'],
  86: [A.WINDSURFING, 'Windsurfing'],
  87: [A.KITESURFING, 'Kitesurfing'],
  88: [A.PARAGLIDING, 'Paragliding'],
  90: [A.SWIMMING_OPEN_WATER, 'Snorkeling'],
  91: [A.SURFING, 'Surfing'],
  92: [A.OTHER, 'Swimrun'], // multisport
  93: [A.OTHER, 'Duathlon'], // multisport
  94: [A.OTHER, 'Aquathlon'], // multisport
  95: [A.RUNNING, 'Obstacle racing'], // a running race with obstacles
  96: [A.OTHER, 'Fishing'], // Fit has no fishing type
  97: [A.OTHER, 'Hunting'], // Fit has no hunting type
  98: [A.OTHER, 'Transition'], // the change-over between multisport legs
  99: [A.BIKING_ROAD, 'Gravel cycling'],
  100: [A.SWIMMING, 'Mermaiding'], // monofin swimming
  101: [A.OTHER, 'Spearfishing'], // Fit has no fishing type
  102: [A.JUMP_ROPE, 'Jump rope'],
  103: [A.RUNNING, 'Track running'],
  104: [A.CALISTHENICS, 'Calisthenics'],
  105: [A.BIKING, 'E-biking'],
  106: [A.BIKING_MOUNTAIN, 'E-MTB'],
  107: [A.SKIING_BACK_COUNTRY, 'Backcountry skiing'],
  108: [A.WHEELCHAIR, 'Wheelchair sport'],
  109: [A.BIKING_HAND, 'Hand cycling'],
  110: [A.SNOWBOARDING, 'Splitboarding'], // backcountry snowboarding
  111: [A.BIATHLON, 'Biathlon'],
  112: [A.MEDITATION, 'Meditation'],
  113: [A.HOCKEY, 'Field hockey'],
  114: [A.BIKING, 'Cyclocross'],
  115: [A.RUNNING, 'Vertical running'],
  116: [A.SKIING_BACK_COUNTRY, 'Ski mountaineering'],
  117: [A.SKIING_CROSS_COUNTRY, 'Skate skiing'],
  118: [A.SKIING_CROSS_COUNTRY, 'Classic skiing'],
  119: [A.HOUSEWORK, 'Chores'],
  120: [A.PILATES, 'Pilates'],
  121: [A.YOGA, 'Yoga'],
};

export const suuntoActivityTypes: ActivityTypeTable = Object.fromEntries(
  Object.entries(suuntoActivities).map(([id, [fit]]) => [id, fit]),
);

/** Suunto ids for which Fit has no counterpart, so Other (108) is the honest answer. */
export const suuntoTypesWithoutFitMatch: readonly string[] = [
  '4', '5', '6', '7', '8', '9', '17', '18', '26', '28', '46', '58', '59', '68', '74', '80', '92', '93', '94', '96', '97', '98',
  '101',
];

/** Suunto's name for an activityId, or undefined for one this table does not know. */
export function suuntoActivityName(activityId: string): string | undefined {
  return Object.hasOwn(suuntoActivities, activityId) ? suuntoActivities[activityId]?.[1] : undefined;
}
