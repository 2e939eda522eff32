// ava on Node 20 runs TypeScript through tsx; worker threads cannot load .ts files there, so each test file
// runs in a child process.
export default {
  files: ['test/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  // ava's timeout is a run-wide watchdog: it fires when no test at all finished for this long, and ends the run
  // (docs/testing.md). It must outlast the longest t.timeout() in the suite (test/unit/test-timeouts.test.ts
  // holds that): ava 7 skips a firing that falls inside a t.timeout()'s period and does not arm itself again, so
  // with a shorter watchdog a test that hangs where its own t.timeout() cannot end it (a teardown that never
  // returns) would hold the run until the runner's deadline. A test that takes longer than a few
  // seconds on a busy machine says how long with t.timeout(), which bounds that test alone.
  timeout: '11m',
  environmentVariables: { METADATA_SERVER_DETECTION: 'none', NODE_ENV: 'test' },
};
