// What the stand-ins of trackers whose API serves workouts share on top of their OAuth token endpoint: the workouts
// a test puts (each owned by one tracker user) and the controls that put and delete them. A tracker declares only
// how one of its workouts is identified and what the stand-in keeps of it; its routes and any further controls
// stay its own.
import {
  type OAuthStandInOptions,
  type OAuthStandInSetup,
  type OAuthStandInState,
  type OAuthTrackerStandIn,
  startOAuthStandIn,
} from './oauth-tracker-stand-in.ts';
import { OwnedWorkouts, type Workout } from './owned-workouts.ts';

export interface WorkoutTrackerStandIn<User, Id> extends OAuthTrackerStandIn<User> {
  /** Stores (or replaces) a copy of a workout as the tracker's API returns it, owned by `user`. */
  putWorkout(user: User, workout: Workout): void;
  /** The workout is gone, as when its owner deleted it at the tracker. */
  deleteWorkout(id: Id): void;
}

/** The state of such a stand-in: the OAuth stand-in's, and the workouts tests put. */
export interface WorkoutTrackerState<User, Id, Options extends OAuthStandInOptions = OAuthStandInOptions>
  extends OAuthStandInState<User, Options> {
  workouts: OwnedWorkouts<User, Id>;
}

/** How the tracker identifies a workout, and what its stand-in needs of one to serve it. */
export interface WorkoutIdentity {
  /** The field that holds the workout's id at the tracker. */
  id: string;
  /** The fields (the id among them) a workout cannot be served without, with the type each must have. */
  needs: Record<string, 'string' | 'number'>;
  /** What the stand-in keeps of a workout, where the tracker derives fields of its own; default the workout as put. */
  kept?(workout: Workout): Workout;
}

export interface WorkoutTrackerSetup<User, Id, State extends WorkoutTrackerState<User, Id>>
  extends Omit<OAuthStandInSetup<User, State>, 'state'> {
  workouts: WorkoutIdentity;
  /** The tracker's state, built on the stand-in's options, clock, token book and workouts. */
  state(base: WorkoutTrackerState<User, Id, State['opts']>): State;
}

/** Starts a tracker's OAuth stand-in that holds workouts, and gives back its controls with its state. */
export async function startWorkoutTrackerStandIn<User, Id, State extends WorkoutTrackerState<User, Id>>(
  opts: State['opts'],
  setup: WorkoutTrackerSetup<User, Id, State>,
): Promise<{ standIn: WorkoutTrackerStandIn<User, Id>; state: State }> {
  const { workouts: identity, state: trackerState, ...oauth } = setup;
  const { standIn, state } = await startOAuthStandIn<User, State>(opts, {
    ...oauth,
    state: (base) => trackerState({ ...base, workouts: new OwnedWorkouts<User, Id>() }),
  });
  return {
    standIn: {
      ...standIn,
      putWorkout: (user, workout) => state.workouts.put(user, idOf(identity, workout) as Id, identity.kept?.(workout) ?? workout),
      deleteWorkout: (id) => state.workouts.delete(id),
    },
    state,
  };
}

function idOf(identity: WorkoutIdentity, workout: Workout): unknown {
  const missing = Object.entries(identity.needs).filter(([field, type]) => typeof workout[field] !== type);
  if (missing.length) {
    throw new Error(`putWorkout: a workout needs ${missing.map(([field, type]) => `${field} (a ${type})`).join(' and ')}`);
  }
  return workout[identity.id];
}
