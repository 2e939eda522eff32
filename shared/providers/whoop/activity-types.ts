import { FitActivity as A, type ActivityTypeTable } from '../../fit/activity-types.ts';

/**
 * WHOOP sports (provider-types/whoop.csv: the sport_id table of WHOOP's docs, then ids only an older 2022 list
 * has) as [sport_id, WHOOP's name, Fit activity type]. The vocabulary key is `sport_id`, which the CSV lists;
 * WHOOP's v2 API says sport_id "will not exist past 09/01/2025" and keeps only `sport_name`, so the names here
 * also resolve a `sport_name` to its id (whoopSportKey).
 */
const sports: ReadonlyArray<readonly [id: string, name: string, fit: number]> = [
  ['-1', 'Activity', A.OTHER], // WHOOP's generic activity
  ['0', 'Running', A.RUNNING],
  ['1', 'Cycling', A.BIKING],
  ['16', 'Baseball', A.BASEBALL],
  ['17', 'Basketball', A.BASKETBALL],
  ['18', 'Rowing', A.ROWING],
  ['19', 'Fencing', A.FENCING],
  ['20', 'Field Hockey', A.HOCKEY],
  ['21', 'Football', A.FOOTBALL_AMERICAN], // WHOOP lists Soccer separately (30)
  ['22', 'Golf', A.GOLF],
  ['24', 'Ice Hockey', A.HOCKEY],
  ['25', 'Lacrosse', A.TEAM_SPORTS], // no lacrosse type
  ['27', 'Rugby', A.RUGBY],
  ['28', 'Sailing', A.SAILING],
  ['29', 'Skiing', A.SKIING],
  ['30', 'Soccer', A.FOOTBALL_SOCCER],
  ['31', 'Softball', A.SOFTBALL],
  ['32', 'Squash', A.SQUASH],
  ['33', 'Swimming', A.SWIMMING],
  ['34', 'Tennis', A.TENNIS],
  ['35', 'Track & Field', A.RUNNING], // mostly track running
  ['36', 'Volleyball', A.VOLLEYBALL],
  ['37', 'Water Polo', A.WATER_POLO],
  ['38', 'Wrestling', A.MARTIAL_ARTS], // grappling combat sport; no wrestling type
  ['39', 'Boxing', A.BOXING],
  ['42', 'Dance', A.DANCING],
  ['43', 'Pilates', A.PILATES],
  ['44', 'Yoga', A.YOGA],
  ['45', 'Weightlifting', A.WEIGHTLIFTING],
  ['47', 'Cross Country Skiing', A.SKIING_CROSS_COUNTRY],
  ['48', 'Functional Fitness', A.CROSSFIT],
  ['49', 'Duathlon', A.OTHER], // a multisport whole; Fit has no multisport type
  ['51', 'Gymnastics', A.GYMNASTICS],
  ['52', 'Hiking/Rucking', A.HIKING],
  ['53', 'Horseback Riding', A.HORSEBACK_RIDING],
  ['55', 'Kayaking', A.KAYAKING],
  ['56', 'Martial Arts', A.MARTIAL_ARTS],
  ['57', 'Mountain Biking', A.BIKING_MOUNTAIN],
  ['59', 'Powerlifting', A.WEIGHTLIFTING],
  ['60', 'Rock Climbing', A.ROCK_CLIMBING],
  ['61', 'Paddleboarding', A.STANDUP_PADDLEBOARDING],
  ['62', 'Triathlon', A.OTHER], // multisport
  ['63', 'Walking', A.WALKING],
  ['64', 'Surfing', A.SURFING],
  ['65', 'Elliptical', A.ELLIPTICAL],
  ['66', 'Stairmaster', A.STAIR_CLIMBING_MACHINE],
  ['70', 'Meditation', A.MEDITATION],
  ['71', 'Other', A.OTHER],
  ['73', 'Diving', A.DIVING],
  ['74', 'Operations - Tactical', A.OTHER], // occupational strain, not a sport
  ['75', 'Operations - Medical', A.OTHER],
  ['76', 'Operations - Flying', A.OTHER],
  ['77', 'Operations - Water', A.OTHER],
  ['82', 'Ultimate', A.FRISBEE_DISC],
  ['83', 'Climber', A.STAIR_CLIMBING_MACHINE], // climbing machine (VersaClimber)
  ['84', 'Jumping Rope', A.JUMP_ROPE],
  ['85', 'Australian Football', A.FOOTBALL_AUSTRALIAN],
  ['86', 'Skateboarding', A.SKATEBOARDING],
  ['87', 'Coaching', A.OTHER],
  ['88', 'Ice Bath', A.OTHER],
  ['89', 'Commuting', A.OTHER], // on foot, by bike or otherwise: WHOOP does not say
  ['90', 'Gaming', A.OTHER],
  ['91', 'Snowboarding', A.SNOWBOARDING],
  ['92', 'Motocross', A.OTHER],
  ['93', 'Caddying', A.WALKING], // walking the course with a bag
  ['94', 'Obstacle Course Racing', A.RUNNING], // a run with obstacles
  ['95', 'Motor Racing', A.OTHER],
  ['96', 'HIIT', A.HIIT],
  ['97', 'Spin', A.BIKING_SPINNING],
  ['98', 'Jiu Jitsu', A.MARTIAL_ARTS],
  ['99', 'Manual Labor', A.OTHER],
  ['100', 'Cricket', A.CRICKET],
  ['101', 'Pickleball', A.TENNIS], // as Strava's Pickleball: racket sport on a court
  ['102', 'Inline Skating', A.SKATING_INLINE],
  ['103', 'Box Fitness', A.BOXING],
  ['104', 'Spikeball', A.TEAM_SPORTS], // roundnet, played two against two
  ['105', 'Wheelchair Pushing', A.WHEELCHAIR],
  ['106', 'Paddle Tennis', A.TENNIS],
  ['107', 'Barre', A.PILATES], // ballet-based low-impact strength, closest to pilates
  ['108', 'Stage Performance', A.OTHER],
  ['109', 'High Stress Work', A.OTHER],
  ['110', 'Parkour', A.CALISTHENICS], // bodyweight movement
  ['111', 'Gaelic Football', A.TEAM_SPORTS],
  ['112', 'Hurling/Camogie', A.TEAM_SPORTS],
  ['113', 'Circus Arts', A.GYMNASTICS],
  ['121', 'Massage Therapy', A.OTHER],
  ['123', 'Strength Trainer', A.STRENGTH_TRAINING],
  ['125', 'Watching Sports', A.OTHER],
  ['126', 'Assault Bike', A.BIKING_STATIONARY],
  ['127', 'Kickboxing', A.KICKBOXING],
  ['128', 'Stretching', A.OTHER], // Fit has no stretching or mobility type
  ['230', 'Table Tennis', A.TABLE_TENNIS],
  ['231', 'Badminton', A.BADMINTON],
  ['232', 'Netball', A.TEAM_SPORTS],
  ['233', 'Sauna', A.OTHER],
  ['234', 'Disc Golf', A.FRISBEE_DISC],
  ['235', 'Yard Work', A.GARDENING],
  ['236', 'Air Compression', A.OTHER],
  ['237', 'Percussive Massage', A.OTHER],
  ['238', 'Paintball', A.OTHER],
  ['239', 'Ice Skating', A.ICE_SKATING],
  ['240', 'Handball', A.HANDBALL],
  ['248', 'F45 Training', A.CIRCUIT_TRAINING],
  ['249', 'Padel', A.TENNIS],
  ['250', "Barry's", A.HIIT], // treadmill and floor intervals
  ['251', 'Dedicated Parenting', A.OTHER],
  ['252', 'Stroller Walking', A.WALKING_STROLLER],
  ['253', 'Stroller Jogging', A.RUNNING_JOGGING],
  ['254', 'Toddlerwearing', A.OTHER],
  ['255', 'Babywearing', A.OTHER],
  ['258', 'Barre3', A.PILATES],
  ['259', 'Hot Yoga', A.YOGA],
  ['261', 'Stadium Steps', A.STAIR_CLIMBING],
  ['262', 'Polo', A.POLO],
  ['263', 'Musical Performance', A.OTHER],
  ['264', 'Kite Boarding', A.KITESURFING],
  ['266', 'Dog Walking', A.WALKING],
  ['267', 'Water Skiing', A.WAKEBOARDING], // towed behind a boat; Fit has no water-skiing type
  ['268', 'Wakeboarding', A.WAKEBOARDING],
  ['269', 'Cooking', A.HOUSEWORK],
  ['270', 'Cleaning', A.HOUSEWORK],
  ['272', 'Public Speaking', A.OTHER],
  // Only in the older 2022 list; after the docs' table so that a shared name resolves to the current id.
  ['10', 'Box Fitness', A.BOXING],
  ['46', 'Canoeing', A.KAYAKING], // as Strava's Canoeing: a paddle, no oars
  ['50', 'Machine Workout', A.STRENGTH_TRAINING],
  ['54', 'Jogging', A.RUNNING_JOGGING],
  ['58', 'Obstacle Racing', A.RUNNING],
  ['67', 'Plyometrics', A.CALISTHENICS],
  ['68', 'Spinning', A.BIKING_SPINNING],
  ['69', 'Sex', A.OTHER],
  ['72', 'Pit Practice', A.OTHER],
  ['116', 'Resonance Frequency Breathing', A.GUIDED_BREATHING],
  ['131', 'Other - Recovery', A.OTHER],
];

