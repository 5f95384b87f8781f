import type { ApiRequest } from '../../shared/api/complianceApi.js';
import { readRequestJson } from '../../shared/api/requestJson.js';

/** An `x-ms-client-principal` header as App Service Authentication builds it (base64 JSON). */
export function principalHeader(roles: string[], extra: Record<string, unknown> = {}): string {
  return Buffer.from(
    JSON.stringify({
      auth_typ: 'aad',
      name_typ: 'name',
      role_typ: 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role',
      claims: [{ typ: 'name', val: 'auditor@contoso.test' }, ...roles.map((val) => ({ typ: 'roles', val }))],
      ...extra,
    }),
  ).toString('base64');
}

/** A request as the HTTP layer hands it to a route handler; `body` is the raw request text. */
export function apiRequest(options: {
  method?: string;
  params?: Record<string, string>;
  query?: Record<string, string> | URLSearchParams;
  principal?: string;
  body?: string;
}): ApiRequest {
  const headers = new Map<string, string>();
  if (options.principal !== undefined) headers.set('x-ms-client-principal', options.principal);
  return {
    method: options.method ?? 'GET',
    url: 'https://app.test/api',
    params: options.params ?? {},
    query: new URLSearchParams(options.query ?? {}),
    header: (name) => headers.get(name.toLowerCase()) ?? null,
    jsonBody: async () => readRequestJson(options.body ?? '{}'),
  };
}
