import { afterEach, describe, expect, it } from 'vitest';

import { classifyAddress } from '../../shared/notifications/addressClass.js';
import { failureFromResponse } from '../../shared/notifications/deliveryFailure.js';
import {
  OutboundBlockedError,
  systemResolver,
  type OutboundPolicy,
  type Resolver,
} from '../../shared/notifications/outboundGuard.js';
import { redactUrl, scrubSecrets } from '../../shared/notifications/redaction.js';
import {
  createSafeHttpClient,
  TransportError,
  type SafeRequest,
} from '../../shared/notifications/safeHttpClient.js';
import { startFakeServer, type FakeServer } from './fakeHttpServer.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(tls = false): Promise<FakeServer> {
  const started = await startFakeServer(() => ({ status: 200, body: '{"ok":true}' }), { tls });
  servers.push(started);
  return started;
}

function policy(options: Partial<OutboundPolicy> & { hosts?: string[] } = {}): OutboundPolicy {
  return {
    allowHttpLoopback: options.allowHttpLoopback ?? true,
    allowedHosts: new Set(options.hosts ?? []),
    resolve: options.resolve ?? systemResolver,
  };
}

const post = (url: string, extra: Partial<SafeRequest> = {}): SafeRequest => ({
  method: 'POST',
  url,
  body: '{}',
  timeoutMs: 2000,
  maxResponseBytes: 1024 * 1024,
  ...extra,
});

/** A resolver from a fixed table, counting lookups; no real DNS. */
function fixedResolver(table: Record<string, string[]>): Resolver & { lookups: string[] } {
  const lookups: string[] = [];
  const resolve = async (hostname: string) => {
    lookups.push(hostname);
    const addresses = table[hostname];
    if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({
      address,
      family: address.includes(':') ? (6 as const) : (4 as const),
    }));
  };
  return Object.assign(resolve, { lookups });
}

