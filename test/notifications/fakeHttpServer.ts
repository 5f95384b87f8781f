/**
 * A local HTTP(S) server for the notification fakes: listens on 127.0.0.1 on a free port, records
 * every request, and injects faults on demand (a status with headers, a redirect, a hang, a reset).
 */
import { readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** TLS server name the client sent (HTTPS only). */
  servername?: string;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'redirect'; location: string; status?: number }
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface FakeServer {
  /** `http://127.0.0.1:{port}` (or https://localhost:{port} with TLS). */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Decides a fault per request (1-based count of requests so far); undefined = answer normally. */
  fault: ((request: RecordedRequest, count: number) => Fault | undefined) | undefined;
  faults: number;
  close(): Promise<void>;
}

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

function headersOf(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return headers;
}

/** Starts a fake on 127.0.0.1:0; `tls` uses the test certificate (CN localhost, SAN 127.0.0.1). */
export async function startFakeServer(
  handler: Handler,
  options: { tls?: boolean } = {},
): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const fake: Partial<FakeServer> & { requests: RecordedRequest[]; faults: number } = {
    requests,
    fault: undefined,
    faults: 0,
  };
  const listener = (incoming: IncomingMessage, response: ServerResponse): void => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const servername = (incoming.socket as Partial<TLSSocket>).servername;
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: headersOf(incoming),
        body: Buffer.concat(chunks).toString('utf8'),
        ...(typeof servername === 'string' ? { servername } : {}),
      };
      requests.push(request);
      const fault = fake.fault?.(request, requests.length);
      if (fault) {
        fake.faults++;
        if (fault.kind === 'hang') return;
        if (fault.kind === 'reset') {
          incoming.socket.destroy();
          return;
        }
        if (fault.kind === 'redirect') {
          response.writeHead(fault.status ?? 302, { location: fault.location });
          response.end();
          return;
        }
        response.writeHead(fault.status, fault.headers ?? {});
        response.end(fault.body ?? '');
        return;
      }
      Promise.resolve(handler(request))
        .then((reply) => {
          response.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
          response.end(reply.body ?? '');
        })
        .catch((error: unknown) => {
          response.writeHead(500);
          response.end(String(error));
        });
    });
  };
  let server: Server;
  if (options.tls) {
    const cert = process.env.TEST_TLS_CERT_FILE;
    const key = process.env.TEST_TLS_KEY_FILE;
    if (!cert || !key)
      throw new Error('TEST_TLS_CERT_FILE/TEST_TLS_KEY_FILE are not set (test global setup)');
    server = createHttpsServer({ cert: readFileSync(cert), key: readFileSync(key) }, listener);
  } else {
    server = createHttpServer(listener);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(fake, {
    port,
    url: options.tls ? `https://localhost:${port}` : `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as FakeServer;
}
