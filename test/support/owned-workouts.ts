// The workouts a tracker stand-in holds, each owned by one user. Trackers answer another user's workout exactly as
// a missing one (ids cannot be probed), and a stand-in must not share objects with the test that stored them.

export type Workout = Record<string, unknown>;

export class OwnedWorkouts<User, Id> {
  private readonly byId = new Map<Id, { owner: User; workout: Workout }>();

  /** Stores (or replaces) a copy of `workout` under `id`, so later changes by the test do not reach it. */
  put(owner: User, id: Id, workout: Workout): void {
    this.byId.set(id, { owner, workout: structuredClone(workout) });
  }

  delete(id: Id): void {
    this.byId.delete(id);
  }

  /** The workout stored under `id` if `owner` owns it; another user's is as missing as an unknown one. */
  get(id: Id, owner: User): Workout | undefined {
    const stored = this.byId.get(id);
    return stored?.owner === owner ? stored.workout : undefined;
  }

  /** Every workout `owner` owns, in the order first stored. */
  of(owner: User): Workout[] {
    return [...this.byId.values()].filter((w) => w.owner === owner).map((w) => w.workout);
  }
}
