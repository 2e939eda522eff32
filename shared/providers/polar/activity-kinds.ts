import type { ActivityKindTable } from '../../activity/kinds.ts';

/**
 * Polar `detailed_sport_info` names, plus the coarse `sport` value OTHER (Polar Flow's sport names as AccessLink
 * returns them, https://www.polar.com/accesslink-api/) → fitsync activity kind. Only the values in
 * `polarValuesWithoutHealthMatch` are `other`.
 */
export const polarActivityKinds: ActivityKindTable = {
  OTHER: 'other',
  AEROBICS: 'aerobic-workout',
  AGILITY: 'other',
  AMERICAN_FOOTBALL: 'football-american',
  AQUATICS: 'water-aerobics', // aqua fitness
  BACKCOUNTRY_SKIING: 'back-country-skiing',
  BADMINTON: 'badminton',
  BALLET_DANCING: 'ballet',
  BALLROOM_DANCING: 'ballroom-dance',
  BASEBALL: 'baseball',
  BASKETBALL: 'basketball',
  BEACH_TENNIS: 'racket-sports', // paddles on sand: a racket sport of its own, not tennis
  BEACH_VOLLEYBALL: 'beach-volleyball',
  BIATHLON: 'biathlon',
  BODY_AND_MIND: 'other',
  BOOTCAMP: 'bootcamp',
  BOXING: 'boxing',
  CALISTHENICS: 'calisthenics',
  CIRCUIT_TRAINING: 'circuit-training',
  CORE: 'core-training',
  CRICKET: 'cricket',
  CROSS_TRAINER: 'elliptical',
  CROSS_COUNTRY_RUNNING: 'running',
  'CROSS-COUNTRY_SKIING': 'cross-country-ski', // Polar Flow labels it "Skiing"; the value names cross-country skiing
  CYCLING: 'biking',
  CLIMBING: 'climbing',
  CURLING: 'curling',
  DANCING: 'dancing',
  DOWNHILL_SKIING: 'downhill-skiing',
  DUATHLON: 'multisport',
  DUATHLON_CYCLING: 'biking',
  DUATHLON_RUNNING: 'running',
  E_BIKE: 'electric-bike',
  ESPORTS: 'other',
  FIELD_HOCKEY: 'field-hockey',
  FINNISH_BASEBALL: 'baseball', // pesäpallo, a form of baseball
  FITNESS_BOXING: 'boxing',
  FITNESS_DANCING: 'dancing',
  FITNESS_MARTIAL_ARTS: 'martial-arts',
  FITNESS_RACING: 'circuit-training', // runs between strength stations (HYROX style)
  FITNESS_STEP: 'step-training',
  FLOORBALL: 'hockey', // floor hockey
  FREE_MULTISPORT: 'multisport',
  FRISBEEGOLF: 'frisbee',
  FUNCTIONAL_TRAINING: 'functional-strength-training',
  FUTSAL: 'soccer',
  GOLF: 'golf',
  GRAVEL: 'outdoor-bike',
  GROUP_EXERCISE: 'exercise-class',
  GYMNASTICK: 'gymnastics',
  HANDBALL: 'handball',
  HIIT: 'hiit',
  HIKING: 'hiking',
  ICE_HOCKEY: 'hockey',
  ICE_SKATING: 'ice-skating',
  INDOOR_CYCLING: 'stationary-bike',
  INDOOR_ROWING: 'rowing-machine',
  INLINE_SKATING: 'rollerblading',
  JAZZ_DANCING: 'jazz-dance',
  JOGGING: 'jogging',
  JUDO_MARTIAL_ARTS: 'martial-arts',
  JUMP_ROPE: 'jumping-rope',
  KETTLEBELL: 'kettlebell',
  KICKBIKE: 'scootering', // a kick scooter
  KICKBOXING_MARTIAL_ARTS: 'kickboxing',
  LATIN_DANCING: 'dancing',
  LES_MILLS_BARRE: 'barre-class',
  LES_MILLS_BODYATTACK: 'aerobic-workout',
  LES_MILLS_BODYBALANCE: 'exercise-class', // a class mixing yoga, tai chi and pilates
  LES_MILLS_BODYCOMBAT: 'martial-arts', // non-contact moves from karate, boxing, taekwondo and muay thai
  LES_MILLS_BODYJAM: 'dancing',
  LES_MILLS_BODYPUMP: 'strength-training', // barbell class
  LES_MILLS_BODYSTEP: 'step-training',
  LES_MILLS_CXWORKS: 'core-training',
  LES_MILLS_GRIT_ATHLETIC: 'hiit',
  LES_MILLS_GRIT_CARDIO: 'hiit',
  LES_MILLS_GRIT_STRENGTH: 'hiit',
  LES_MILLS_RPM: 'spinning',
  LES_MILLS_SHBAM: 'dancing',
  LES_MILLS_SPRINT: 'spinning', // HIIT on an indoor bike
  LES_MILLS_TONE: 'exercise-class', // cardio, strength and core in one class
  LES_MILLS_TRIP: 'spinning', // immersive indoor cycling
  MOBILITY_DYNAMIC: 'stretching',
  MOBILITY_STATIC: 'stretching',
  MODERN_DANCING: 'modern-dance',
  MOTORSPORTS_CAR_RACING: 'other',
  MOTORSPORTS_ENDURO: 'motorcycle', // off-road motorcycle racing
  MOTORSPORTS_HARD_ENDURO: 'motorcycle',
  MOTORSPORTS_MOTOCROSS: 'motocross',
  MOTORSPORTS_ROADRACING: 'motorcycle', // motorcycle road racing (car racing has its own value)
  MOTORSPORTS_SNOCROSS: 'snowmobiling', // snowmobile racing
  MOUNTAIN_BIKING: 'mountain-bike',
  NORDIC_WALKING: 'nordic-walking',
  OBSTACLE_COURSE_RACING: 'running', // a running race with obstacles
  OFFROADDUATHLON: 'multisport',
  OFFROADDUATHLON_CYCLING: 'mountain-bike',
  OFFROADDUATHLON_RUNNING: 'trail-run',
  OFFROADTRIATHLON: 'multisport',
  OFFROADTRIATHLON_CYCLING: 'mountain-bike',
  OFFROADTRIATHLON_RUNNING: 'trail-run',
  OFFROADTRIATHLON_SWIMMING: 'open-water-swimming',
  OPEN_WATER_SWIMMING: 'open-water-swimming',
  ORIENTEERING: 'orienteering',
  ORIENTEERING_MTB: 'mountain-bike', // orienteering by mountain bike: the effort is a ride
  ORIENTEERING_SKI: 'cross-country-ski', // orienteering on cross-country skis
  OTHER_INDOOR: 'other',
  OTHER_OUTDOOR: 'outdoor-workout',
  PADEL: 'padel',
  PARASPORTS_HAND_CYCLING: 'hand-cycling',
  PARASPORTS_SLED_HOCKEY: 'hockey',
  PARASPORTS_WATER_SKIING: 'water-skiing',
  PARASPORTS_WHEELCHAIR: 'wheelchair',
  PARASPORTS_WHEELCHAIR_BASKETBALL: 'basketball',
  PARASPORTS_WHEELCHAIR_TENNIS: 'tennis',
  PICKLEBALL: 'pickleball',
  PILATES: 'pilates',
  POOL_SWIMMING: 'pool-swimming',
  RIDING: 'equestrian-sports', // horse riding
  RINGETTE: 'team-sports', // a team sport on ice with a ring: not hockey
  ROAD_BIKING: 'road-biking',
  ROAD_RUNNING: 'running',
  ROLLER_BLADING: 'roller-skating', // Polar Flow labels it "Roller skating"; inline skating has its own value
  ROLLER_SKIING_CLASSIC: 'roller-skiing',
  ROLLER_SKIING_FREESTYLE: 'roller-skiing',
  ROWING: 'rowing',
  RUGBY: 'rugby',
  RUCKING: 'rucking',
  RUNNING: 'running',
  SHOW_DANCING: 'dancing',
  SHOOTING_SPORT_INDOOR: 'shooting',
  SHOOTING_SPORT_OUTDOOR: 'shooting',
  SKATEBOARDING: 'skateboarding',
  SKATING: 'skating',
  SKIERG: 'ergometer', // a ski ergometer
  SNOWBOARDING: 'snowboarding',
  SNOWSHOE_TREKKING: 'snowshoeing',
  SOCCER: 'soccer',
  SPINNING: 'spinning',
  SUP: 'paddleboarding',
  SQUASH: 'squash',
  STAIR_WORKOUT: 'stair-climbing',
  STREET_DANCING: 'dancing',
  STRENGTH_TRAINING: 'strength-training',
  STRETCHING: 'stretching',
  SWIMMING: 'swimming',
  TABLE_TENNIS: 'table-tennis',
  TAEKWONDO_MARTIAL_ARTS: 'taekwondo',
  TELEMARK_SKIING: 'skiing', // free-heel skiing, downhill or touring
  TENNIS: 'tennis',
  TRACK_AND_FIELD_RUNNING: 'running',
  TRAIL_RUNNING: 'trail-run',
  TREADMILL_RUNNING: 'treadmill-running',
  TRIATHLON: 'multisport',
  TRIATHLON_CYCLING: 'biking',
  TRIATHLON_RUNNING: 'running',
  TRIATHLON_SWIMMING: 'open-water-swimming',
  TROTTING: 'equestrian-sports', // harness racing
  ULTIMATE: 'ultimate-frisbee',
  ULTRARUNNING_RUNNING: 'running',
  VERTICALSPORTS_WALLCLIMBING: 'indoor-climbing',
  VERTICALSPORTS_OUTCLIMBING: 'climbing', // outdoors: rock, ice or alpine
  VOLLEYBALL: 'volleyball',
  WALKING: 'walking',
  WATER_EXERCISE: 'water-sport', // Polar Flow labels it "Water sports"
  WATER_RUNNING: 'water-jogging', // deep-water running
  WATERSPORTS_CANOEING: 'canoeing',
  WATERSPORTS_KAYAKING: 'kayaking',
  WATERSPORTS_KITESURFING: 'kitesurfing',
  WATERSPORTS_SAILING: 'sailing',
  WATERSPORTS_SURFING: 'surfing',
  WATERSPORTS_WAKEBOARDING: 'wakeboarding',
  WATERSPORTS_WATERSKI: 'water-skiing',
  WATERSPORTS_WINDSURFING: 'windsurfing',
  XC_SKIING_CLASSIC: 'cross-country-ski',
  XC_SKIING_FREESTYLE: 'cross-country-ski',
  YOGA: 'yoga',
};

/** Polar values no Health exercise type describes, so `other` is the honest answer; the reason says why. */
export const polarValuesWithoutHealthMatch: Readonly<Record<string, string>> = {
  OTHER: "Polar's own unclassified sport",
  AGILITY: 'dog agility: a handler guiding a dog through a course',
  BODY_AND_MIND: 'a mind-body practice of no single kind (yoga, tai chi, pilates elements): Health has none for the mix',
  ESPORTS: 'competitive video gaming, not an exergame',
  MOTORSPORTS_CAR_RACING: 'car racing: Health has no car sport',
  OTHER_INDOOR: 'an unnamed sport indoors',
};

/** A session title from the sport, since AccessLink exercises have none: `ROAD_RUNNING` → "Road running". */
export function polarSportLabel(sport: string): string {
  const words = sport.toLowerCase().replace(/[_-]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'Polar exercise';
}
