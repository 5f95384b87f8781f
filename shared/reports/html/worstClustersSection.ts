import type { ClusterRollup } from '../clusterRanking.js';
import { clusterPortalUrl } from '../portalLink.js';
import { formatCount, formatPercent } from './displayFormat.js';
import { DISPLAY_LIMITS, displayText } from './displayText.js';
import { dataTable } from './htmlTable.js';
import { markup, nowrapList, type SafeHtml } from './htmlTemplate.js';

/** Longest cluster ID linked to the portal (Azure resource IDs are far shorter). */
const MAX_LINKED_ID_CHARS = DISPLAY_LIMITS.text;

/** The clusters with the most FAIL and ERROR findings, with a link to each in the Azure portal. */
export function worstClustersSection(
  worst: readonly ClusterRollup[],
  portalBase: string,
  limit: number,
): SafeHtml {
  const body =
    worst.length === 0
      ? markup`<p>No cluster has a failing or unevaluated control.</p>`
      : dataTable({
          id: 'worst-clusters',
          caption: `Clusters with the most FAIL and ERROR findings (top ${limit})`,
          headers: [
            { label: 'Cluster' },
            { label: 'Kind', nowrap: true },
            { label: 'Subscription / resource group' },
            { label: 'FAIL', numeric: true },
            { label: 'ERROR', numeric: true },
            { label: 'MANUAL', numeric: true },
            { label: 'Compliance', numeric: true },
            { label: 'Failing or unevaluated controls' },
          ],
          rows: worst.map((cluster) => [
            // An ID no Azure resource can have gets no link rather than a cut, wrong one.
            cluster.clusterId.length <= MAX_LINKED_ID_CHARS
              ? markup`<a href="${clusterPortalUrl(portalBase, cluster.clusterId)}">${displayText(cluster.clusterName)}</a>`
              : displayText(cluster.clusterName),
            displayText(cluster.clusterKind),
            markup`${displayText(cluster.subscriptionId)}<br /><span class="muted">${displayText(cluster.resourceGroup)}</span>`,
            formatCount(cluster.counts.FAIL),
            formatCount(cluster.counts.ERROR),
            formatCount(cluster.counts.MANUAL),
            formatPercent(cluster.score),
            nowrapList(cluster.troubled.map((entry) => `${entry.controlId} ${entry.status}`)),
          ]),
        });
  return markup`<section aria-labelledby="worst-heading">
    <h2 id="worst-heading">Clusters needing attention</h2>
    ${body}
  </section>`;
}