/** WHOOP `sport_id` → Google Fit activity type. Only `whoopTypesWithoutFitMatch` fall back to Other (108). */
export const whoopActivityTypes: ActivityTypeTable = Object.fromEntries(sports.map(([id, , fit]) => [id, fit]));

/** WHOOP sport ids for which Fit has no counterpart, so Other (108) is the honest answer. */
export const whoopTypesWithoutFitMatch: readonly string[] = [
  '-1', '49', '62', '71', '74', '75', '76', '77', '87', '88', '89', '90', '92', '95', '99', '108', '109', '121', '125',
  '128', '233', '236', '237', '238', '251', '254', '255', '263', '272', '69', '72', '131',
];

/** "Hiking/Rucking", "hiking-rucking" and "hiking_rucking" all compare as "hikingrucking". */
const nameKey = (name: string) => name.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]/g, '');
const idByName = new Map<string, string>();
for (const [id, name] of sports) if (!idByName.has(nameKey(name))) idByName.set(nameKey(name), id);
const nameById = new Map(sports.map(([id, name]) => [id, name]));

/**
 * The vocabulary key of a workout and a title for it: `sport_id` when WHOOP still sends it, else the id whose
 * name matches `sport_name`; a name no table entry matches is kept as it is (it then maps to 108 with a warning).
 */
export function whoopSportKey(sportId: unknown, sportName: unknown): { key: string; label: string } {
  const name = typeof sportName === 'string' ? sportName.trim() : '';
  const id = typeof sportId === 'number' && Number.isInteger(sportId) ? String(sportId) : idByName.get(nameKey(name));
  if (id !== undefined) return { key: id, label: nameById.get(id) ?? (name || `WHOOP sport ${id}`) };
  return { key: name || 'unknown', label: name ? name[0]!.toUpperCase() + name.slice(1) : 'WHOOP workout' };
}
