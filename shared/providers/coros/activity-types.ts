import { FitActivity as A, type ActivityTypeTable } from '../../fit/activity-types.ts';

/**
 * COROS sports keyed `mode:subMode` (provider-types/coros.csv, the (mode, subMode) table of c2corg/c2c_tracking,
 * third-party: COROS publishes none) → Google Fit activity type and a session name (COROS sends no workout name).
 * The key keeps both numbers apart on purpose: c2c_tracking's `mode * 100 + subMode` turns 10:1 (Open Water) into
 * 1001, which misses its own key 101 (providers.md §2.11).
 */
export const corosSports: Readonly<Record<string, { fit: number; name: string }>> = {
  '8:1': { fit: A.RUNNING, name: 'Outdoor Run' },
  '8:2': { fit: A.RUNNING_TREADMILL, name: 'Indoor Run' },
  '9:1': { fit: A.BIKING, name: 'Outdoor Bike' },
  '9:2': { fit: A.BIKING_STATIONARY, name: 'Indoor Bike' },
  '10:1': { fit: A.SWIMMING_OPEN_WATER, name: 'Open Water' },
  '10:2': { fit: A.SWIMMING_POOL, name: 'Pool Swim' },
  '13:1': { fit: A.OTHER, name: 'Triathlon' }, // Fit has no triathlon type; the legs carry their own types
  '13:2': { fit: A.OTHER, name: 'Multisport' },
  '13:3': { fit: A.SKIING_BACK_COUNTRY, name: 'Ski Touring' },
  '14:1': { fit: A.HIKING, name: 'Mountain Climb' }, // mountaineering on foot
  '15:1': { fit: A.RUNNING, name: 'Trail Run' },
  '16:1': { fit: A.HIKING, name: 'Hike' },
  '18:1': { fit: A.AEROBICS, name: 'GPS Cardio' },
  '18:2': { fit: A.AEROBICS, name: 'Gym Cardio' },
  '19:1': { fit: A.SKIING_CROSS_COUNTRY, name: 'XC Ski' },
  '20:1': { fit: A.RUNNING, name: 'Track Run' },
  '21:1': { fit: A.SKIING_DOWNHILL, name: 'Ski' },
  '21:2': { fit: A.SNOWBOARDING, name: 'Snowboard' },
  '22:1': { fit: A.OTHER, name: 'Pilot' }, // no sport Fit knows (see corosTypesWithoutFitMatch)
  '23:2': { fit: A.STRENGTH_TRAINING, name: 'Strength' },
  '24:1': { fit: A.ROWING, name: 'Rowing' },
  '24:2': { fit: A.ROWING_MACHINE, name: 'Indoor Rower' },
  '25:1': { fit: A.KAYAKING, name: 'Whitewater' }, // paddling: kayaking is Fit's paddle type
  '26:1': { fit: A.KAYAKING, name: 'Flatwater' },
  '27:1': { fit: A.WINDSURFING, name: 'Windsurfing' },
  '28:1': { fit: A.WINDSURFING, name: 'Speedsurfing' }, // windsurfing for top speed
  '29:1': { fit: A.SKIING_BACK_COUNTRY, name: 'Ski Touring' },
  '31:1': { fit: A.WALKING, name: 'Walk' },
  '33:2': { fit: A.ROCK_CLIMBING, name: 'Single-Pitch' },
  '34:2': { fit: A.JUMP_ROPE, name: 'Jump Rope' },
};

export const corosActivityTypes: ActivityTypeTable = Object.fromEntries(Object.entries(corosSports).map(([key, s]) => [key, s.fit]));

/** COROS sports for which Fit has no counterpart, so Other (108) is the honest answer. */
export const corosTypesWithoutFitMatch: readonly string[] = ['13:1', '13:2', '22:1'];

export const corosSportKey = (mode: number, subMode: number) => `${mode}:${subMode}`;

/** The session name for a sport; a sport this table does not know yet keeps its key. */
export const corosSportName = (key: string) => (Object.hasOwn(corosSports, key) ? corosSports[key]!.name : `COROS sport ${key}`);
