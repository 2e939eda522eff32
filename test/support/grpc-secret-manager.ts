// A gRPC google.cloud.secretmanager.v1.SecretManagerService on 127.0.0.1:0, built from the protos.json the
// client package ships, so the real SecretManagerServiceClient talks to it unchanged.
// Implemented: CreateSecret, GetSecret, AddSecretVersion, AccessSecretVersion (with the `latest` alias),
// ListSecretVersions, GetSecretVersion, Enable/Disable/DestroySecretVersion. Every other RPC: 12 UNIMPLEMENTED.
// On the same port, the REST API's access call as Google serves it
// (https://cloud.google.com/secret-manager/docs/reference/rest/v1/projects.secrets.versions/access):
// `GET /v1/{name}:access` answers `{name, payload: {data (base64), dataCrc32c}}`, errors as Google's
// `{error: {code, message, status}}`; REST calls are logged and fail like gRPC ones (failWith, failWhen, calls).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { grpc } from 'google-gax';
import type { RpcRequest as Request, UnaryHandler, UnaryHooks } from './grpc-server.ts';
import { faultMessage, loadGrpcService, RpcError, Status, sendGoogleError, serveGrpcAndRest } from './grpc-server.ts';
import { sendJson } from './http-server.ts';

export interface SecretManagerStandIn {
  /** `127.0.0.1:PORT`. */
  host: string;
  port: number;
  stop(): Promise<void>;
  /**
   * Adds a version holding `value`, creating the secret first if needed, and returns the version's resource name.
   * `name` is a secret id (in the default project) or a full `projects/{p}/secrets/{id}`.
   */
  putSecret(name: string, value: string | Buffer): string;
  /** While set, every RPC answers this gRPC status code (e.g. 14 UNAVAILABLE); `null` restores normal service. */
  failWith(code: number | null): void;
  /**
   * While set, each RPC asks `decide` (method, addressed resource name) for a status code to answer instead, or null
   * to serve it; `null` removes the rule.
   */
  failWhen(decide: ((method: string, name: string) => number | null) | null): void;
  /** Every RPC received, in order; `name` is the resource the request addressed. */
  calls: Array<{ method: string; name: string }>;
}

type VersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED';

interface StoredVersion {
  number: number;
  state: VersionState;
  data: Buffer | null;
  createTimeMs: number;
  destroyTimeMs?: number;
}

interface StoredSecret {
  name: string;
  createTimeMs: number;
  labels: Record<string, string>;
  versions: StoredVersion[];
}

type Secrets = Map<string, StoredSecret>;

const SECRET_NAME = /^projects\/[^/]+\/secrets\/[A-Za-z0-9_-]{1,255}$/;
const VERSION_NAME = /^(projects\/[^/]+\/secrets\/[A-Za-z0-9_-]{1,255})\/versions\/([^/]+)$/;

function handlers(secrets: Secrets): Record<string, UnaryHandler> {
  return {
    CreateSecret: (request) => createSecret(secrets, request),
    GetSecret: (request) => secretResource(findSecret(secrets, stringField(request, 'name'))),
    AddSecretVersion: (request) => addSecretVersion(secrets, request),
    AccessSecretVersion: (request) => accessSecretVersion(secrets, request),
    ListSecretVersions: (request) => listSecretVersions(secrets, request),
    GetSecretVersion: (request) => {
      const { secret, version } = resolveVersion(secrets, stringField(request, 'name'));
      return versionResource(secret, version);
    },
    EnableSecretVersion: (request) => changeState(secrets, request, 'ENABLED'),
    DisableSecretVersion: (request) => changeState(secrets, request, 'DISABLED'),
    DestroySecretVersion: (request) => changeState(secrets, request, 'DESTROYED'),
  };
}

