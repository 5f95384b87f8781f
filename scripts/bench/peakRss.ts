/**
 * Preloaded (`node --import`) into every process of the benchmark: at exit, appends the process's
 * peak resident set size to the file named by BENCH_RSS_FILE, under the role BENCH_ROLE.
 */
import { appendFileSync } from 'node:fs';

const file = process.env.BENCH_RSS_FILE;
const role = process.env.BENCH_ROLE ?? 'unnamed';
if (file) {
  const record = (): void => {
    appendFileSync(
      file,
      `${JSON.stringify({ role, pid: process.pid, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
    );
  };
  process.once('exit', record);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      process.exit(0);
    });
  }
}
