// Baselines for the benchmarks, started like the bundles (functions-framework CLI):
//   trivial        an HTTP function that does nothing but answer;
//   trivial-event  a CloudEvent function that does nothing but acknowledge;
//   trivial-chain  a CloudEvent function that makes a fixed chain of HTTP round trips and nothing else: the least a
//                  worker needing those round trips can take on this machine. TRIVIAL_CHAIN_BASE is a server that
//                  answers `GET /?ms=N` after N ms; TRIVIAL_CHAIN_STEPS lists the steps, each `<ms>x<calls>` (calls
//                  of one step in parallel, steps one after another), e.g. `10x3,50x1,50x1,50x4,50x4,10x1`.
const { http, cloudEvent } = require('@google-cloud/functions-framework');
const { Agent, get } = require('node:http');

http('trivial', (_req, res) => res.status(200).send('ok'));

cloudEvent('trivial-event', () => {});

const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const steps = (process.env.TRIVIAL_CHAIN_STEPS || '')
  .split(',')
  .filter(Boolean)
  .map((s) => s.split('x').map(Number));
const call = (ms) =>
  new Promise((resolve, reject) => {
    get(`${process.env.TRIVIAL_CHAIN_BASE}/?ms=${ms}`, { agent }, (res) => {
      res.resume();
      res.on('end', resolve);
      res.on('error', reject);
    }).on('error', reject);
  });

cloudEvent('trivial-chain', async () => {
  for (const [ms, calls] of steps) await Promise.all(Array.from({ length: calls }, () => call(ms)));
});
