import type { DeliverySettings } from './notificationSettings.js';

/**
 * The wait before the next attempt after `attempts` failed ones: the server's Retry-After when it
 * gave one (capped at the maximum), else exponential backoff with jitter — between half and all of
 * `min(max, base × 2^(attempts − 1))`.
 */
export function retryDelayMs(
  attempts: number,
  settings: Pick<DeliverySettings, 'retryBaseMs' | 'retryMaxMs'>,
  random: () => number,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs))
    return Math.min(settings.retryMaxMs, Math.max(0, Math.round(retryAfterMs)));
  const ceiling = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
