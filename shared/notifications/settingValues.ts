/** Small readers for settings that collect every problem instead of stopping at the first. */

export type Env = Readonly<Record<string, string | undefined>>;

/** A whole number setting within bounds, or its default; a bad value adds a problem. */
export function intSetting(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name]?.trim() ?? '';
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

/** A number setting (fractions allowed) within bounds, or its default. */
export function numberSetting(
  env: Env,
  name: string,
  fallback: number,
  min: number,
  max: number,
  problems: string[],
): number {
  const raw = env[name]?.trim() ?? '';
  if (raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    problems.push(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

/** `true`/`false` (any case, also 1/0, yes/no), or the default. */
export function boolSetting(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase() ?? '';
  if (raw === '') return fallback;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  problems.push(`${name} must be true or false, got "${env[name]}"`);
  return fallback;
}

/** A list separated by commas, semicolons or white space; empty entries dropped. */
export function listSetting(env: Env, name: string): string[] {
  return (env[name] ?? '')
    .split(/[\s,;]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_.]{0,127}$/;

/** True for a plausible app-setting name (what `secretSetting` must hold). */
export function isSettingName(value: string): boolean {
  return SETTING_NAME.test(value);
}

/** A secret read from the setting it is named by; never echoed in errors. */
export class MissingSecretError extends Error {
  override readonly name = 'MissingSecretError';
}

/** The value of the setting `settingName` (e.g. a Key Vault reference resolved by the platform). */
export function readSecret(env: Env, settingName: string): string {
  const value = env[settingName]?.trim() ?? '';
  if (value === '') throw new MissingSecretError(`the secret setting ${settingName} is not set`);
  return value;
}
