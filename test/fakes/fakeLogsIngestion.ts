/**
 * A local HTTPS fake of the Azure Monitor Logs Ingestion API (`POST
 * /dataCollectionRules/{ruleId}/streams/{stream}?api-version=2023-01-01`, gzip bodies) and of the
 * App Service managed-identity token endpoint the default credential chain reads. It keeps every
 * accepted row per stream, the size of every request, and injects faults per request.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export type IngestionFault = { status: number; retryAfterSeconds?: number } | undefined;

export interface IngestionRequestRecord {
  stream: string;
  ruleId: string;
  gzip: boolean;
  compressedBytes: number;
  bodyBytes: number;
  rows: number;
  status: number;
}

export interface FakeLogsIngestion {
  url: string;
  /** Rows accepted, by stream name. */
  rows: Map<string, Record<string, unknown>[]>;
  requests: IngestionRequestRecord[];
  tokenRequests: number;
  unauthorized: number;
  /** Environment for the credential chain (managed identity) and the product's settings. */
  env: Record<string, string>;
  close(): Promise<void>;
}

const ISSUED = new Set<string>();

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

function send(
  response: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(text);
}

export async function startFakeLogsIngestion(
  options: {
    ruleId: string;
    faults?: (count: number, stream: string) => IngestionFault;
    /** Also accept tokens another fake's identity endpoint issued (one IDENTITY_ENDPOINT per process). */
    acceptToken?: (token: string) => boolean;
  } = {
    ruleId: 'dcr-00000000000000000000000000000000',
  },
): Promise<FakeLogsIngestion> {
  const cert = readFileSync(process.env.TEST_TLS_CERT_FILE ?? '');
  const key = readFileSync(process.env.TEST_TLS_KEY_FILE ?? '');
  const identityHeader = randomUUID();
  const state: FakeLogsIngestion = {
    url: '',
    rows: new Map(),
    requests: [],
    tokenRequests: 0,
    unauthorized: 0,
    env: {},
    close: async () => undefined,
  };
  let count = 0;
  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', state.url);
    if (url.pathname === '/msi/token') {
      state.tokenRequests++;
      if (request.headers['x-identity-header'] !== identityHeader)
        return send(response, 401, { error: 'bad header' });
      const token = `ingest-${randomUUID()}`;
      ISSUED.add(token);
      return send(response, 200, {
        access_token: token,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: url.searchParams.get('resource') ?? '',
        token_type: 'Bearer',
      });
    }
    const match = /^\/dataCollectionRules\/([^/]+)\/streams\/([^/]+)$/.exec(url.pathname);
    if (request.method !== 'POST' || !match) return send(response, 404, { error: { code: 'NotFound' } });
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer || !(ISSUED.has(bearer) || options.acceptToken?.(bearer))) {
      state.unauthorized++;
      return send(response, 401, { error: { code: 'InvalidToken', message: 'missing or invalid token' } });
    }
    const [, ruleId = '', stream = ''] = match;
    const raw = await readBody(request);
    const gzip = request.headers['content-encoding'] === 'gzip';
    const body = gzip ? gunzipSync(raw) : raw;
    const record: IngestionRequestRecord = {
      stream: decodeURIComponent(stream),
      ruleId: decodeURIComponent(ruleId),
      gzip,
      compressedBytes: raw.length,
      bodyBytes: body.length,
      rows: 0,
      status: 204,
    };
    state.requests.push(record);
    count++;
    if (url.searchParams.get('api-version') !== '2023-01-01') record.status = 400;
    else if (record.ruleId !== options.ruleId) record.status = 404;
    else if (body.length > 1024 * 1024) record.status = 413;
    if (record.status !== 204) return send(response, record.status, { error: { code: 'Rejected' } });
    const fault = options.faults?.(count, record.stream);
    if (fault) {
      record.status = fault.status;
      return send(
        response,
        fault.status,
        { error: { code: 'Injected', message: `injected ${fault.status}` } },
        fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {},
      );
    }
    const rows = JSON.parse(body.toString('utf8')) as Record<string, unknown>[];
    record.rows = rows.length;
    const kept = state.rows.get(record.stream) ?? [];
    for (const row of rows) kept.push(row);
    state.rows.set(record.stream, kept);
    response.writeHead(204);
    response.end();
  };
  const server: Server = createServer({ cert, key }, (request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        send(response, 500, { error: { code: 'FakeFailure', message: String(error) } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `https://127.0.0.1:${port}`;
  state.env = {
    IDENTITY_ENDPOINT: `${state.url}/msi/token`,
    IDENTITY_HEADER: identityHeader,
    MONITOR_INGESTION_ENDPOINT: state.url,
    MONITOR_DCR_IMMUTABLE_ID: options.ruleId,
    MONITOR_RETRY_DELAY_MS: '5',
  };
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}
