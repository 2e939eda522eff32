// A Pub/Sub publisher on 127.0.0.1:0 that speaks both of Pub/Sub's wire protocols on one port, as the real
// emulator does (https://cloud.google.com/pubsub/docs/emulator: PUBSUB_EMULATOR_HOST names one host:port):
// - gRPC google.pubsub.v1.Publisher, built from the protos.json @google-cloud/pubsub ships;
// - REST `POST /v1/projects/{p}/topics/{t}:publish` with `{messages:[{data (base64), attributes, orderingKey}]}`,
//   answered `{messageIds:[…]}` (https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/publish),
//   errors as Google's `{error:{code,message,status}}`.
// Each connection is told apart by its first bytes: an HTTP/2 connection (gRPC) opens with the preface
// `PRI * HTTP/2.0`, which no HTTP/1.1 request line can start with (https://www.rfc-editor.org/rfc/rfc9113#section-3.4);
// HTTP/2 connections are relayed to the gRPC server, HTTP/1.1 ones handed to the REST server.
//
// Plus push delivery shaped like Eventarc's delivery to a 2nd-gen function: each message is POSTed as a
// binary-mode CloudEvent; a 2xx acks it, anything else (or a connection error) nacks it and it is redelivered with
// exponential backoff until maxDeliveryAttempts, then dead-lettered.
//
// Real clients reach it with `new PubSub({ projectId, apiEndpoint: host })` (a non-googleapis.com endpoint puts
// the client in emulator mode: insecure channel, no auth), with PUBSUB_EMULATOR_HOST=host, or over REST at
// `http://host`.
//
// Push deliveries of different messages run concurrently, also for one ordering key: Eventarc's subscriptions
// do not enable message ordering.

import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { request as httpRequest } from 'node:http';
import type { Server } from '@grpc/grpc-js';
import { PUBSUB_PUBLISHED_TYPE, pushBody, topicSource } from './cloud-event.ts';
import type { RpcRequest as Request, UnaryHandler } from './grpc-server.ts';
import { faultMessage, loadGrpcService, RpcError, Status, sendGoogleError, serveGrpcAndRest } from './grpc-server.ts';
import { jsonBody, readBody, sendJson } from './http-server.ts';

export interface PubSubStandInOptions {
  /** Reported back as `projectId`; topics of any project are accepted. Default 'demo-test'. */
  projectId?: string;
  /** Default 5, Pub/Sub's minimum for a dead-letter policy. */
  maxDeliveryAttempts?: number;
  /** First retry delay; doubles per attempt. Default 100. */
  minBackoffMs?: number;
  /** Cap for the retry delay. Default 2000. */
  maxBackoffMs?: number;
  /** A push that has not answered within this time counts as a nack ('error'). Default 60 000. */
  ackDeadlineMs?: number;
  /**
   * Default true. False for load benchmarks: publishes are checked, answered and logged in publishRequests(), but
   * the messages are not kept (nor pushed), so the stand-in's memory and garbage collection stay flat however many
   * arrive.
   */
  retainMessages?: boolean;
}

export interface PublishedMessage {
  /** Short topic id, e.g. 'fitsync-events'. */
  topic: string;
  /** Full name, `projects/{p}/topics/{t}`. */
  topicName: string;
  messageId: string;
  data: Buffer;
  attributes: Record<string, string>;
  /** '' when the publisher set none. */
  orderingKey: string;
  publishTime: string;
}

export interface PushDelivery {
  messageId: string;
  attempt: number;
  /** HTTP status answered, or 'error' for a connection failure or ack-deadline timeout. */
  status: number | 'error';
}

export interface DeadLetter extends PublishedMessage {
  attempts: number;
  lastStatus: number | 'error';
}

