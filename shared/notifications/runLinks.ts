import { wellFormed } from './textLimit.js';

/** The API path of a run. */
export function runPath(runId: string): string {
  return `/api/runs/${encodeURIComponent(wellFormed(runId))}`;
}

/**
 * The links a run's notifications carry: the run itself (`run`) and its reports in the API,
 * absolute when the API's base URL is known (`NOTIFICATIONS_LINK_BASE_URL`), else paths.
 */
export function runLinks(runId: string, baseUrl: string | null): Record<string, string> {
  const run = `${baseUrl ?? ''}${runPath(runId)}`;
  return {
    ...Object.fromEntries(
      ['xlsx', 'html', 'csv', 'json'].map((format) => [format, `${run}/report.${format}`]),
    ),
    run,
  };
}

/**
 * A link fit for a card action or a document link: an https URL without user information, in
 * its normalised form (percent-encoded, so no control character or lone surrogate survives), at
 * most 1,000 characters; undefined otherwise.
 */
export function safeLink(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return undefined;
  return url.href.length <= 1000 ? url.href : undefined;
}

/** The first `max` report links that are safe links, with their names. */
export function safeLinks(reportLinks: Record<string, string>, max: number): Array<[string, string]> {
  const links: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(reportLinks)) {
    const href = safeLink(value);
    if (href !== undefined) links.push([name, href]);
    if (links.length >= max) break;
  }
  return links;
}
