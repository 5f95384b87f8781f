/** True for the status codes of an ETag or existence conflict (412, 409). */
export function isConflict(error: unknown): boolean {
  const status = (error as { statusCode?: number } | null)?.statusCode;
  return status === 409 || status === 412;
}

/** True when a storage operation found nothing (404). */
export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number } | null)?.statusCode === 404;
}
