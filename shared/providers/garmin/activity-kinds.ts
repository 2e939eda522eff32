import type { ActivityKindTable } from '../../activity/kinds.ts';

/**
 * Garmin `activityType` (Activity API v1.2.3 Appendix A with its `_V2`/older keys, older spec values still sent by
 * some devices, and `MULTI_SPORT`, the parent summary of a multisport activity) → fitsync activity kind. Only the
 * values in `garminValuesWithoutHealthMatch` are `other`.
 */
export const garminActivityKinds: ActivityKindTable = {
  // Running
  RUNNING: 'running',
  INDOOR_RUNNING: 'running', // treadmill or indoor track: Garmin keeps TREADMILL_RUNNING apart
  OBSTACLE_RUN: 'running',
  STREET_RUNNING: 'running',
  TRACK_RUNNING: 'running',
  TRAIL_RUNNING: 'trail-run',
  TREADMILL_RUNNING: 'treadmill-running',
  ULTRA_RUN: 'running',
  VIRTUAL_RUN: 'treadmill-running', // virtual runs are run on a treadmill
  // Cycling
  CYCLING: 'biking',
  BMX: 'biking',
  CYCLOCROSS: 'biking',
  DOWNHILL_BIKING: 'mountain-bike',
  E_BIKE_FITNESS: 'electric-bike',
  E_BIKE_MOUNTAIN: 'electric-mountain-bike',
  E_ENDURO_MTB: 'electric-mountain-bike',
  ENDURO_MTB: 'mountain-bike',
  GRAVEL_CYCLING: 'outdoor-bike',
  INDOOR_CYCLING: 'stationary-bike',
  MOUNTAIN_BIKING: 'mountain-bike',
  RECUMBENT_CYCLING: 'biking',
  ROAD_BIKING: 'road-biking',
  TRACK_CYCLING: 'biking', // velodrome, not road
  VIRTUAL_RIDE: 'stationary-bike',
  HANDCYCLING: 'hand-cycling',
  INDOOR_HANDCYCLING: 'hand-cycling',
  // Gym & fitness
  FITNESS_EQUIPMENT: 'workout', // the category itself: a gym workout on no named machine
  BOULDERING: 'climbing', // indoors or out
  ELLIPTICAL: 'elliptical',
  INDOOR_CARDIO: 'cardio-workout',
  HIIT: 'hiit',
  INDOOR_CLIMBING: 'indoor-climbing',
  INDOOR_ROWING: 'rowing-machine',
  MOBILITY: 'stretching',
  PILATES: 'pilates',
  STAIR_CLIMBING: 'stair-climber', // Garmin's label: "Stair stepper"
  STRENGTH_TRAINING: 'strength-training',
  YOGA: 'yoga',
  MEDITATION: 'meditation',
  // Swimming
  SWIMMING: 'swimming',
  LAP_SWIMMING: 'pool-swimming',
  OPEN_WATER_SWIMMING: 'open-water-swimming',
  // Walking and hiking
  WALKING: 'walking',
  CASUAL_WALKING: 'walking',
  SPEED_WALKING: 'power-walking',
  HIKING: 'hiking',
  RUCKING: 'rucking',
  // Winter sports
  WINTER_SPORTS: 'snow-sport',
  BACKCOUNTRY_SNOWBOARDING: 'snowboarding',
  BACKCOUNTRY_SKIING: 'back-country-skiing',
  CROSS_COUNTRY_SKIING_WS: 'cross-country-ski',
  RESORT_SKIING: 'downhill-skiing',
  SNOWBOARDING_WS: 'snowboarding',
  RESORT_SKIING_SNOWBOARDING_WS: 'snow-sport', // skis or a board: only the snow sport is certain
  SKATE_SKIING_WS: 'cross-country-ski',
  SKATING_WS: 'skating',
  SNOW_SHOE_WS: 'snowshoeing',
  SNOWMOBILING_WS: 'snowmobiling',
  // Water sports
  WATER_SPORTS: 'water-sport',
  BOATING_V2: 'water-sport', // boating is one of Garmin's water sports, with no type of its own anywhere
  BOATING: 'water-sport',
  FISHING_V2: 'fishing',
  FISHING: 'fishing',
  KAYAKING_V2: 'kayaking',
  KAYAKING: 'kayaking',
  KITEBOARDING_V2: 'kitesurfing',
  KITEBOARDING: 'kitesurfing',
  OFFSHORE_GRINDING_V2: 'sailing', // winch grinding aboard a racing yacht
  OFFSHORE_GRINDING: 'sailing',
  ONSHORE_GRINDING_V2: 'ergometer', // the same effort on a grinding ergometer ashore
  ONSHORE_GRINDING: 'ergometer',
  PADDLING_V2: 'paddling',
  PADDLING: 'paddling',
  ROWING_V2: 'rowing',
  ROWING: 'rowing',
  SAILING_V2: 'sailing',
  SAILING: 'sailing',
  SNORKELING: 'snorkeling',
  STAND_UP_PADDLEBOARDING_V2: 'paddleboarding',
  STAND_UP_PADDLEBOARDING: 'paddleboarding',
  SURFING_V2: 'surfing',
  SURFING: 'surfing',
  WAKEBOARDING_V2: 'wakeboarding',
  WAKEBOARDING: 'wakeboarding',
  WATERSKIING: 'water-skiing',
  WHITEWATER_RAFTING_V2: 'paddling', // raft, kayak or canoe on white water
  WHITEWATER_RAFTING: 'paddling',
  WINDSURFING_V2: 'windsurfing',
  WINDSURFING: 'windsurfing',
  // Multisport transitions
  TRANSITION_V2: 'other',
  BIKE_TO_RUN_TRANSITION_V2: 'other',
  BIKE_TO_RUN_TRANSITION: 'other',
  RUN_TO_BIKE_TRANSITION_V2: 'other',
  RUN_TO_BIKE_TRANSITION: 'other',
  SWIM_TO_BIKE_TRANSITION_V2: 'other',
  SWIM_TO_BIKE_TRANSITION: 'other',
  MULTI_SPORT: 'multisport',
  // Team sports
  TEAM_SPORTS: 'team-sports',
  AMERICAN_FOOTBALL: 'football-american',
  BASEBALL: 'baseball',
  BASKETBALL: 'basketball',
  CRICKET: 'cricket',
  FIELD_HOCKEY: 'field-hockey',
  ICE_HOCKEY: 'hockey',
  LACROSSE: 'lacrosse',
  RUGBY: 'rugby',
  SOCCER: 'soccer',
  SOFTBALL: 'softball',
  ULTIMATE_DISC: 'ultimate-frisbee',
  VOLLEYBALL: 'volleyball',
  // Racket sports
  RACKET_SPORTS: 'racket-sports',
  BADMINTON: 'badminton',
  PADDELBALL: 'padel', // renamed from PADDLE in v1.2.1
  PICKLEBALL: 'pickleball',
  PLATFORM_TENNIS: 'racket-sports', // paddles on a raised court: a racket sport of its own, not tennis
  RACQUETBALL: 'racquetball',
  SQUASH: 'squash',
  TABLE_TENNIS: 'table-tennis',
  TENNIS: 'tennis',
  TENNIS_V2: 'tennis',
  // Other
  OTHER: 'other',
  BOXING: 'boxing',
  BREATHWORK: 'guided-breathing',
  DANCE: 'dancing',
  DISC_GOLF: 'frisbee',
  FLOOR_CLIMBING: 'stair-climbing', // climbing the floors of a building on foot
  GOLF: 'golf',
  INLINE_SKATING: 'rollerblading',
  JUMP_ROPE: 'jumping-rope',
  MIXED_MARTIAL_ARTS: 'mixed-martial-arts',
  MOUNTAINEERING: 'hiking', // ascents on foot; both sinks know hiking, neither mountaineering
  ROCK_CLIMBING: 'rock-climbing',
  STOP_WATCH: 'other',
  // Para sports
  PARA_SPORTS: 'sport', // the category itself
  WHEELCHAIR_PUSH_RUN: 'wheelchair',
  WHEELCHAIR_PUSH_WALK: 'wheelchair',
  // Older spec values
  MOTORCYCLING_V2: 'motorcycle',
  ATV_V2: 'other',
  MOTOCROSS_V2: 'motocross',
  ASSISTANCE: 'other',
  AUTO_RACING: 'other',
  DRIVING_GENERAL: 'other',
  E_SPORT: 'other',
  FLYING: 'other',
  HANG_GLIDING: 'other',
  HORSEBACK_RIDING: 'equestrian-sports',
  HUNTING_FISHING: 'other',
  HUNTING_V2: 'hunting',
  RC_DRONE: 'other',
  SKY_DIVING: 'skydiving',
  RAFTING: 'paddling',
  WHITEWATER_RAFTING_KAYAKING: 'paddling',
  WINGSUIT_FLYING: 'skydiving', // a wingsuit jump ends under a parachute: a skydiving discipline
  DIVING: 'diving',
  APNEA_DIVING: 'diving', // breath-hold: no tank, so not scuba
  APNEA_HUNTING: 'diving', // spearfishing on a breath-hold dive
  CCR_DIVING: 'scuba-diving',
  GAUGE_DIVING: 'scuba-diving',
  MULTI_GAS_DIVING: 'scuba-diving',
  SINGLE_GAS_DIVING: 'scuba-diving',
};

