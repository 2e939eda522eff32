import { FitActivity as A, type ActivityTypeTable } from '../../fit/activity-types.ts';

/**
 * Strava `sport_type` (provider-types/strava.csv, the 56 SportType values of Strava's swagger model) →
 * Google Fit activity type. Only the values in `stravaTypesWithoutFitMatch` fall back to Other (108).
 */
export const stravaActivityTypes: ActivityTypeTable = {
  AlpineSki: A.SKIING_DOWNHILL,
  BackcountrySki: A.SKIING_BACK_COUNTRY,
  Badminton: A.BADMINTON,
  Basketball: A.BASKETBALL,
  Canoeing: A.KAYAKING, // Fit has no canoe type; a paddle (not oars) makes kayaking the closest
  Cricket: A.CRICKET,
  Crossfit: A.CROSSFIT,
  Dance: A.DANCING,
  EBikeRide: A.BIKING,
  Elliptical: A.ELLIPTICAL,
  EMountainBikeRide: A.BIKING_MOUNTAIN,
  Golf: A.GOLF,
  GravelRide: A.BIKING_ROAD,
  Handcycle: A.BIKING_HAND,
  HighIntensityIntervalTraining: A.HIIT,
  Hike: A.HIKING,
  IceSkate: A.ICE_SKATING,
  InlineSkate: A.SKATING_INLINE,
  Kayaking: A.KAYAKING,
  Kitesurf: A.KITESURFING,
  MountainBikeRide: A.BIKING_MOUNTAIN,
  NordicSki: A.SKIING_CROSS_COUNTRY,
  Padel: A.TENNIS, // racket sport on a court; Fit has no padel type
  PhysicalTherapy: A.OTHER, // no Fit counterpart (see stravaTypesWithoutFitMatch)
  Pickleball: A.TENNIS, // racket sport on a court; Fit has no pickleball type
  Pilates: A.PILATES,
  Racquetball: A.RACQUETBALL,
  Ride: A.BIKING,
  RockClimbing: A.ROCK_CLIMBING,
  RollerSki: A.SKIING_ROLLER,
  Rowing: A.ROWING,
  Run: A.RUNNING,
  Sail: A.SAILING,
  Skateboard: A.SKATEBOARDING,
  Snowboard: A.SNOWBOARDING,
  Snowshoe: A.SNOWSHOEING,
  Soccer: A.FOOTBALL_SOCCER,
  Squash: A.SQUASH,
  StairStepper: A.STAIR_CLIMBING_MACHINE,
  StandUpPaddling: A.STANDUP_PADDLEBOARDING,
  Surfing: A.SURFING,
  Swim: A.SWIMMING,
  TableTennis: A.TABLE_TENNIS,
  Tennis: A.TENNIS,
  TrailRun: A.RUNNING,
  Velomobile: A.BIKING, // recumbent enclosed bicycle
  VirtualRide: A.BIKING_STATIONARY,
  VirtualRow: A.ROWING_MACHINE,
  VirtualRun: A.RUNNING_TREADMILL,
  Volleyball: A.VOLLEYBALL,
  Walk: A.WALKING,
  WeightTraining: A.WEIGHTLIFTING,
  Wheelchair: A.WHEELCHAIR,
  Windsurf: A.WINDSURFING,
  Workout: A.OTHER, // Strava's generic, unclassified workout: Fit's own "Other (unclassified fitness activity)"
  Yoga: A.YOGA,
};

/** Strava types for which Fit has no counterpart, so Other (108) is the honest answer. */
export const stravaTypesWithoutFitMatch: readonly string[] = ['PhysicalTherapy', 'Workout'];
