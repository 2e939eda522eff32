// Shared plumbing for the loopback gRPC stand-ins (grpc-pubsub.ts, grpc-secret-manager.ts): a service definition
// built from the protos.json a Google client package ships, a server on 127.0.0.1:0 that never keeps the process
// alive, and unary handlers whose thrown RpcErrors and injected faults reach the client as gRPC statuses. Google's
// services answer REST on the same host as gRPC, and so do the stand-ins: one port that tells the two protocols
// apart, and Google's REST error body for a gRPC status.
import { createServer as createHttpServer, type Server as HttpServer, type RequestListener, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { type AddressInfo, connect, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import * as grpcServer from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { sendJson } from './http-server.ts';

export const Status = grpcServer.status;

export type RpcRequest = Record<string, unknown>;
/** Answers one unary RPC; throw an RpcError to answer a status other than OK. */
export type UnaryHandler = (request: RpcRequest) => unknown;

export interface UnaryHooks {
  /** Sees every call, implemented or not, before anything else happens to it. */
  onCall?(method: string, request: RpcRequest): void;
  /** A status code to answer instead of running the method (a fault injected by the test), or null. */
  faultOf?(method: string, request: RpcRequest): number | null;
}

export class RpcError extends Error {
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(details);
  }
}

const requireHere = createRequire(import.meta.url);

/**
 * `protosJsonModule` is resolved from here, e.g. '@google-cloud/pubsub/build/protos/protos.json';
 * `servicePath` names the service inside it, e.g. ['google', 'pubsub', 'v1', 'Publisher'].
 */
export function loadGrpcService(protosJsonModule: string, servicePath: string[]): ServiceDefinition {
  const definition = protoLoader.fromJSON(requireHere(protosJsonModule), {
    longs: String,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  let node: unknown = grpcServer.loadPackageDefinition(definition);
  for (const key of servicePath) node = (node as Record<string, unknown> | undefined)?.[key];
  const service = (node as { service?: ServiceDefinition } | undefined)?.service;
  if (!service) throw new Error(`${protosJsonModule} defines no service ${servicePath.join('.')}`);
  return service;
}

/** Every method of `service`: those without a handler answer UNIMPLEMENTED, as a real server would. */
export function unaryImplementation(
  service: ServiceDefinition,
  handlers: Record<string, UnaryHandler>,
  hooks: UnaryHooks = {},
): UntypedServiceImplementation {
  const impl: UntypedServiceImplementation = {};
  for (const method of Object.keys(service)) {
    impl[method] = (call: grpcServer.ServerUnaryCall<RpcRequest, unknown>, callback: grpcServer.sendUnaryData<unknown>) => {
      hooks.onCall?.(method, call.request);
      const fault = hooks.faultOf?.(method, call.request) ?? null;
      if (fault !== null) return callback(new RpcError(fault, faultMessage(fault)));
      const handler = handlers[method];
      if (!handler) return callback(new RpcError(Status.UNIMPLEMENTED, `Method ${method} is not implemented by the stand-in.`));
      try {
        callback(null, handler(call.request));
      } catch (err) {
        callback(err instanceof RpcError ? err : new RpcError(Status.INTERNAL, String(err)));
      }
    };
  }
  return impl;
}

export function bindLoopback(server: grpcServer.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpcServer.ServerCredentials.createInsecure(), (err, port) => {
      if (err) return reject(err);
      // grpc-js has no Server.unref(); its listening http2 servers are reachable only through this private map.
      const listeners = (server as unknown as { http2Servers?: Map<{ unref?: () => void }, unknown> }).http2Servers;
      for (const listener of listeners?.keys() ?? []) listener.unref?.();
      resolve(port);
    });
  });
}

/** The message a real server gives with this status, or one naming the injected code. */
export function faultMessage(code: number): string {
  if (code === Status.UNAVAILABLE) return 'The service is currently unavailable.';
  return `Injected failure (${Status[code] ?? code}).`;
}

