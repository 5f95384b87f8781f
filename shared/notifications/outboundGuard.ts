import { promises as dns } from 'node:dns';
import { isIP } from 'node:net';

import { classifyAddress } from './addressClass.js';
import { redactUrl } from './redaction.js';

/** One address a host name resolved to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (injectable, so tests need no real DNS). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** `dns.promises.lookup(host, { all: true })`. */
export const systemResolver: Resolver = async (hostname) =>
  (await dns.lookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

/** Where outbound requests may go. */
export interface OutboundPolicy {
  /** Plain http is allowed only when every address of the host is loopback (development). */
  allowHttpLoopback: boolean;
  /** Host names or IP literals (lower case) that may resolve to non-public addresses. */
  allowedHosts: ReadonlySet<string>;
  resolve: Resolver;
}

/** A request the policy forbids: never retried. */
export class OutboundBlockedError extends Error {
  override readonly name = 'OutboundBlockedError';
}

/**
 * The checked target: connect to `address` — or, when it cannot be reached, to each of
 * `addresses` in turn (all checked; `address` is the first) — sending `hostname` as Host and SNI.
 */
export interface CheckedTarget {
  hostname: string;
  address: ResolvedAddress;
  addresses: ResolvedAddress[];
}

/** The URL's host without IPv6 brackets or a trailing dot, lower case. */
export function hostOf(url: URL): string {
  return url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/**
 * Resolves a host (unless it is an IP literal) and checks EVERY address: each must be public
 * unless the host is allow-listed, and for a plain-text protocol each must be loopback. Returns the
 * addresses to connect to, in resolver order without repeats. `shown` names the target in errors.
 */
export async function checkOutboundHost(
  hostname: string,
  policy: OutboundPolicy,
  options: { plainText: boolean; shown: string },
): Promise<CheckedTarget> {
  const { shown } = options;
  const family = isIP(hostname);
  let addresses: ResolvedAddress[];
  if (family === 4 || family === 6) addresses = [{ address: hostname, family }];
  else {
    try {
      addresses = await policy.resolve(hostname);
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).message;
      throw new Error(`${shown}: ${hostname} could not be resolved (${code})`, { cause: error });
    }
  }
  if (addresses.length === 0) throw new Error(`${shown}: ${hostname} has no address`);
  const allowListed = policy.allowedHosts.has(hostname);
  for (const entry of addresses) {
    const kind = classifyAddress(entry.address);
    if (kind === 'invalid')
      throw new OutboundBlockedError(`${shown}: ${hostname} resolved to "${entry.address}"`);
    if (kind !== 'public' && !allowListed) {
      throw new OutboundBlockedError(
        `${shown}: ${hostname} resolves to ${entry.address} (${kind}), which is not allowed; ` +
          'add the host to NOTIFICATIONS_ALLOWED_HOSTS to allow it',
      );
    }
    if (options.plainText && kind !== 'loopback')
      throw new OutboundBlockedError(`${shown}: plain text is allowed only to loopback addresses`);
  }
  const unique = addresses.filter(
    (entry, index) => addresses.findIndex((other) => other.address === entry.address) === index,
  );
  return { hostname, address: unique[0] as ResolvedAddress, addresses: unique };
}

/**
 * Checks a URL against the policy on its RESOLVED addresses: https only (http only to loopback
 * when allowed), and every address public unless the host is allow-listed. Returns the address to
 * connect to, so a second DNS answer (rebinding) cannot change where the request goes.
 */
export async function checkOutboundUrl(url: URL, policy: OutboundPolicy): Promise<CheckedTarget> {
  const shown = redactUrl(url);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.allowHttpLoopback)) {
    throw new OutboundBlockedError(`${shown}: only https is allowed`);
  }
  if (url.username !== '' || url.password !== '')
    throw new OutboundBlockedError(`${shown}: URLs with credentials are not allowed`);
  return checkOutboundHost(hostOf(url), policy, { plainText: url.protocol === 'http:', shown });
}
