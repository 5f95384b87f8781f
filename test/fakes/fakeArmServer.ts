/**
 * A local HTTPS fake of the Resource Manager endpoints the product reads, serving a fleet snapshot:
 * the Resource Graph `resources` POST (table and `type` filters, subscription and management-group
 * scope, `$top`, `$skipToken`, quota headers), the Kubernetes configuration list endpoints with
 * `nextLink`, Azure Local cluster lists, ARM GETs by ID, and the App Service managed-identity token
 * endpoint (`IDENTITY_ENDPOINT` / `IDENTITY_HEADER`). Faults are injected per request.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

export type Route = 'graph' | 'get' | 'list' | 'token';

export type Fault =
  | { kind: 'throttle'; retryAfterSeconds?: number; retryAfterMs?: number }
  | { kind: 'status'; status: number }
  | { kind: 'reset' }
  | { kind: 'delay'; ms: number };

export interface FaultContext {
  route: Route;
  path: string;
  /** 1-based count of requests on this route so far, including this one. */
  count: number;
  /** Resource Graph request body, for graph requests. */
  body?: Json;
}

export interface FakeArmOptions {
  resources: Json[];
  /** Subscriptions that exist besides those the resources live in. */
  subscriptions?: string[];
  managementGroups?: Record<string, string[]>;
  /** Items per page of the Kubernetes configuration and Azure Local list endpoints. */
  listPageSize?: number;
  /** Resource Graph quota: requests per window. */
  quota?: { limit: number; windowMs: number; retryAfterOnExhaustion: boolean };
  faults?: (context: FaultContext) => Fault | undefined;
  identityHeader?: string;
}

export interface FakeArmCounts {
  graph: number;
  graphServed: number;
  graphPages: Record<string, number>;
  get: number;
  list: number;
  token: number;
  throttled: number;
  faults: number;
  unauthorized: number;
}

export interface FakeArm {
  url: string;
  identityEndpoint: string;
  identityHeader: string;
  counts: FakeArmCounts;
  /** Environment that points the product at this fake. */
  env: Record<string, string>;
  close(): Promise<void>;
}

const TABLES: Record<string, string> = {
  'microsoft.kubernetes/connectedclusters': 'resources',
  'microsoft.containerservice/managedclusters': 'resources',
  'microsoft.extendedlocation/customlocations': 'resources',
  'microsoft.azurestackhci/clusters': 'resources',
  'microsoft.storage/storageaccounts': 'resources',
  'microsoft.kubernetesconfiguration/extensions': 'kubernetesconfigurationresources',
  'microsoft.kubernetesconfiguration/fluxconfigurations': 'kubernetesconfigurationresources',
  'microsoft.dataprotection/backupvaults/backupinstances': 'recoveryservicesresources',
};

function lower(value: unknown): string {
  return typeof value === 'string' ? value.toLowerCase() : '';
}

function subscriptionOf(id: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase() ?? '';
}

function resourceGroupOf(id: string): string {
  return /\/resourcegroups\/([^/]+)/i.exec(id)?.[1] ?? '';
}

/** What Resource Graph returns for a resource: lower-case type, scope columns, PascalCase extension keys. */
function toGraphRow(resource: Json): Json {
  const id = String(resource.id);
  const type = lower(resource.type);
  let properties = resource.properties;
  if (
    type === 'microsoft.kubernetesconfiguration/extensions' &&
    properties &&
    typeof properties === 'object'
  ) {
    properties = Object.fromEntries(
      Object.entries(properties as Json).map(([key, value]) => [
        key.charAt(0).toUpperCase() + key.slice(1),
        value,
      ]),
    );
  }
  return {
    id,
    name: resource.name ?? id.split('/').pop(),
    type,
    kind: resource.kind ?? '',
    location: resource.location ?? '',
    resourceGroup: resourceGroupOf(id).toLowerCase(),
    subscriptionId: subscriptionOf(id),
    tags: resource.tags ?? {},
    identity: resource.identity ?? null,
    properties: properties ?? null,
    extendedLocation: resource.extendedLocation ?? null,
  };
}

