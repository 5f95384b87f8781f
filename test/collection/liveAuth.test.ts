import { afterAll, describe, expect, it } from 'vitest';

import { startFakeArm, type FakeArm } from '../fakes/fakeArmServer.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';
import { FAST_RETRIES, scan } from './liveScanHarness.js';

// A file of its own: the managed-identity client caches tokens for the life of the process.
describe('live scan authentication', () => {
  let fake: FakeArm | undefined;
  afterAll(async () => fake?.close());

  it('fails fast with exit 3 when no token can be had', async () => {
    const fleet = syntheticFleet({ clusters: 5, subscriptions: 1 });
    fake = await startFakeArm({ resources: fleet.resources });
    const live = await scan(['--live'], { ...fake.env, ...FAST_RETRIES, IDENTITY_HEADER: 'wrong-secret' });
    expect(live.exitCode).toBe(3);
    expect(live.stderr).toMatch(/cannot get a token|cannot list the subscriptions/);
    expect(fake.counts.graphServed).toBe(0);
  });
});
