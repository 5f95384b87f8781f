import { BENCHMARK_MAPPINGS, type Mapping } from './benchmarkMappings.js';
import { FRAMEWORKS, frameworkByKey, type FrameworkKey } from './frameworks.js';
import { RECOMMENDATION_TITLES } from './recommendations.js';
import type { BenchmarkRef, ControlId } from './types.js';

function toRef(mapping: Mapping): BenchmarkRef {
  const framework = frameworkByKey(mapping.framework);
  const title = RECOMMENDATION_TITLES[mapping.framework][mapping.id];
  if (title === undefined) throw new RangeError(`no title for ${mapping.framework} ${mapping.id}`);
  return {
    framework: framework.name,
    version: framework.version,
    id: mapping.id,
    title,
    relation: mapping.relation,
  };
}

/** The benchmark references of a control, as carried by every finding. */
export function benchmarksOf(controlId: ControlId): BenchmarkRef[] {
  return BENCHMARK_MAPPINGS[controlId].map(toRef);
}

export interface RecommendationEntry {
  id: string;
  title: string;
  controls: Array<{ controlId: ControlId; relation: 'direct' | 'related' }>;
}

export interface FrameworkEntry {
  key: FrameworkKey;
  name: string;
  version: string;
  recommendations: RecommendationEntry[];
}

/** Framework → recommendation → controls, derived from the per-control mappings. */
export function buildFrameworkIndex(): FrameworkEntry[] {
  return FRAMEWORKS.map((framework) => {
    const byId = new Map<string, RecommendationEntry>();
    for (const [controlId, mappings] of Object.entries(BENCHMARK_MAPPINGS) as Array<[ControlId, Mapping[]]>) {
      for (const mapping of mappings) {
        if (mapping.framework !== framework.key) continue;
        const entry = byId.get(mapping.id) ?? {
          id: mapping.id,
          title: toRef(mapping).title,
          controls: [],
        };
        entry.controls.push({ controlId, relation: mapping.relation });
        byId.set(mapping.id, entry);
      }
    }
    const recommendations = [...byId.values()].sort((a, b) =>
      a.id.localeCompare(b.id, 'en', { numeric: true }),
    );
    return { key: framework.key, name: framework.name, version: framework.version, recommendations };
  });
}
