import { Firestore } from '@google-cloud/firestore';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { grpc } from 'google-gax';

/** What the Google Cloud clients need from any function's configuration. */
interface GcpClientConfig {
  projectId: string;
  firestoreEmulatorHost?: string;
  secretManagerEmulatorHost?: string;
  secretManagerEndpoint?: string;
}

/** Firestore, honouring a configured emulator (plaintext, the emulator's owner credentials). */
export function createFirestore(config: Pick<GcpClientConfig, 'projectId' | 'firestoreEmulatorHost'>): Firestore {
  const emulator = config.firestoreEmulatorHost;
  if (!emulator) return new Firestore({ projectId: config.projectId });
  const [host, port] = splitHostPort(emulator);
  return new Firestore({ projectId: config.projectId, host, port, ssl: false, customHeaders: { Authorization: 'Bearer owner' } });
}

export function createSecretManagerClient(config: Pick<GcpClientConfig, 'secretManagerEmulatorHost' | 'secretManagerEndpoint'>) {
  if (config.secretManagerEmulatorHost) {
    const [apiEndpoint, port] = splitHostPort(config.secretManagerEmulatorHost);
    return new SecretManagerServiceClient({ apiEndpoint, port, sslCreds: grpc.credentials.createInsecure() });
  }
  return new SecretManagerServiceClient(config.secretManagerEndpoint ? { apiEndpoint: config.secretManagerEndpoint } : {});
}

function splitHostPort(hostPort: string): [string, number] {
  const i = hostPort.lastIndexOf(':');
  return [hostPort.slice(0, i).replace(/^\[|\]$/g, ''), Number(hostPort.slice(i + 1))];
}

