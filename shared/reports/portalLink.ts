import { DEFAULT_PORTAL_BASE_URL } from './reportInput.js';

/**
 * The portal origin reports link to: an https URL without query or fragment, trailing slashes
 * removed. Anything else is refused, so no report can carry a javascript: or http: link.
 */
export function portalBase(portalBaseUrl: string | undefined): string {
  const text = portalBaseUrl ?? DEFAULT_PORTAL_BASE_URL;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new RangeError(`portalBaseUrl is not a URL: ${JSON.stringify(text)}`);
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.search || url.hash) {
    throw new RangeError(`portalBaseUrl must be a plain https URL: ${JSON.stringify(text)}`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** `{base}/#@/resource{clusterId}/overview`, every segment of the ID percent-encoded. */
export function clusterPortalUrl(base: string, clusterId: string): string {
  const segments = clusterId.split('/').filter((segment) => segment !== '');
  return `${base}/#@/resource/${segments.map(encodeURIComponent).join('/')}/overview`;
}
