import type { Env } from './settingReaders.js';

/**
 * Where secrets come from, by the NAME of the setting that holds one (e.g. a Key Vault reference
 * the platform resolves into an app setting). Delivery reads secrets through this, never through
 * the raw environment.
 */
export interface SecretSource {
  /** The secret held by `settingName`, trimmed; undefined when unset or empty. */
  secret(settingName: string): string | undefined;
}

/** Secrets read from app settings (the process environment or a copy of it). */
export function settingSecrets(env: Env): SecretSource {
  return {
    secret: (settingName) => {
      const value = Object.hasOwn(env, settingName) ? env[settingName]?.trim() : undefined;
      return value === '' ? undefined : value;
    },
  };
}

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.]{0,127}$/;

/** True for a plausible app-setting name (what a `secretSetting` must hold). */
export function isSettingName(value: string): boolean {
  return SETTING_NAME.test(value);
}

/** A named secret is not set; the message names the setting, never a value. */
export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
}

/** The secret held by `settingName`; throws `MissingSecretError` when it is not set. */
export function readSecret(secrets: SecretSource, settingName: string): string {
  const value = secrets.secret(settingName);
  if (value === undefined) throw new MissingSecretError(`the secret setting ${settingName} is not set`);
  return value;
}
