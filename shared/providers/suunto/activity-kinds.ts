import type { ActivityKind, ActivityKindTable } from '../../activity/kinds.ts';

/**
 * Suunto workout `activityId` (ids 0–121 of Suunto's activity list, as open-wearables mirrors it from Suunto's
 * Activities.pdf, https://github.com/the-momentum/open-wearables; 89 is not in the list) → [fitsync activity kind,
 * Suunto's name for it]. The name titles a session when the workout has no name of its own (the webhook carries
 * none). Only the ids in `suuntoValuesWithoutHealthMatch` are `other`.
 */
const suuntoActivities: Readonly<Record<string, readonly [ActivityKind, string]>> = {
  0: ['walking', 'Walking'],
  1: ['running', 'Running'],
  2: ['biking', 'Cycling'],
  3: ['cross-country-ski', 'Cross-country skiing'],
  4: ['sport', 'Sports'], // 4–9 are Suunto's unnamed "Other 1–6" slots for the user's own sports
  5: ['sport', 'Sports'],
  6: ['sport', 'Sports'],
  7: ['sport', 'Sports'],
  8: ['sport', 'Sports'],
  9: ['sport', 'Sports'],
  10: ['mountain-bike', 'Mountain biking'],
  11: ['hiking', 'Hiking'],
  12: ['roller-skating', 'Roller skating'],
  13: ['downhill-skiing', 'Downhill skiing'],
  14: ['paddling', 'Paddling'],
  15: ['rowing', 'Rowing'],
  16: ['golf', 'Golfing'],
  17: ['sport', 'Indoor sports'], // a sport indoors, none named
  18: ['parkour', 'Parkour'],
  19: ['sport', 'Ball games'], // ball games, team or not
  20: ['outdoor-workout', 'Outdoor gym'],
  21: ['swimming', 'Swimming'],
  22: ['trail-run', 'Trail running'],
  23: ['strength-training', 'Gym'], // Suunto's gym sport is weight training
  24: ['nordic-walking', 'Nordic walking'],
  25: ['equestrian-sports', 'Horseback riding'],
  26: ['other', 'Motorsports'],
  27: ['skateboarding', 'Skateboarding'],
  28: ['water-sport', 'Water sports'],
  29: ['climbing', 'Climbing'],
  30: ['snowboarding', 'Snowboarding'],
  31: ['back-country-skiing', 'Ski touring'],
  32: ['exercise-class', 'Fitness class'],
  33: ['soccer', 'Soccer'],
  34: ['tennis', 'Tennis'],
  35: ['basketball', 'Basketball'],
  36: ['badminton', 'Badminton'],
  37: ['baseball', 'Baseball'],
  38: ['volleyball', 'Volleyball'],
  39: ['football-american', 'American football'],
  40: ['table-tennis', 'Table tennis'],
  41: ['racquetball', 'Racquetball'],
  42: ['squash', 'Squash'],
  43: ['hockey', 'Floorball'], // floor hockey
  44: ['handball', 'Handball'],
  45: ['softball', 'Softball'],
  46: ['bowling', 'Bowling'],
  47: ['cricket', 'Cricket'],
  48: ['rugby', 'Rugby'],
  49: ['ice-skating', 'Ice skating'],
  50: ['hockey', 'Ice hockey'],
  51: ['other', 'Yoga/pilates'],
  52: ['stationary-bike', 'Indoor cycling'],
  53: ['treadmill', 'Treadmill'],
  54: ['crossfit', 'Crossfit'],
  55: ['elliptical', 'Cross trainer'],
  56: ['roller-skiing', 'Roller skiing'],
  57: ['rowing-machine', 'Indoor rowing'],
  58: ['stretching', 'Stretching'],
  59: ['track-and-field', 'Track and field'],
  60: ['orienteering', 'Orienteering'],
  61: ['paddleboarding', 'Standup paddling'],
  62: ['martial-arts', 'Combat sport'],
  63: ['kettlebell', 'Kettlebell'],
  64: ['dancing', 'Dancing'],
  65: ['snowshoeing', 'Snowshoeing'],
  66: ['frisbee', 'Frisbee golf'],
  67: ['soccer', 'Futsal'], // indoor soccer
  68: ['multisport', 'Multisport'],
  69: ['aerobic-workout', 'Aerobics'],
  70: ['hiking', 'Trekking'],
  71: ['sailing', 'Sailing'],
  72: ['kayaking', 'Kayaking'],
  73: ['circuit-training', 'Circuit training'],
  74: ['multisport', 'Triathlon'],
  75: ['padel', 'Padel'],
  76: ['cheerleading', 'Cheerleading'],
  77: ['boxing', 'Boxing'],
  78: ['scuba-diving', 'Scuba diving'],
  79: ['diving', 'Freediving'], // breath-hold diving
  80: ['multisport', 'Adventure racing'],
  81: ['gymnastics', 'Gymnastics'],
  82: ['canoeing', 'Canoeing'],
  83: ['hiking', 'Mountaineering'], // ascents on foot; neither sink knows mountaineering
  84: ['skiing', 'Telemark skiing'], // free-heel skiing, downhill or touring
  85: ['open-water-swimming', 'Open water swimming'],
  86: ['windsurfing', 'Windsurfing'],
  87: ['kitesurfing', 'Kitesurfing'],
  88: ['paragliding', 'Paragliding'],
  90: ['snorkeling', 'Snorkeling'],
  91: ['surfing', 'Surfing'],
  92: ['multisport', 'Swimrun'],
  93: ['multisport', 'Duathlon'],
  94: ['multisport', 'Aquathlon'],
  95: ['running', 'Obstacle racing'], // a running race with obstacles
  96: ['fishing', 'Fishing'],
  97: ['hunting', 'Hunting'],
  98: ['other', 'Transition'],
  99: ['outdoor-bike', 'Gravel cycling'],
  100: ['swimming', 'Mermaiding'], // monofin swimming
  101: ['diving', 'Spearfishing'], // spearfishing on a breath-hold dive
  102: ['jumping-rope', 'Jump rope'],
  103: ['running', 'Track running'],
  104: ['calisthenics', 'Calisthenics'],
  105: ['electric-bike', 'E-biking'],
  106: ['electric-mountain-bike', 'E-MTB'],
  107: ['back-country-skiing', 'Backcountry skiing'],
  108: ['wheelchair', 'Wheelchair sport'],
  109: ['hand-cycling', 'Hand cycling'],
  110: ['snowboarding', 'Splitboarding'], // backcountry snowboarding
  111: ['biathlon', 'Biathlon'],
  112: ['meditation', 'Meditation'],
  113: ['field-hockey', 'Field hockey'],
  114: ['biking', 'Cyclocross'],
  115: ['incline-run', 'Vertical running'], // uphill running
  116: ['back-country-skiing', 'Ski mountaineering'],
  117: ['cross-country-ski', 'Skate skiing'],
  118: ['cross-country-ski', 'Classic skiing'],
  119: ['household-chores', 'Chores'],
  120: ['pilates', 'Pilates'],
  121: ['yoga', 'Yoga'],
};

export const suuntoActivityKinds: ActivityKindTable = Object.fromEntries(
  Object.entries(suuntoActivities).map(([id, [kind]]) => [id, kind]),
);

/** Suunto ids no Health exercise type describes, so `other` is the honest answer; the reason says why. */
export const suuntoValuesWithoutHealthMatch: Readonly<Record<string, string>> = {
  26: 'motor sports of any kind (car, motorcycle, boat): the value does not say which',
  51: 'yoga or pilates: Health has a type for each, and the value does not say which',
  98: 'the change-over between multisport legs: no exercise of its own',
};

/** Suunto's name for an activityId, or undefined for one this table does not know. */
export function suuntoActivityName(activityId: string): string | undefined {
  return Object.hasOwn(suuntoActivities, activityId) ? suuntoActivities[activityId]?.[1] : undefined;
}
