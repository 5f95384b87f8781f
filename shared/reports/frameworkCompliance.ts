import { buildFrameworkIndex, type FrameworkEntry } from '../catalog/frameworkIndex.js';
import type { ControlId, StatusCounts } from '../catalog/types.js';
import { emptyCounts } from '../runCalculations/summarise.js';
import type { RunPart } from '../scan/runSource.js';
import type { PartAccumulator } from './partAccumulator.js';
import { CountsByKey, scoreOrNull } from './statusBreakdown.js';

export interface RecommendationCompliance {
  id: string;
  title: string;
  directControls: ControlId[];
  relatedControls: ControlId[];
  /** Over the findings of every control behind the recommendation. */
  counts: StatusCounts;
  /** The catalog's score of those findings (docs/findings.md); null when none counts. */
  score: number | null;
}

export interface FrameworkCompliance {
  key: FrameworkEntry['key'];
  name: string;
  version: string;
  recommendations: RecommendationCompliance[];
}

/** Each framework's recommendations with the controls behind them and their findings' counts. */
export class FrameworkComplianceRollup implements PartAccumulator<FrameworkCompliance[]> {
  private readonly byControl = new CountsByKey();

  add(part: RunPart): void {
    for (const finding of part.findings) this.byControl.add(finding.controlId, finding.status);
  }

  result(): FrameworkCompliance[] {
    const byControl = this.byControl.counts;
    return buildFrameworkIndex().map((framework) => ({
      key: framework.key,
      name: framework.name,
      version: framework.version,
      recommendations: framework.recommendations.map((recommendation) => {
        const counts = emptyCounts();
        for (const controlId of new Set(recommendation.controls.map((c) => c.controlId))) {
          const controlCounts = byControl.get(controlId);
          if (!controlCounts) continue;
          for (const status of Object.keys(counts) as Array<keyof StatusCounts>) {
            counts[status] += controlCounts[status];
          }
        }
        const idsOf = (relation: 'direct' | 'related'): ControlId[] =>
          recommendation.controls.filter((c) => c.relation === relation).map((c) => c.controlId);
        return {
          id: recommendation.id,
          title: recommendation.title,
          directControls: idsOf('direct'),
          relatedControls: idsOf('related'),
          counts,
          score: scoreOrNull(counts),
        };
      }),
    }));
  }
}
