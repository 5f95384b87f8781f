/** An RFC 9457 problem detail, as every API error is returned. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
}

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  jsonBody?: unknown;
  body?: NodeJS.ReadableStream | string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, detail: string, instance?: string): ApiResponse {
  const body: Problem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(instance ? { instance } : {}),
  };
  return { status, headers: { 'content-type': 'application/problem+json; charset=utf-8' }, jsonBody: body };
}

export function json(status: number, body: unknown): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    jsonBody: body,
  };
}
