// Preloaded into benchmarked functions when they are profiled (BENCH_CPU_PROFILE): functions-framework does not
// handle SIGTERM, and a process killed by a signal writes no --cpu-prof profile; exiting normally does.
'use strict';
process.on('SIGTERM', () => process.exit(0));
