/**
 * Preloaded (`node --import`) into every measured process of the benchmark: at exit, appends the
 * process's peak resident set size to the file named by BENCH_RSS_FILE, under the role BENCH_ROLE.
 */
import { appendPeakRss } from './peakRssRecord.js';

const file = process.env.BENCH_RSS_FILE;
const role = process.env.BENCH_ROLE ?? 'unnamed';
if (file) {
  process.once('exit', () => {
    appendPeakRss(file, role);
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      process.exit(0);
    });
  }
}
