import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { CLI_NODE_ARGUMENTS } from '../../scripts/bench/cliHeap.js';

describe('the heap of the command line', () => {
  it.each(['scan', 'report', 'demo'])(
    'is the same in the npm script %s and in the benchmark',
    async (script) => {
      const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
        scripts: Record<string, string>;
      };
      const words = manifest.scripts[script]?.split(' ') ?? [];
      expect(words[0]).toBe('node');
      const nodeOptions = words.slice(
        1,
        words.findIndex((word) => word.startsWith('dist/')),
      );
      expect(nodeOptions.filter((word) => word.startsWith('--max-old-space-size'))).toEqual(
        CLI_NODE_ARGUMENTS,
      );
    },
  );
});
