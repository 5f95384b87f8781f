import { createRestError, type Client } from '@azure-rest/core-client';

import { getCi } from '../inventory/caseInsensitive.js';
import { withRetry, type RetryContext } from './retryPolicy.js';

/** Generic Resource Manager reads by resource ID; the seam between collection and the REST client. */
export interface ArmReader {
  /** The resource body, or undefined when Resource Manager answers 404. */
  get(id: string, apiVersion: string, signal: AbortSignal): Promise<unknown>;
  /** Every item of a list endpoint, following `nextLink`. */
  list(path: string, apiVersion: string, signal: AbortSignal): Promise<unknown[]>;
}

const SAFE_ID = /^\/subscriptions\/[0-9A-Za-z-]+(\/[^/?#\s]+)+$/;

/** Encodes each segment of an ARM path; rejects anything that is not a plain ARM path. */
export function armPath(id: string): string {
  const trimmed = id.trim().replace(/\/+$/, '');
  if (!SAFE_ID.test(trimmed) || trimmed.split('/').some((segment) => segment === '..' || segment === '.')) {
    throw new RangeError(`not a Resource Manager ID: ${JSON.stringify(id)}`);
  }
  return trimmed
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

/** The production reader over `@azure-rest/core-client` (its own retries turned off). */
export function restArmReader(client: Client, endpoint: string): ArmReader {
  return {
    async get(id, apiVersion, signal) {
      const response = await client
        .pathUnchecked(armPath(id))
        .get({ queryParameters: { 'api-version': apiVersion }, abortSignal: signal });
      if (response.status === '404') return undefined;
      if (!response.status.startsWith('2')) throw createRestError(response);
      return response.body;
    },
    async list(path, apiVersion, signal) {
      const items: unknown[] = [];
      let response = await client
        .pathUnchecked(armPath(path))
        .get({ queryParameters: { 'api-version': apiVersion }, abortSignal: signal });
      for (let page = 0; page < 10_000; page++) {
        if (response.status === '404') return items;
        if (!response.status.startsWith('2')) throw createRestError(response);
        const value = getCi(response.body, 'value');
        if (Array.isArray(value)) items.push(...value);
        const next = getCi(response.body, 'nextLink');
        if (typeof next !== 'string' || next === '') return items;
        const url = new URL(next);
        if (url.origin !== new URL(endpoint).origin)
          throw new RangeError(`nextLink leaves the Resource Manager endpoint: ${url.origin}`);
        response = await client
          .pathUnchecked(url.pathname + url.search)
          .get({ abortSignal: signal, skipUrlEncoding: true });
      }
      return items;
    },
  };
}

/** A retried ARM GET; counts requests and 404s. */
export async function readArmResource(
  context: RetryContext,
  reader: ArmReader,
  id: string,
  apiVersion: string,
): Promise<unknown> {
  return withRetry(
    context,
    async (signal) => {
      context.stats.armRequests++;
      const body = await reader.get(id, apiVersion, signal);
      if (body === undefined) context.stats.armNotFound++;
      return body;
    },
    `GET ${id}`,
  );
}
