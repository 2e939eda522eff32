import type { ActivityKindTable } from '../../activity/kinds.ts';

/**
 * Strava `sport_type` (the 56 SportType values, https://developers.strava.com/docs/reference/#api-models-SportType)
 * → fitsync activity kind. Only the values in `stravaValuesWithoutHealthMatch` are `other`.
 */
export const stravaActivityKinds: ActivityKindTable = {
  AlpineSki: 'downhill-skiing',
  BackcountrySki: 'back-country-skiing',
  Badminton: 'badminton',
  Basketball: 'basketball',
  Canoeing: 'canoeing',
  Cricket: 'cricket',
  Crossfit: 'crossfit',
  Dance: 'dancing',
  EBikeRide: 'electric-bike',
  Elliptical: 'elliptical',
  EMountainBikeRide: 'electric-mountain-bike',
  Golf: 'golf',
  GravelRide: 'outdoor-bike',
  Handcycle: 'hand-cycling',
  HighIntensityIntervalTraining: 'hiit',
  Hike: 'hiking',
  IceSkate: 'ice-skating',
  InlineSkate: 'rollerblading',
  Kayaking: 'kayaking',
  Kitesurf: 'kitesurfing',
  MountainBikeRide: 'mountain-bike',
  NordicSki: 'cross-country-ski',
  Padel: 'padel',
  PhysicalTherapy: 'other',
  Pickleball: 'pickleball',
  Pilates: 'pilates',
  Racquetball: 'racquetball',
  Ride: 'biking',
  RockClimbing: 'rock-climbing',
  RollerSki: 'roller-skiing',
  Rowing: 'rowing',
  Run: 'running',
  Sail: 'sailing',
  Skateboard: 'skateboarding',
  Snowboard: 'snowboarding',
  Snowshoe: 'snowshoeing',
  Soccer: 'soccer',
  Squash: 'squash',
  StairStepper: 'stair-climber',
  StandUpPaddling: 'paddleboarding',
  Surfing: 'surfing',
  Swim: 'swimming',
  TableTennis: 'table-tennis',
  Tennis: 'tennis',
  TrailRun: 'trail-run',
  Velomobile: 'biking', // a recumbent bicycle with a fairing: cycling, on no particular terrain
  VirtualRide: 'stationary-bike',
  VirtualRow: 'rowing-machine',
  VirtualRun: 'treadmill-running',
  Volleyball: 'volleyball',
  Walk: 'walking',
  WeightTraining: 'weights',
  Wheelchair: 'wheelchair',
  Windsurf: 'windsurfing',
  Workout: 'workout',
  Yoga: 'yoga',
};

/** Strava values no Health exercise type describes, so `other` is the honest answer; the reason says why. */
export const stravaValuesWithoutHealthMatch: Readonly<Record<string, string>> = {
  PhysicalTherapy: 'rehabilitation exercises: Health has no therapy type, and no single exercise describes them',
};
