import { ConfigurationError } from '../config/configurationError.js';
import { readInteger, readText, type Env } from '../config/settingReaders.js';

export type StorageTarget =
  | { kind: 'connectionString'; connectionString: string }
  | { kind: 'identity'; tableUrl: string; blobUrl: string; managedIdentityClientId: string | undefined };

export interface StorageSettings {
  target: StorageTarget;
  /** Prefix of every table name (letters and digits), so several deployments can share an account. */
  tablePrefix: string;
  /** Blob container for values too large for a table entity. */
  container: string;
  retentionDays: number;
}

const ACCOUNT = /^[a-z0-9]{3,24}$/;
const PREFIX = /^[A-Za-z][A-Za-z0-9]{0,40}$/;

/**
 * Storage settings, or undefined when none is configured. `STORAGE_CONNECTION` (a connection
 * string) or, identity-based, `STORAGE_ACCOUNT_NAME` (or `STORAGE_TABLE_URL` and
 * `STORAGE_BLOB_URL`) with the default Azure credential.
 */
export function parseStorageSettings(env: Env): StorageSettings | undefined {
  const problems: string[] = [];
  const connectionString = readText(env, 'STORAGE_CONNECTION');
  const account = readText(env, 'STORAGE_ACCOUNT_NAME');
  let tableUrl = readText(env, 'STORAGE_TABLE_URL');
  let blobUrl = readText(env, 'STORAGE_BLOB_URL');
  if (connectionString === '' && account === '' && tableUrl === '') return undefined;
  let target: StorageTarget | undefined;
  if (connectionString !== '') {
    if (!/(AccountName=|UseDevelopmentStorage=true|TableEndpoint=)/i.test(connectionString)) {
      problems.push('STORAGE_CONNECTION is not a storage connection string');
    }
    target = { kind: 'connectionString', connectionString };
  } else {
    if (account !== '') {
      if (!ACCOUNT.test(account))
        problems.push(`STORAGE_ACCOUNT_NAME must be 3–24 lower-case letters and digits, got "${account}"`);
      tableUrl ||= `https://${account}.table.core.windows.net`;
      blobUrl ||= `https://${account}.blob.core.windows.net`;
    }
    for (const [key, url] of [
      ['STORAGE_TABLE_URL', tableUrl],
      ['STORAGE_BLOB_URL', blobUrl],
    ] as const) {
      try {
        if (new URL(url).protocol !== 'https:') problems.push(`${key} must be https`);
      } catch {
        problems.push(`${key} is missing or not a URL`);
      }
    }
    target = {
      kind: 'identity',
      tableUrl,
      blobUrl,
      managedIdentityClientId: env.AZURE_CLIENT_ID?.trim() || undefined,
    };
  }
  const tablePrefix = env.STORAGE_TABLE_PREFIX?.trim() || 'compliance';
  if (!PREFIX.test(tablePrefix))
    problems.push(
      `STORAGE_TABLE_PREFIX must be letters and digits starting with a letter, got "${tablePrefix}"`,
    );
  const retentionDays = readInteger(env, 'RETENTION_DAYS', 400, 1, 36_500, problems);
  if (problems.length > 0) throw new ConfigurationError(problems);
  return { target, tablePrefix, container: `${tablePrefix.toLowerCase()}-large-values`, retentionDays };
}
