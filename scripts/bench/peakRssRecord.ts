import { appendFileSync } from 'node:fs';

/**
 * Appends this process's peak resident set size and the CPU time it used (user + system), as one
 * JSON line under `role`, to `file`.
 */
export function appendPeakRss(file: string, role: string): void {
  const usage = process.resourceUsage();
  appendFileSync(
    file,
    `${JSON.stringify({
      role,
      pid: process.pid,
      peakRssBytes: usage.maxRSS * 1024,
      cpuMicroseconds: usage.userCPUTime + usage.systemCPUTime,
    })}\n`,
  );
}