function parseQuery(query: string): {
  table: string;
  types: string[] | undefined;
  dataSource: string | undefined;
} {
  const table = /^\s*([A-Za-z_]+)/.exec(query)?.[1]?.toLowerCase() ?? '';
  const typeClause = /\btype\s*(?:in~|in|=~|==)\s*(\([^)]*\)|'[^']*')/i.exec(query)?.[1];
  const types = typeClause
    ? [...typeClause.matchAll(/'([^']*)'/g)].map((m) => (m[1] ?? '').toLowerCase())
    : undefined;
  const dataSource = /resourceID\)\)\s*==\s*'([^']*)'/i.exec(query)?.[1];
  return { table, types, dataSource };
}

function hhmmss(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(text);
}

function armError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers = {},
): void {
  send(response, status, { error: { code, message } }, headers);
}

/**
 * Tokens issued by any fake in this process. The managed-identity client caches tokens across
 * credential instances, like the real service's tokens are valid for every Resource Manager host.
 */
const ISSUED_TOKENS = new Set<string>();
/** Queries whose filtered rows are kept for paging. */
const RESULTS_KEPT = 64;

export async function startFakeArm(options: FakeArmOptions): Promise<FakeArm> {
  const cert = readFileSync(process.env.TEST_TLS_CERT_FILE ?? '');
  const key = readFileSync(process.env.TEST_TLS_KEY_FILE ?? '');
  const identityHeader = options.identityHeader ?? randomUUID();
  const listPageSize = options.listPageSize ?? 50;
  const quota = options.quota ?? { limit: 100_000, windowMs: 5000, retryAfterOnExhaustion: true };
  const counts: FakeArmCounts = {
    graph: 0,
    graphServed: 0,
    graphPages: {},
    get: 0,
    list: 0,
    token: 0,
    throttled: 0,
    faults: 0,
    unauthorized: 0,
  };
  const tokens = ISSUED_TOKENS;
  const byId = new Map<string, Json>();
  const graphRows = new Map<string, Json[]>();
  const subscriptions = new Set<string>((options.subscriptions ?? []).map((s) => s.toLowerCase()));
  for (const resource of options.resources) {
    const id = String(resource.id);
    byId.set(id.toLowerCase(), resource);
    subscriptions.add(subscriptionOf(id));
    const table = TABLES[lower(resource.type)];
    if (table) {
      const rows = graphRows.get(table) ?? [];
      rows.push(toGraphRow(resource));
      graphRows.set(table, rows);
    }
  }
  graphRows.set(
    'resourcecontainers',
    [...subscriptions].map((id) => ({
      id: `/subscriptions/${id}`,
      name: id,
      type: 'microsoft.resources/subscriptions',
      subscriptionId: id,
      properties: { state: 'Enabled' },
    })),
  );
  for (const rows of graphRows.values()) rows.sort((a, b) => lower(a.id).localeCompare(lower(b.id)));

  /** Filtered rows of recent queries, by fingerprint (query and scope), oldest first. */
  const resultsByQuery = new Map<string, Json[]>();
  let windowStart = Date.now();
  let used = 0;
  let baseUrl = '';

  const inScope = (body: Json): ((row: Json) => boolean) => {
    const subs = Array.isArray(body.subscriptions) ? body.subscriptions.map(lower) : undefined;
    const groups = Array.isArray(body.managementGroups) ? body.managementGroups.map(String) : undefined;
    let allowed: Set<string> | undefined;
    if (subs) allowed = new Set(subs);
    else if (groups)
      allowed = new Set(groups.flatMap((g) => (options.managementGroups?.[g] ?? []).map(lower)));
    return (row) => allowed === undefined || allowed.has(lower(row.subscriptionId));
  };

  const handleGraph = (body: Json, response: ServerResponse): void => {
    const now = Date.now();
    if (now - windowStart >= quota.windowMs) {
      windowStart = now;
      used = 0;
    }
    const resetsAfter = hhmmss(quota.windowMs - (now - windowStart));
    if (used >= quota.limit) {
      counts.throttled++;
      const headers: Record<string, string> = {
        'x-ms-user-quota-remaining': '0',
        'x-ms-user-quota-resets-after': resetsAfter,
      };
      if (quota.retryAfterOnExhaustion)
        headers['retry-after'] = String(Math.ceil((quota.windowMs - (now - windowStart)) / 1000));
      armError(
        response,
        429,
        'RateLimiting',
        'Client application has been throttled and should not attempt to repeat the request until an amount of time has elapsed.',
        headers,
      );
      return;
    }
    used++;
    const query = typeof body.query === 'string' ? body.query : '';
    const { table, types, dataSource } = parseQuery(query);
    const requestOptions = (body.options ?? {}) as Json;
    const top = Math.min(1000, Math.max(1, Number(requestOptions.$top ?? 100)));
    const fingerprint = createHash('sha256')
      .update(JSON.stringify([query, body.subscriptions, body.managementGroups]))
      .digest('hex')
      .slice(0, 16);
    // The rows of a query are filtered once and paged from then on, as the service pages one
    // result: a fleet of N clusters then costs the fake O(N) per query, not per page.
    let rows = resultsByQuery.get(fingerprint);
    if (!rows) {
      const scoped = inScope(body);
      rows = (graphRows.get(table) ?? []).filter(
        (row) =>
          scoped(row) &&
          (types === undefined || types.includes(lower(row.type))) &&
          (dataSource === undefined ||
            lower(
              (row.properties as Json | null)?.dataSourceInfo &&
                ((row.properties as Json).dataSourceInfo as Json).resourceID,
            ) === dataSource.toLowerCase()),
      );
      resultsByQuery.set(fingerprint, rows);
      if (resultsByQuery.size > RESULTS_KEPT)
        resultsByQuery.delete(resultsByQuery.keys().next().value as string);
    }
    let offset = Number(requestOptions.$skip ?? 0);
    if (typeof requestOptions.$skipToken === 'string') {
      try {
        const token = JSON.parse(Buffer.from(requestOptions.$skipToken, 'base64').toString('utf8')) as {
          o: number;
          q: string;
        };
        if (token.q !== fingerprint) throw new Error('token of another query');
        offset = token.o;
      } catch {
        armError(response, 400, 'InvalidSkipToken', 'The skip token is not valid for this query and scope.');
        return;
      }
    }
    const page = rows.slice(offset, offset + top);
    const next =
      offset + top < rows.length
        ? Buffer.from(JSON.stringify({ o: offset + top, q: fingerprint })).toString('base64')
        : undefined;
    counts.graphServed++;
    counts.graphPages[table] = (counts.graphPages[table] ?? 0) + 1;
    send(
      response,
      200,
      {
        totalRecords: rows.length,
        count: page.length,
        resultTruncated: 'false',
        facets: [],
        data: page,
        ...(next ? { $skipToken: next } : {}),
      },
      {
        'x-ms-user-quota-remaining': String(quota.limit - used),
        'x-ms-user-quota-resets-after': resetsAfter,
      },
    );
  };

  const childrenByParent = new Map<string, Json[]>();
  for (const resource of options.resources) {
    const match =
      /^(.*)\/providers\/microsoft\.kubernetesconfiguration\/(extensions|fluxconfigurations)\/[^/]+$/.exec(
        lower(resource.id),
      );
    if (!match) continue;
    const key = `${match[1]}|microsoft.kubernetesconfiguration/${match[2]}`;
    const list = childrenByParent.get(key);
    if (list) list.push(resource);
    else childrenByParent.set(key, [resource]);
  }
  const children = (parentPath: string, childType: string): Json[] =>
    childrenByParent.get(`${parentPath}|${childType}`) ?? [];
  const hciClusters = options.resources.filter((r) => lower(r.type) === 'microsoft.azurestackhci/clusters');

  const handleList = (path: string, url: URL, response: ServerResponse): boolean => {
    let items: Json[] | undefined;
    const match =
      /^(.*)\/providers\/microsoft\.kubernetesconfiguration\/(extensions|fluxconfigurations)$/.exec(path);
    if (match) {
      const [, parent = '', child = ''] = match;
      if (!byId.has(parent)) {
        armError(response, 404, 'ResourceNotFound', `The resource ${parent} was not found.`);
        return true;
      }
      items = children(parent, `microsoft.kubernetesconfiguration/${child}`);
    }
    const hci =
      /^\/subscriptions\/([^/]+)\/resourcegroups\/([^/]+)\/providers\/microsoft\.azurestackhci\/clusters$/.exec(
        path,
      );
    if (hci) {
      items = hciClusters.filter((r) => lower(r.id).startsWith(`${path}/`));
    }
    if (!items) return false;
    counts.list++;
    const skip = Number(url.searchParams.get('$skiptoken') ?? 0);
    const page = items.slice(skip, skip + listPageSize);
    const nextUrl = new URL(url.pathname, baseUrl);
    nextUrl.searchParams.set('api-version', url.searchParams.get('api-version') ?? '');
    nextUrl.searchParams.set('$skiptoken', String(skip + listPageSize));
    send(response, 200, {
      value: page,
      ...(skip + listPageSize < items.length ? { nextLink: nextUrl.href } : {}),
    });
    return true;
  };

  const route = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', baseUrl);
    const path = decodeURIComponent(url.pathname).replace(/\/+$/, '').toLowerCase();
    if (path === '/msi/token') {
      counts.token++;
      if (request.headers['x-identity-header'] !== identityHeader) {
        send(response, 401, { error: 'invalid identity header' });
        return;
      }
      const token = `fake-${randomUUID()}`;
      tokens.add(token);
      send(response, 200, {
        access_token: token,
        expires_on: String(Math.floor(Date.now() / 1000) + 3600),
        resource: url.searchParams.get('resource') ?? '',
        token_type: 'Bearer',
      });
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!bearer || !tokens.has(bearer)) {
      counts.unauthorized++;
      armError(response, 401, 'InvalidAuthenticationToken', 'The access token is missing or invalid.');
      return;
    }
    const isGraph = request.method === 'POST' && path === '/providers/microsoft.resourcegraph/resources';
    const body = isGraph ? (JSON.parse((await readBody(request)) || '{}') as Json) : undefined;
    const kind: Route = isGraph
      ? 'graph'
      : /\/(extensions|fluxconfigurations|clusters)$/.test(path)
        ? 'list'
        : 'get';
    if (kind === 'graph') counts.graph++;
    else if (kind === 'get') counts.get++;
    const fault = options.faults?.({
      route: kind,
      path,
      count: kind === 'graph' ? counts.graph : counts.get + counts.list,
      body,
    });
    if (fault) {
      counts.faults++;
      if (fault.kind === 'reset') {
        request.socket.destroy();
        return;
      }
      if (fault.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.ms));
      else if (fault.kind === 'throttle') {
        counts.throttled++;
        const headers: Record<string, string> = {};
        if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
        if (fault.retryAfterMs !== undefined) headers['x-ms-retry-after-ms'] = String(fault.retryAfterMs);
        armError(response, 429, 'RateLimiting', 'Client application has been throttled.', headers);
        return;
      } else {
        armError(response, fault.status, 'InjectedFault', `Injected HTTP ${fault.status}.`);
        return;
      }
    }
    if (isGraph) {
      handleGraph(body ?? {}, response);
      return;
    }
    if (request.method !== 'GET') {
      armError(response, 405, 'MethodNotAllowed', 'Only GET and the Resource Graph POST are served.');
      return;
    }
    if (handleList(path, url, response)) return;
    const resource = byId.get(path);
    if (!resource) {
      armError(response, 404, 'ResourceNotFound', `The resource ${path} was not found.`);
      return;
    }
    send(response, 200, resource);
  };

  const server: Server = createServer({ cert, key }, (request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) armError(response, 500, 'FakeFailure', String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  baseUrl = `https://127.0.0.1:${port}`;
  const identityEndpoint = `${baseUrl}/msi/token`;
  return {
    url: baseUrl,
    identityEndpoint,
    identityHeader,
    counts,
    env: {
      ARM_ENDPOINT: baseUrl,
      IDENTITY_ENDPOINT: identityEndpoint,
      IDENTITY_HEADER: identityHeader,
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
