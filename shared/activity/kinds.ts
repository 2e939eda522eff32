/**
 * fitsync's own activity vocabulary: every tracker value maps to one kind, and every sink maps every kind. A kind is
 * as fine as the finest sink distinguishes (the Google Health API's ExerciseType, 181 values, plus the Google Fit
 * activity types Health folds together), so no tracker value loses a distinction that some sink could keep.
 *
 * - `fit`: the Google Fit activity type integer (https://developers.google.com/fit/rest/v1/reference/activity-types).
 *   108 ("Other") only where Fit has no activity of that kind or a parent of it; never a neighbouring sport.
 * - `health`: the Google Health API `exercise.exerciseType` enum name
 *   (https://developers.google.com/health/reference/rest/v4/users.dataTypes.dataPoints#exercisetype).
 * - `family`: which kinds can describe the same real workout when two trackers record it (a run is never a ride);
 *   `any` is a catch-all a tracker uses when it does not know (an auto-detected "workout").
 */
export type ActivityFamily =
  | 'run'
  | 'walk'
  | 'ride'
  | 'swim'
  | 'row'
  | 'paddle'
  | 'water'
  | 'snow'
  | 'skate'
  | 'climb'
  | 'strength'
  | 'cardio'
  | 'mind-body'
  | 'dance'
  | 'combat'
  | 'racket'
  | 'team'
  | 'other'
  | 'any';

export interface KindInfo {
  fit: number;
  health: string;
  family: ActivityFamily;
}

const k = (fit: number, health: string, family: ActivityFamily): KindInfo => ({ fit, health, family });

/**
 * Order matters only for `kindOfFitType`: the first kind carrying a Fit type is that type's kind, unless
 * `fitTypeKinds` names it.
 */
