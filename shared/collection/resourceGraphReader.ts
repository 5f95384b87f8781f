import { getCi, isJsonObject } from '../inventory/caseInsensitive.js';
import type { DocumentRow } from '../inventory/parseInventoryDocument.js';
import { toHttpFailure } from './httpFailure.js';
import type { QuotaPacer } from './quotaPacer.js';
import type { GraphRequest, ResourceGraphTransport } from './resourceGraphTransport.js';
import { RequestFailedError, withRetry, type RetryContext } from './retryPolicy.js';

export interface GraphReadContext extends RetryContext {
  transport: ResourceGraphTransport;
  pacer: QuotaPacer;
  pageSize: number;
}

const MAX_PAGES = 100_000;

/** Rows of a Resource Graph `data` value, in objectArray or table format. */
export function graphRows(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  const columns = getCi(data, 'columns');
  const rows = getCi(data, 'rows');
  if (isJsonObject(data) && Array.isArray(columns) && Array.isArray(rows)) {
    const names = columns.map((column, index) => {
      const name = getCi(column, 'name');
      return typeof name === 'string' ? name : `column${index}`;
    });
    return rows.map((row) =>
      Array.isArray(row) ? Object.fromEntries(names.map((name, index) => [name, row[index]])) : row,
    );
  }
  // Older SDK versions returned objectArray data keyed "0", "1", …
  if (isJsonObject(data)) return Object.values(data);
  return [];
}

/**
 * Reads every page of one query, pacing on the quota headers and retrying each page on its own
 * (same skip token). Throws {@link RequestFailedError} when a page fails for good.
 */
export async function readAllPages(
  context: GraphReadContext,
  request: Omit<GraphRequest, 'top' | 'skipToken'>,
  label: string,
): Promise<DocumentRow[]> {
  const rows: DocumentRow[] = [];
  const seenTokens = new Set<string>();
  let skipToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await withRetry(
      context,
      async (signal) => {
        await context.pacer.beforeRequest(signal);
        context.stats.graphRequests++;
        try {
          const response = await context.transport.query(
            { ...request, top: context.pageSize, skipToken },
            signal,
          );
          context.pacer.observe(response.header);
          return response;
        } catch (error) {
          context.pacer.observe(toHttpFailure(error).header);
          throw error;
        }
      },
      `${label} page ${page + 1}`,
    );
    const pageRows = graphRows(result.data);
    context.stats.graphPages++;
    context.stats.graphRows += pageRows.length;
    pageRows.forEach((value, index) => rows.push({ value, where: `${label} page ${page + 1} [${index}]` }));
    if (!result.skipToken) {
      if (result.resultTruncated) {
        throw new RequestFailedError(
          `${label}: Resource Graph truncated the result and gave no skip token`,
          toHttpFailure(new Error('truncated')),
          1,
        );
      }
      return rows;
    }
    if (seenTokens.has(result.skipToken)) {
      throw new RequestFailedError(
        `${label}: the same skip token came back twice`,
        toHttpFailure(new Error('loop')),
        1,
      );
    }
    seenTokens.add(result.skipToken);
    skipToken = result.skipToken;
  }
  throw new RequestFailedError(
    `${label}: more than ${MAX_PAGES} pages`,
    toHttpFailure(new Error('pages')),
    1,
  );
}
