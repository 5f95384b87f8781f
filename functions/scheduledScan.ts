import { app, type InvocationContext, type Timer } from '@azure/functions';

import { finalizeStaleRuns, startScan } from '../shared/fanout/scanApplication.js';
import { scanAppFor } from '../shared/app/scanAppFactory.js';

/** Timer: starts a scan of the configured scope (SCAN_SCHEDULE, NCRONTAB with seconds). */
export async function scheduledScan(timer: Timer, context: InvocationContext): Promise<void> {
  const scanApp = await scanAppFor(context);
  if (timer.isPastDue) scanApp.log('warn', 'the scan timer is running late');
  const started = await startScan(scanApp);
  scanApp.log('info', `scheduled scan started run ${started.runId}`, started);
}

/** Timer: finalizes, as partial, runs whose batches have not all finished within RUN_TIMEOUT_MINUTES. */
export async function finalizeStaleRunsTimer(_timer: Timer, context: InvocationContext): Promise<void> {
  const scanApp = await scanAppFor(context);
  const finalized = await finalizeStaleRuns(scanApp);
  if (finalized.length > 0)
    scanApp.log('warn', `finalized ${finalized.length} timed-out run(s) as partial`, { finalized });
}

app.timer('scheduledScan', { schedule: '%SCAN_SCHEDULE%', runOnStartup: false, handler: scheduledScan });
app.timer('finalizeStaleRuns', {
  schedule: '0 */5 * * * *',
  runOnStartup: false,
  handler: finalizeStaleRunsTimer,
});
