import type { ActivityRecord } from '../stores/recent-activities.ts';
import type { SinkId } from './google/sinks.ts';
import { reasonInWords } from './workout-reasons.ts';

export type Tone = 'ok' | 'warn' | 'bad' | 'none';

/** Where one workout stands at one sink, in words. */
export interface SinkStatus {
  label: string;
  tone: Tone;
  /** Why, when it is not simply written. */
  reason: string;
}

const states: Record<string, { label: string; tone: Tone }> = {
  synced: { label: 'Synced', tone: 'ok' },
  deleted: { label: 'Deleted', tone: 'none' },
  retrying: { label: 'Retrying', tone: 'warn' },
  failed: { label: 'Failed', tone: 'bad' },
  skipped: { label: 'Skipped', tone: 'none' },
};

/**
 * The per-sink fields (`fitState`/`healthState`, `fitErrorCode`/`healthErrorCode`) are read defensively: absent
 * means not yet known. Records written before them carry one `state`/`lastErrorCode`, which described the
 * Google Fit write.
 */
export function sinkStatus(record: ActivityRecord, sink: SinkId, chosen: boolean): SinkStatus {
  const perSink = sink === 'google-fit' ? record.fitState : record.healthState;
  const legacy = sink === 'google-fit' && perSink === undefined ? record.state : undefined;
  const state = perSink ?? (legacy && legacy in states ? legacy : undefined);
  const code =
    sink === 'google-fit' ? (record.fitErrorCode ?? (perSink === undefined ? record.lastErrorCode : undefined)) : record.healthErrorCode;
  if (!state)
    return chosen
      ? { label: 'Not yet synced', tone: 'none', reason: '' }
      : { label: 'Not sent', tone: 'none', reason: 'You did not choose this destination' };
  const s = states[state] ?? { label: state, tone: 'none' as Tone };
  return { ...s, reason: state === 'synced' ? '' : reasonInWords(code) };
}
