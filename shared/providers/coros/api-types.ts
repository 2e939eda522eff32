/**
 * COROS answers HTTP 200 for refusals too: success is `result: "0000"` in the body (the webhook answer both
 * known receivers send; the same envelope on the API as c2corg/c2c_tracking's client and a client written from COROS's
 * API Reference V2.0.6 read it). `data` is the payload: the sport list's workouts are `data[]`.
 */
export interface CorosEnvelope {
  result?: unknown;
  message?: unknown;
  data?: unknown;
}

/**
 * The refresh answer. COROS's guide names the fields in camelCase in its table and in snake_case in its example
 * (as a client written from the guide reports), so both are read; `openId` may come along. A refresh may also be
 * answered with only `{"result":"0000","message":"OK"}`, meaning the token already held lives on (see api.ts).
 */
export interface CorosTokenBody extends CorosEnvelope {
  /** An OAuth 2.0 style refusal (`invalid_grant`), should COROS answer one. */
  error?: unknown;
  access_token?: unknown;
  accessToken?: unknown;
  refresh_token?: unknown;
  refreshToken?: unknown;
  expires_in?: unknown;
  expiresIn?: unknown;
}