const transition = 'the change-over between multisport legs: no exercise of its own';

/** Garmin values no Health exercise type describes, so `other` is the honest answer; the reason says why. */
export const garminValuesWithoutHealthMatch: Readonly<Record<string, string>> = {
  TRANSITION_V2: transition,
  BIKE_TO_RUN_TRANSITION_V2: transition,
  BIKE_TO_RUN_TRANSITION: transition,
  RUN_TO_BIKE_TRANSITION_V2: transition,
  RUN_TO_BIKE_TRANSITION: transition,
  SWIM_TO_BIKE_TRANSITION_V2: transition,
  SWIM_TO_BIKE_TRANSITION: transition,
  OTHER: "Garmin's own unclassified activity",
  STOP_WATCH: 'a timer recording: nothing says what was timed',
  ATV_V2: 'riding an all-terrain vehicle: Health knows motorcycles and motocross, not quads',
  ASSISTANCE: 'a safety/assistance recording, not an exercise',
  AUTO_RACING: 'car racing: Health has no car sport',
  DRIVING_GENERAL: 'driving a vehicle',
  E_SPORT: 'competitive video gaming, not an exergame',
  FLYING: 'piloting an aircraft',
  HANG_GLIDING: 'hang gliding: Health has paragliding and skydiving, neither is a hang glider',
  HUNTING_FISHING: 'hunting or fishing: Health has a type for each, and the value does not say which',
  RC_DRONE: 'flying a model or drone',
};

/** A readable session name when the summary has no `activityName`: `TRAIL_RUNNING` → "Trail running". */
export function garminTypeLabel(activityType: string): string {
  const words = activityType
    .replace(/_(V2|WS)$/, '')
    .toLowerCase()
    .replace(/_/g, ' ')
    .trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Workout';
}
