import type { ActivityKind, ActivityKindTable } from '../../activity/kinds.ts';

/**
 * Wahoo `workout_type_id` (the Cloud API's workout types, ids 0–71 and 255, https://cloud-api.wahooligan.com/) →
 * fitsync activity kind, with Wahoo's own label as the session name when the workout has none.
 */
const wahooWorkoutTypes: Readonly<Record<string, { kind: ActivityKind; name: string }>> = {
  0: { kind: 'biking', name: 'Biking' },
  1: { kind: 'running', name: 'Running' },
  2: { kind: 'workout', name: 'Fitness Equipment' }, // gym equipment of no named kind
  3: { kind: 'running', name: 'Running Track' },
  4: { kind: 'trail-run', name: 'Running Trail' },
  5: { kind: 'treadmill-running', name: 'Running Treadmill' },
  6: { kind: 'walking', name: 'Walking' },
  7: { kind: 'power-walking', name: 'Speed Walking' },
  8: { kind: 'nordic-walking', name: 'Nordic Walking' },
  9: { kind: 'hiking', name: 'Hiking' },
  10: { kind: 'hiking', name: 'Mountaineering' }, // ascents on foot; neither sink knows mountaineering
  11: { kind: 'biking', name: 'Cyclocross' },
  12: { kind: 'stationary-bike', name: 'Indoor Biking' },
  13: { kind: 'mountain-bike', name: 'Mountain Biking' },
  14: { kind: 'biking', name: 'Recumbent Biking' },
  15: { kind: 'road-biking', name: 'Road Biking' },
  16: { kind: 'biking', name: 'Track Biking' }, // velodrome, not road
  17: { kind: 'motorcycle', name: 'Motorcycling' },
  18: { kind: 'workout', name: 'General Fitness Equipment' },
  19: { kind: 'treadmill', name: 'Fitness Equipment Treadmill' }, // walking or running: both sinks have exactly this
  20: { kind: 'elliptical', name: 'Elliptical' },
  21: { kind: 'stationary-bike', name: 'Fitness Equipment Bike' },
  22: { kind: 'rowing-machine', name: 'Rowing Machine' },
  23: { kind: 'stair-climber', name: 'Climbing Machine' },
  25: { kind: 'pool-swimming', name: 'Lap Swimming' },
  26: { kind: 'open-water-swimming', name: 'Open Water Swimming' },
  27: { kind: 'snowboarding', name: 'Snowboarding' },
  28: { kind: 'skiing', name: 'Skiing' },
  29: { kind: 'downhill-skiing', name: 'Downhill Skiing' },
  30: { kind: 'cross-country-ski', name: 'Cross Country Skiing' },
  31: { kind: 'skating', name: 'Skating' },
  32: { kind: 'ice-skating', name: 'Ice Skating' },
  33: { kind: 'rollerblading', name: 'Inline Skating' },
  34: { kind: 'skateboarding', name: 'Longboarding' },
  35: { kind: 'sailing', name: 'Sailing' },
  36: { kind: 'windsurfing', name: 'Windsurfing' },
  37: { kind: 'canoeing', name: 'Canoeing' },
  38: { kind: 'kayaking', name: 'Kayaking' },
  39: { kind: 'rowing', name: 'Rowing' },
  40: { kind: 'kitesurfing', name: 'Kiteboarding' },
  41: { kind: 'paddleboarding', name: 'Stand Up Paddle Board' },
  42: { kind: 'workout', name: 'Workout' },
  43: { kind: 'aerobic-workout', name: 'Cardio Class' }, // a cardio (aerobics) class
  44: { kind: 'stair-climber', name: 'Stair Climber' },
  45: { kind: 'wheelchair', name: 'Wheelchair' },
  46: { kind: 'golf', name: 'Golfing' },
  47: { kind: 'other', name: 'Other' },
  49: { kind: 'spinning', name: 'Indoor Cycling Class' },
  56: { kind: 'treadmill-walk', name: 'Walking Treadmill' },
  61: { kind: 'stationary-bike', name: 'Indoor Trainer' },
  62: { kind: 'multisport', name: 'Multisport' },
  63: { kind: 'other', name: 'Transition' },
  64: { kind: 'electric-bike', name: 'E-Biking' },
  65: { kind: 'workout', name: 'TICKR Offline' }, // a heart-rate strap's offline recording: a workout whose sport the strap cannot know
  66: { kind: 'yoga', name: 'Yoga' },
  67: { kind: 'running', name: 'Running Race' },
  68: { kind: 'stationary-bike', name: 'Indoor Virtual Biking' },
  69: { kind: 'meditation', name: 'Mental Strength' }, // SYSTM's mental training sessions
  70: { kind: 'hand-cycling', name: 'Handcycling' },
  71: { kind: 'treadmill-running', name: 'Indoor Virtual Running' },
  255: { kind: 'other', name: 'Unknown' },
};

export const wahooActivityKinds: ActivityKindTable = Object.fromEntries(Object.entries(wahooWorkoutTypes).map(([id, t]) => [id, t.kind]));

/** Wahoo types no Health exercise type describes, so `other` is the honest answer; the reason says why. */
export const wahooValuesWithoutHealthMatch: Readonly<Record<string, string>> = {
  47: 'Wahoo\'s own "Other"',
  63: 'the change-over between multisport legs: no exercise of its own',
  255: 'Wahoo itself does not know the workout type',
};

/** The session name for a type; a type this table does not know yet says so. */
export const wahooTypeName = (id: string) =>
  Object.hasOwn(wahooWorkoutTypes, id) ? wahooWorkoutTypes[id]!.name : `Wahoo workout type ${id}`;
