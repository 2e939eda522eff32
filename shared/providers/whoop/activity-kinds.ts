import type { ActivityKind, ActivityKindTable } from '../../activity/kinds.ts';

/**
 * WHOOP sports as [sport_id, WHOOP's name, kind]: the sport table of WHOOP's docs
 * (https://developer.whoop.com/api), then ids only an older 2022 list has. The
 * vocabulary key is `sport_id`. WHOOP retired `sport_id` on 2025-09-01 and keeps only `sport_name`
 * (https://developer.whoop.com/docs/developing/v1-v2-migration), so a workout is resolved by its name first and by
 * its id only when the name is missing or unknown (whoopSport).
 */
const sports: ReadonlyArray<readonly [id: string, name: string, kind: ActivityKind]> = [
  ['-1', 'Activity', 'other'],
  ['0', 'Running', 'running'],
  ['1', 'Cycling', 'biking'],
  ['16', 'Baseball', 'baseball'],
  ['17', 'Basketball', 'basketball'],
  ['18', 'Rowing', 'rowing'],
  ['19', 'Fencing', 'fencing'],
  ['20', 'Field Hockey', 'field-hockey'],
  ['21', 'Football', 'football-american'], // WHOOP lists Soccer apart (30)
  ['22', 'Golf', 'golf'],
  ['24', 'Ice Hockey', 'hockey'],
  ['25', 'Lacrosse', 'lacrosse'],
  ['27', 'Rugby', 'rugby'],
  ['28', 'Sailing', 'sailing'],
  ['29', 'Skiing', 'skiing'],
  ['30', 'Soccer', 'soccer'],
  ['31', 'Softball', 'softball'],
  ['32', 'Squash', 'squash'],
  ['33', 'Swimming', 'swimming'],
  ['34', 'Tennis', 'tennis'],
  ['35', 'Track & Field', 'track-and-field'],
  ['36', 'Volleyball', 'volleyball'],
  ['37', 'Water Polo', 'water-polo'],
  ['38', 'Wrestling', 'wrestling'],
  ['39', 'Boxing', 'boxing'],
  ['42', 'Dance', 'dancing'],
  ['43', 'Pilates', 'pilates'],
  ['44', 'Yoga', 'yoga'],
  ['45', 'Weightlifting', 'weightlifting'],
  ['47', 'Cross Country Skiing', 'cross-country-ski'],
  ['48', 'Functional Fitness', 'functional-strength-training'],
  ['49', 'Duathlon', 'multisport'],
  ['51', 'Gymnastics', 'gymnastics'],
  ['52', 'Hiking/Rucking', 'hiking'],
  ['53', 'Horseback Riding', 'equestrian-sports'],
  ['55', 'Kayaking', 'kayaking'],
  ['56', 'Martial Arts', 'martial-arts'],
  ['57', 'Mountain Biking', 'mountain-bike'],
  ['59', 'Powerlifting', 'powerlifting'],
  ['60', 'Rock Climbing', 'rock-climbing'],
  ['61', 'Paddleboarding', 'paddleboarding'],
  ['62', 'Triathlon', 'multisport'],
  ['63', 'Walking', 'walking'],
  ['64', 'Surfing', 'surfing'],
  ['65', 'Elliptical', 'elliptical'],
  ['66', 'Stairmaster', 'stair-climber'],
  ['70', 'Meditation', 'meditation'],
  ['71', 'Other', 'other'],
  ['73', 'Diving', 'diving'],
  ['74', 'Operations - Tactical', 'other'],
  ['75', 'Operations - Medical', 'other'],
  ['76', 'Operations - Flying', 'other'],
  ['77', 'Operations - Water', 'other'],
  ['82', 'Ultimate', 'ultimate-frisbee'],
  ['83', 'Climber', 'cardio-workout'], // a vertical climbing machine: neither a stair climber nor climbing
  ['84', 'Jumping Rope', 'jumping-rope'],
  ['85', 'Australian Football', 'football-australian'],
  ['86', 'Skateboarding', 'skateboarding'],
  ['87', 'Coaching', 'other'],
  ['88', 'Ice Bath', 'other'],
  ['89', 'Commuting', 'other'],
  ['90', 'Gaming', 'other'],
  ['91', 'Snowboarding', 'snowboarding'],
  ['92', 'Motocross', 'motocross'],
  ['93', 'Caddying', 'walking'], // walking the course with a bag
  ['94', 'Obstacle Course Racing', 'running'], // a running race with obstacles
  ['95', 'Motor Racing', 'other'],
  ['96', 'HIIT', 'hiit'],
  ['97', 'Spin', 'spinning'],
  ['98', 'Jiu Jitsu', 'jiu-jitsu'],
  ['99', 'Manual Labor', 'other'],
  ['100', 'Cricket', 'cricket'],
  ['101', 'Pickleball', 'pickleball'],
  ['102', 'Inline Skating', 'rollerblading'],
  ['103', 'Box Fitness', 'boxing'],
  ['104', 'Spikeball', 'team-sports'], // roundnet, two against two
  ['105', 'Wheelchair Pushing', 'wheelchair'],
  ['106', 'Paddle Tennis', 'racket-sports'], // a racket sport of its own, not tennis
  ['107', 'Barre', 'barre-class'],
  ['108', 'Stage Performance', 'other'],
  ['109', 'High Stress Work', 'other'],
  ['110', 'Parkour', 'parkour'],
  ['111', 'Gaelic Football', 'team-sports'],
  ['112', 'Hurling/Camogie', 'team-sports'],
  ['113', 'Circus Arts', 'other'],
  ['121', 'Massage Therapy', 'other'],
  ['123', 'Strength Trainer', 'strength-training'],
  ['125', 'Watching Sports', 'other'],
  ['126', 'Assault Bike', 'assault-bike'],
  ['127', 'Kickboxing', 'kickboxing'],
  ['128', 'Stretching', 'stretching'],
  ['230', 'Table Tennis', 'table-tennis'],
  ['231', 'Badminton', 'badminton'],
  ['232', 'Netball', 'team-sports'],
  ['233', 'Sauna', 'other'],
  ['234', 'Disc Golf', 'frisbee'],
  ['235', 'Yard Work', 'gardening'],
  ['236', 'Air Compression', 'other'],
  ['237', 'Percussive Massage', 'other'],
  ['238', 'Paintball', 'other'],
  ['239', 'Ice Skating', 'ice-skating'],
  ['240', 'Handball', 'handball'],
  ['248', 'F45 Training', 'circuit-training'], // F45 is circuit training
  ['249', 'Padel', 'padel'],
  ['250', "Barry's", 'bootcamp'], // Barry's Bootcamp
  ['251', 'Dedicated Parenting', 'other'],
  ['252', 'Stroller Walking', 'stroller-walk'],
  ['253', 'Stroller Jogging', 'jogging'],
  ['254', 'Toddlerwearing', 'other'],
  ['255', 'Babywearing', 'other'],
  ['258', 'Barre3', 'barre-class'],
  ['259', 'Hot Yoga', 'yoga'],
  ['261', 'Stadium Steps', 'stair-climbing'],
  ['262', 'Polo', 'polo'],
  ['263', 'Musical Performance', 'musical-performance'],
  ['264', 'Kite Boarding', 'kitesurfing'],
  ['266', 'Dog Walking', 'walking'],
  ['267', 'Water Skiing', 'water-skiing'],
  ['268', 'Wakeboarding', 'wakeboarding'],
  ['269', 'Cooking', 'household-chores'],
  ['270', 'Cleaning', 'cleaning'],
  ['272', 'Public Speaking', 'other'],
  // Only in the older 2022 list; after the docs' table so that a shared name resolves to the current id.
  ['10', 'Box Fitness', 'boxing'],
  ['46', 'Canoeing', 'canoeing'],
  ['50', 'Machine Workout', 'weight-machines'],
  ['54', 'Jogging', 'jogging'],
  ['58', 'Obstacle Racing', 'running'],
  ['67', 'Plyometrics', 'body-weight'], // plyometric (jump) training uses body weight
  ['68', 'Spinning', 'spinning'],
  ['69', 'Sex', 'other'],
  ['72', 'Pit Practice', 'other'],
  ['116', 'Resonance Frequency Breathing', 'guided-breathing'],
  ['131', 'Other - Recovery', 'other'],
];