export interface PubSubStandIn {
  /** `127.0.0.1:PORT`, for `apiEndpoint` or PUBSUB_EMULATOR_HOST. */
  host: string;
  port: number;
  projectId: string;
  stop(): Promise<void>;
  /**
   * Push every message of this topic (short id, any project; or a full topic name) to `url`, including messages
   * already published and not yet delivered. A later call for the same topic replaces the endpoint.
   */
  pushTo(topic: string, url: string): void;
  /** Messages published, oldest first; optionally only one topic (short id or full name). */
  published(topic?: string): PublishedMessage[];
  /** Every push attempt, in the order the attempts finished. */
  deliveries: PushDelivery[];
  deadLetters(): DeadLetter[];
  /**
   * Resolves once no message is being pushed or waiting for a retry. Messages of topics without a push endpoint
   * are not pending. Rejects after `timeoutMs` (default 20 s).
   */
  idle(timeoutMs?: number): Promise<void>;
  /**
   * While set, Publish answers this gRPC status code (over REST: its HTTP status and Google's error body); `null`
   * restores normal service. With `times`, only that many publish requests fail, then service is normal again.
   */
  failPublishWith(code: number | null, times?: number): void;
  /**
   * While true, REST publishes are received but not answered (a Pub/Sub that hangs); false answers the held ones
   * and every later one normally.
   */
  holdPublishes(hold: boolean): void;
  /** Every publish request received so far (REST and gRPC), in arrival order, failed ones included. */
  publishRequests(): PublishRequestRecord[];
  /** Messages stored so far (answered with an id), retained or not. */
  storedCount(): number;
}

export interface PublishRequestRecord {
  protocol: 'rest' | 'grpc';
  /** Messages in the request. */
  messages: number;
  /** The REST request's Authorization header, if it had one. */
  authorization?: string;
}

interface PushState {
  opts: Required<Omit<PubSubStandInOptions, 'projectId'>>;
  messages: PublishedMessage[];
  createdTopics: Set<string>;
  pushTargets: Map<string, string>; // short id or full name → url
  pending: Map<string, PublishedMessage>; // messageId → message being pushed or waiting for a retry
  delivered: Set<string>;
  deliveries: PushDelivery[];
  deadLetters: DeadLetter[];
  retryTimers: Set<NodeJS.Timeout>;
  inflight: Set<ClientRequest>;
  idleWaiters: Set<{ resolve: () => void; reject: (err: Error) => void }>;
  publishFault: number | null;
  /** Publish requests still to fail with publishFault; null: all of them. */
  publishFaultsLeft: number | null;
  held: Array<() => void> | null;
  publishLog: PublishRequestRecord[];
  nextMessageId: number;
  stopped: boolean;
}

const TOPIC_NAME = /^projects\/([^/]+)\/topics\/([A-Za-z][A-Za-z0-9._~%+-]{2,254})$/;

