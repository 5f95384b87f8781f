import { CONTROL_IDS, STATUSES, type ControlId, type Status } from '../catalog/types.js';
import type { LiveScope } from '../collection/liveScope.js';
import { validateClusterId } from '../collection/collectSingleCluster.js';
import { REPORT_FILES, type ReportFormat, type ReportStore } from '../fanout/reportPublisher.js';
import { EFFECTIVE_STATUSES, type EffectiveStatus } from '../governance/records.js';
import { isRunId } from '../scan/runId.js';
import type { GovernanceApiDependencies } from './governanceApi.js';
import type { HistoryStore } from '../storage/historyStore.js';
import { RUN_STATUSES, type RunRecord, type RunStatus } from '../storage/runRecord.js';
import { clusterHistory, InvalidQueryError, listRunFindings, listRuns } from '../storage/runQueries.js';
import { hasRole, readClientPrincipal, ROLES, type ClientPrincipal } from './clientPrincipal.js';
import { decodePageToken, encodePageToken, InvalidPageTokenError, type PageQuery } from './pageToken.js';
import { json, problem, type ApiResponse } from './problem.js';
import { pageSizeParam, queryProblem } from './queryParameters.js';
import { readRescanBody, readScanBody, SCAN_BODY_SHAPES } from './requestBodies.js';
import { readRun } from '../storage/runReads.js';

export interface ApiRequest {
  method: string;
  url: string;
  params: Readonly<Record<string, string | undefined>>;
  query: URLSearchParams;
  header(name: string): string | null;
  jsonBody(): Promise<unknown>;
}

export interface ApiDependencies {
  store: HistoryStore;
  reports: ReportStore;
  startScan(scope: LiveScope | undefined): Promise<{ runId: string; batches: number; inline: boolean }>;
  rescan(clusterId: string): Promise<{ runId: string; status: string; score: number }>;
  /** Notification deliveries that gave up after their attempts. */
  deadLetters(limit: number): Promise<unknown[]>;
  /** Exceptions and attestations (absent: the governance routes answer 503). */
  governance?: GovernanceApiDependencies;
}

type Role = (typeof ROLES)[keyof typeof ROLES];

/** 401 without a well-formed principal, 403 without the role; otherwise the principal. */
export function authorize(request: ApiRequest, role: Role): ApiResponse | ClientPrincipal {
  let principal: ClientPrincipal | undefined;
  try {
    principal = readClientPrincipal(request.header('x-ms-client-principal'));
  } catch (error) {
    return problem(401, error instanceof Error ? error.message : 'invalid principal');
  }
  if (!principal)
    return problem(401, 'sign in: no authenticated principal (x-ms-client-principal) on the request');
  if (!hasRole(principal, role)) return problem(403, `the ${role} role is required`);
  return principal;
}

const isResponse = (value: ApiResponse | ClientPrincipal): value is ApiResponse => 'status' in value;

function runLinks(runId: string): Record<string, string> {
  const base = `/api/runs/${runId}`;
  return {
    self: base,
    findings: `${base}/findings`,
    ...Object.fromEntries(
      (Object.keys(REPORT_FILES) as ReportFormat[]).map((format) => [
        format,
        `${base}/${resourceNameOf(format)}`,
      ]),
    ),
    governance: `${base}/governance`,
  };
}

function runSummary(record: RunRecord): Record<string, unknown> {
  const { metadata } = record;
  return {
    runId: record.runId,
    status: record.status,
    scopeKey: record.scopeKey,
    startedAt: metadata.startedAt,
    finishedAt: metadata.finishedAt,
    asOf: metadata.asOf,
    source: metadata.source,
    complete: metadata.complete,
    clusterCount: metadata.clusterCount,
    counts: metadata.counts,
    score: metadata.score,
    effectiveCounts: metadata.effectiveCounts ?? null,
    effectiveScore: metadata.effectiveScore ?? null,
    findingsCount: record.findingsCount,
    findingsWritten: record.findingsWritten,
    previousRunId: record.previousRunId,
    changes: record.changeCounts,
    error: record.error,
    links: runLinks(record.runId),
  };
}

