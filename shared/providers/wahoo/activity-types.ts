import { FitActivity as A, type ActivityTypeTable } from '../../fit/activity-types.ts';

/**
 * Wahoo `workout_type_id` (provider-types/wahoo.csv: the enum of a public Wahoo API client, ids 0–71 and 255) →
 * Google Fit activity type, with Wahoo's own label as the session name when the workout has none.
 */
export const wahooWorkoutTypes: Readonly<Record<string, { fit: number; name: string }>> = {
  0: { fit: A.BIKING, name: 'Biking' },
  1: { fit: A.RUNNING, name: 'Running' },
  2: { fit: A.OTHER, name: 'Fitness Equipment' }, // no machine named (see wahooTypesWithoutFitMatch)
  3: { fit: A.RUNNING, name: 'Running Track' },
  4: { fit: A.RUNNING, name: 'Running Trail' },
  5: { fit: A.RUNNING_TREADMILL, name: 'Running Treadmill' },
  6: { fit: A.WALKING, name: 'Walking' },
  7: { fit: A.WALKING_FITNESS, name: 'Speed Walking' },
  8: { fit: A.WALKING_NORDIC, name: 'Nordic Walking' },
  9: { fit: A.HIKING, name: 'Hiking' },
  10: { fit: A.HIKING, name: 'Mountaineering' },
  11: { fit: A.BIKING, name: 'Cyclocross' },
  12: { fit: A.BIKING_STATIONARY, name: 'Indoor Biking' },
  13: { fit: A.BIKING_MOUNTAIN, name: 'Mountain Biking' },
  14: { fit: A.BIKING, name: 'Recumbent Biking' },
  15: { fit: A.BIKING_ROAD, name: 'Road Biking' },
  16: { fit: A.BIKING, name: 'Track Biking' }, // velodrome, not road
  17: { fit: A.OTHER, name: 'Motorcycling' }, // motor sport: no Fit type
  18: { fit: A.OTHER, name: 'General Fitness Equipment' },
  19: { fit: A.TREADMILL, name: 'Treadmill' }, // walking or running: Fit's treadmill type says exactly that
  20: { fit: A.ELLIPTICAL, name: 'Elliptical' },
  21: { fit: A.BIKING_STATIONARY, name: 'Fitness Equipment Bike' },
  22: { fit: A.ROWING_MACHINE, name: 'Rowing Machine' },
  23: { fit: A.STAIR_CLIMBING_MACHINE, name: 'Climbing Machine' },
  25: { fit: A.SWIMMING_POOL, name: 'Lap Swimming' },
  26: { fit: A.SWIMMING_OPEN_WATER, name: 'Open Water Swimming' },
  27: { fit: A.SNOWBOARDING, name: 'Snowboarding' },
  28: { fit: A.SKIING, name: 'Skiing' },
  29: { fit: A.SKIING_DOWNHILL, name: 'Downhill Skiing' },
  30: { fit: A.SKIING_CROSS_COUNTRY, name: 'Cross Country Skiing' },
  31: { fit: A.SKATING, name: 'Skating' },
  32: { fit: A.ICE_SKATING, name: 'Ice Skating' },
  33: { fit: A.SKATING_INLINE, name: 'Inline Skating' },
  34: { fit: A.SKATEBOARDING, name: 'Longboarding' },
  35: { fit: A.SAILING, name: 'Sailing' },
  36: { fit: A.WINDSURFING, name: 'Windsurfing' },
  37: { fit: A.KAYAKING, name: 'Canoeing' }, // paddle, not oars (as Strava Canoeing)
  38: { fit: A.KAYAKING, name: 'Kayaking' },
  39: { fit: A.ROWING, name: 'Rowing' },
  40: { fit: A.KITESURFING, name: 'Kiteboarding' },
  41: { fit: A.STANDUP_PADDLEBOARDING, name: 'Stand Up Paddle Board' },
  42: { fit: A.OTHER, name: 'Workout' }, // a generic workout: Fit's own "Other (unclassified fitness activity)"
  43: { fit: A.AEROBICS, name: 'Cardio Class' },
  44: { fit: A.STAIR_CLIMBING_MACHINE, name: 'Stair Climber' },
  45: { fit: A.WHEELCHAIR, name: 'Wheelchair' },
  46: { fit: A.GOLF, name: 'Golfing' },
  47: { fit: A.OTHER, name: 'Other' },
  49: { fit: A.BIKING_SPINNING, name: 'Indoor Cycling Class' },
  56: { fit: A.WALKING_TREADMILL, name: 'Walking Treadmill' },
  61: { fit: A.BIKING_STATIONARY, name: 'Indoor Trainer' },
  62: { fit: A.OTHER, name: 'Multisport' },
  63: { fit: A.OTHER, name: 'Transition' },
  64: { fit: A.BIKING, name: 'E-Biking' },
  65: { fit: A.OTHER, name: 'TICKR Offline' }, // a heart-rate strap's offline recording: the sport is unknown
  66: { fit: A.YOGA, name: 'Yoga' },
  67: { fit: A.RUNNING, name: 'Running Race' },
  68: { fit: A.BIKING_STATIONARY, name: 'Indoor Virtual Biking' },
  69: { fit: A.MEDITATION, name: 'Mental Strength' }, // SYSTM's mental training sessions
  70: { fit: A.BIKING_HAND, name: 'Handcycling' },
  71: { fit: A.RUNNING_TREADMILL, name: 'Indoor Virtual Running' },
  255: { fit: A.OTHER, name: 'Unknown' },
};

export const wahooActivityTypes: ActivityTypeTable = Object.fromEntries(Object.entries(wahooWorkoutTypes).map(([id, t]) => [id, t.fit]));

/** Wahoo types for which Fit has no counterpart, so Other (108) is the honest answer. */
export const wahooTypesWithoutFitMatch: readonly string[] = ['2', '17', '18', '42', '47', '62', '63', '65', '255'];

/** The session name for a type; a type this table does not know yet says so. */
export const wahooTypeName = (id: string) => (Object.hasOwn(wahooWorkoutTypes, id) ? wahooWorkoutTypes[id]!.name : `Wahoo workout type ${id}`);