/** WHOOP `sport_id` → fitsync activity kind. Only the ids in `whoopValuesWithoutHealthMatch` are `other`. */
export const whoopActivityKinds: ActivityKindTable = Object.fromEntries(sports.map(([id, , kind]) => [id, kind]));

const notExercise = 'not exercise: no Health type describes it';

/** WHOOP ids no Health exercise type describes, so `other` is the honest answer; the reason says why. */
export const whoopValuesWithoutHealthMatch: Readonly<Record<string, string>> = {
  '-1': "WHOOP's own unclassified activity",
  '71': 'WHOOP\'s own "Other"',
  '74': 'occupational strain (tactical operations), not a sport',
  '75': 'occupational strain (medical work), not a sport',
  '76': 'occupational strain (flying), not a sport',
  '77': 'occupational strain (water operations), not a sport',
  '87': 'coaching others',
  '88': 'an ice bath: recovery, not exercise',
  '89': 'commuting, on foot, by bike or otherwise: WHOOP does not say how',
  '90': 'video gaming, not an exergame',
  '95': 'motor racing: Health has no car sport',
  '99': 'manual labour of no named kind',
  '108': 'stage performance of no named kind (acting, music, dance)',
  '109': `high-stress work, ${notExercise}`,
  '113': 'circus arts (aerials, juggling, clowning): no single Health type',
  '121': `massage therapy, ${notExercise}`,
  '125': `watching sports, ${notExercise}`,
  '233': `sauna, ${notExercise}`,
  '236': `air compression therapy, ${notExercise}`,
  '237': `percussive massage, ${notExercise}`,
  '238': 'paintball: Health has no such game (its shooting is the sport)',
  '251': `parenting, ${notExercise}`,
  '254': 'carrying a toddler: no Health type',
  '255': 'carrying a baby: no Health type',
  '272': `public speaking, ${notExercise}`,
  '69': `sex, ${notExercise}`,
  '72': 'motor-sport pit-crew practice: no Health type',
  '131': `recovery, ${notExercise}`,
};

