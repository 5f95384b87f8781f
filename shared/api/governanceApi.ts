import {
  GovernanceRequestError,
  approveRecord,
  createRecord,
  revokeRecord,
} from '../governance/governanceService.js';
import type { GovernanceRepository, StoredRecord } from '../governance/governanceRepository.js';
import type { GovernanceSettings } from '../governance/governanceSettings.js';
import type { GovernanceKind } from '../governance/records.js';
import { ROLES, type ClientPrincipal } from './clientPrincipal.js';
import { authorize, type ApiDependencies, type ApiRequest } from './complianceApi.js';
import { json, problem, type ApiResponse } from './problem.js';

/** What the governance routes need: the records, their limits and the clock. */
export interface GovernanceApiDependencies {
  repository: GovernanceRepository;
  settings: GovernanceSettings;
  clock: () => Date;
}

const KIND_OF_COLLECTION: Record<string, GovernanceKind> = {
  exceptions: 'exception',
  attestations: 'attestation',
};
const RECORD_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const isResponse = (value: ApiResponse | ClientPrincipal): value is ApiResponse => 'status' in value;

type Role = (typeof ROLES)[keyof typeof ROLES];

/** 401 without a well-formed principal, 403 unless it has one of the roles (Admin counts as Reader). */
function authorizeAny(request: ApiRequest, roles: readonly [Role, ...Role[]]): ApiResponse | ClientPrincipal {
  const first = authorize(request, roles[0]);
  if (!isResponse(first) || first.status !== 403) return first;
  for (const role of roles.slice(1)) {
    const outcome = authorize(request, role);
    if (!isResponse(outcome)) return outcome;
  }
  return problem(403, `one of the roles ${roles.join(', ')} is required`);
}

function kindOf(request: ApiRequest): GovernanceKind | ApiResponse {
  const kind = KIND_OF_COLLECTION[request.params.collection ?? ''];
  return kind ?? problem(404, 'no such collection: use exceptions or attestations');
}

function view(stored: StoredRecord): Record<string, unknown> {
  const { record, approval } = stored;
  const { kind, controlId, ...rest } = record;
  return { kind, control: controlId, state: approval, ...rest };
}

function failure(error: unknown): ApiResponse {
  if (error instanceof GovernanceRequestError) return problem(error.status, error.message);
  throw error;
}

/** `GET /api/{exceptions|attestations}[?state=pending|approved|revoked]`. */
export async function handleListRecords(request: ApiRequest, api: ApiDependencies): Promise<ApiResponse> {
  const deps = api.governance;
  if (!deps) return problem(503, 'governance records are not configured');
  const principal = authorizeAny(request, [ROLES.reader, ROLES.approver]);
  if (isResponse(principal)) return principal;
  const kind = kindOf(request);
  if (typeof kind !== 'string') return kind;
  const state = request.query.get('state') ?? undefined;
  if (state !== undefined && !['pending', 'approved', 'revoked'].includes(state))
    return problem(400, 'state must be pending, approved or revoked');
  const records = (await deps.repository.list()).filter(
    (stored) => stored.record.kind === kind && (state === undefined || stored.approval === state),
  );
  return json(200, { [request.params.collection ?? '']: records.map(view) });
}

/** `GET /api/{exceptions|attestations}/{id}`: the record and its audit trail. */
export async function handleGetRecord(request: ApiRequest, api: ApiDependencies): Promise<ApiResponse> {
  const deps = api.governance;
  if (!deps) return problem(503, 'governance records are not configured');
  const principal = authorizeAny(request, [ROLES.reader, ROLES.approver]);
  if (isResponse(principal)) return principal;
  const kind = kindOf(request);
  if (typeof kind !== 'string') return kind;
  const id = request.params.id ?? '';
  if (!RECORD_ID.test(id))
    return problem(400, 'the record ID must be 1-64 letters, digits, dots, dashes or underscores');
  const stored = await deps.repository.get(id);
  if (!stored || stored.record.kind !== kind) return problem(404, `${kind} ${id} not found`);
  return json(200, { ...view(stored), audit: await deps.repository.audit(id) });
}

/** `POST /api/{exceptions|attestations}`: a new record, pending until another principal approves it. */
export async function handleCreateRecord(request: ApiRequest, api: ApiDependencies): Promise<ApiResponse> {
  const deps = api.governance;
  if (!deps) return problem(503, 'governance records are not configured');
  const principal = authorize(request, ROLES.admin);
  if (isResponse(principal)) return principal;
  const kind = kindOf(request);
  if (typeof kind !== 'string') return kind;
  let body: unknown;
  try {
    body = await request.jsonBody();
  } catch {
    return problem(400, 'the body must be a JSON object');
  }
  try {
    const stored = await createRecord(deps.repository, kind, body, principal, deps.clock(), deps.settings);
    return json(201, view(stored));
  } catch (error) {
    return failure(error);
  }
}

/** `POST /api/{exceptions|attestations}/{id}/{approve|revoke}`. */
export async function handleRecordAction(request: ApiRequest, api: ApiDependencies): Promise<ApiResponse> {
  const deps = api.governance;
  if (!deps) return problem(503, 'governance records are not configured');
  const action = request.params.action ?? '';
  if (action !== 'approve' && action !== 'revoke')
    return problem(404, 'no such action: use approve or revoke');
  const principal =
    action === 'approve'
      ? authorize(request, ROLES.approver)
      : authorizeAny(request, [ROLES.admin, ROLES.approver]);
  if (isResponse(principal)) return principal;
  const kind = kindOf(request);
  if (typeof kind !== 'string') return kind;
  const id = request.params.id ?? '';
  if (!RECORD_ID.test(id))
    return problem(400, 'the record ID must be 1-64 letters, digits, dots, dashes or underscores');
  try {
    const stored =
      action === 'approve'
        ? await approveRecord(deps.repository, kind, id, principal, deps.clock())
        : await revokeRecord(deps.repository, kind, id, principal, deps.clock());
    return json(200, view(stored));
  } catch (error) {
    return failure(error);
  }
}
