/**
 * Checks events against the copy of the OCSF 1.8.0 definitions in test/fixtures/ocsf: the class is
 * resolved through its `extends` chain and the profiles it applies, every attribute is looked up
 * in the dictionary for its type, and objects are resolved the same way. Reports missing required
 * attributes, attributes the class or object does not define, wrong types, values outside an
 * enum, siblings that do not name their enum value, and deprecated attributes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ocsf');

type Json = Record<string, unknown>;

interface EnumValue {
  caption: string;
}

interface Attribute {
  type?: string;
  is_array?: boolean;
  requirement?: string;
  enum?: Record<string, EnumValue>;
  sibling?: string;
  profile?: string | null;
  '@deprecated'?: unknown;
}

interface Definition {
  name: string;
  extends?: string;
  attributes: Record<string, Attribute>;
  constraints?: { at_least_one?: string[] };
}

const files = new Map<string, Json>();
function read(path: string): Json {
  let file = files.get(path);
  if (!file) {
    file = JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Json;
    files.set(path, file);
  }
  return structuredClone(file);
}

const objects = new Map<string, Definition>();
function objectDefinition(name: string): Definition {
  let definition = objects.get(name);
  if (!definition) {
    definition = resolve(loadObject(name), loadObject, []);
    objects.set(name, definition);
  }
  return definition;
}

const dictionary = read('dictionary.json') as {
  attributes: Record<string, Attribute>;
  types: { attributes: Record<string, Json> };
};
export const OCSF_SCHEMA_VERSION = (read('version.json') as { version: string }).version;
const categories = (
  read('categories.json') as { attributes: Record<string, { uid: number; caption: string }> }
).attributes;

const EVENT_FILES: Record<string, string> = {
  base_event: 'events/base_event.json',
  finding: 'events/findings/finding.json',
  compliance_finding: 'events/findings/compliance_finding.json',
};

function mergeAttribute(base: Attribute | undefined, over: Attribute): Attribute {
  const merged: Attribute = { ...(base ?? {}), ...over };
  if (base?.enum || over.enum) merged.enum = { ...(base?.enum ?? {}), ...(over.enum ?? {}) };
  return merged;
}

/** Attributes of a definition file, with the profiles it includes (only those in the copy). */
function ownAttributes(file: Json, profiles: readonly string[]): Record<string, Attribute> {
  const attributes: Record<string, Attribute> = {};
  const declared = (file.attributes ?? {}) as Record<string, unknown>;
  for (const include of (declared.$include ?? []) as string[]) {
    const profileName = include.replace(/^profiles\//, '').replace(/\.json$/, '');
    if (!profiles.includes(profileName) || !existsSync(join(ROOT, include))) continue;
    Object.assign(attributes, (read(include) as { attributes: Record<string, Attribute> }).attributes);
  }
  for (const [name, attribute] of Object.entries(declared)) {
    if (name === '$include') continue;
    attributes[name] = mergeAttribute(attributes[name], attribute as Attribute);
  }
  return attributes;
}

function resolve(file: Json, load: (name: string) => Json, profiles: readonly string[]): Definition {
  const parentName = file.extends as string | undefined;
  const parent = parentName ? resolve(load(parentName), load, profiles) : undefined;
  const attributes: Record<string, Attribute> = { ...(parent?.attributes ?? {}) };
  for (const [name, attribute] of Object.entries(ownAttributes(file, profiles))) {
    attributes[name] = mergeAttribute(attributes[name], attribute);
  }
  for (const [name, attribute] of Object.entries(attributes)) {
    const entry = dictionary.attributes[name];
    if (entry) attributes[name] = mergeAttribute(mergeAttribute(undefined, entry), attribute);
  }
  return {
    name: file.name as string,
    extends: parentName,
    attributes,
    constraints: (file.constraints ?? parent?.constraints) as Definition['constraints'],
  };
}

const loadEvent = (name: string): Json => {
  const path = EVENT_FILES[name];
  if (!path) throw new Error(`event ${name} is not in the copy`);
  return read(path);
};
const loadObject = (name: string): Json => {
  const path = `objects/${name}.json`;
  if (!existsSync(join(ROOT, path))) throw new Error(`object ${name} is not in the copy`);
  return read(path);
};

const SCALAR_CHECKS: Record<string, (value: unknown) => boolean> = {
  string_t: (value) => typeof value === 'string',
  integer_t: (value) => Number.isInteger(value),
  long_t: (value) => Number.isInteger(value),
  timestamp_t: (value) => Number.isInteger(value) && (value as number) > 0,
  float_t: (value) => typeof value === 'number' && Number.isFinite(value),
  boolean_t: (value) => typeof value === 'boolean',
  json_t: () => true,
};

function scalarCheck(type: string): ((value: unknown) => boolean) | undefined {
  if (SCALAR_CHECKS[type]) return SCALAR_CHECKS[type];
  const declared = dictionary.types.attributes[type];
  if (!declared) return undefined;
  const base = (declared.type as string | undefined) ?? 'string_t';
  return SCALAR_CHECKS[base] ?? SCALAR_CHECKS.string_t;
}

function checkObject(value: unknown, definition: Definition, path: string, errors: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push(`${path}: expected a ${definition.name} object`);
    return;
  }
  const object = value as Json;
  for (const [name, attribute] of Object.entries(definition.attributes)) {
    if (attribute.requirement === 'required' && !(name in object)) errors.push(`${path}.${name}: required`);
  }
  for (const group of [definition.constraints?.at_least_one ?? []]) {
    if (group.length > 0 && !group.some((name) => name in object))
      errors.push(`${path}: at least one of ${group.join(', ')}`);
  }
  for (const [name, item] of Object.entries(object)) {
    const attribute = definition.attributes[name];
    const where = `${path}.${name}`;
    if (!attribute) {
      errors.push(`${where}: not an attribute of ${definition.name}`);
      continue;
    }
    if (attribute['@deprecated']) errors.push(`${where}: deprecated`);
    const type = attribute.type;
    if (!type) {
      errors.push(`${where}: no type in the dictionary`);
      continue;
    }
    const values = attribute.is_array ? item : [item];
    if (attribute.is_array && !Array.isArray(item)) {
      errors.push(`${where}: expected an array`);
      continue;
    }
    for (const [index, element] of (values as unknown[]).entries()) {
      const at = attribute.is_array ? `${where}[${index}]` : where;
      const scalar = scalarCheck(type);
      if (scalar) {
        if (!scalar(element)) errors.push(`${at}: not a ${type}: ${JSON.stringify(element)}`);
      } else {
        checkObject(element, objectDefinition(type), at, errors);
      }
      if (attribute.enum && !(String(element) in attribute.enum))
        errors.push(
          `${at}: ${JSON.stringify(element)} is not one of ${Object.keys(attribute.enum).join(', ')}`,
        );
    }
    if (attribute.enum && attribute.sibling && attribute.sibling in object && String(item) !== '99') {
      const caption = attribute.enum[String(item)]?.caption;
      if (caption !== undefined && object[attribute.sibling] !== caption)
        errors.push(
          `${path}.${attribute.sibling}: ${JSON.stringify(object[attribute.sibling])} should be "${caption}"`,
        );
    }
  }
}

