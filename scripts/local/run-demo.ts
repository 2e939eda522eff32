import { STRAVA_VERIFY_TOKEN } from '../../test/support/stack.ts';
import { demoPeople } from './demo-people.ts';
import { replayDemoEvents } from './demo-replay.ts';
import { linkDemoPerson } from './link-demo-person.ts';
import type { LocalServices } from './local-services.ts';
import { fitSessionRows, googleCallSummary, healthExerciseRows } from './sink-contents.ts';

type Say = (line?: string) => void;

/**
 * The local run's demo: links one person per sink with the operator command, answers Strava's subscription
 * handshake, replays each person's Strava events and prints what Google Fit and Google Health hold afterwards.
 */
export async function runDemo(services: LocalServices, say: Say, table: (rows: object[]) => void): Promise<void> {
  const { stack, webhook } = services;
  // The command runs one process per person; their output is printed in a fixed order once both are done.
  const linked = await Promise.all(demoPeople.map((person) => linkDemoPerson(stack, person)));
  for (const output of linked) {
    say();
    say('$ npm run fitsync -- link --file -');
    say(output.replace(/^/gm, '  '));
  }

  const hs = await fetch(`${webhook.url}/strava?hub.mode=subscribe&hub.challenge=local-check&hub.verify_token=${STRAVA_VERIFY_TOKEN}`);
  say();
  say(`Strava subscription handshake → ${hs.status} ${await hs.text()}`);
  for (const person of demoPeople) await replayDemoEvents(services, person, say);

  for (const person of demoPeople) {
    say();
    if (person.sink === 'google-fit') {
      say(`Google Fit sessions of ${person.userId} (LOCAL STAND-IN Fit server):`);
      table(fitSessionRows(stack, person.userId));
    } else {
      say(`Google Health exercises of ${person.userId} (LOCAL STAND-IN Health server):`);
      table(healthExerciseRows(stack, person.userId));
    }
  }
  for (const line of googleCallSummary(stack)) say(line);
  say(`Pub/Sub deliveries to worker: ${stack.pubsub.deliveries.length}, dead letters: ${stack.pubsub.deadLetters().length}`);
}