export async function startPubSubStandIn(opts: PubSubStandInOptions = {}): Promise<PubSubStandIn> {
  const state: PushState = {
    opts: {
      maxDeliveryAttempts: opts.maxDeliveryAttempts ?? 5,
      minBackoffMs: opts.minBackoffMs ?? 100,
      maxBackoffMs: opts.maxBackoffMs ?? 2000,
      ackDeadlineMs: opts.ackDeadlineMs ?? 60_000,
      retainMessages: opts.retainMessages ?? true,
    },
    messages: [],
    createdTopics: new Set(),
    pushTargets: new Map(),
    pending: new Map(),
    delivered: new Set(),
    deliveries: [],
    deadLetters: [],
    retryTimers: new Set(),
    inflight: new Set(),
    idleWaiters: new Set(),
    publishFault: null,
    publishFaultsLeft: null,
    held: null,
    publishLog: [],
    nextMessageId: 1,
    stopped: false,
  };
  const service = loadGrpcService('@google-cloud/pubsub/build/protos/protos.json', ['google', 'pubsub', 'v1', 'Publisher']);
  const faultOf = (method: string) => publishFault(state, method);
  const onCall = (method: string, request: Request) => {
    if (method === 'Publish')
      state.publishLog.push({ protocol: 'grpc', messages: Array.isArray(request.messages) ? request.messages.length : 0 });
  };
  const { server, port, close } = await serveGrpcAndRest({
    service,
    handlers: publisherHandlers(state),
    hooks: { faultOf, onCall },
    rest: (req, res) => void answerRest(state, req, res).catch(() => res.destroy()),
  });
  return {
    host: `127.0.0.1:${port}`,
    port,
    projectId: opts.projectId ?? 'demo-test',
    stop: async () => {
      await stop(state, server);
      for (const answer of state.held ?? []) answer();
      state.held = null;
      await close();
    },
    pushTo: (topic, url) => pushTo(state, topic, url),
    published: (topic) => state.messages.filter((m) => topic === undefined || topicMatches(m, topic)).map(copyMessage),
    deliveries: state.deliveries,
    deadLetters: () => state.deadLetters.map((d) => ({ ...copyMessage(d), attempts: d.attempts, lastStatus: d.lastStatus })),
    idle: (timeoutMs = 20_000) => idle(state, timeoutMs),
    failPublishWith: (code, times) => {
      state.publishFault = code;
      state.publishFaultsLeft = times ?? null;
    },
    holdPublishes: (hold) => {
      const held = state.held;
      state.held = hold ? (held ?? []) : null;
      if (!hold) for (const answer of held ?? []) answer();
    },
    publishRequests: () => state.publishLog.map((r) => ({ ...r })),
    storedCount: () => state.nextMessageId - 1,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// REST publish.

const REST_PUBLISH = /^\/v1\/(projects\/[^/]+\/topics\/[^/:]+):publish$/;
/** Pub/Sub's limits per publish request (https://cloud.google.com/pubsub/quotas#resource_limits). */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const MAX_REQUEST_MESSAGES = 1000;

async function answerRest(state: PushState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const route = REST_PUBLISH.exec((req.url ?? '').split('?')[0] ?? '');
  if (req.method !== 'POST' || !route)
    return sendGoogleError(
      res,
      Status.NOT_FOUND,
      `The stand-in serves only POST /v1/projects/{p}/topics/{t}:publish, not ${req.method} ${req.url}`,
    );
  const parsed = jsonBody(body) as { messages?: unknown } | undefined;
  const messages = Array.isArray(parsed?.messages) ? (parsed.messages as Array<Record<string, unknown>>) : [];
  state.publishLog.push({
    protocol: 'rest',
    messages: messages.length,
    ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
  });
  if (state.held) await new Promise<void>((answer) => state.held!.push(answer));
  if (state.stopped) return void res.destroy();
  const fault = takeFault(state);
  if (fault !== null) return sendGoogleError(res, fault, faultMessage(fault));
  if (body.length > MAX_REQUEST_BYTES)
    return sendGoogleError(res, Status.INVALID_ARGUMENT, `Request payload size exceeds the limit: ${MAX_REQUEST_BYTES} bytes.`);
  if (!parsed) return sendGoogleError(res, Status.INVALID_ARGUMENT, 'Invalid JSON payload received.');
  if (messages.length > MAX_REQUEST_MESSAGES) {
    return sendGoogleError(
      res,
      Status.INVALID_ARGUMENT,
      `The value for message_count is too large. You passed ${messages.length} in the request, but the maximum value is ${MAX_REQUEST_MESSAGES}.`,
    );
  }
  try {
    const answer = publish(state, {
      topic: decodeURIComponent(route[1]!),
      messages: messages.map((m) => ({ ...m, data: typeof m.data === 'string' ? Buffer.from(m.data, 'base64') : Buffer.alloc(0) })),
    });
    sendJson(res, 200, answer);
  } catch (err) {
    if (err instanceof RpcError) return sendGoogleError(res, err.code, err.details);
    throw err;
  }
}

async function stop(state: PushState, server: Server): Promise<void> {
  state.stopped = true;
  for (const timer of state.retryTimers) clearTimeout(timer);
  state.retryTimers.clear();
  for (const req of state.inflight) req.destroy();
  state.inflight.clear();
  for (const waiter of state.idleWaiters) waiter.reject(new Error('PubSub stand-in stopped while waiting for idle'));
  state.idleWaiters.clear();
  server.forceShutdown();
}

// ---------------------------------------------------------------------------------------------------------------
// Publisher RPCs: CreateTopic, GetTopic (topics exist implicitly), Publish. Everything else: UNIMPLEMENTED.

function publisherHandlers(state: PushState): Record<string, UnaryHandler> {
  return {
    CreateTopic: (request) => createTopic(state, request),
    GetTopic: (request) => ({ name: validTopic(request.topic) }),
    Publish: (request) => publish(state, request),
  };
}

/** failPublishWith fails Publish only; CreateTopic and GetTopic keep answering. */
function publishFault(state: PushState, method: string): number | null {
  return method === 'Publish' ? takeFault(state) : null;
}

/** The fault this publish request gets, counting it against failPublishWith's `times`. */
function takeFault(state: PushState): number | null {
  const fault = state.publishFault;
  if (fault === null) return null;
  if (state.publishFaultsLeft !== null && --state.publishFaultsLeft <= 0) {
    state.publishFault = null;
    state.publishFaultsLeft = null;
  }
  return fault;
}

function createTopic(state: PushState, request: Request): unknown {
  const name = validTopic(request.name);
  if (state.createdTopics.has(name)) throw new RpcError(Status.ALREADY_EXISTS, 'Topic already exists');
  state.createdTopics.add(name);
  return { name };
}

function publish(state: PushState, request: Request): unknown {
  const topicName = validTopic(request.topic);
  const messages = Array.isArray(request.messages) ? (request.messages as Request[]) : [];
  if (messages.length === 0) throw new RpcError(Status.INVALID_ARGUMENT, 'The request contains no messages.');
  for (const m of messages) checkMessage(m);
  if (!state.opts.retainMessages) return { messageIds: messages.map(() => String(state.nextMessageId++)) };
  const recorded = messages.map((m) => recordMessage(state, topicName, m));
  for (const message of recorded) routeMessage(state, message);
  return { messageIds: recorded.map((m) => m.messageId) };
}

/** Checked for every message before any is recorded: a publish request is stored whole or not at all. */
function checkMessage(raw: Request): void {
  const data = Buffer.isBuffer(raw.data) ? raw.data : Buffer.alloc(0);
  const attributes = raw.attributes ?? {};
  if (typeof attributes !== 'object' || Object.values(attributes).some((v) => typeof v !== 'string')) {
    throw new RpcError(Status.INVALID_ARGUMENT, 'Message attributes must map strings to strings.');
  }
  if (data.length === 0 && Object.keys(attributes).length === 0) {
    throw new RpcError(Status.INVALID_ARGUMENT, 'Some messages are empty: a message needs data or attributes.');
  }
}

function recordMessage(state: PushState, topicName: string, raw: Request): PublishedMessage {
  const data = Buffer.isBuffer(raw.data) ? raw.data : Buffer.alloc(0);
  const attributes = (raw.attributes ?? {}) as Record<string, string>;
  const message: PublishedMessage = {
    topic: shortTopic(topicName),
    topicName,
    messageId: String(state.nextMessageId++),
    data: Buffer.from(data),
    attributes: { ...attributes },
    orderingKey: typeof raw.orderingKey === 'string' ? raw.orderingKey : '',
    publishTime: new Date().toISOString(),
  };
  state.messages.push(message);
  return message;
}

function validTopic(value: unknown): string {
  const name = typeof value === 'string' ? value : '';
  if (!TOPIC_NAME.test(name)) throw new RpcError(Status.INVALID_ARGUMENT, `Invalid [topics] name: (name=${name})`);
  return name;
}

function shortTopic(topicName: string): string {
  return TOPIC_NAME.exec(topicName)?.[2] ?? topicName;
}

function projectOf(topicName: string): string {
  return TOPIC_NAME.exec(topicName)?.[1] ?? '';
}

function topicMatches(message: PublishedMessage, topic: string): boolean {
  return topic.startsWith('projects/') ? message.topicName === topic : message.topic === topic;
}

function copyMessage(message: PublishedMessage): PublishedMessage {
  const { topic, topicName, messageId, data, attributes, orderingKey, publishTime } = message;
  return { topic, topicName, messageId, data: Buffer.from(data), attributes: { ...attributes }, orderingKey, publishTime };
}

// ---------------------------------------------------------------------------------------------------------------
// Push delivery.

function pushTo(state: PushState, topic: string, url: string): void {
  state.pushTargets.set(topic, url);
  for (const message of state.messages) {
    if (topicMatches(message, topic) && !state.delivered.has(message.messageId)) routeMessage(state, message);
  }
}

function targetFor(state: PushState, message: PublishedMessage): string | undefined {
  return state.pushTargets.get(message.topicName) ?? state.pushTargets.get(message.topic);
}

/** Starts pushing a message that has an endpoint and is not already on its way or done. */
function routeMessage(state: PushState, message: PublishedMessage): void {
  if (state.stopped || !targetFor(state, message)) return;
  if (state.pending.has(message.messageId) || state.delivered.has(message.messageId)) return;
  state.pending.set(message.messageId, message);
  void attemptDelivery(state, message, 1);
}

async function attemptDelivery(state: PushState, message: PublishedMessage, attempt: number): Promise<void> {
  const url = targetFor(state, message);
  const status = url === undefined ? 'error' : await postCloudEvent(state, url, message, attempt);
  if (state.stopped) return;
  state.deliveries.push({ messageId: message.messageId, attempt, status });
  if (typeof status === 'number' && status >= 200 && status < 300) return settle(state, message);
  if (attempt >= state.opts.maxDeliveryAttempts) {
    state.deadLetters.push({ ...copyMessage(message), attempts: attempt, lastStatus: status });
    return settle(state, message);
  }
  scheduleRetry(state, message, attempt + 1, backoffMs(state, attempt));
}

function backoffMs(state: PushState, failedAttempt: number): number {
  return Math.min(state.opts.minBackoffMs * 2 ** (failedAttempt - 1), state.opts.maxBackoffMs);
}

function scheduleRetry(state: PushState, message: PublishedMessage, attempt: number, delayMs: number): void {
  const timer = setTimeout(() => {
    state.retryTimers.delete(timer);
    void attemptDelivery(state, message, attempt);
  }, delayMs);
  timer.unref();
  state.retryTimers.add(timer);
}

/** Acked or dead-lettered: the message is done either way. */
function settle(state: PushState, message: PublishedMessage): void {
  state.pending.delete(message.messageId);
  state.delivered.add(message.messageId);
  if (state.pending.size > 0) return;
  for (const waiter of state.idleWaiters) waiter.resolve();
  state.idleWaiters.clear();
}

function postCloudEvent(state: PushState, url: string, message: PublishedMessage, attempt: number): Promise<number | 'error'> {
  const projectId = projectOf(message.topicName);
  const { topic, data, attributes, messageId, publishTime } = message;
  const body = Buffer.from(
    JSON.stringify(pushBody({ projectId, topic, data, attributes, messageId, publishTime, deliveryAttempt: attempt })),
  );
  const headers = {
    'ce-id': message.messageId,
    'ce-specversion': '1.0',
    'ce-type': PUBSUB_PUBLISHED_TYPE,
    'ce-source': topicSource(projectId, message.topic),
    'ce-time': message.publishTime,
    'content-type': 'application/json',
    'content-length': String(body.length),
    'user-agent': 'APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)',
  };
  return new Promise((resolve) => {
    // agent: false: one connection per push, so no keep-alive socket outlives the stand-in or the receiver.
    const req = httpRequest(url, { method: 'POST', headers, agent: false, timeout: state.opts.ackDeadlineMs });
    const finish = (status: number | 'error') => {
      state.inflight.delete(req);
      resolve(status);
    };
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => finish(res.statusCode ?? 'error'));
      res.on('error', () => finish('error'));
    });
    req.on('timeout', () => req.destroy(new Error('ack deadline exceeded')));
    req.on('error', () => finish('error'));
    state.inflight.add(req);
    req.end(body);
  });
}

function idle(state: PushState, timeoutMs: number): Promise<void> {
  if (state.pending.size === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const waiter = {
      resolve: () => {
        clearTimeout(timer);
        resolve();
      },
      reject: (err: Error) => {
        clearTimeout(timer);
        reject(err);
      },
    };
    const timer = setTimeout(() => {
      state.idleWaiters.delete(waiter);
      const ids = [...state.pending.keys()].join(', ');
      reject(new Error(`PubSub stand-in not idle after ${timeoutMs} ms: message(s) ${ids} still pending delivery`));
    }, timeoutMs);
    state.idleWaiters.add(waiter);
  });
}