export async function startSecretManagerStandIn(opts: { projectId?: string } = {}): Promise<SecretManagerStandIn> {
  const projectId = opts.projectId ?? 'demo-test';
  const secrets: Secrets = new Map();
  const calls: Array<{ method: string; name: string }> = [];
  const fault: { code: number | null; decide: ((method: string, name: string) => number | null) | null } = { code: null, decide: null };
  const service = loadGrpcService('@google-cloud/secret-manager/build/protos/protos.json', [
    'google',
    'cloud',
    'secretmanager',
    'v1',
    'SecretManagerService',
  ]);
  const hooks: UnaryHooks = {
    onCall: (method, request) => void calls.push({ method, name: addressedName(request) }),
    faultOf: (method, request) => fault.code ?? fault.decide?.(method, addressedName(request)) ?? null,
  };
  const { server, port, close } = await serveGrpcAndRest({
    service,
    handlers: handlers(secrets),
    hooks,
    rest: (req, res) => answerRest(secrets, hooks, req, res),
  });
  return {
    host: `127.0.0.1:${port}`,
    port,
    stop: async () => {
      server.forceShutdown();
      await close();
    },
    putSecret: (name, value) => putSecret(secrets, qualify(projectId, name), value),
    failWith: (code) => {
      fault.code = code;
    },
    failWhen: (decide) => {
      fault.decide = decide;
    },
    calls,
  };
}

/** A real client pointed at the stand-in: insecure channel, and `sslCreds` makes google-gax skip auth entirely. */
export function secretManagerClientFor(host: string): SecretManagerServiceClient {
  const port = Number(host.slice(host.lastIndexOf(':') + 1));
  return new SecretManagerServiceClient({ apiEndpoint: '127.0.0.1', port, sslCreds: grpc.credentials.createInsecure() });
}

function addressedName(request: Request): string {
  if (typeof request.name === 'string' && request.name !== '') return request.name;
  if (typeof request.parent === 'string' && typeof request.secretId === 'string' && request.secretId !== '') {
    return `${request.parent}/secrets/${request.secretId}`;
  }
  return typeof request.parent === 'string' ? request.parent : '';
}

const REST_ACCESS = /^\/v1\/(projects\/[^/]+\/secrets\/[^/]+\/versions\/[^/:]+):access$/;

