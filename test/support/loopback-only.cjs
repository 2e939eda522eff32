// Preloaded (`node --require`) into functions-framework CLI processes started by tests and the local run: the
// CLI has no host option and listens on every interface, but servers started here must stay on loopback.
// A listen() that names only a port is bound to 127.0.0.1 instead. A process started with an IPC channel (the tests'
// startFunction) is told the port its first server listens on, so it can start on port 0 and need not probe.
'use strict';
const net = require('node:net');
const listen = net.Server.prototype.listen;
let reported = false;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (!reported && typeof process.send === 'function') {
    reported = true;
    this.once('listening', () => {
      // Disconnecting lets the channel go, so it never keeps the process alive after its server closes.
      process.send({ fitsyncListening: this.address().port }, () => process.disconnect());
    });
  }
  const [first, second] = args;
  const portOnly = typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first));
  if (portOnly && typeof second !== 'string') args.splice(1, 0, '127.0.0.1');
  else if (first && typeof first === 'object' && first.path === undefined && !first.host) args[0] = { ...first, host: '127.0.0.1' };
  return listen.apply(this, args);
};