const events = new Map<string, Definition>();

/** Every problem of one event against the class `className` (e.g. compliance_finding). */
export function ocsfEventErrors(event: unknown, className: string): string[] {
  const file = loadEvent(className);
  const profiles = (((event as Json | undefined)?.metadata as Json | undefined)?.profiles ?? []) as string[];
  const applied = Array.isArray(profiles) ? profiles : [];
  const cacheKey = `${className}|${applied.join(',')}`;
  let definition = events.get(cacheKey);
  if (!definition) {
    definition = resolve(file, loadEvent, applied);
    // The base event's class and category enums ({0}) are placeholders each class fills with its own.
    for (const name of ['category_uid', 'class_uid']) {
      const attribute = definition.attributes[name];
      if (attribute) delete attribute.enum;
    }
    events.set(cacheKey, definition);
  }
  const categoryName = (file.category ?? loadEvent(file.extends as string).category) as string;
  const category = categories[categoryName];
  const errors: string[] = [];
  checkObject(event, definition, className, errors);
  const object = event as Json;
  if (!category) errors.push(`category ${categoryName} not in the copy`);
  else {
    const classUid = category.uid * 1000 + (file.uid as number);
    if (object.category_uid !== category.uid) errors.push(`category_uid should be ${category.uid}`);
    if (object.category_name !== undefined && object.category_name !== category.caption)
      errors.push(`category_name should be ${category.caption}`);
    if (object.class_uid !== classUid) errors.push(`class_uid should be ${classUid}`);
    if (object.class_name !== undefined && object.class_name !== file.caption)
      errors.push(`class_name should be ${String(file.caption)}`);
    if (object.type_uid !== classUid * 100 + (object.activity_id as number))
      errors.push('type_uid should be class_uid * 100 + activity_id');
  }
  if ((object.metadata as Json | undefined)?.version !== OCSF_SCHEMA_VERSION)
    errors.push(`metadata.version should be ${OCSF_SCHEMA_VERSION}`);
  return errors;
}