export const activityKinds = {
  running: k(8, 'RUNNING', 'run'),
  'trail-run': k(8, 'TRAIL_RUN', 'run'),
  'incline-run': k(8, 'INCLINE_RUN', 'run'),
  jogging: k(56, 'RUNNING', 'run'),
  'sand-running': k(57, 'RUNNING', 'run'),
  'treadmill-running': k(58, 'TREADMILL', 'run'),
  treadmill: k(88, 'TREADMILL', 'run'),
  orienteering: k(108, 'ORIENTEERING', 'run'),
  'track-and-field': k(108, 'TRACK_AND_FIELD', 'run'),
  'water-jogging': k(108, 'WATER_JOGGING', 'water'),

  walking: k(7, 'WALKING', 'walk'),
  'power-walking': k(93, 'POWER_WALKING', 'walk'),
  'nordic-walking': k(94, 'NORDIC_WALKING', 'walk'),
  'treadmill-walk': k(95, 'TREADMILL_WALK', 'walk'),
  'stroller-walk': k(116, 'STROLLER_WALK', 'walk'),
  'incline-walk': k(7, 'INCLINE_WALK', 'walk'),
  'walk-with-weights': k(7, 'WALK_WITH_WEIGHTS', 'walk'),
  rucking: k(7, 'RUCKING', 'walk'),
  hiking: k(35, 'HIKING', 'walk'),
  backpacking: k(35, 'BACKPACKING', 'walk'),
  wheelchair: k(98, 'WHEELCHAIR', 'other'),

  biking: k(1, 'BIKING', 'ride'),
  // A ride outdoors on no particular discipline (gravel, an unspecified outdoor ride): Fit gets its parent, Biking.
  'outdoor-bike': k(1, 'OUTDOOR_BIKE', 'ride'),
  'road-biking': k(16, 'OUTDOOR_BIKE', 'ride'),
  'mountain-bike': k(15, 'MOUNTAIN_BIKE', 'ride'),
  'utility-biking': k(19, 'BIKING', 'ride'),
  'electric-bike': k(1, 'ELECTRIC_BIKE', 'ride'),
  'hand-cycling': k(14, 'HAND_CYCLING', 'ride'),
  spinning: k(17, 'SPINNING', 'ride'),
  'stationary-bike': k(18, 'STATIONARY_BIKE', 'ride'),
  'assault-bike': k(18, 'ASSAULT_BIKE', 'ride'),
  unicycling: k(108, 'UNICYCLING', 'ride'),
  // Mountain biking with a motor: Fit keeps the terrain, Health (which has both) the e-bike.
  'electric-mountain-bike': k(15, 'ELECTRIC_BIKE', 'ride'),

  swimming: k(82, 'SWIMMING', 'swim'),
  'pool-swimming': k(83, 'SWIMMING_POOL', 'swim'),
  'open-water-swimming': k(84, 'SWIMMING_OPEN_WATER', 'swim'),
  'synchronized-swimming': k(82, 'SYNCHRONIZED_SWIMMING', 'swim'),

  rowing: k(53, 'ROWING', 'row'),
  'rowing-machine': k(54, 'ROWING_MACHINE', 'row'),
  kayaking: k(40, 'KAYAKING', 'paddle'),
  canoeing: k(108, 'CANOEING', 'paddle'),
  paddleboarding: k(79, 'PADDLEBOARDING', 'paddle'),
  // Paddling the tracker does not narrow down (kayak, canoe, raft): Fit has no paddling type, Health only water sport.
  paddling: k(108, 'WATER_SPORT', 'paddle'),

  surfing: k(81, 'SURFING', 'water'),
  windsurfing: k(99, 'WINDSURFING', 'water'),
  kitesurfing: k(43, 'KITESURFING', 'water'),
  wakeboarding: k(92, 'WAKEBOARDING', 'water'),
  'water-skiing': k(108, 'WATER_SKIING', 'water'),
  foiling: k(108, 'FOILING', 'water'),
  sailing: k(59, 'SAILING', 'water'),
  diving: k(102, 'DIVING', 'water'),
  'scuba-diving': k(60, 'SCUBA_DIVING', 'water'),
  snorkeling: k(108, 'SNORKELING', 'water'),
  'water-aerobics': k(9, 'WATER_AEROBICS', 'water'),
  'water-sport': k(108, 'WATER_SPORT', 'water'),

  skiing: k(65, 'SKIING', 'snow'),
  'downhill-skiing': k(68, 'SKIING', 'snow'),
  'back-country-skiing': k(66, 'SKIING', 'snow'),
  'kite-skiing': k(69, 'SKIING', 'snow'),
  'cross-country-ski': k(67, 'CROSS_COUNTRY_SKI', 'snow'),
  'roller-skiing': k(70, 'CROSS_COUNTRY_SKI', 'snow'),
  biathlon: k(13, 'CROSS_COUNTRY_SKI', 'snow'),
  snowboarding: k(73, 'SNOWBOARDING', 'snow'),
  snowshoeing: k(75, 'SNOWSHOEING', 'snow'),
  sledding: k(71, 'SNOW_SPORT', 'snow'),
  'snow-sport': k(108, 'SNOW_SPORT', 'snow'),
  snowmobiling: k(74, 'SNOWMOBILING', 'other'),

  skating: k(62, 'SKATING', 'skate'),
  'ice-skating': k(104, 'ICE_SKATING', 'skate'),
  'speed-skating': k(104, 'SPEED_SKATING', 'skate'),
  'indoor-skating': k(105, 'SKATING', 'skate'),
  'cross-skating': k(63, 'SKATING', 'skate'),
  rollerblading: k(64, 'ROLLERBLADING', 'skate'),
  'roller-skating': k(62, 'ROLLER_SKATING', 'skate'),
  skateboarding: k(61, 'SKATEBOARDING', 'skate'),

  'rock-climbing': k(52, 'ROCK_CLIMBING', 'climb'),
  climbing: k(52, 'CLIMBING', 'climb'),
  'indoor-climbing': k(52, 'INDOOR_CLIMBING', 'climb'),

  'strength-training': k(80, 'STRENGTH_TRAINING', 'strength'),
  'functional-strength-training': k(80, 'FUNCTIONAL_STRENGTH_TRAINING', 'strength'),
  'core-training': k(80, 'CORE_TRAINING', 'strength'),
  'resistance-bands': k(80, 'RESISTANCE_BANDS', 'strength'),
  'weight-machines': k(80, 'WEIGHT_MACHINES', 'strength'),
  trx: k(80, 'TRX', 'strength'),
  weightlifting: k(97, 'WEIGHTLIFTING', 'strength'),
  weights: k(97, 'WEIGHTS', 'strength'),
  'free-weights': k(97, 'FREE_WEIGHTS', 'strength'),
  powerlifting: k(97, 'POWERLIFTING', 'strength'),
  kettlebell: k(41, 'WEIGHTS', 'strength'),
  calisthenics: k(21, 'CALISTHENICS', 'strength'),
  'body-weight': k(21, 'BODY_WEIGHT', 'strength'),
  'barre-class': k(108, 'BARRE_CLASS', 'strength'),

  'aerobic-workout': k(9, 'AEROBIC_WORKOUT', 'cardio'),
  'step-training': k(9, 'STEP_TRAINING', 'cardio'),
  'circuit-training': k(22, 'CIRCUIT_TRAINING', 'cardio'),
  elliptical: k(25, 'ELLIPTICAL', 'cardio'),
  'jumping-rope': k(39, 'JUMPING_ROPE', 'cardio'),
  'stair-climbing': k(77, 'STAIRCLIMBER', 'cardio'),
  'stair-climber': k(78, 'STAIRCLIMBER', 'cardio'),
  crossfit: k(113, 'CROSSFIT', 'cardio'),
  hiit: k(114, 'HIIT', 'cardio'),
  tabata: k(114, 'TABATA_WORKOUT', 'cardio'),
  'interval-workout': k(115, 'INTERVAL_WORKOUT', 'cardio'),
  p90x: k(47, 'WORKOUT', 'cardio'),
  ergometer: k(103, 'WORKOUT', 'cardio'),
  bootcamp: k(108, 'BOOTCAMP', 'cardio'),
  'cardio-workout': k(108, 'CARDIO_WORKOUT', 'cardio'),
  'cardio-sculpt': k(108, 'CARDIO_SCULPT', 'cardio'),
  'cross-training': k(108, 'CROSS_TRAINING', 'cardio'),
  'exercise-class': k(108, 'EXERCISE_CLASS', 'cardio'),
  'outdoor-workout': k(108, 'OUTDOOR_WORKOUT', 'cardio'),
  'fitness-gaming': k(108, 'FITNESS_GAMING', 'cardio'),

  yoga: k(100, 'YOGA', 'mind-body'),
  'yoga-bikram': k(100, 'YOGA_BIKRAM', 'mind-body'),
  'yoga-hatha': k(100, 'YOGA_HATHA', 'mind-body'),
  'yoga-power': k(100, 'YOGA_POWER', 'mind-body'),
  'yoga-vinyasa': k(100, 'YOGA_VINYASA', 'mind-body'),
  pilates: k(49, 'PILATES', 'mind-body'),
  meditation: k(45, 'MEDITATE', 'mind-body'),
  'guided-breathing': k(122, 'MEDITATE', 'mind-body'),
  stretching: k(108, 'STRETCHING', 'mind-body'),
  'tai-chi': k(44, 'TAI_CHI', 'mind-body'),

  dancing: k(24, 'DANCING', 'dance'),
  ballet: k(24, 'BALLET', 'dance'),
  'ballroom-dance': k(24, 'BALLROOM_DANCE', 'dance'),
  breakdancing: k(24, 'BREAKDANCING', 'dance'),
  'hip-hop': k(24, 'HIP_HOP', 'dance'),
  'jazz-dance': k(24, 'JAZZ_DANCE', 'dance'),
  'modern-dance': k(24, 'MODERN_DANCE', 'dance'),
  tango: k(24, 'TANGO', 'dance'),
  zumba: k(101, 'ZUMBA', 'dance'),
  cheerleading: k(108, 'CHEERLEADING', 'dance'),

  boxing: k(20, 'BOXING', 'combat'),
  kickboxing: k(42, 'KICKBOXING', 'combat'),
  'martial-arts': k(44, 'MARTIAL_ARTS', 'combat'),
  'mixed-martial-arts': k(46, 'MARTIAL_ARTS', 'combat'),
  'jiu-jitsu': k(44, 'JIU_JITSU', 'combat'),
  karate: k(44, 'KARATE', 'combat'),
  'muay-thai': k(44, 'MUAY_THAI', 'combat'),
  taekwondo: k(44, 'TAEKWONDO', 'combat'),
  wrestling: k(108, 'WRESTLING', 'combat'),
  fencing: k(26, 'FENCING', 'combat'),

  badminton: k(10, 'BADMINTON', 'racket'),
  racquetball: k(51, 'RACQUETBALL', 'racket'),
  squash: k(76, 'SQUASH', 'racket'),
  'table-tennis': k(85, 'TABLE_TENNIS', 'racket'),
  tennis: k(87, 'TENNIS', 'racket'),
  padel: k(108, 'PADEL', 'racket'),
  pickleball: k(108, 'PICKELBALL', 'racket'),
  'racket-sports': k(108, 'RACKET_SPORTS', 'racket'),

  'team-sports': k(86, 'SPORT', 'team'),
  baseball: k(11, 'BASEBALL', 'team'),
  basketball: k(12, 'BASKETBALL', 'team'),
  cricket: k(23, 'CRICKET', 'team'),
  'football-american': k(27, 'FOOTBALL_AMERICAN', 'team'),
  'football-australian': k(28, 'FOOTBALL_AUSTRALIAN', 'team'),
  soccer: k(29, 'SOCCER', 'team'),
  frisbee: k(30, 'FRISBEE_PLAYING_GENERAL', 'team'),
  'ultimate-frisbee': k(30, 'ULTIMATE_FRISBEE', 'team'),
  handball: k(34, 'HANDBALL', 'team'),
  hockey: k(36, 'HOCKEY', 'team'),
  'field-hockey': k(36, 'FIELD_HOCKEY', 'team'),
  lacrosse: k(86, 'LACROSSE', 'team'),
  polo: k(50, 'POLO', 'team'),
  rugby: k(55, 'RUGBY', 'team'),
  softball: k(120, 'SOFTBALL', 'team'),
  volleyball: k(89, 'VOLLEYBALL', 'team'),
  'beach-volleyball': k(90, 'VOLLEYBALL_BEACH', 'team'),
  'indoor-volleyball': k(91, 'VOLLEYBALL', 'team'),
  'water-polo': k(96, 'WATER_POLO', 'team'),
  'water-volleyball': k(108, 'WATER_VOLLEYBALL', 'team'),
  curling: k(106, 'CURLING', 'team'),

  golf: k(32, 'GOLF', 'other'),
  gymnastics: k(33, 'GYMNASTICS', 'other'),
  trampoline: k(108, 'TRAMPOLINE', 'other'),
  parkour: k(108, 'PARKOUR', 'other'),
  archery: k(119, 'ARCHERY', 'other'),
  shooting: k(108, 'SHOOTING', 'other'),
  billiards: k(108, 'BILLIARDS', 'other'),
  bowling: k(108, 'BOWLING', 'other'),
  croquet: k(108, 'CROQUET', 'other'),
  'equestrian-sports': k(37, 'EQUESTRIAN_SPORTS', 'other'),
  paragliding: k(48, 'PARAGLIDING', 'other'),
  skydiving: k(108, 'SKYDIVING', 'other'),
  fishing: k(108, 'FISHING', 'other'),
  hunting: k(108, 'HUNTING', 'other'),
  motocross: k(108, 'MOTOCROSS', 'other'),
  motorcycle: k(108, 'MOTORCYCLE', 'other'),
  scootering: k(108, 'SCOOTERING', 'other'),
  'electric-scooter': k(108, 'ELECTRIC_SCOOTER', 'other'),
  gardening: k(31, 'GARDENING', 'other'),
  hoeing: k(31, 'HOEING', 'other'),
  weeding: k(31, 'WEEDING', 'other'),
  'mowing-lawn': k(31, 'MOWING_LAWN', 'other'),
  shoveling: k(108, 'SHOVELING', 'other'),
  'household-chores': k(38, 'HOUSEHOLD_CHORES', 'other'),
  cleaning: k(38, 'CLEANING', 'other'),
  carpentry: k(108, 'CARPENTRY', 'other'),
  painting: k(108, 'PAINTING', 'other'),
  'musical-performance': k(108, 'MUSICAL_PERFORMANCE', 'other'),

  multisport: k(108, 'MULTISPORT', 'any'),
  sport: k(108, 'SPORT', 'any'),
  workout: k(108, 'WORKOUT', 'any'),
  other: k(108, 'OTHER', 'any'),
} as const satisfies Record<string, KindInfo>;

