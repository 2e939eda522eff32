import type { ActivityKind, ActivityKindTable } from '../../activity/kinds.ts';

/**
 * COROS sports keyed `mode:subMode` (COROS publishes no table; this is the one c2corg/c2c_tracking's COROS client
 * uses, https://github.com/c2corg/c2c_tracking) → fitsync activity kind and a session name (COROS sends no workout
 * name). The key keeps both numbers apart on purpose: c2c_tracking's own `mode * 100 + subMode` turns 10:1 (Open
 * Water) into 1001, which misses its key 101.
 */
const corosSports: Readonly<Record<string, { kind: ActivityKind; name: string }>> = {
  '8:1': { kind: 'running', name: 'Outdoor Run' },
  '8:2': { kind: 'treadmill-running', name: 'Indoor Run' },
  '9:1': { kind: 'outdoor-bike', name: 'Outdoor Bike' },
  '9:2': { kind: 'stationary-bike', name: 'Indoor Bike' },
  '10:1': { kind: 'open-water-swimming', name: 'Open Water' },
  '10:2': { kind: 'pool-swimming', name: 'Pool Swim' },
  '13:1': { kind: 'multisport', name: 'Triathlon' }, // the race session; the legs carry their own kinds
  '13:2': { kind: 'multisport', name: 'Multisport' },
  '13:3': { kind: 'back-country-skiing', name: 'Ski Touring' },
  '14:1': { kind: 'hiking', name: 'Mountain Climb' }, // mountaineering ascents on foot
  '15:1': { kind: 'trail-run', name: 'Trail Run' },
  '16:1': { kind: 'hiking', name: 'Hike' },
  '18:1': { kind: 'cardio-workout', name: 'GPS Cardio' },
  '18:2': { kind: 'cardio-workout', name: 'Gym Cardio' },
  '19:1': { kind: 'cross-country-ski', name: 'XC Ski' },
  '20:1': { kind: 'running', name: 'Track Run' }, // running on a track
  '21:1': { kind: 'downhill-skiing', name: 'Ski' },
  '21:2': { kind: 'snowboarding', name: 'Snowboard' },
  '22:1': { kind: 'other', name: 'Pilot' },
  '23:2': { kind: 'strength-training', name: 'Strength' },
  '24:1': { kind: 'rowing', name: 'Rowing' },
  '24:2': { kind: 'rowing-machine', name: 'Indoor Rower' },
  '25:1': { kind: 'paddling', name: 'Whitewater' }, // whitewater paddling: kayak, canoe or raft
  '26:1': { kind: 'paddling', name: 'Flatwater' }, // flatwater paddling: kayak or canoe
  '27:1': { kind: 'windsurfing', name: 'Windsurfing' },
  '28:1': { kind: 'windsurfing', name: 'Speedsurfing' }, // windsurfing for top speed
  '29:1': { kind: 'back-country-skiing', name: 'Ski Touring' },
  '31:1': { kind: 'walking', name: 'Walk' },
  '33:2': { kind: 'rock-climbing', name: 'Single-Pitch' }, // single-pitch rock climbing
  '34:2': { kind: 'jumping-rope', name: 'Jump Rope' },
};

export const corosActivityKinds: ActivityKindTable = Object.fromEntries(Object.entries(corosSports).map(([key, s]) => [key, s.kind]));

/** COROS sports no Health exercise type describes, so `other` is the honest answer; the reason says why. */
export const corosValuesWithoutHealthMatch: Readonly<Record<string, string>> = {
  '22:1': "the watch's pilot mode records flights in an aircraft, not exercise",
};

export const corosSportKey = (mode: number, subMode: number) => `${mode}:${subMode}`;

/** The session name for a sport; a sport this table does not know yet keeps its key. */
export const corosSportName = (key: string) => (Object.hasOwn(corosSports, key) ? corosSports[key]!.name : `COROS sport ${key}`);
