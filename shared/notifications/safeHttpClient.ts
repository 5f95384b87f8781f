import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';

import { checkOutboundUrl, type OutboundPolicy } from './outboundGuard.js';
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

/**
 * An HTTP client that checks every request against the outbound policy on the resolved address,
 * then connects to exactly that address with the original Host header and TLS server name (so
 * certificates are still verified for the host name), with one deadline for the whole exchange, a
 * response size limit, no connection reuse and no redirects (a 3xx is returned as is).
 */
export function createSafeHttpClient(policy: OutboundPolicy): SafeHttpClient {
  return async (request) => {
    const started = Date.now();
    const url = new URL(request.url);
    const shown = redactUrl(url);
    const timeoutMessage = `no response from ${shown} within ${request.timeoutMs / 1000} s`;
    const target = await withDeadline(checkOutboundUrl(url, policy), request.timeoutMs, timeoutMessage);
    const remaining = Math.max(1, request.timeoutMs - (Date.now() - started));
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const secure = url.protocol === 'https:';
    const options: RequestOptions = {
      method: request.method,
      host: target.address.address,
      family: target.address.family,
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
      const timer = setTimeout(() => {
        outgoing.destroy(new TransportError(timeoutMessage, 'timeout'));
      }, remaining);
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        if (error instanceof TransportError) reject(error);
        else {
          const code = (error as { code?: string }).code;
          reject(new TransportError(`${shown}: ${code ?? error.message}`, 'network'));
        }
      });
      outgoing.end(body);
    });
  };
}
