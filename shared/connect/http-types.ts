/** A request as the connect handlers see it: framework-free, so they are testable without Express. */
export interface ConnectRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Lower-cased names, first value only. */
  headers: Readonly<Record<string, string>>;
  rawBody: Buffer;
}

export interface ConnectResponse {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie values. */
  cookies: string[];
  body?: string;
}

export const redirect = (location: string, cookies: string[] = []): ConnectResponse => ({ status: 303, headers: { location }, cookies });

export const page = (status: number, body: { toString(): string }, cookies: string[] = []): ConnectResponse => ({
  status,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  cookies,
  body: body.toString(),
});
