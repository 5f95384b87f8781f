import { ConfigurationError } from '../config/configurationError.js';
import { readInteger, type Env } from '../config/settingReaders.js';
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

/** Reads the governance limits (whole numbers of days from 1 to 3650); throws one ConfigurationError. */
export function parseGovernanceSettings(env: Env): GovernanceSettings {
  const problems: string[] = [];
  const days = (key: string, fallback: number): number => readInteger(env, key, fallback, 1, 3650, problems);
  const settings = {
    maxExceptionDays: days('GOVERNANCE_MAX_EXCEPTION_DAYS', DEFAULT_MAX_EXCEPTION_DAYS),
    maxAttestationDays: days('GOVERNANCE_MAX_ATTESTATION_DAYS', DEFAULT_MAX_ATTESTATION_DAYS),
    expiryNoticeDays: days('GOVERNANCE_EXPIRY_NOTICE_DAYS', DEFAULT_EXPIRY_NOTICE_DAYS),
  };
  if (problems.length > 0) throw new ConfigurationError(problems);
  return settings;
}
