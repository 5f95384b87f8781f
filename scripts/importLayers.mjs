// The layers of the code, highest first. A folder may import from folders in lower layers only:
// never from its own layer's other folders, never upwards. eslint.config.js turns this list into
// no-restricted-imports rules; docs/architecture.md describes each layer.
export const LAYERS = [
  ['scripts'],
  ['functions', 'cli'],
  ['sample'],
  ['shared/app'],
  ['shared/api'],
  ['shared/fanout'],
  ['shared/publish'],
  ['shared/notifications'],
  ['shared/monitor'],
  ['shared/reports'],
  ['shared/storage'],
  ['shared/output'],
  ['shared/formats'],
  ['shared/findings'],
  ['shared/scan'],
  ['shared/governance'],
  ['shared/collection', 'shared/evaluation'],
  ['shared/settings'],
  ['shared/inventory'],
  ['shared/runCalculations'],
  ['shared/catalog', 'shared/config'],
];

/** The folders a file in `folder` must not import from: its layer's other folders and every higher layer. */
export function forbiddenFor(folder) {
  const level = LAYERS.findIndex((layer) => layer.includes(folder));
  if (level < 0) throw new Error(`${folder} is in no layer of scripts/importLayers.mjs`);
  return LAYERS.slice(0, level + 1)
    .flat()
    .filter((other) => other !== folder);
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * An import specifier pattern matching relative imports of `target` from anywhere in the tree:
 * `../storage/x.js` from a shared folder, `../shared/storage/x.js` from a top-level one.
 */
export function importPatternOf(target) {
  const tail = target.startsWith('shared/')
    ? `(shared/)?${escape(target.slice('shared/'.length))}`
    : escape(target);
  return `^(\\.\\./)+${tail}(/|$)`;
}
