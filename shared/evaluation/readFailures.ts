import type { ClusterFacts } from '../inventory/clusterFacts.js';
import { verdict, type Verdict } from './verdict.js';

type Category = keyof ClusterFacts['readFailures'];

const LABELS: Record<Category, string> = {
  extensions: 'extensions',
  fluxConfigurations: 'Flux configurations',
  backupInstances: 'Azure Backup instances',
};

/** An ERROR verdict when any of the reads a control needs failed during collection. */
export function readFailureVerdict(
  cluster: ClusterFacts,
  categories: readonly Category[],
): Verdict | undefined {
  for (const category of categories) {
    const reason = cluster.readFailures[category];
    if (reason !== undefined) {
      return verdict(
        'ERROR',
        `The cluster's ${LABELS[category]} could not be read (${reason}), so the control was not evaluated.`,
        {
          extraSourceIds: [cluster.id],
        },
      );
    }
  }
  return undefined;
}

/** An ERROR verdict for a cluster whose properties are missing or malformed. */
export function missingPropertiesVerdict(cluster: ClusterFacts, needed: string): Verdict {
  return verdict(
    'ERROR',
    `Cannot evaluate: ${cluster.propertiesProblem ?? 'properties are unreadable'}, and the control needs ${needed}.`,
    { extraSourceIds: [cluster.id] },
  );
}
