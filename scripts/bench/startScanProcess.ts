/**
 * The timer invocation of the benchmark's fan-out path, in a process of its own: starts a scan of
 * the configured scope (one message per batch) and prints its run ID as one JSON line.
 */
import functionsRuntime from '@azure/functions';

import { scanAppFor } from '../../shared/app/scanAppFactory.js';
import { startScan } from '../../shared/fanout/scanApplication.js';

const { InvocationContext } = functionsRuntime;
const asOf = process.env.BENCH_AS_OF;
const base = await scanAppFor(
  new InvocationContext({ functionName: 'scheduledScan', logHandler: () => undefined }),
);
const app = asOf ? { ...base, clock: () => new Date(asOf) } : base;
const started = await startScan(app);
process.stdout.write(`${JSON.stringify(started)}\n`);
