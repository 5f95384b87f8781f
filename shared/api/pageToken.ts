import { createHash } from 'node:crypto';

/** A continuation token that was not issued by this API for this query (the API answers 400). */
export class InvalidPageTokenError extends Error {
  override readonly name = 'InvalidPageTokenError';
}

const VERSION = 'v1';
const TOKEN = /^v1\.([A-Za-z0-9_-]{4,2048})\.([0-9a-f]{32})$/;

/** What a token is bound to: the route and every filter of the query (not the page size). */
export type PageQuery = Readonly<Record<string, string | undefined>>;

function bindingOf(query: PageQuery): string {
  return JSON.stringify(Object.entries(query).sort(([a], [b]) => a.localeCompare(b)));
}

function checksum(query: PageQuery, position: string): string {
  return createHash('sha256')
    .update(`${VERSION}\n${bindingOf(query)}\n${position}`)
    .digest('hex')
    .slice(0, 32);
}

/** The storage position a token points at: the next partition and row key of a table query. */
interface Position {
  nextPartitionKey: string;
  nextRowKey?: string;
}

function positionOf(json: string): Position | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { nextPartitionKey, nextRowKey, ...rest } = value as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return undefined;
  if (typeof nextPartitionKey !== 'string' || nextPartitionKey === '') return undefined;
  if (nextRowKey !== undefined && typeof nextRowKey !== 'string') return undefined;
  return { nextPartitionKey, ...(nextRowKey !== undefined ? { nextRowKey } : {}) };
}

/**
 * The token handed to API callers for the next page: the storage position (base64url JSON) and a
 * checksum over the position and the query it belongs to, so that a token that was damaged, made
 * up, or taken from another query is recognised and refused instead of being read as a position.
 * The checksum is an integrity check, not a secret: the position reveals nothing a reader of the
 * page could not see.
 */
export function encodePageToken(storageToken: string | undefined, query: PageQuery): string | undefined {
  if (storageToken === undefined) return undefined;
  const json = Buffer.from(storageToken, 'base64').toString('utf8');
  if (!positionOf(json)) throw new TypeError('storage returned a continuation token of an unknown form');
  const position = Buffer.from(json, 'utf8').toString('base64url');
  return `${VERSION}.${position}.${checksum(query, position)}`;
}

/**
 * The storage continuation token behind an API token; undefined when none was given (the first
 * page). Throws {@link InvalidPageTokenError} for anything this API did not issue for this query,
 * so a bad token is never an error of the server and never silently the first page again.
 */
export function decodePageToken(token: string | null | undefined, query: PageQuery): string | undefined {
  if (token === null || token === undefined) return undefined;
  const refuse = (why: string): never => {
    throw new InvalidPageTokenError(
      `continuationToken ${why}: pass back the continuationToken of the previous page unchanged, with the same filters`,
    );
  };
  const match = TOKEN.exec(token);
  if (!match) return refuse('is not a token this API issued');
  const [, position = '', sum = ''] = match;
  if (checksum(query, position) !== sum) return refuse('does not belong to this query or was altered');
  const bytes = Buffer.from(position, 'base64url');
  if (bytes.toString('base64url') !== position) return refuse('is not a token this API issued');
  const json = bytes.toString('utf8');
  if (!positionOf(json)) return refuse('is not a token this API issued');
  return Buffer.from(json, 'utf8').toString('base64');
}
