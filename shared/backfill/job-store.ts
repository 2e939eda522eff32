import { FieldValue, type Firestore, Timestamp } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import type { ProviderId, TimeWindow } from '../types.ts';

export type JobState = 'queued' | 'running' | 'paused' | 'done' | 'failed';
export type JobOrigin = 'sweep' | 'link' | 'operator';

/** `backfillJobs/{jobId}`: one tracker link's window being listed page by page. */
export interface BackfillJob {
  jobId: string;
  provider: ProviderId;
  providerUserId: string;
  userId: string;
  window: TimeWindow;
  origin: JobOrigin;
  state: JobState;
  reasonCode: string | null;
  /** Where the next page starts (the tracker's cursor); null before the first page. */
  cursor: string | null;
  pages: number;
  found: number;
  written: number;
  skipped: number;
  failed: number;
  /** Items the tracker listed that could not be read as workouts (skipped and logged; the job goes on). */
  unreadable: number;
  /** Runs of the current page so far (0 after a page is done): a repeated page may have written and then failed. */
  pageAttempts: number;
  resumeAtMs: number | null;
  createdAtMs: number;
  updatedAtMs: number;
}

export type NewJob = Pick<BackfillJob, 'jobId' | 'provider' | 'providerUserId' | 'userId' | 'window' | 'origin'>;

export interface PageProgress {
  cursor: string | null;
  found: number;
  written: number;
  skipped: number;
  failed: number;
  unreadable: number;
}

export interface JobStore {
  /** Creates the job unless a job with this id exists (a redelivered sweep); true when created. */
  create(job: NewJob): Promise<boolean>;
  get(jobId: string): Promise<BackfillJob | undefined>;
  /** Records one finished page: the cursor moves only after the page's workouts are all written. */
  pageDone(jobId: string, p: PageProgress): Promise<void>;
  setState(jobId: string, state: JobState, o?: { reasonCode?: string | null; resumeAtMs?: number | null }): Promise<void>;
  /** Counts a run of the current page that is about to write (`pageAttempts`). */
  beginPage(job: BackfillJob): Promise<void>;
  /** Paused jobs whose time has come, and running/queued jobs nobody touched for `staleMs` (a crashed run). */
  resumable(nowMs: number, staleMs: number): Promise<BackfillJob[]>;
  list(filter: { userId?: string; jobIds?: readonly string[] }): Promise<BackfillJob[]>;
}

const ms = (v: unknown) => (v instanceof Timestamp ? v.toMillis() : null);

function toJob(d: FirebaseFirestore.DocumentData): BackfillJob {
  return {
    jobId: d.jobId,
    provider: d.provider,
    providerUserId: d.providerUserId,
    userId: d.userId,
    window: { startMs: d.windowStartMs, endMs: d.windowEndMs },
    origin: d.origin,
    state: d.state,
    reasonCode: d.reasonCode ?? null,
    cursor: d.cursor ?? null,
    pages: d.pages ?? 0,
    found: d.found ?? 0,
    written: d.written ?? 0,
    skipped: d.skipped ?? 0,
    failed: d.failed ?? 0,
    unreadable: d.unreadable ?? 0,
    pageAttempts: d.pageAttempts ?? 0,
    resumeAtMs: typeof d.resumeAtMs === 'number' ? d.resumeAtMs : null,
    createdAtMs: ms(d.createdAt) ?? 0,
    updatedAtMs: ms(d.updatedAt) ?? 0,
  };
}

/** Finished or abandoned jobs are kept this long for operators, then Firestore's TTL policy removes them. */
const jobTtlMs = 30 * 86_400_000;

export function createJobStore(db: Firestore, clock: Clock): JobStore {
  const col = db.collection('backfillJobs');
  const now = () => Timestamp.fromMillis(clock.now());
  return {
    create: (job) =>
      firestoreCall(async () => {
        try {
          await col.doc(job.jobId).create({
            jobId: job.jobId,
            provider: job.provider,
            providerUserId: job.providerUserId,
            userId: job.userId,
            windowStartMs: job.window.startMs,
            windowEndMs: job.window.endMs,
            origin: job.origin,
            state: 'queued',
            reasonCode: null,
            cursor: null,
            pages: 0,
            found: 0,
            written: 0,
            skipped: 0,
            failed: 0,
            unreadable: 0,
            pageAttempts: 0,
            resumeAtMs: null,
            createdAt: now(),
            updatedAt: now(),
            expireAt: Timestamp.fromMillis(clock.now() + jobTtlMs),
          });
          return true;
        } catch (err) {
          if ((err as { code?: unknown }).code === 6) return false; // ALREADY_EXISTS
          throw err;
        }
      }),
    get: (jobId) =>
      firestoreCall(async () => {
        const d = (await col.doc(jobId).get()).data();
        return d ? toJob(d) : undefined;
      }),
    pageDone: (jobId, p) =>
      firestoreCall(async () => {
        // Increments first: the Firestore emulator drops the transforms that follow a serverTimestamp in one write.
        await col.doc(jobId).update({
          pages: FieldValue.increment(1),
          found: FieldValue.increment(p.found),
          written: FieldValue.increment(p.written),
          skipped: FieldValue.increment(p.skipped),
          failed: FieldValue.increment(p.failed),
          unreadable: FieldValue.increment(p.unreadable),
          cursor: p.cursor,
          pageAttempts: 0,
          state: p.cursor === null ? 'done' : 'running',
          reasonCode: null,
          resumeAtMs: null,
          updatedAt: now(),
        });
      }),
    setState: (jobId, state, o = {}) =>
      firestoreCall(async () => {
        await col.doc(jobId).update({
          state,
          ...(o.reasonCode !== undefined ? { reasonCode: o.reasonCode } : {}),
          ...(o.resumeAtMs !== undefined ? { resumeAtMs: o.resumeAtMs } : {}),
          updatedAt: now(),
        });
      }),
    beginPage: (job) =>
      firestoreCall(async () => {
        await col.doc(job.jobId).update({ pageAttempts: job.pageAttempts + 1, updatedAt: now() });
      }),
    resumable: (nowMs, staleMs) =>
      firestoreCall(async () => {
        const snap = await col.where('state', 'in', ['paused', 'running', 'queued']).get();
        return snap.docs
          .map((d) => toJob(d.data()))
          .filter((j) => (j.state === 'paused' ? (j.resumeAtMs ?? 0) <= nowMs : j.updatedAtMs < nowMs - staleMs));
      }),
    list: (filter) =>
      firestoreCall(async () => {
        if (filter.jobIds) {
          if (!filter.jobIds.length) return [];
          const snaps = await db.getAll(...filter.jobIds.map((id) => col.doc(id)));
          return snaps.filter((s) => s.exists).map((s) => toJob(s.data()!));
        }
        const q = filter.userId ? col.where('userId', '==', filter.userId) : col;
        return (await q.get()).docs.map((d) => toJob(d.data())).sort((a, b) => b.createdAtMs - a.createdAtMs);
      }),
  };
}
