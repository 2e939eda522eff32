// LOCAL STAND-IN for the metadata server of a Google Cloud instance, token route only
// (https://cloud.google.com/compute/docs/access/authenticate-workloads#applications):
// `GET /computeMetadata/v1/instance/service-accounts/default/token` with `Metadata-Flavor: Google` answers
// `{access_token, expires_in, token_type: "Bearer"}`; without the header it answers 403, as the real one does.
// Each token it issues is new, so tests can tell a cached token from a fetched one.
import { type StandInServer, startStandInServer } from './http-server.ts';

export interface MetadataStandIn extends StandInServer {
  /** `127.0.0.1:PORT`, for GCE_METADATA_HOST. */
  host: string;
  /** Tokens issued so far, oldest first. */
  issued: string[];
}

const TOKEN_PATH = '/computeMetadata/v1/instance/service-accounts/default/token';

export async function startMetadataStandIn(): Promise<MetadataStandIn> {
  const issued: string[] = [];
  const server = await startStandInServer({
    defaultErrorBody: (status) => ({ error: `HTTP ${status}` }),
    route: ({ method, url, headers }) => {
      if (method !== 'GET' || url.pathname !== TOKEN_PATH) return { status: 404, body: { error: 'not found' } };
      if (headers['metadata-flavor'] !== 'Google') return { status: 403, body: { error: 'Missing Metadata-Flavor:Google header.' } };
      const token = `ya29.metadata-stand-in-${issued.length + 1}`;
      issued.push(token);
      return { status: 200, body: { access_token: token, expires_in: 3599, token_type: 'Bearer' } };
    },
  });
  return {
    ...server,
    host: server.url.replace(/^http:\/\//, ''),
    issued,
  };
}
