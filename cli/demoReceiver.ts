import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { Webhook } from 'standardwebhooks';

export interface ReceivedEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
}

/**
 * A Standard Webhooks receiver on a free loopback port, for the demo: it verifies every
 * signature with the secret it generated and keeps the events, de-duplicated by webhook-id.
 */
export async function startDemoReceiver(): Promise<{
  url: string;
  secret: string;
  events: ReceivedEvent[];
  rejected: number;
  close(): Promise<void>;
}> {
  const secret = `whsec_${randomBytes(32).toString('base64')}`;
  const verifier = new Webhook(secret);
  const seen = new Set<string>();
  const state = { events: [] as ReceivedEvent[], rejected: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      try {
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(',') : (value ?? ''),
          ]),
        );
        const payload = verifier.verify(Buffer.concat(chunks).toString('utf8'), headers) as {
          type: string;
          data: Record<string, unknown>;
        };
        const id = headers['webhook-id'] ?? '';
        if (!seen.has(id)) {
          seen.add(id);
          state.events.push({ id, type: payload.type, data: payload.data });
        }
        response.writeHead(204).end();
      } catch {
        state.rejected++;
        response.writeHead(401).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    secret,
    get events() {
      return state.events;
    },
    get rejected() {
      return state.rejected;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
