// Shared plumbing for the loopback gRPC stand-ins (grpc-pubsub.ts, grpc-secret-manager.ts): a service definition
// built from the protos.json a Google client package ships, a server on 127.0.0.1:0 that never keeps the process
// alive, and unary handlers whose thrown RpcErrors and injected faults reach the client as gRPC statuses.
import { createRequire } from 'node:module';
import * as grpcServer from '@grpc/grpc-js';
import type { ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

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
