import { DEFAULT_MAX_ATTESTATION_DAYS, DEFAULT_MAX_EXCEPTION_DAYS } from './records.js';

/** Limits and notice periods of governance records, from app settings / environment. */
export interface GovernanceSettings {
  /** Longest an exception may run from its creation (GOVERNANCE_MAX_EXCEPTION_DAYS, default 365). */
  maxExceptionDays: number;
  /** Longest an attestation may run from attestedAt (GOVERNANCE_MAX_ATTESTATION_DAYS, default 365). */
  maxAttestationDays: number;
  /** Days before expiry a governance.expiring event is sent (GOVERNANCE_EXPIRY_NOTICE_DAYS, default 14). */
  expiryNoticeDays: number;
}

export const DEFAULT_EXPIRY_NOTICE_DAYS = 14;

export class GovernanceSettingsError extends Error {
  override readonly name = 'GovernanceSettingsError';
}

function days(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < 1 || value > 3650)
    throw new GovernanceSettingsError(
      `${name} must be a whole number of days from 1 to 3650, got ${JSON.stringify(raw)}`,
    );
  return value;
}

export function parseGovernanceSettings(
  env: Readonly<Record<string, string | undefined>>,
): GovernanceSettings {
  return {
    maxExceptionDays: days(env, 'GOVERNANCE_MAX_EXCEPTION_DAYS', DEFAULT_MAX_EXCEPTION_DAYS),
    maxAttestationDays: days(env, 'GOVERNANCE_MAX_ATTESTATION_DAYS', DEFAULT_MAX_ATTESTATION_DAYS),
    expiryNoticeDays: days(env, 'GOVERNANCE_EXPIRY_NOTICE_DAYS', DEFAULT_EXPIRY_NOTICE_DAYS),
  };
}
