/**
 * Secrets never reach a reader: whatever a receiver echoes — a Workflows URL's signature, a
 * token, a key, user information, a configured secret in any encoding — is scrubbed from what is
 * stored in the outbox, logged and returned by the dead-letter listing, and the excerpt is cut
 * only after scrubbing.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';

import {
  configuredSecrets,
  failureText,
  scrubbedEntry,
} from '../../shared/notifications/configuredSecrets.js';
import { settingSecrets } from '../../shared/config/secretSource.js';
import type { NotificationEvent } from '../../shared/notifications/events.js';
import { enqueueEvents, listDeadLetters } from '../../shared/notifications/outbox.js';
import { deliverOutboxEntry, type DeliveryDeps } from '../../shared/notifications/outboxDelivery.js';
import {
  errorExcerpt,
  EXCERPT_CHARS,
  scrubSecrets,
  secretForms,
  secretValues,
} from '../../shared/notifications/redaction.js';
import { sampleRun } from '../storage/scanResults.js';
import { startFakeServer, type FakeServer } from './fakeHttpServer.js';
import {
  FakeClock,
  freshNotificationStore,
  notificationEnv,
  RunHistory,
  settingsOf,
} from './notificationHarness.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** Every run of `size` characters of a text. */
function windows(text: string, size: number): string[] {
  if (text.length <= size) return [text];
  const result: string[] = [];
  for (let i = 0; i + size <= text.length; i++) result.push(text.slice(i, i + size));
  return result;
}