describe('address classification', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['fc00::1', 'private'],
    ['fd12:3456::1', 'private'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['64:ff9b::a00:1', 'private'],
    ['2002:a00:1::1', 'private'],
    ['2001:db8::1', 'reserved'],
    ['2606:4700::1111', 'public'],
    ['not-an-ip', 'invalid'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('the safe HTTP client', () => {
  it('refuses URLs with private, link-local, loopback and unspecified IPs without connecting', async () => {
    const request = createSafeHttpClient(policy({ allowHttpLoopback: false }));
    for (const url of [
      'https://10.0.0.1/hook',
      'https://169.254.169.254/metadata/instance',
      'https://[::ffff:192.168.0.1]/hook',
      'https://[fd00::1]/hook',
      'https://0.0.0.0/hook',
      'https://127.0.0.1/hook',
      'https://2130706433/hook',
    ]) {
      await expect(request(post(url)), url).rejects.toThrow(OutboundBlockedError);
    }
    await expect(request(post('https://10.0.0.1/hook'))).rejects.toThrow(
      /10\.0\.0\.1 \(private\), which is not allowed; add the host to NOTIFICATIONS_ALLOWED_HOSTS/,
    );
  });

  it('refuses a name that resolves to loopback (localhost) unless the host is allow-listed', async () => {
    const receiver = await server();
    const url = `http://localhost:${receiver.port}/hook`;
    await expect(createSafeHttpClient(policy())(post(url))).rejects.toThrow(/resolves to .* \(loopback\)/);
    expect(receiver.requests).toHaveLength(0);
    const allowed = await createSafeHttpClient(policy({ hosts: ['localhost'] }))(post(url));
    expect(allowed.status).toBe(200);
    expect(receiver.requests).toHaveLength(1);
  });

  it('refuses a name resolving to a private address, or to several addresses one of which is private', async () => {
    const resolve = fixedResolver({
      'hooks.example.test': ['10.0.0.1'],
      'mixed.example.test': ['93.184.216.34', '192.168.10.10'],
    });
    const request = createSafeHttpClient(policy({ resolve, allowHttpLoopback: false }));
    await expect(request(post('https://hooks.example.test/in'))).rejects.toThrow(
      /hooks\.example\.test resolves to 10\.0\.0\.1 \(private\)/,
    );
    await expect(request(post('https://mixed.example.test/in'))).rejects.toThrow(
      /192\.168\.10\.10 \(private\)/,
    );
    await expect(request(post('https://missing.example.test/in'))).rejects.toThrow(
      /could not be resolved \(ENOTFOUND\)/,
    );
  });

  it('connects to the address it checked, with the original Host header: DNS is asked once', async () => {
    const receiver = await server();
    const resolve = fixedResolver({ 'receiver.test': ['127.0.0.1'] });
    const request = createSafeHttpClient(policy({ resolve, hosts: ['receiver.test'] }));
    const response = await request(post(`http://receiver.test:${receiver.port}/in`));
    expect(response.status).toBe(200);
    expect(resolve.lookups).toEqual(['receiver.test']);
    expect(receiver.requests[0]?.headers.host).toBe(`receiver.test:${receiver.port}`);
  });

  it('over https, sends the host name as SNI and verifies the certificate for it', async () => {
    const receiver = await server(true);
    const resolve = fixedResolver({ localhost: ['127.0.0.1'], 'other.test': ['127.0.0.1'] });
    const request = createSafeHttpClient(
      policy({ resolve, hosts: ['localhost', 'other.test'], allowHttpLoopback: false }),
    );
    const response = await request(post(`https://localhost:${receiver.port}/in`));
    expect(response.status).toBe(200);
    expect(receiver.requests[0]?.servername).toBe('localhost');
    expect(receiver.requests[0]?.headers.host).toBe(`localhost:${receiver.port}`);
    // The certificate is for localhost: pinning the address must not weaken the name check.
    await expect(request(post(`https://other.test:${receiver.port}/in`))).rejects.toThrow(TransportError);
    await expect(request(post(`https://other.test:${receiver.port}/in`))).rejects.toThrow(
      /ERR_TLS_CERT_ALTNAME_INVALID/,
    );
  });

  it('allows plain http only to loopback, and only in development mode', async () => {
    const resolve = fixedResolver({ 'public.test': ['93.184.216.34'] });
    await expect(
      createSafeHttpClient(policy({ resolve, allowHttpLoopback: true }))(post('http://public.test/in')),
    ).rejects.toThrow(/plain text is allowed only to loopback/);
    await expect(
      createSafeHttpClient(policy({ resolve, allowHttpLoopback: false }))(post('http://public.test/in')),
    ).rejects.toThrow(/only https is allowed/);
  });

  it('does not follow redirects: a 3xx to a private address fails for good and names the location', async () => {
    const target = await server();
    const receiver = await server();
    receiver.fault = () => ({ kind: 'redirect', location: `${target.url}/internal?token=abc` });
    const request = createSafeHttpClient(policy({ hosts: ['127.0.0.1'] }));
    const response = await request(post(`${receiver.url}/hook`));
    expect(response.status).toBe(302);
    const failure = failureFromResponse(response, 'webhook', Date.now());
    expect(failure.retryable).toBe(false);
    expect(failure.message).toContain(`redirecting to ${target.url}/internal?…`);
    expect(failure.message).not.toContain('token=abc');
    expect(target.requests).toHaveLength(0);
    receiver.fault = () => ({ kind: 'redirect', location: 'http://10.0.0.1/latest/meta-data', status: 307 });
    const second = failureFromResponse(await request(post(`${receiver.url}/hook`)), 'webhook', Date.now());
    expect(second.message).toMatch(/answered 307 redirecting to http:\/\/10\.0\.0\.1\/latest\/meta-data/);
  });

  it('times out a hanging receiver and cuts off an oversized response', async () => {
    const receiver = await startFakeServer(() => ({ status: 200, body: 'x'.repeat(300_000) }));
    servers.push(receiver);
    const request = createSafeHttpClient(policy({ hosts: ['127.0.0.1'] }));
    const big = await request(post(`${receiver.url}/big`, { maxResponseBytes: 1000 }));
    expect(big).toMatchObject({ status: 200, truncated: true });
    expect(big.body).toHaveLength(1000);
    receiver.fault = () => ({ kind: 'hang' });
    const started = Date.now();
    await expect(request(post(`${receiver.url}/slow?key=v`, { timeoutMs: 300 }))).rejects.toThrow(
      /no response from http:\/\/127\.0\.0\.1:\d+\/slow\?… within 0\.3 s/,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('redacts query strings and removes secrets and Authorization values from texts', () => {
    expect(redactUrl('https://user:pw@x.example.com/a/b?sig=secret#frag')).toBe(
      'https://x.example.com/a/b?…',
    );
    const credentials = 'bot@example.com:api-token-123';
    const text = scrubSecrets(
      `401 from https://x.example.com/hook?sig=abc: echoed Authorization: Basic ${Buffer.from(credentials).toString('base64')} and ${credentials}`,
      [credentials],
    );
    expect(text).not.toContain('api-token-123');
    expect(text).not.toContain(Buffer.from(credentials).toString('base64'));
    expect(text).not.toContain('sig=abc');
  });
});
