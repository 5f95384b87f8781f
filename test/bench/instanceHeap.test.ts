import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { INSTANCE_NODE_ARGUMENTS, INSTANCE_OLD_SPACE_MIB } from '../../scripts/bench/instanceHeap.js';

describe('the heap of a Functions invocation', () => {
  it('is the same in the app settings of infra/main.bicep and in the benchmark, a quarter of the instance', async () => {
    const bicep = await readFile(new URL('../../infra/main.bicep', import.meta.url), 'utf8');
    const setting = /\{ name: 'languageWorkers__node__arguments', value: '([^']*)' \}/.exec(bicep);
    expect(setting?.[1]?.split(' ')).toEqual(INSTANCE_NODE_ARGUMENTS);
    const memory = /instanceMemoryMB: (\d+)/.exec(bicep);
    expect(Number(memory?.[1]) / 4).toBe(INSTANCE_OLD_SPACE_MIB);
  });
});
