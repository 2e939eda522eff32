// In-process Firestore emulator (@firestore-emulator/server) on 127.0.0.1:0. See local-stack.md §3 for why the
// gRPC server is bound here rather than through start(), and for the emulator's silent gaps (set() merges,
// no transaction isolation, cursors ignored, ...).
//
// The caller decides how clients find it: FIRESTORE_EMULATOR_HOST=<host>, or
// new Firestore({ projectId, host: '127.0.0.1', port, ssl: false }).
import { createRequire } from 'node:module';
import { FirestoreServer } from '@firestore-emulator/server';

export interface FirestoreEmulator {
  /** `127.0.0.1:PORT`, the form FIRESTORE_EMULATOR_HOST takes. */
  host: string;
  port: number;
  stop(): Promise<void>;
}

// The emulator checks server credentials with `instanceof` against its own nested @grpc/grpc-js copy, so the
// credentials must come from that copy, not from the top-level package.
const emulatorRequire = createRequire(createRequire(import.meta.url).resolve('@firestore-emulator/server'));
const { ServerCredentials } = emulatorRequire('@grpc/grpc-js') as typeof import('@grpc/grpc-js');

/** The parts of the emulator's private grpc-js Server used here. */
interface EmulatorGrpcServer {
  bindAsync(address: string, credentials: unknown, callback: (err: Error | null, port: number) => void): void;
  forceShutdown(): void;
  http2Servers?: Map<{ unref?: () => void }, unknown>;
}

export async function startFirestoreEmulator(): Promise<FirestoreEmulator> {
  const emulator = new FirestoreServer();
  const server = (emulator as unknown as { server: EmulatorGrpcServer }).server;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, boundPort) =>
      err ? reject(err) : resolve(boundPort),
    );
  });
  unrefListeners(server);
  return {
    host: `127.0.0.1:${port}`,
    port,
    stop: async () => server.forceShutdown(),
  };
}

// grpc-js has no Server.unref(); its listening http2 servers are reachable only through this private map.
function unrefListeners(server: EmulatorGrpcServer): void {
  for (const listener of server.http2Servers?.keys() ?? []) listener.unref?.();
}