/** "Hiking/Rucking", "hiking-rucking", "hiking_rucking" and "Track & Field"/"track_and_field" compare alike. */
const nameKey = (name: string) =>
  name
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^a-z0-9]/g, '');
const idByName = new Map<string, string>();
for (const [id, name] of sports) if (!idByName.has(nameKey(name))) idByName.set(nameKey(name), id);
const nameById = new Map(sports.map(([id, name]) => [id, name]));

/**
 * The vocabulary key of a workout and a title for it: the id whose name matches `sport_name`, else `sport_id` when
 * the table knows it. A sport the table knows by neither is kept as WHOOP named it (or numbered it), so it becomes
 * `other` with a warning that names it.
 */
export function whoopSport(sportName: unknown, sportId: unknown): { key: string; label: string } {
  const name = typeof sportName === 'string' ? sportName.trim() : '';
  const idValue = typeof sportId === 'number' && Number.isSafeInteger(sportId) ? String(sportId) : undefined;
  const id = (name ? idByName.get(nameKey(name)) : undefined) ?? (idValue !== undefined && nameById.has(idValue) ? idValue : undefined);
  if (id !== undefined) return { key: id, label: nameById.get(id)! };
  if (name) return { key: name, label: name[0]!.toUpperCase() + name.slice(1) };
  if (idValue !== undefined) return { key: idValue, label: `WHOOP sport ${idValue}` };
  return { key: 'unknown', label: 'WHOOP workout' };
}
