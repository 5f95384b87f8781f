import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';

import {
  handleClusterHistory,
  handleDeadLetters,
  handleGetRun,
  handleListRuns,
  handleRescan,
  handleRunResource,
  handleStartScan,
  type ApiDependencies,
  type ApiRequest,
} from '../shared/api/complianceApi.js';
import { apiAuthentication } from '../shared/api/platformAuthentication.js';
import { problem, type ApiResponse } from '../shared/api/problem.js';
import { rescanCluster, startScan } from '../shared/fanout/scanApplication.js';
import { configuredSecrets, listDeadLetters, scrubbedEntry } from '../shared/notifications/index.js';
import {
  handleCreateRecord,
  handleGetRecord,
  handleListRecords,
  handleRecordAction,
} from '../shared/api/governanceApi.js';
import { readRequestJson } from '../shared/api/requestJson.js';
import { governanceFor, notificationsFor, scanAppFor } from '../shared/app/scanAppFactory.js';

/** Request bodies are small JSON objects; anything larger is refused before it is parsed. */
const MAX_BODY_CHARS = 256 * 1024;

export function toApiRequest(request: HttpRequest): ApiRequest {
  return {
    method: request.method,
    url: request.url,
    params: request.params,
    query: request.query,
    header: (name) => request.headers.get(name),
    jsonBody: async () => {
      const text = await request.text();
      if (text.trim() === '') throw new SyntaxError('the body is empty');
      if (text.length > MAX_BODY_CHARS) throw new SyntaxError('the body is too large');
      return readRequestJson(text);
    },
  };
}

function toResponse(response: ApiResponse): HttpResponseInit {
  if (response.jsonBody !== undefined)
    return { status: response.status, headers: response.headers, jsonBody: response.jsonBody };
  return {
    status: response.status,
    headers: response.headers,
    body: response.body as HttpResponseInit['body'],
  };
}

type Handler = (request: ApiRequest, deps: ApiDependencies) => Promise<ApiResponse>;
type Env = Readonly<Record<string, string | undefined>>;

/**
 * Builds the dependencies, runs one route handler, and turns unexpected failures into problem+json.
 * Nothing is served (503) unless the platform is known to authenticate callers: the roles the
 * handlers check come from a header only App Service Authentication can vouch for.
 */
export function route(handler: Handler, env: Env = process.env) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const authentication = apiAuthentication(env);
    if (!authentication.serve) {
      context.error(`API request refused: ${authentication.reason}`);
      return toResponse(
        problem(
          503,
          'the API is disabled because platform authentication is not confirmed; see the app logs',
          context.invocationId,
        ),
      );
    }
    try {
      const scanApp = await scanAppFor(context);
      const deps: ApiDependencies = {
        store: scanApp.store,
        reports: scanApp.reports,
        startScan: (scope) => startScan(scanApp, scope),
        rescan: async (clusterId) => {
          const run = await rescanCluster(scanApp, clusterId);
          return { runId: run.run.id, status: run.stored.record.status, score: run.run.score };
        },
        deadLetters: async (limit) => {
          const notifications = await notificationsFor();
          // Scrubbed again on the way out: entries stored by older versions may hold secrets.
          const secrets = configuredSecrets(notifications.settings, notifications.secrets);
          return (await listDeadLetters(notifications.store, { limit })).map(({ message, ...entry }) => ({
            ...scrubbedEntry(entry, secrets),
            message,
          }));
        },
        governance: { ...(await governanceFor()), clock: () => new Date() },
      };
      return toResponse(await handler(toApiRequest(request), deps));
    } catch (error) {
      context.error('request failed', error instanceof Error ? error.message : String(error));
      return toResponse(
        problem(500, 'the request failed; see the logs with the invocation ID', context.invocationId),
      );
    }
  };
}

// Checked once at start-up too, so a deployment without platform authentication says so in its logs
// before the first request is refused.
const atStartup = apiAuthentication(process.env);
if (!atStartup.serve)
  console.error(`The compliance API will answer 503 to every request: ${atStartup.reason}`);

const reader = { authLevel: 'function' as const };
app.http('listRuns', { ...reader, methods: ['GET'], route: 'runs', handler: route(handleListRuns) });
app.http('getRun', { ...reader, methods: ['GET'], route: 'runs/{runId}', handler: route(handleGetRun) });
app.http('runResource', {
  ...reader,
  methods: ['GET'],
  route: 'runs/{runId}/{resource}',
  handler: route(handleRunResource),
});
app.http('clusterHistory', {
  ...reader,
  methods: ['GET'],
  route: 'clusters/{clusterId}/history',
  handler: route(handleClusterHistory),
});
app.http('deadLetters', {
  ...reader,
  methods: ['GET'],
  route: 'notifications/dead-letters',
  handler: route(handleDeadLetters),
});
app.http('startScan', { ...reader, methods: ['POST'], route: 'scans', handler: route(handleStartScan) });
app.http('rescanCluster', {
  ...reader,
  methods: ['POST'],
  route: 'clusters/rescan',
  handler: route(handleRescan),
});
// Exceptions and attestations: list, create, read one (with its audit trail), approve or revoke.
for (const collection of ['exceptions', 'attestations'] as const) {
  const inCollection =
    (handler: Handler): Handler =>
    (request, deps) =>
      handler({ ...request, params: { ...request.params, collection } }, deps);
  app.http(`${collection}List`, {
    ...reader,
    methods: ['GET'],
    route: collection,
    handler: route(inCollection(handleListRecords)),
  });
  app.http(`${collection}Create`, {
    ...reader,
    methods: ['POST'],
    route: collection,
    handler: route(inCollection(handleCreateRecord)),
  });
  app.http(`${collection}Get`, {
    ...reader,
    methods: ['GET'],
    route: `${collection}/{id}`,
    handler: route(inCollection(handleGetRecord)),
  });
  app.http(`${collection}Action`, {
    ...reader,
    methods: ['POST'],
    route: `${collection}/{id}/{action}`,
    handler: route(inCollection(handleRecordAction)),
  });
}
