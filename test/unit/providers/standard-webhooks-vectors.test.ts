// The generic endpoint's signature check against the Standard Webhooks specification's own test cases, not only
// against the signer these tests use: the published values in test/fixtures/standard-webhooks/vectors.json (see its
// `sources`).

import { readFileSync } from 'node:fs';
import test from 'ava';
import { SignatureError } from '../../../shared/errors.ts';
import { secretKey, verifyStandardWebhook } from '../../../shared/providers/generic/standard-webhooks.ts';
import { createGenericWebhook } from '../../../shared/providers/generic/webhook.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { signStandardWebhook } from '../../support/standard-webhooks-sign.ts';

interface VerifyCase {
  name: string;
  secret?: string;
  headers?: Record<string, string | null>;
  nowOffsetSec?: number;
  valid: boolean;
}
const vectors = JSON.parse(readFileSync(new URL('../../fixtures/standard-webhooks/vectors.json', import.meta.url), 'utf8')) as {
  secret: string;
  msgId: string;
  timestamp: number;
  payload: string;
  signature: string;
  toleranceSec: number;
  verify: VerifyCase[];
  equivalentSecrets: string[][];
};

function caseRequest(c: VerifyCase) {
  const headers: Record<string, string> = {};
  const given: Record<string, string | null> = {
    'webhook-id': vectors.msgId,
    'webhook-timestamp': String(vectors.timestamp),
    'webhook-signature': vectors.signature,
    ...c.headers,
  };
  for (const [k, v] of Object.entries(given)) if (v !== null) headers[k] = v;
  return { headers, body: Buffer.from(vectors.payload), nowMs: (vectors.timestamp + (c.nowOffsetSec ?? 0)) * 1000 };
}

test('the published signature is what the specification computes from its message and secret', (t) => {
  const headers = signStandardWebhook({
    id: vectors.msgId,
    timestampSec: vectors.timestamp,
    body: vectors.payload,
    secret: `whsec_${vectors.secret}`,
  });
  t.is(headers['webhook-signature'], vectors.signature, 'the signer these tests use agrees with the specification');
});

test('every verification case of the reference libraries gets their answer', (t) => {
  t.true(vectors.verify.length >= 10);
  for (const c of vectors.verify) {
    const { headers, body, nowMs } = caseRequest(c);
    const verify = () => verifyStandardWebhook(headers, body, [c.secret ?? vectors.secret], nowMs, vectors.toleranceSec);
    if (c.valid) t.like(verify(), { id: vectors.msgId, timestampSec: vectors.timestamp }, c.name);
    else t.throws(verify, { instanceOf: SignatureError }, c.name);
  }
});

test('the generic endpoint gives the same answers with the secret as it is configured (whsec_…)', (t) => {
  const adapter = createGenericWebhook({ secrets: [`whsec_${vectors.secret}`], signatureToleranceSec: vectors.toleranceSec });
  for (const c of vectors.verify.filter((x) => x.secret === undefined)) {
    const { headers, body, nowMs } = caseRequest(c);
    const verify = () => adapter.verify(inboundRequest(body, { headers }), nowMs);
    if (c.valid) t.notThrows(verify, c.name);
    else t.throws(verify, { instanceOf: SignatureError }, c.name);
  }
});

test('a secret means the same key with or without its whsec_ prefix and its base64 padding', (t) => {
  for (const group of vectors.equivalentSecrets) {
    const keys = group.map((s) => secretKey(s).toString('hex'));
    t.true(keys[0]!.length > 0);
    t.deepEqual(new Set(keys).size, 1, group.join(' = '));
  }
});