/** `GET /v1/{name}:access`: the same RPC, hooks and answers as over gRPC, in the REST API's JSON. */
function answerRest(secrets: Secrets, hooks: UnaryHooks, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  const route = REST_ACCESS.exec((req.url ?? '').split('?')[0] ?? '');
  if (req.method !== 'GET' || !route) {
    sendGoogleError(res, Status.NOT_FOUND, `The stand-in serves only GET /v1/{name}:access over REST, not ${req.method} ${req.url}`);
    return;
  }
  const request: Request = { name: decodeURIComponent(route[1]!) };
  hooks.onCall?.('AccessSecretVersion', request);
  const fault = hooks.faultOf?.('AccessSecretVersion', request) ?? null;
  if (fault !== null) {
    sendGoogleError(res, fault, faultMessage(fault));
    return;
  }
  try {
    const answer = accessSecretVersion(secrets, request) as { name: string; payload: { data: Buffer; dataCrc32c: string } };
    sendJson(res, 200, {
      name: answer.name,
      payload: { data: answer.payload.data.toString('base64'), dataCrc32c: answer.payload.dataCrc32c },
    });
  } catch (err) {
    if (err instanceof RpcError) sendGoogleError(res, err.code, err.details);
    else sendGoogleError(res, Status.INTERNAL, String(err));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// RPCs. Messages follow the real service's wording ("Secret [..] not found or has no versions.").

function createSecret(secrets: Secrets, request: Request): unknown {
  const name = `${stringField(request, 'parent')}/secrets/${stringField(request, 'secretId')}`;
  if (!SECRET_NAME.test(name)) throw new RpcError(Status.INVALID_ARGUMENT, `Invalid secret name [${name}].`);
  if (secrets.has(name)) throw new RpcError(Status.ALREADY_EXISTS, `Secret [${name}] already exists.`);
  const labels = (request.secret as { labels?: Record<string, string> } | null)?.labels ?? {};
  const secret: StoredSecret = { name, createTimeMs: Date.now(), labels: { ...labels }, versions: [] };
  secrets.set(name, secret);
  return secretResource(secret);
}

function addSecretVersion(secrets: Secrets, request: Request): unknown {
  const secret = findSecret(secrets, stringField(request, 'parent'));
  const payload = request.payload as { data?: Buffer | null } | null;
  return versionResource(secret, addVersion(secret, Buffer.from(payload?.data ?? Buffer.alloc(0))));
}

function accessSecretVersion(secrets: Secrets, request: Request): unknown {
  const { secret, version } = resolveVersion(secrets, stringField(request, 'name'));
  const name = versionName(secret, version);
  if (version.state !== 'ENABLED' || !version.data) {
    throw new RpcError(Status.FAILED_PRECONDITION, `Secret Version [${name}] is in ${version.state} state.`);
  }
  return { name, payload: { data: version.data, dataCrc32c: String(crc32c(version.data)) } };
}

function listSecretVersions(secrets: Secrets, request: Request): unknown {
  const secret = findSecret(secrets, stringField(request, 'parent'));
  const versions = [...secret.versions].reverse().map((v) => versionResource(secret, v)); // newest first
  return { versions, nextPageToken: '', totalSize: versions.length };
}

function changeState(secrets: Secrets, request: Request, state: VersionState): unknown {
  const { secret, version } = resolveVersion(secrets, stringField(request, 'name'));
  if (version.state === 'DESTROYED') {
    throw new RpcError(Status.FAILED_PRECONDITION, `Secret Version [${versionName(secret, version)}] is in DESTROYED state.`);
  }
  version.state = state;
  if (state === 'DESTROYED') {
    version.data = null;
    version.destroyTimeMs = Date.now();
  }
  return versionResource(secret, version);
}

function putSecret(secrets: Secrets, name: string, value: string | Buffer): string {
  if (!SECRET_NAME.test(name)) throw new Error(`putSecret: invalid secret name ${name}`);
  let secret = secrets.get(name);
  if (!secret) {
    secret = { name, createTimeMs: Date.now(), labels: {}, versions: [] };
    secrets.set(name, secret);
  }
  return versionName(secret, addVersion(secret, Buffer.from(value)));
}

function qualify(projectId: string, name: string): string {
  return name.startsWith('projects/') ? name : `projects/${projectId}/secrets/${name}`;
}

function addVersion(secret: StoredSecret, data: Buffer): StoredVersion {
  const version: StoredVersion = { number: secret.versions.length + 1, state: 'ENABLED', data, createTimeMs: Date.now() };
  secret.versions.push(version);
  return version;
}

function findSecret(secrets: Secrets, name: string): StoredSecret {
  const secret = secrets.get(name);
  if (!secret) throw new RpcError(Status.NOT_FOUND, `Secret [${name}] not found.`);
  return secret;
}

/** `latest` is an alias for the most recently created version, whatever its state. */
function resolveVersion(secrets: Secrets, name: string): { secret: StoredSecret; version: StoredVersion } {
  const match = VERSION_NAME.exec(name);
  if (!match) throw new RpcError(Status.INVALID_ARGUMENT, `Invalid secret version name [${name}].`);
  const secretName = match[1] as string;
  const alias = match[2] as string;
  const secret = secrets.get(secretName);
  if (!secret || secret.versions.length === 0) {
    throw new RpcError(Status.NOT_FOUND, `Secret [${secretName}] not found or has no versions.`);
  }
  const version = alias === 'latest' ? secret.versions.at(-1) : secret.versions[Number(alias) - 1];
  if (!version || (alias !== 'latest' && !/^[1-9]\d*$/.test(alias))) {
    throw new RpcError(Status.NOT_FOUND, `Secret Version [${name}] not found.`);
  }
  return { secret, version };
}

function secretResource(secret: StoredSecret): unknown {
  return {
    name: secret.name,
    replication: { automatic: {} },
    createTime: timestamp(secret.createTimeMs),
    labels: secret.labels,
    etag: `"${secret.versions.length}"`,
  };
}

function versionResource(secret: StoredSecret, version: StoredVersion): unknown {
  return {
    name: versionName(secret, version),
    createTime: timestamp(version.createTimeMs),
    ...(version.destroyTimeMs === undefined ? {} : { destroyTime: timestamp(version.destroyTimeMs) }),
    state: version.state,
    etag: `"${version.number}-${version.state}"`,
  };
}

function versionName(secret: StoredSecret, version: StoredVersion): string {
  return `${secret.name}/versions/${version.number}`;
}

function timestamp(ms: number): { seconds: string; nanos: number } {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1e6 };
}

function stringField(request: Request, field: string): string {
  const value = request[field];
  return typeof value === 'string' ? value : '';
}

// ---------------------------------------------------------------------------------------------------------------
// Checksum.

// CRC32C (Castagnoli), which the real service returns as payload.dataCrc32c so clients can verify the bytes.
const CRC32C_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32c(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