function runIdParam(request: ApiRequest): string | ApiResponse {
  const runId = request.params.runId ?? '';
  return isRunId(runId) ? runId : problem(400, 'runId must look like 20261127T224300Z-1a2b3c4d');
}

/** Cluster IDs travel URL-encoded (`%2Fsubscriptions%2F…`) or as base64url. */
export function decodeClusterParam(value: string | undefined): string | undefined {
  if (!value) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(value);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/subscriptions/')) {
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(value)) return undefined;
    decoded = Buffer.from(value, 'base64url').toString('utf8');
  }
  try {
    return validateClusterId(decoded);
  } catch {
    return undefined;
  }
}

/** The query string's problem as a 400, or undefined when every parameter is one the route reads. */
function checkQuery(request: ApiRequest, allowed: readonly string[]): ApiResponse | undefined {
  const detail = queryProblem(request.query, allowed);
  return detail === undefined ? undefined : problem(400, detail);
}

/** The storage token behind the request's continuationToken, or a 400 for one not issued for `query`. */
function pageTokenParam(request: ApiRequest, query: PageQuery): string | undefined | ApiResponse {
  try {
    return decodePageToken(request.query.get('continuationToken'), query);
  } catch (error) {
    if (error instanceof InvalidPageTokenError) return problem(400, error.message);
    throw error;
  }
}

const isRunStatus = (value: string): value is RunStatus =>
  (RUN_STATUSES as readonly string[]).includes(value);

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function handleListRuns(request: ApiRequest, deps: ApiDependencies): Promise<ApiResponse> {
  const principal = authorize(request, ROLES.reader);
  if (isResponse(principal)) return principal;
  const badQuery = checkQuery(request, ['status', 'top', 'continuationToken']);
  if (badQuery) return badQuery;
  const status = request.query.get('status') ?? undefined;
  if (status !== undefined && !isRunStatus(status)) {
    return problem(400, `status must be one of ${RUN_STATUSES.join(', ')}`);
  }
  const top = pageSizeParam(request.query, 50);
  if (typeof top === 'string') return problem(400, top);
  const pageQuery: PageQuery = { route: 'runs', status };
  const continuationToken = pageTokenParam(request, pageQuery);
  if (typeof continuationToken === 'object') return continuationToken;
  const page = await listRuns(deps.store, {
    status,
    maxPageSize: top,
    continuationToken,
  });
  return json(200, {
    runs: page.items.map(runSummary),
    continuationToken: encodePageToken(page.continuationToken, pageQuery) ?? null,
  });
}

export async function handleGetRun(request: ApiRequest, deps: ApiDependencies): Promise<ApiResponse> {
  const principal = authorize(request, ROLES.reader);
  if (isResponse(principal)) return principal;
  const runId = runIdParam(request);
  if (typeof runId !== 'string') return runId;
  const badQuery = checkQuery(request, []);
  if (badQuery) return badQuery;
  const record = await readRun(deps.store, runId);
  if (!record) return problem(404, `run ${runId} not found`);
  return json(200, {
    ...runSummary(record),
    notRead: record.metadata.notRead,
    stats: record.metadata.stats ?? null,
  });
}

const REPORT_NAME = /^report\.(xlsx|html|csv|json)$/;

/** Interchange formats are served under their own file names. */
const FORMAT_RESOURCES: Partial<Record<ReportFormat, string>> = {
  oscal: REPORT_FILES.oscal.name,
  ocsf: REPORT_FILES.ocsf.name,
};

function resourceNameOf(format: ReportFormat): string {
  return FORMAT_RESOURCES[format] ?? `report.${format}`;
}

function formatOfResource(resource: string): ReportFormat | undefined {
  const named = (Object.keys(FORMAT_RESOURCES) as ReportFormat[]).find(
    (format) => FORMAT_RESOURCES[format] === resource,
  );
  return named ?? (REPORT_NAME.exec(resource)?.[1] as ReportFormat | undefined);
}

