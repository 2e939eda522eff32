/** How `npm run start:local` runs: the demo alone, which ends by itself, or the demo and then `--serve`. */
export interface RunOptions {
  serve: boolean;
}

export const runUsage = `Usage: npm run start:local [-- --serve]

Builds the bundles and runs fitsync's whole pipeline on 127.0.0.1 with local stand-ins for Google and Strava: links
one demo person per sink, replays Strava events and prints what Google Fit and Google Health hold, then stops.
  --serve   then keep everything running: open the connect page it prints, sign in at the Google stand-in, connect
            Strava, and see a replayed workout on your status page (also FITSYNC_LOCAL_SERVE=1). Ctrl-C stops.`;

/** The options from the command line and the environment; an Error naming every argument it does not know. */
export function parseRunOptions(argv: readonly string[], env: NodeJS.ProcessEnv): RunOptions {
  const unknown = argv.filter((a) => a !== '--serve');
  if (unknown.length) throw new Error(`unknown argument(s): ${unknown.join(' ')}`);
  const fromEnv = env.FITSYNC_LOCAL_SERVE;
  if (fromEnv !== undefined && fromEnv !== '' && fromEnv !== '0' && fromEnv !== '1')
    throw new Error(`FITSYNC_LOCAL_SERVE must be 1 or 0, got "${fromEnv}"`);
  return { serve: argv.includes('--serve') || fromEnv === '1' };
}
