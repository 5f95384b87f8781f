import js from '@eslint/js';
import tseslint from 'typescript-eslint';

import { LAYERS, forbiddenFor, importPatternOf } from './scripts/importLayers.mjs';

const NO_UTILS = ['**/utils', '**/utils/*'];

/** One block per layered folder: it may not import its layer's other folders or any higher layer. */
const layerRules = LAYERS.flat().map((folder) => ({
  files: [`${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: NO_UTILS },
          ...forbiddenFor(folder).map((target) => ({
            regex: importPatternOf(target),
            message: `${folder} sits below ${target} in the layers of docs/architecture.md; imports point downwards only.`,
          })),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { patterns: NO_UTILS }],
    },
  },
  ...layerRules,
);
