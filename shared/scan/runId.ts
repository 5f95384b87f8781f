import { randomBytes } from 'node:crypto';

const RUN_ID = /^\d{8}T\d{6}Z-[0-9a-f]{8}$/;

/** A sortable run ID: `20261127T224300Z-1a2b3c4d` (UTC start time and 32 random bits). */
export function newRunId(startedAt: Date, random: () => Buffer = () => randomBytes(4)): string {
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  return `${stamp}-${random().toString('hex')}`;
}

export function isRunId(value: string): boolean {
  return RUN_ID.test(value);
}
