import test from 'ava';
import { linkBackfillWindow } from '../../shared/backfill/link-window.ts';

const DAY = 86_400_000;
const now = Date.UTC(2026, 11, 6, 12);

test('a new link imports the last BACKFILL_ON_LINK_DAYS days', (t) => {
  t.deepEqual(linkBackfillWindow(now, 30), { startMs: now - 30 * DAY, endMs: now });
});

test('a reconnection after a break imports everything since a day before the break, when that is longer ago', (t) => {
  const broke = now - 90 * DAY;
  t.deepEqual(linkBackfillWindow(now, 30, broke), { startMs: broke - DAY, endMs: now });
});

test('a break within the usual window changes nothing', (t) => {
  t.deepEqual(linkBackfillWindow(now, 30, now - 3 * DAY), { startMs: now - 30 * DAY, endMs: now });
});
