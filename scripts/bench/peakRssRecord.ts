import { appendFileSync } from 'node:fs';

/** Appends this process's peak resident set size, as one JSON line under `role`, to `file`. */
export function appendPeakRss(file: string, role: string): void {
  appendFileSync(
    file,
    `${JSON.stringify({ role, pid: process.pid, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`,
  );
}
