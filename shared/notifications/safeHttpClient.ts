import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';

import {
  checkOutboundUrl,
  type CheckedTarget,
  type OutboundPolicy,
  type ResolvedAddress,
} from './outboundGuard.js';
import { redactUrl } from './redaction.js';

/** Sent with every request unless the caller sets its own. */
export const USER_AGENT = 'arc-data-compliance-notifications/1';

/** One outbound request. */
export interface SafeRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Covers name resolution, connecting, sending and reading the whole response. */
  timeoutMs: number;
  /** Bytes of response body kept; beyond them the response is cut off and `truncated` set. */
  maxResponseBytes: number;
}

/** A response, its body cut at the size limit. */
export interface SafeResponse {
  status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: string;
  truncated: boolean;
  /** The request URL, redacted (no query). */
  url: string;
}

/** The request did not complete: a timeout or a network error (both worth retrying). */
export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    message: string,
    readonly kind: 'timeout' | 'network',
  ) {
    super(message);
  }
}

/** Sends one request under the outbound policy; never follows redirects. */
export type SafeHttpClient = (request: SafeRequest) => Promise<SafeResponse>;

function flattenHeaders(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value === undefined) continue;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

async function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TransportError(message, 'timeout')), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A failure to reach one address before anything was sent: the next address may be tried. */
class UnreachableAddress extends Error {
  override readonly name = 'UnreachableAddress';
  constructor(
    message: string,
    readonly timedOut = false,
  ) {
    super(message);
  }
}

interface Attempt {
  url: URL;
  shown: string;
  target: CheckedTarget;
  address: ResolvedAddress;
  body: Buffer | undefined;
  /** Time to connect to this address; after connecting, `remainingMs` covers the exchange. */
  connectMs: number;
  remainingMs: number;
  timeoutMessage: string;
}

/**
 * One exchange with one address. Rejects with UnreachableAddress when the connection could not
 * be made (refused, unreachable, no answer within `connectMs`) — nothing was sent, so another
 * address may be tried — and with TransportError once connected (the request may have arrived).
 */
function exchange(request: SafeRequest, attempt: Attempt): Promise<SafeResponse> {
  const { url, shown, target, address, body } = attempt;
  const secure = url.protocol === 'https:';
  const options: RequestOptions = {
    method: request.method,
    host: address.address,
    family: address.family,
    port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers: {
      'user-agent': USER_AGENT,
      ...request.headers,
      host: url.host,
      ...(body ? { 'content-length': String(body.length) } : {}),
    },
    agent: false,
    ...(secure && isIP(target.hostname) === 0 ? { servername: target.hostname } : {}),
  };
  return new Promise<SafeResponse>((resolve, reject) => {
    let connected = false;
    const send = secure ? httpsRequest : httpRequest;
    const outgoing = send(options, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let done = false;
      const finish = (truncated: boolean): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          headers: flattenHeaders(response),
          body: Buffer.concat(chunks).toString('utf8'),
          truncated,
          url: shown,
        });
      };
      response.on('data', (chunk: Buffer) => {
        if (done) return;
        const room = request.maxResponseBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, Math.max(0, room)));
          size = request.maxResponseBytes;
          finish(true);
          response.destroy();
          outgoing.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', () => finish(false));
      response.on('error', (error) => {
        if (done) return;
        clearTimeout(timer);
        reject(new TransportError(`${shown}: ${error.message}`, 'network'));
      });
    });
    let timer = setTimeout(() => {
      outgoing.destroy(new UnreachableAddress(`no connection within ${attempt.connectMs} ms`, true));
    }, attempt.connectMs);
    outgoing.on('socket', (socket) => {
      const onConnect = (): void => {
        connected = true;
        clearTimeout(timer);
        timer = setTimeout(() => {
          outgoing.destroy(new TransportError(attempt.timeoutMessage, 'timeout'));
        }, attempt.remainingMs);
      };
      if (!socket.connecting) onConnect();
      else socket.once('connect', onConnect);
    });
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      if (error instanceof TransportError || error instanceof UnreachableAddress) reject(error);
      else {
        const code = (error as { code?: string }).code ?? error.message;
        reject(connected ? new TransportError(`${shown}: ${code}`, 'network') : new UnreachableAddress(code));
      }
    });
    outgoing.end(body);
  });
}

/**
 * An HTTP client that checks every request against the outbound policy on the resolved addresses,
 * then connects to exactly those addresses — each in turn while one cannot be reached (refused,
 * unreachable, no answer), never again once a connection was made — with the original Host
 * header and TLS server name (so certificates are still verified for the host name), with one
 * deadline for the whole exchange, a response size limit, no connection reuse and no redirects (a
 * 3xx is returned as is). Only when every address fails is the attempt a failure.
 */
export function createSafeHttpClient(policy: OutboundPolicy): SafeHttpClient {
  return async (request) => {
    const started = Date.now();
    const url = new URL(request.url);
    const shown = redactUrl(url);
    const timeoutMessage = `no response from ${shown} within ${request.timeoutMs / 1000} s`;
    const target = await withDeadline(checkOutboundUrl(url, policy), request.timeoutMs, timeoutMessage);
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const failures: string[] = [];
    let timedOut = false;
    for (const [index, address] of target.addresses.entries()) {
      const remainingMs = request.timeoutMs - (Date.now() - started);
      if (remainingMs <= 0) break;
      // Share what is left among the addresses still to try, so a silent one cannot use it all.
      const connectMs = Math.max(1, Math.floor(remainingMs / (target.addresses.length - index)));
      try {
        return await exchange(request, {
          url,
          shown,
          target,
          address,
          body,
          connectMs,
          remainingMs,
          timeoutMessage,
        });
      } catch (error) {
        if (!(error instanceof UnreachableAddress)) throw error;
        failures.push(`${address.address} ${error.message}`);
        timedOut ||= error.timedOut;
      }
    }
    const tried = failures.length === 0 ? 'no time left to connect' : failures.join('; ');
    timedOut ||= failures.length < target.addresses.length;
    throw new TransportError(
      timedOut ? `${timeoutMessage} (${tried})` : `${shown}: no address could be reached (${tried})`,
      timedOut ? 'timeout' : 'network',
    );
  };
}
