/** Writes sample/fleet.governance.yaml (run after `npm run build`: node dist/sample/writeSampleGovernance.js). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { renderSampleGovernance, SAMPLE_GOVERNANCE_AS_OF } from './sampleGovernance.js';

await writeFile(
  join(process.cwd(), 'sample', 'fleet.governance.yaml'),
  renderSampleGovernance(SAMPLE_GOVERNANCE_AS_OF),
  'utf8',
);
