import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFakeArm, type FakeArm } from '../fakes/fakeArmServer.js';
import { syntheticFleet } from '../fakes/syntheticFleet.js';
import { byKey, FAST_RETRIES, scan, scanOffline } from './liveScanHarness.js';

describe('live scan smoke', () => {
  const fleet = syntheticFleet({ clusters: 60, subscriptions: 4 });
  let fake: FakeArm;
  beforeAll(async () => {
    fake = await startFakeArm({ resources: fleet.resources });
  });
  afterAll(async () => fake.close());

  it('gives the offline findings', async () => {
    const live = await scan(['--live'], { ...fake.env, ...FAST_RETRIES });
    expect(live.stderr).not.toMatch(/error/i);
    expect(live.exitCode).toBe(0);
    const offline = await scanOffline(fleet.resources);
    expect(live.findings.length).toBe(offline.findings.length);
    expect(byKey(live.findings)).toEqual(byKey(offline.findings));
    expect(live.run.complete).toBe(true);
    expect(live.run.source).toBe('resource-graph');
  });
});
