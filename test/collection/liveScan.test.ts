import { afterEach, describe, expect, it } from 'vitest';

import { startFakeArm, type FakeArm, type FakeArmOptions, type Fault } from '../fakes/fakeArmServer.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';
import { byKey, FAST_RETRIES, scan, scanOffline, scanTogether } from './liveScanHarness.js';

const EXTENSION_CONTROLS = ['DS-01', 'DS-02', 'DS-03', 'DS-08', 'DS-09'];

let fake: FakeArm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function start(options: FakeArmOptions): Promise<FakeArm> {
  fake = await startFakeArm(options);
  return fake;
}

function graphTable(fault: { body?: Record<string, unknown> }): string {
  return String(fault.body?.query ?? '').split('\n')[0] ?? '';
}

describe('live scan through Resource Graph', () => {
  it('pages across many pages and batches and gives exactly the offline findings', async () => {
    const fleet = syntheticFleet({ clusters: 240, subscriptions: 9 });
    const arm = await start({ resources: fleet.resources });
    const live = await scan(['--live'], {
      ...arm.env,
      ...FAST_RETRIES,
      RESOURCE_GRAPH_PAGE_SIZE: '25',
      RESOURCE_GRAPH_BATCH_SIZE: '2',
    });
    expect(live.exitCode).toBe(0);
    const offline = await scanOffline(fleet.resources);
    expect(byKey(live.findings)).toEqual(byKey(offline.findings));
    expect(live.run.complete).toBe(true);
    const stats = live.run.stats;
    expect(stats?.subscriptions).toBe(9);
    expect(stats?.batches).toBe(5);
    expect(stats?.graphPages).toBeGreaterThan(5 * 3);
    expect(stats?.graphRequests).toBe((stats?.graphPages ?? 0) + 0);
    expect(arm.counts.graphPages.kubernetesconfigurationresources).toBeGreaterThan(40);
    expect(live.stdout).toMatch(/Resource Graph \d+ request\(s\)/);
  });

  it('reads the subscriptions of a management group and of the whole tenant from resourcecontainers', async () => {
    const fleet = syntheticFleet({ clusters: 40, subscriptions: 4 });
    const [first, second] = fleet.subscriptions;
    const arm = await start({
      resources: fleet.resources,
      managementGroups: { 'mg-retail': [first ?? '', second ?? ''] },
    });
    const scoped = await scan(['--live', '--management-group', 'mg-retail'], { ...arm.env, ...FAST_RETRIES });
    expect(scoped.exitCode).toBe(0);
    expect(new Set(scoped.findings.map((f) => f.subscriptionId))).toEqual(new Set([first, second]));
    const tenant = await scan(['--live'], { ...arm.env, ...FAST_RETRIES });
    expect(new Set(tenant.findings.map((f) => f.subscriptionId)).size).toBe(4);
    const explicit = await scan(['--live', '--subscription', first ?? ''], { ...arm.env, ...FAST_RETRIES });
    expect(new Set(explicit.findings.map((f) => f.subscriptionId))).toEqual(new Set([first]));
  });

  it('rides out a 429 storm with Retry-After and without it', async () => {
    const fleet = syntheticFleet({ clusters: 120, subscriptions: 6 });
    let n = 0;
    const faults = (): Fault | undefined => {
      n++;
      if (n % 3 === 0) return { kind: 'throttle', retryAfterMs: 20 };
      if (n % 3 === 1) return { kind: 'throttle' };
      return undefined;
    };
    const arm = await start({
      resources: fleet.resources,
      faults: (c) => (c.route === 'graph' ? faults() : undefined),
    });
    const live = await scan(['--live'], { ...arm.env, ...FAST_RETRIES, RESOURCE_GRAPH_PAGE_SIZE: '100' });
    expect(live.exitCode).toBe(0);
    expect(live.run.complete).toBe(true);
    expect(live.run.stats?.throttledResponses).toBe(arm.counts.throttled);
    expect(live.run.stats?.throttledResponses).toBeGreaterThan(10);
    expect(live.run.stats?.retries).toBeGreaterThanOrEqual(live.run.stats?.throttledResponses ?? 0);
    const offline = await scanOffline(fleet.resources);
    expect(byKey(live.findings)).toEqual(byKey(offline.findings));
  });

  it('pauses when the quota headers say it is spent instead of drawing 429s', async () => {
    const fleet = syntheticFleet({ clusters: 30, subscriptions: 6 });
    const arm = await start({
      resources: fleet.resources,
      quota: { limit: 4, windowMs: 400, retryAfterOnExhaustion: false },
    });
    const live = await scan(['--live'], {
      ...arm.env,
      ...FAST_RETRIES,
      RESOURCE_GRAPH_BATCH_SIZE: '1',
      RESOURCE_GRAPH_CONCURRENCY: '1',
    });
    expect(live.exitCode).toBe(0);
    expect(live.run.complete).toBe(true);
    expect(live.run.stats?.quotaPauses).toBeGreaterThan(2);
    expect(live.run.stats?.throttledResponses).toBe(0);
    expect(live.run.stats?.throttleWaitMs).toBeGreaterThan(0);
  });

  it('completes several readers sharing one quota under a 429 storm: a 429 is never a failed attempt', async () => {
    const fleet = syntheticFleet({ clusters: 60, subscriptions: 4 });
    let n = 0;
    const arm = await start({
      resources: fleet.resources,
      // Shared by the three scans below, as the quota is shared by every instance of one identity.
      quota: { limit: 5, windowMs: 1000, retryAfterOnExhaustion: true },
      faults: (c) => {
        if (c.route !== 'graph') return undefined;
        n++;
        // Three in ten throttled, half of them without a retry time, some in long runs.
        if (n % 10 === 1) return { kind: 'throttle', retryAfterMs: 20 };
        if (n % 10 === 2 || n % 10 === 3) return { kind: 'throttle' };
        return undefined;
      },
    });
    const scans = await scanTogether([['--live'], ['--live'], ['--live']], {
      ...arm.env,
      ...FAST_RETRIES,
      // One attempt: any 429 counted as a failed attempt would leave a batch unread.
      RETRY_MAX_ATTEMPTS: '1',
      RESOURCE_GRAPH_BATCH_SIZE: '2',
      RESOURCE_GRAPH_PAGE_SIZE: '200',
    });
    const offline = await scanOffline(fleet.resources);
    for (const live of scans) {
      expect(live.exitCode, live.stderr).toBe(0);
      expect(live.run.complete).toBe(true);
      expect(live.run.notRead).toEqual([]);
      expect(byKey(live.findings)).toEqual(byKey(offline.findings));
    }
    const throttled = scans.reduce((sum, live) => sum + (live.run.stats?.throttledResponses ?? 0), 0);
    expect(throttled).toBe(arm.counts.throttled);
    // Both kinds of 429: the injected ones and the quota's own, answered with its reset time.
    expect(arm.counts.throttled).toBeGreaterThan(arm.counts.faults);
  });

  it('gives up a request the service keeps throttling once RETRY_THROTTLED_MAX_SECONDS has passed', async () => {
    const fleet = syntheticFleet({ clusters: 20, subscriptions: 2 });
    const [throttledForever] = fleet.subscriptions;
    const arm = await start({
      resources: fleet.resources,
      faults: (c) => {
        const subscriptions = (c.body?.subscriptions as string[] | undefined) ?? [];
        return c.route === 'graph' && subscriptions.includes(throttledForever ?? '')
          ? { kind: 'throttle', retryAfterMs: 50 }
          : undefined;
      },
    });
    const started = Date.now();
    const live = await scan(['--live'], {
      ...arm.env,
      ...FAST_RETRIES,
      RESOURCE_GRAPH_BATCH_SIZE: '1',
      RETRY_THROTTLED_MAX_SECONDS: '1',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(live.run.complete).toBe(false);
    const notRead = live.run.notRead.filter((gap) => gap.kind === 'scope');
    expect(new Set(notRead.map((gap) => (gap.kind === 'scope' ? gap.subscriptionId : '')))).toEqual(
      new Set([throttledForever]),
    );
    expect(notRead[0]?.reason).toMatch(/HTTP 429 .*still throttled after \d+ s .*the limit is 1 s/);
    // Retried as long as the limit allows, well beyond RETRY_MAX_ATTEMPTS.
    expect(live.run.stats?.throttledResponses).toBeGreaterThan(2 * Number(FAST_RETRIES.RETRY_MAX_ATTEMPTS));
  });

  it('retries 5xx answers and connection resets', async () => {
    const fleet = syntheticFleet({ clusters: 50, subscriptions: 3 });
    const arm = await start({
      resources: fleet.resources,
      faults: (c) =>
        c.count % 4 === 1
          ? { kind: 'status', status: 503 }
          : c.count % 4 === 2
            ? { kind: 'reset' }
            : undefined,
    });
    const live = await scan(['--live'], { ...arm.env, ...FAST_RETRIES });
    expect(live.exitCode).toBe(0);
    expect(live.run.complete).toBe(true);
    expect(live.run.stats?.retries).toBeGreaterThan(5);
    const offline = await scanOffline(fleet.resources);
    expect(byKey(live.findings)).toEqual(byKey(offline.findings));
  });

  it('records a batch that keeps failing: partial run, subscriptions listed, nothing unread passes', async () => {
    const fleet = syntheticFleet({ clusters: 60, subscriptions: 4 });
    const [broken, extensionsBroken] = fleet.subscriptions;
    const arm = await start({
      resources: fleet.resources,
      faults: (c) => {
        const subscriptions = (c.body?.subscriptions as string[] | undefined) ?? [];
        if (c.route !== 'graph') return undefined;
        if (subscriptions.includes(broken ?? '')) return { kind: 'status', status: 500 };
        if (
          subscriptions.includes(extensionsBroken ?? '') &&
          graphTable(c) === 'kubernetesconfigurationresources'
        ) {
          return { kind: 'status', status: 502 };
        }
        return undefined;
      },
    });
    const live = await scan(['--live', '--fail-on', 'FAIL'], {
      ...arm.env,
      ...FAST_RETRIES,
      RESOURCE_GRAPH_BATCH_SIZE: '1',
    });
    expect(live.run.complete).toBe(false);
    const notRead = live.run.notRead.filter((gap) => gap.kind === 'scope');
    expect(new Set(notRead.map((gap) => (gap.kind === 'scope' ? gap.subscriptionId : '')))).toEqual(
      new Set([broken, extensionsBroken]),
    );
    expect(notRead.find((gap) => gap.kind === 'scope' && gap.subscriptionId === broken)?.reason).toMatch(
      /HTTP 500/,
    );
    expect(live.findings.some((f) => f.subscriptionId === broken)).toBe(false);
    const affected = live.findings.filter(
      (f) =>
        f.subscriptionId === extensionsBroken &&
        EXTENSION_CONTROLS.includes(f.controlId) &&
        f.status !== 'NOT_APPLICABLE',
    );
    expect(affected.length).toBeGreaterThan(0);
    expect(affected.every((f) => f.status === 'ERROR')).toBe(true);
    expect(affected[0]?.reason).toMatch(/could not be read/);
    expect(live.stdout).toMatch(/PARTIAL/);
    expect(live.stdout).toMatch(/NOT READ: 2 subscription/);
  });

  it('gives up on a request that never answers within the timeout and stops at the deadline', async () => {
    const fleet = syntheticFleet({ clusters: 20, subscriptions: 2 });
    const arm = await start({
      resources: fleet.resources,
      faults: (c) => (c.route === 'graph' ? { kind: 'delay', ms: 3000 } : undefined),
    });
    const started = Date.now();
    const live = await scan(['--live', '--subscription', fleet.subscriptions[0] ?? ''], {
      ...arm.env,
      ...FAST_RETRIES,
      REQUEST_TIMEOUT_SECONDS: '1',
      LIVE_SCAN_DEADLINE_SECONDS: '2',
    });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(live.exitCode).toBe(0);
    expect(live.run.complete).toBe(false);
    expect(live.run.notRead[0]?.reason).toMatch(/deadline|no response within/);
    expect(live.findings).toHaveLength(0);
  });

  it('treats a 404 AKS Arc instance as absent and a failed one as an ERROR, never a PASS', async () => {
    const fleet = syntheticFleet({ clusters: 10, subscriptions: 1 });
    const instances = fleet.resources.filter((r) => String(r.type).endsWith('provisionedClusterInstances'));
    const [missing, failing] = instances.map((r) => String(r.id));
    const resources = fleet.resources.filter((r) => r.id !== missing);
    const arm = await start({
      resources,
      faults: (c) =>
        c.route === 'get' && c.path === failing?.toLowerCase() ? { kind: 'status', status: 500 } : undefined,
    });
    const live = await scan(['--live'], { ...arm.env, ...FAST_RETRIES });
    const clusterOf = (instance: string | undefined): string =>
      (instance ?? '').split('/providers/Microsoft.HybridContainerService')[0] ?? '';
    const ds06 = (cluster: string) =>
      live.findings.find((f) => f.clusterId === cluster && f.controlId === 'DS-06');
    expect(ds06(clusterOf(missing))?.status).toBe('MANUAL');
    expect(ds06(clusterOf(missing))?.reason).toMatch(/not in the inventory/);
    expect(ds06(clusterOf(failing))?.status).toBe('ERROR');
    expect(ds06(clusterOf(failing))?.reason).toMatch(/HTTP 500/);
    expect(live.run.complete).toBe(false);
    expect(live.run.stats?.armNotFound).toBeGreaterThanOrEqual(1);
  });

  it('names every bad setting at once', async () => {
    const live = await scan(['--live'], {
      ARM_ENDPOINT: 'http://example.test',
      RESOURCE_GRAPH_BATCH_SIZE: '5000',
      RETRY_MAX_ATTEMPTS: 'many',
    });
    expect(live.exitCode).toBe(2);
    expect(live.stderr).toMatch(/ARM_ENDPOINT must be an https URL/);
    expect(live.stderr).toMatch(/RESOURCE_GRAPH_BATCH_SIZE/);
    expect(live.stderr).toMatch(/RETRY_MAX_ATTEMPTS/);
  });
});

describe('single-cluster live check', () => {
  it('re-reads one cluster from Resource Manager and agrees with the fleet scan', async () => {
    const fleet = syntheticFleet({ clusters: 12, subscriptions: 2 });
    const arm = await start({ resources: fleet.resources, listPageSize: 2 });
    const settings = ['--settings', 'test/fixtures/settings/minimum-agent.json'];
    const offline = await scanOffline(fleet.resources, settings);
    for (const name of ['aks-0', 'aksarc-1', 'k3s-8']) {
      const cluster = fleet.resources.find((r) => r.name === name);
      const id = String(cluster?.id);
      const live = await scan(['--live', '--cluster', id, ...settings], { ...arm.env, ...FAST_RETRIES });
      expect(live.exitCode, live.stderr).toBe(0);
      expect(live.findings).toHaveLength(10);
      const expected = offline.findings.filter((f) => f.clusterId === id);
      expect(byKey(live.findings)).toEqual(byKey(expected));
    }
    expect(arm.counts.list).toBeGreaterThan(6);
  });

  it('rejects an ID that is not a cluster', async () => {
    const live = await scan(
      [
        '--live',
        '--cluster',
        '/subscriptions/x/resourceGroups/y/providers/Microsoft.Storage/storageAccounts/z',
      ],
      {},
    );
    expect(live.exitCode).toBe(2);
    expect(live.stderr).toMatch(/--cluster must be the resource ID/);
  });
});
