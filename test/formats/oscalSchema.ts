/** NIST's OSCAL 1.2.1 Assessment Results schema (test/fixtures/oscal) compiled with ajv in Unicode mode. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

const SCHEMA_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'fixtures',
  'oscal',
  'oscal_assessment-results_schema.json',
);

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let compiled: { ajv: Ajv; document: ValidateFunction } | undefined;

function compile(): { ajv: Ajv; document: ValidateFunction } {
  if (compiled) return compiled;
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as { $id: string };
  // The schema's patterns use \p{L} and \p{N}: they only mean what they say in Unicode mode.
  const ajv = new Ajv({ unicodeRegExp: true, strict: false, allErrors: true });
  addFormats(ajv);
  const document = ajv.compile(schema);
  compiled = { ajv, document };
  return compiled;
}

export const OSCAL_SCHEMA_ID = 'http://csrc.nist.gov/ns/oscal/1.2.1/oscal-ar-schema.json';

/** Schema errors of a whole document (empty when valid). */
export function oscalDocumentErrors(document: unknown): string[] {
  const { ajv, document: validate } = compile();
  return validate(document) ? [] : [ajv.errorsText(validate.errors, { separator: '\n' })];
}

/** Schema errors of one item against a definition of the schema, e.g. `oscal-ar-oscal-assessment-common:observation`. */
export function oscalDefinitionErrors(definition: string, value: unknown): string[] {
  const { ajv } = compile();
  const validate = ajv.getSchema(`${OSCAL_SCHEMA_ID}#/definitions/${definition}`);
  if (!validate) throw new Error(`no definition ${definition}`);
  return validate(value) ? [] : [ajv.errorsText(validate.errors, { separator: '\n' })];
}