/** `GET /api/runs/{runId}/findings` and `GET /api/runs/{runId}/report.{xlsx|html|csv|json}`. */
export async function handleRunResource(request: ApiRequest, deps: ApiDependencies): Promise<ApiResponse> {
  const principal = authorize(request, ROLES.reader);
  if (isResponse(principal)) return principal;
  const runId = runIdParam(request);
  if (typeof runId !== 'string') return runId;
  const resource = request.params.resource ?? '';
  if (resource === 'findings') return findings(request, deps, runId);
  if (resource === 'governance') return checkQuery(request, []) ?? runGovernance(deps, runId);
  const format = formatOfResource(resource);
  if (!format)
    return problem(
      404,
      'no such resource: use findings, governance, report.xlsx, report.html, report.csv, report.json, assessment-results.oscal.json or findings.ocsf.json',
    );
  const badQuery = checkQuery(request, []);
  if (badQuery) return badQuery;
  if (!(await readRun(deps.store, runId))) return problem(404, `run ${runId} not found`);
  const file = await deps.reports.open(runId, format);
  if (!file) return problem(404, `run ${runId} has no ${format} report`);
  const extension =
    FORMAT_RESOURCES[format] ??
    (format === 'json' || format === 'csv' ? `findings.${format}` : `report.${format}`);
  return {
    status: 200,
    headers: {
      'content-type': REPORT_FILES[format].contentType,
      'content-length': String(file.length),
      'content-disposition': `attachment; filename="compliance-${runId}-${extension}"`,
      'x-content-type-options': 'nosniff',
      ...(format === 'html'
        ? { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:" }
        : {}),
    },
    body: file.stream,
  };
}

/** What a run applied, per governance record, with the observed and effective counts and scores. */
async function runGovernance(deps: ApiDependencies, runId: string): Promise<ApiResponse> {
  const record = await readRun(deps.store, runId);
  if (!record) return problem(404, `run ${runId} not found`);
  const { metadata } = record;
  return json(200, {
    runId,
    asOf: metadata.asOf,
    complete: metadata.complete,
    counts: metadata.counts,
    score: metadata.score,
    effectiveCounts: metadata.effectiveCounts ?? null,
    effectiveScore: metadata.effectiveScore ?? null,
    governance: metadata.governance ?? [],
  });
}

async function findings(request: ApiRequest, deps: ApiDependencies, runId: string): Promise<ApiResponse> {
  const badQuery = checkQuery(request, [
    'status',
    'effectiveStatus',
    'control',
    'subscription',
    'cluster',
    'top',
    'continuationToken',
  ]);
  if (badQuery) return badQuery;
  const status = request.query.get('status') ?? undefined;
  const effectiveStatus = request.query.get('effectiveStatus') ?? undefined;
  const control = request.query.get('control') ?? undefined;
  const subscription = request.query.get('subscription') ?? undefined;
  const clusterParam = request.query.get('cluster') ?? undefined;
  if (status !== undefined && !(STATUSES as readonly string[]).includes(status))
    return problem(400, `status must be one of ${STATUSES.join(', ')}`);
  if (effectiveStatus !== undefined && !(EFFECTIVE_STATUSES as readonly string[]).includes(effectiveStatus))
    return problem(400, `effectiveStatus must be one of ${EFFECTIVE_STATUSES.join(', ')}`);
  if (control !== undefined && !(CONTROL_IDS as readonly string[]).includes(control))
    return problem(400, `control must be one of ${CONTROL_IDS.join(', ')}`);
  if (subscription !== undefined && !GUID.test(subscription))
    return problem(400, 'subscription must be a subscription ID (a GUID)');
  const cluster = clusterParam === undefined ? undefined : decodeClusterParam(clusterParam);
  if (clusterParam !== undefined && cluster === undefined)
    return problem(400, 'cluster must be a cluster resource ID');
  const top = pageSizeParam(request.query, 100);
  if (typeof top === 'string') return problem(400, top);
  // Every filter the route reads binds the token, so one issued for another query is refused.
  const pageQuery: PageQuery = {
    route: 'findings',
    runId,
    status,
    effectiveStatus,
    control,
    subscription,
    cluster,
  };
  const continuationToken = pageTokenParam(request, pageQuery);
  if (typeof continuationToken === 'object') return continuationToken;
  if (!(await readRun(deps.store, runId))) return problem(404, `run ${runId} not found`);
  try {
    const page = await listRunFindings(
      deps.store,
      runId,
      {
        status: status as Status | undefined,
        effectiveStatus: effectiveStatus as EffectiveStatus | undefined,
        controlId: control as ControlId | undefined,
        subscriptionId: subscription,
        clusterId: cluster,
      },
      { maxPageSize: top, continuationToken },
    );
    return json(200, {
      runId,
      findings: page.items,
      continuationToken: encodePageToken(page.continuationToken, pageQuery) ?? null,
    });
  } catch (error) {
    if (error instanceof InvalidQueryError) return problem(400, error.message);
    throw error;
  }
}

export async function handleClusterHistory(request: ApiRequest, deps: ApiDependencies): Promise<ApiResponse> {
  const principal = authorize(request, ROLES.reader);
  if (isResponse(principal)) return principal;
  const clusterId = decodeClusterParam(request.params.clusterId);
  if (!clusterId)
    return problem(
      400,
      'the cluster must be a URL-encoded (or base64url) connectedClusters or managedClusters resource ID',
    );
  const badQuery = checkQuery(request, []);
  if (badQuery) return badQuery;
  const history = await clusterHistory(deps.store, clusterId, { top: 100 });
  if (history.length === 0) return problem(404, 'no stored run includes this cluster');
  return json(200, { clusterId, history });
}

/** A body that could not be read as JSON, and why. */
class InvalidBody {
  constructor(readonly why: string) {}
}

async function readJsonBody(request: ApiRequest): Promise<unknown> {
  try {
    return await request.jsonBody();
  } catch (error) {
    return new InvalidBody(error instanceof Error ? error.message.slice(0, 200) : 'unreadable');
  }
}

export async function handleStartScan(request: ApiRequest, deps: ApiDependencies): Promise<ApiResponse> {
  const principal = authorize(request, ROLES.admin);
  if (isResponse(principal)) return principal;
  const badQuery = checkQuery(request, []);
  if (badQuery) return badQuery;
  const body = await readJsonBody(request);
  if (body instanceof InvalidBody)
    return problem(400, `the body is not accepted JSON (${body.why}): ${SCAN_BODY_SHAPES}`);
  const scope = readScanBody(body);
  if (!scope.ok) return problem(400, scope.detail);
  const started = await deps.startScan(scope.value);
  return json(202, { ...started, links: runLinks(started.runId), requestedBy: principal.name });
}

export async function handleRescan(request: ApiRequest, deps: ApiDependencies): Promise<ApiResponse> {
  const principal = authorize(request, ROLES.admin);
  if (isResponse(principal)) return principal;
  const badQuery = checkQuery(request, []);
  if (badQuery) return badQuery;
  const body = await readJsonBody(request);
  if (body instanceof InvalidBody)
    return problem(
      400,
      `the body is not accepted JSON (${body.why}): it must be {"clusterId":"/subscriptions/…"}`,
    );
  const clusterId = readRescanBody(body);
  if (!clusterId.ok) return problem(400, clusterId.detail);
  const run = await deps.rescan(clusterId.value);
  return json(200, { ...run, links: runLinks(run.runId) });
}

export async function handleDeadLetters(request: ApiRequest, deps: ApiDependencies): Promise<ApiResponse> {
  const principal = authorize(request, ROLES.reader);
  if (isResponse(principal)) return principal;
  const badQuery = checkQuery(request, ['top']);
  if (badQuery) return badQuery;
  const top = pageSizeParam(request.query, 100);
  if (typeof top === 'string') return problem(400, top);
  return json(200, { deadLetters: await deps.deadLetters(top) });
}