/** The encodings a receiver may echo a secret in. */
const ENCODINGS: Array<[string, (secret: string) => string]> = [
  ['plain', (s) => s],
  ['URL-encoded', (s) => encodeURIComponent(s)],
  ['form-encoded', (s) => new URLSearchParams({ v: s }).toString().slice(2)],
  ['JSON-escaped', (s) => JSON.stringify(s).slice(1, -1)],
  ['slash-escaped JSON', (s) => JSON.stringify(s).slice(1, -1).replace(/\//g, '\\/')],
  ['base64', (s) => Buffer.from(s).toString('base64')],
  ['unpadded base64', (s) => Buffer.from(s).toString('base64').replace(/=+$/, '')],
  ['base64url', (s) => Buffer.from(s).toString('base64url')],
];

// Secrets of the characters signatures and tokens use, some needing URL encoding.
const secret = fc.string({
  unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_%:.~'),
  minLength: 12,
  maxLength: 64,
});
// Filler that shares no character with any encoding of a secret (no ASCII letter or digit).
const filler = fc.string({
  unit: fc.constantFrom(' ', ',', ';', '!', '(', ')', '[', ']', '|', 'ä', 'ß', '😀', '\n', '\u0301', '·'),
  maxLength: 700,
});

describe('secret scrubbing', () => {
  it('removes a configured secret in every encoding at every offset, before the excerpt is cut', () => {
    fc.assert(
      fc.property(
        secret,
        filler,
        filler,
        fc.constantFrom(...ENCODINGS),
        (value, before, after, [, encode]) => {
          const echoed = encode(value);
          const body = `${before}${echoed}${after}`;
          const excerpt = errorExcerpt(body, [value]);
          expect([...excerpt].length).toBeLessThanOrEqual(EXCERPT_CHARS);
          // Not the secret, nor any 8-character piece of any form of it (so no prefix left by the cut).
          for (const form of [value, echoed, ...secretForms(value)])
            for (const piece of windows(form, 8)) expect(excerpt).not.toContain(piece);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('removes a configured secret however a receiver re-encoded it, character by character', () => {
    const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
    // Ways one character may be written; each receiver may mix them.
    const perCharacter: Array<(c: string) => string> = [
      (c) => c,
      (c) => encodeURIComponent(c).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      (c) => [...Buffer.from(c)].map((b) => `%${hex(b, 2).toUpperCase()}`).join(''),
      (c) => [...Buffer.from(c)].map((b) => `%25${hex(b, 2)}`).join(''),
      (c) => `&#${c.codePointAt(0) ?? 0};`,
      (c) => `&#X${hex(c.codePointAt(0) ?? 0, 4).toUpperCase()};`,
      (c) => `&amp;#x${hex(c.codePointAt(0) ?? 0, 2)};`,
      (c) => (c === '/' ? '&sol;' : c === '+' ? '&plus;' : c === '=' ? '&equals;' : c),
      (c) => `\\u${hex(c.charCodeAt(0), 4)}`,
      (c) => `\\u${hex(c.charCodeAt(0), 4).toUpperCase()}`,
      (c) => `\\x${hex(c.charCodeAt(0), 2)}`,
      (c) => (c === '/' ? '\\/' : c),
    ];
    const whole: Array<(s: string) => string> = [
      (s) => encodeURIComponent(encodeURIComponent(s)),
      (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
      (s) => Buffer.from(s).toString('hex'),
      (s) => Buffer.from(s).toString('hex').toUpperCase(),
      (s) => JSON.stringify(JSON.stringify(s)).slice(1, -1),
    ];
    fc.assert(
      fc.property(
        secret,
        fc.array(fc.nat(perCharacter.length - 1), { minLength: 64, maxLength: 64 }),
        fc.option(fc.nat(whole.length - 1), { nil: undefined }),
        filler,
        filler,
        (value, choices, wholeChoice, before, after) => {
          const echoed =
            wholeChoice === undefined
              ? [...value].map((c, i) => (perCharacter[choices[i] ?? 0] ?? ((x: string) => x))(c)).join('')
              : (whole[wholeChoice] ?? ((x: string) => x))(value);
          const excerpt = errorExcerpt(`${before}${echoed}${after}`, [value]);
          for (const piece of windows(value, 8)) expect(excerpt).not.toContain(piece);
          for (const piece of windows(echoed, 8)) expect(excerpt).not.toContain(piece);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('removes a configured secret from inside a longer base64 text, at every alignment', () => {
    /** Every 8-byte piece of `secret` found by decoding any base64 run of `text` at any of its 4 alignments. */
    function decodedLeaks(text: string, value: string): string[] {
      const pieces = windows(value, 8);
      const leaks: string[] = [];
      for (const run of text.match(/[A-Za-z0-9+/=_-]{8,}/g) ?? [])
        for (let start = 0; start < 4; start++)
          for (const alphabet of ['base64', 'base64url'] as const) {
            const decoded = Buffer.from(run.slice(start), alphabet).toString('latin1');
            for (const piece of pieces) if (decoded.includes(piece)) leaks.push(piece);
          }
      return leaks;
    }
    fc.assert(
      fc.property(
        secret,
        fc.uint8Array({ maxLength: 40 }),
        fc.uint8Array({ maxLength: 40 }),
        fc.constantFrom('base64', 'base64url') satisfies fc.Arbitrary<BufferEncoding>,
        filler,
        (value, head, tail, alphabet, before) => {
          const embedded = Buffer.concat([head, Buffer.from(value), tail]).toString(alphabet);
          const excerpt = errorExcerpt(`${before}"data":"${embedded}"`, [value]);
          expect(decodedLeaks(excerpt, value)).toEqual([]);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('removes an SMTP password from an echoed AUTH PLAIN or AUTH LOGIN exchange, whatever the user name', () => {
    const password = 'Smtp-Pa55word!2026';
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9.@-]{1,40}$/), (user) => {
        const plain = Buffer.from(`\u0000${user}\u0000${password}`).toString('base64');
        const login = Buffer.from(password).toString('base64');
        const error = `535 5.7.8 Authentication failed for AUTH PLAIN ${plain} (then AUTH LOGIN ${login})`;
        const scrubbed = scrubSecrets(error, secretValues([password]));
        const decoded = [...scrubbed.matchAll(/[A-Za-z0-9+/=]{8,}/g)].map((m) =>
          Buffer.from(m[0], 'base64').toString('latin1'),
        );
        for (const text of decoded)
          for (const piece of windows(password, 8)) expect(text).not.toContain(piece);
      }),
      { numRuns: 200 },
    );
  });

  it('removes every part of a shared access signature when a signature is in the text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sig', 'Sig', 'SIG', 'sIg'),
        fc.shuffledSubarray(
          [
            'sv=2022-11-02',
            'se=2026-12-31T00%3A00%3A00Z',
            'sp=racwdl',
            'skoid=0f1e2d3c-aaaa',
            'sktid=72f988bf-bbbb',
            'spr=https',
            'sr=b',
          ],
          { minLength: 1 },
        ),
        filler,
        (sig, parts, before) => {
          const text = scrubSecrets(
            `${before}container/blob ${[...parts, `${sig}=c2lnbmF0dXJlMTIzNA%3D%3D`].join('&')}`,
            [],
          );
          expect(text).not.toContain('c2lnbmF0dXJl');
          for (const part of parts) expect(text).not.toContain(part.slice(part.indexOf('=')));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('cuts after scrubbing: a secret straddling the 300th character leaves nothing behind', () => {
    const value = 'sv=2024-11-04&sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D';
    const sig = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D';
    for (let offset = EXCERPT_CHARS - sig.length - 5; offset <= EXCERPT_CHARS + 5; offset++) {
      const body = `${'-'.repeat(offset)}${sig}${'-'.repeat(50)}`;
      const excerpt = errorExcerpt(body, secretValues([`https://x.example.com/?${value}`]));
      for (const piece of windows(sig, 6)) expect(excerpt).not.toContain(piece);
    }
  });

  it('removes credentials by name, Authorization schemes and URL user information without being told them', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl';
    fc.assert(
      fc.property(
        fc.constantFrom(
          `?sig=${token}&sv=1`,
          `&code=${token}`,
          `token=${token}`,
          `access_token%3D${token}%26x`,
          `"client_secret": "${token}"`,
          `'password':'${token}'`,
          `Authorization: Bearer ${token}`,
          `authorization=Basic ${token}`,
          `SharedAccessSignature ${token}`,
          `x-api-key: ${token}`,
          `https://admin:${token}@hooks.example.com/in`,
          `https://hooks.example.com/in?key=${token}#frag`,
          `prod-01.westeurope.logic.azure.com:443/workflows/1/invoke?api-version=1&sp=%2Frun&sig=${token}`,
          `?SIG=${token}`,
          `?Code=${token}`,
          `#access_token=${token}&state=x`,
          `token = ${token}`,
          `{"error":"{\\"access_token\\":\\"${token}\\"}"}`,
          `<password>${token}</password>`,
          `<ClientSecret type="x">${token}</ClientSecret>`,
          `client_secret: "${token}"`,
          `clientSecret='${token}'`,
          `"apiKey":"${token}"`,
          `x-functions-key: ${token}`,
          `Ocp-Apim-Subscription-Key: ${token}`,
          `Authorization: token ${token}`,
          `Proxy-Authorization: SSWS ${token}`,
          `Cookie: session=${token}; other=1`,
          `AccountKey=${token};EndpointSuffix=core.windows.net`,
          `SharedAccessKey=${token}`,
          `privateKey: ${token}`,
        ),
        filler,
        filler,
        (leak, before, after) => {
          const text = scrubSecrets(`${before}${leak}${after}`, []);
          for (const piece of windows(token, 8)) expect(text).not.toContain(piece);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('finds the query values and password of a configured URL, and the key of a whsec_ secret', () => {
    const sig = 'AbCdEfGh1234567890ijklMNOP';
    const url = `https://prod-01.westeurope.logic.azure.com/workflows/1/invoke?api-version=2016-06-01&sig=${sig}`;
    const key = Buffer.from('thirty-two bytes of signing key!').toString('base64');
    const values = secretValues([url, `whsec_${key}`, 'jira-user@example.com:ATATT3xFfGF0token']);
    const text = scrubSecrets(
      `echo ${sig} / ${encodeURIComponent(sig)} / ${key} / ${Buffer.from('ATATT3xFfGF0token').toString('base64')}`,
      values,
    );
    expect(text).not.toContain(sig);
    expect(text).not.toContain(key);
    expect(text).not.toContain('ATATT3xFfGF0token');
    expect(text).not.toContain(Buffer.from('ATATT3xFfGF0token').toString('base64'));
    expect(text).toContain('echo ***');
  });

  it('keeps the rest of an error readable', () => {
    const text = failureText(
      {
        ok: false,
        retryable: false,
        error: 'Teams team-channel: https://x.example.com/hook answered 400',
        responseBody: '{"error":{"code":"BadRequest","message":"The card is not valid"}}',
      },
      ['unrelated-secret-value'],
    );
    expect(text).toBe(
      'Teams team-channel: https://x.example.com/hook answered 400: ' +
        '{"error":{"code":"BadRequest","message":"The card is not valid"}}',
    );
  });
});

describe('a Teams Workflows signature echoed by the receiver', () => {
  const SIG = 'kX9vQ2mL7pR4tY8wZ1aB3cD5eF6gH0jK';
  const TODAY = new Date('2026-11-20T06:00:00Z');

  async function deadTeamsEntry(): Promise<{ deps: DeliveryDeps; events: NotificationEvent[] }> {
    // A receiver that refuses the message and echoes the whole request URL, its query, and the
    // signature split across its 300th character.
    const receiver = await startFakeServer((request) => ({
      status: 400,
      body:
        `${'x'.repeat(EXCERPT_CHARS - 10)}${SIG} ` +
        `{"error":"bad request to ${request.path}","url":"https://user:${SIG}@host${request.path}",` +
        `"encoded":"${encodeURIComponent(request.path)}","b64":"${Buffer.from(SIG).toString('base64')}"}`,
    }));
    servers.push(receiver);
    const env = notificationEnv([{ name: 'team-channel', type: 'teams', secretSetting: 'TEAMS_URL' }], {
      TEAMS_URL: `${receiver.url}/workflows/abc/triggers/manual/paths/invoke?api-version=1&sp=%2Frun&sig=${SIG}`,
    });
    const store = await freshNotificationStore();
    const history = new RunHistory();
    history.add(sampleRun('previous', new Date(TODAY.getTime() - 86_400_000)));
    const events = await history.plan(store, sampleRun('current', TODAY));
    const clock = new FakeClock(TODAY);
    return {
      deps: {
        store,
        settings: settingsOf(env),
        secrets: settingSecrets(env),
        clock: clock.now,
        random: () => 1,
      },
      events,
    };
  }

  it('is in neither the stored last error, the logged detail nor the dead-letter listing', async () => {
    const { deps, events } = await deadTeamsEntry();
    const run = events.find((event) => event.type.startsWith('run.'));
    if (!run) throw new Error('no run event');
    const { messages } = await enqueueEvents(deps.store, [run], deps.settings.destinations, {
      now: TODAY,
    });
    const message = messages[0];
    if (!message) throw new Error('no message');
    const outcome = await deliverOutboxEntry(deps, message);
    expect(outcome.outcome).toBe('dead');
    expect(outcome.detail).toMatch(/answered 400: x+/);
    const [dead] = await listDeadLetters(deps.store, { limit: 10 });
    if (!dead) throw new Error('no dead letter');
    const returned = scrubbedEntry(dead, configuredSecrets(deps.settings, deps.secrets));
    for (const text of [outcome.detail, dead.lastError, JSON.stringify(returned)])
      for (const piece of windows(SIG, 8)) expect(text).not.toContain(piece);
  });

  it('is scrubbed from entries stored before scrubbing was complete, on the way out', () => {
    const env = notificationEnv([{ name: 't', type: 'teams', secretSetting: 'TEAMS_URL' }], {
      TEAMS_URL: `https://prod.example.com/workflows/1/invoke?sig=${SIG}`,
    });
    const secrets = configuredSecrets(settingsOf(env), settingSecrets(env));
    const cleaned = scrubbedEntry({ lastError: `echoed ${SIG}`, detail: `…${SIG}` }, secrets);
    expect(cleaned.lastError).toBe('echoed ***');
    expect(cleaned.detail).toBe('…***');
  });
});
