import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { grpc } from 'google-gax';
import { splitHostPort } from './gcp-clients.ts';

/**
 * The gRPC Secret Manager client, for a function that carries the client library (the connect function); the worker
 * reads its secrets over REST (gcp-clients.ts) and does not load it.
 */
export function createSecretManagerClient(config: {
  secretManagerEmulatorHost?: string;
  secretManagerEndpoint?: string;
}): SecretManagerServiceClient {
  if (config.secretManagerEmulatorHost) {
    const [apiEndpoint, port] = splitHostPort(config.secretManagerEmulatorHost);
    return new SecretManagerServiceClient({ apiEndpoint, port, sslCreds: grpc.credentials.createInsecure() });
  }
  return new SecretManagerServiceClient(config.secretManagerEndpoint ? { apiEndpoint: config.secretManagerEndpoint } : {});
}
