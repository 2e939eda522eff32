// Preloaded (`node --require`) into functions-framework CLI processes started by tests and the local run: the
// CLI has no host option and listens on every interface, but servers started here must stay on loopback.
// A listen() that names only a port is bound to 127.0.0.1 instead.
'use strict';
const net = require('node:net');
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first, second] = args;
  const portOnly = typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first));
  if (portOnly && typeof second !== 'string') args.splice(1, 0, '127.0.0.1');
  else if (first && typeof first === 'object' && first.path === undefined && !first.host) args[0] = { ...first, host: '127.0.0.1' };
  return listen.apply(this, args);
};
