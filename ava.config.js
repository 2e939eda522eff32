// ava on Node 20 runs TypeScript through tsx; worker threads cannot load .ts files there, so each test file
// runs in a child process.
export default {
  files: ['test/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  // ava's timeout is a run-wide watchdog: it fires when no test at all finished for this long, and ends every
  // test still pending. A test that legitimately runs longer says how long with t.timeout(), which also holds
  // the watchdog off for that time.
  timeout: '60s',
  environmentVariables: { METADATA_SERVER_DETECTION: 'none', NODE_ENV: 'test' },
};
