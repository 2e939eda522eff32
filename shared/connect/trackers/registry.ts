import type { TrackerConnectModule } from '../tracker-connect.ts';
import { corosConnectModule } from './coros.ts';
import { garminConnectModule } from './garmin.ts';
import { ouraConnectModule } from './oura.ts';
import { polarConnectModule } from './polar.ts';
import { stravaConnectModule } from './strava.ts';
import { suuntoConnectModule } from './suunto.ts';
import { wahooConnectModule } from './wahoo.ts';
import { whoopConnectModule } from './whoop.ts';
import { withingsConnectModule } from './withings.ts';

/** Every tracker a person can connect with OAuth (the generic endpoint has no OAuth: an operator links it). */
export const trackerConnectModules: readonly TrackerConnectModule[] = [
  stravaConnectModule,
  garminConnectModule,
  polarConnectModule,
  ouraConnectModule,
  whoopConnectModule,
  wahooConnectModule,
  suuntoConnectModule,
  corosConnectModule,
  withingsConnectModule,
];