// ---------------------------------------------------------------------------------------------------------------
// One port, two protocols.

const HTTP2_PREFACE_START = Buffer.from('PRI');

/** Listens on 127.0.0.1:0; relays HTTP/2 connections to the gRPC server's port, hands HTTP/1.1 ones to `rest`. */
export async function listenSniffing(grpcPort: number, rest: HttpServer): Promise<{ server: NetServer; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  // noDelay as Node's HTTP servers set it: the REST server gets its sockets from here, not from its own listener.
  const server = createNetServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      if (head.length < HTTP2_PREFACE_START.length) return;
      socket.off('data', onData);
      socket.pause();
      if (head.subarray(0, HTTP2_PREFACE_START.length).equals(HTTP2_PREFACE_START)) relay(socket, head, grpcPort, sockets);
      else {
        socket.unshift(head);
        rest.emit('connection', socket);
        socket.resume();
      }
    };
    socket.on('data', onData);
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  server.unref();
  return {
    server,
    close: () =>
      new Promise<void>((ok) => {
        for (const s of sockets) s.destroy();
        server.close(() => ok());
      }),
  };
}

function relay(client: Socket, head: Buffer, port: number, sockets: Set<Socket>): void {
  const upstream = connect(port, '127.0.0.1');
  sockets.add(upstream);
  upstream.once('close', () => {
    sockets.delete(upstream);
    client.destroy();
  });
  client.once('close', () => upstream.destroy());
  upstream.on('error', () => upstream.destroy());
  upstream.write(head);
  client.pipe(upstream).pipe(client);
  client.resume();
}

/**
 * A unary gRPC service and its REST twin served on one loopback port, as Google's endpoints are. `close` stops the
 * REST side and the shared port; the gRPC server is the caller's to shut down (each stand-in drains it its own way).
 */
export async function serveGrpcAndRest(o: {
  service: ServiceDefinition;
  handlers: Record<string, UnaryHandler>;
  hooks: UnaryHooks;
  rest: RequestListener;
}): Promise<{ server: grpcServer.Server; port: number; close(): Promise<void> }> {
  const server = new grpcServer.Server();
  server.addService(o.service, unaryImplementation(o.service, o.handlers, o.hooks));
  const grpcPort = await bindLoopback(server);
  const rest = createHttpServer(o.rest);
  const front = await listenSniffing(grpcPort, rest);
  return {
    server,
    port: (front.server.address() as AddressInfo).port,
    close: async () => {
      rest.closeAllConnections();
      await front.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// REST errors.

/**
 * The HTTP status Google's REST APIs answer each gRPC code with: the "HTTP Mapping" of each google.rpc.Code in
 * https://github.com/googleapis/googleapis/blob/master/google/rpc/code.proto. The body's `status` is the code's name.
 */
const httpStatusOfCode = new Map<number, number>(
  Object.entries({
    400: [Status.INVALID_ARGUMENT, Status.FAILED_PRECONDITION, Status.OUT_OF_RANGE],
    401: [Status.UNAUTHENTICATED],
    403: [Status.PERMISSION_DENIED],
    404: [Status.NOT_FOUND],
    409: [Status.ALREADY_EXISTS, Status.ABORTED],
    429: [Status.RESOURCE_EXHAUSTED],
    499: [Status.CANCELLED],
    500: [Status.INTERNAL, Status.DATA_LOSS, Status.UNKNOWN],
    501: [Status.UNIMPLEMENTED],
    503: [Status.UNAVAILABLE],
    504: [Status.DEADLINE_EXCEEDED],
  }).flatMap(([http, codes]) => codes.map((code) => [code, Number(http)] as const)),
);

export function sendGoogleError(res: ServerResponse, grpcCode: number, message: string): void {
  const status = httpStatusOfCode.get(grpcCode) ?? 500;
  sendJson(res, status, { error: { code: status, message, status: Status[grpcCode] ?? 'UNKNOWN' } });
}
