import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { generate } from 'selfsigned';

import { startLocalAzurite } from '../cli/localAzurite.js';

/**
 * Starts Azurite (Table, Blob, Queue) in memory on free ports for the storage tests, whose workers
 * read its connection string from STORAGE_TEST_CONNECTION. Generates a self-signed certificate for the local HTTPS fakes of Resource Manager and trusts it
 * through NODE_EXTRA_CA_CERTS, which the test workers (forked after this runs) read at start-up.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const folder = await mkdtemp(join(tmpdir(), 'arc-compliance-tls-'));
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 2 * 86_400_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  const cert = join(folder, 'cert.pem');
  const key = join(folder, 'key.pem');
  await writeFile(cert, pems.cert);
  await writeFile(key, pems.private, { mode: 0o600 });
  process.env.NODE_EXTRA_CA_CERTS = cert;
  process.env.TEST_TLS_CERT_FILE = cert;
  process.env.TEST_TLS_KEY_FILE = key;
  const azurite = await startLocalAzurite();
  process.env.STORAGE_TEST_CONNECTION = azurite.connectionString;
  return async () => {
    await azurite.stop();
    await rm(folder, { recursive: true, force: true });
  };
}
