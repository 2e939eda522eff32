// ava on Node 20 runs TypeScript through tsx; worker threads cannot load .ts files there (local-stack.md §9).
export default {
  files: ['test/**/*.test.ts'],
  extensions: { ts: 'module' },
  nodeArguments: ['--import=tsx'],
  workerThreads: false,
  timeout: '60s',
  environmentVariables: { METADATA_SERVER_DETECTION: 'none', NODE_ENV: 'test' },
};