export type ActivityKind = keyof typeof activityKinds;

export const isActivityKind = (v: unknown): v is ActivityKind => typeof v === 'string' && Object.hasOwn(activityKinds, v);

export const kindInfo = (kind: ActivityKind): KindInfo => activityKinds[kind];

/** A tracker's vocabulary → kind. */
export type ActivityKindTable = Readonly<Record<string, ActivityKind>>;

/**
 * Fit types whose first kind in the table is a narrower activity than the Fit type itself (Fit's Aerobics is not
 * only water aerobics, its Martial arts not only tai chi, and its Other is no orienteering).
 */
const fitTypeKinds: Readonly<Record<number, ActivityKind>> = { 9: 'aerobic-workout', 44: 'martial-arts', 108: 'other' };

const fitToKind = new Map<number, ActivityKind>(Object.entries(fitTypeKinds).map(([fit, kind]) => [Number(fit), kind]));
for (const [kind, info] of Object.entries(activityKinds) as Array<[ActivityKind, KindInfo]>) {
  if (!fitToKind.has(info.fit)) fitToKind.set(info.fit, kind);
}

/** The kind a Google Fit activity type stands for (the generic endpoint accepts Fit's vocabulary); undefined for non-workouts. */
export const kindOfFitType = (fit: number): ActivityKind | undefined => fitToKind.get(fit);

const healthToKind = new Map<string, ActivityKind>();
for (const [kind, info] of Object.entries(activityKinds) as Array<[ActivityKind, KindInfo]>) {
  if (!healthToKind.has(info.health)) healthToKind.set(info.health, kind);
}

/** The kind a Google Health exercise type stands for (reading what other sources wrote); `other` for unknown types. */
export const kindOfHealthType = (health: string): ActivityKind => healthToKind.get(health) ?? 'other';
