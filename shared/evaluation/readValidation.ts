import type { ClusterFacts } from '../inventory/clusterFacts.js';
import { readAgentVersion } from './agentVersion.js';
import { locate, type PropertyRead, type ReadLocation, type ValueShape } from './propertyReads.js';
import { FUTURE_TOLERANCE_MS, readTimestamp, TIMESTAMP_PROBLEMS } from './timestamps.js';
import { describeValue } from './valueText.js';
import { check, verdict, type Verdict } from './verdict.js';

const EXPECTED: Record<ValueShape, string> = {
  enum: 'a non-empty string',
  boolean: 'true or false',
  seconds: 'a positive whole number of seconds',
  timestamp: 'an ISO-8601 time stamp with a zone, not in the future',
  agentVersion: 'an Arc agent version such as 1.31.2',
  object: 'an object',
  list: 'a list',
  text: 'a string',
};

/** No Azure resource reports a moment before Azure existed: earlier is a default or a damaged value. */
const EARLIEST_TIMESTAMP_MS = Date.UTC(2010, 0, 1);

const NUMERIC = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Why a present, non-null value does not have its declared shape; undefined when it does. */
function shapeProblem(read: PropertyRead, value: unknown, now: Date): string | undefined {
  switch (read.shape) {
    case 'enum': {
      if (typeof value !== 'string') return 'not a string';
      const text = value.trim().toLowerCase();
      if (text === '') return 'empty';
      if (read.values && !read.values.some((known) => known.toLowerCase() === text)) {
        return `not one of ${read.values.join(', ')}`;
      }
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' || typeof value === 'string' ? undefined : 'not true or false';
    case 'seconds': {
      if (typeof value !== 'number' && typeof value !== 'string') return 'not a number of seconds';
      // Text that is not a number is judged by the control ("not a number").
      if (typeof value === 'string' && !NUMERIC.test(value)) return undefined;
      const seconds = Number(value);
      if (!Number.isFinite(seconds) || seconds <= 0) return 'not a positive number of seconds';
      // A poll interval is a whole number of seconds; below one second no poller can run.
      return Number.isInteger(seconds) ? undefined : 'not a whole number of seconds';
    }
    case 'timestamp': {
      const reading = readTimestamp(value);
      if (!reading.ok) return TIMESTAMP_PROBLEMS[reading.problem];
      if (reading.date.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
        return `in the future (the scan judges as of ${now.toISOString()})`;
      }
      if (reading.date.getTime() < EARLIEST_TIMESTAMP_MS) {
        return 'before 2010, earlier than any Azure resource (a year 0 or an epoch default)';
      }
      return undefined;
    }
    case 'agentVersion': {
      const reading = readAgentVersion(value);
      return reading.ok ? undefined : reading.problem.replace(/^is /, '');
    }
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? undefined
        : 'not an object';
    case 'list':
      return Array.isArray(value) ? undefined : 'not a list';
    case 'text':
      return typeof value === 'string' ? undefined : 'not a string';
  }
}

export interface ReadProblem {
  location: ReadLocation;
  /** One clause: "properties.agentVersion is the number 5, not a string". */
  text: string;
}

/** What is wrong with one place a read looked; undefined when the value may be judged. */
export function problemAt(location: ReadLocation, now: Date): ReadProblem | undefined {
  const { read, path, value } = location;
  if (location.state === 'blocked') {
    return {
      location,
      text: `${path} is ${describeValue(value)}, not an object, so ${read.path.join('.')} cannot be read`,
    };
  }
  if (location.state === 'ambiguous') {
    const values = (value as unknown[]).slice(0, 3).map((one) => describeValue(one));
    return {
      location,
      text: `${path} is given more than once in different letter case, with different values (${values.join('; ')}), so which one applies is unknown`,
    };
  }
  if (location.state === 'absent' || (value === null && read.nullIsAbsent)) {
    return read.whenAbsent === 'error'
      ? { location, text: `${path} is ${value === null ? 'null' : 'missing'}` }
      : undefined;
  }
  if (value === null) return { location, text: `${path} is null, not ${EXPECTED[read.shape]}` };
  const problem = shapeProblem(read, value, now);
  return problem === undefined
    ? undefined
    : { location, text: `${path} is ${describeValue(value)}: ${problem}` };
}

/** Every problem with the values `reads` find on `cluster`. */
export function readProblems(
  cluster: ClusterFacts,
  reads: readonly PropertyRead[],
  now: Date,
): ReadProblem[] {
  const problems = new Map<string, ReadProblem>();
  for (const read of reads) {
    if (!read.kinds.includes(cluster.kind)) continue;
    for (const location of locate(cluster, read)) {
      const problem = problemAt(location, now);
      const key = `${location.source.toLowerCase()}|${location.path.toLowerCase()}`;
      if (problem && !problems.has(key)) problems.set(key, problem);
    }
  }
  return [...problems.values()];
}

/**
 * ERROR when a value a control reads is of the wrong type, impossible, or missing where the control
 * cannot do without it; the reason names each value and where it was read. Undefined otherwise.
 */
export function invalidReadsVerdict(
  cluster: ClusterFacts,
  reads: readonly PropertyRead[],
  now: Date,
): Verdict | undefined {
  const problems = readProblems(cluster, reads, now);
  if (problems.length === 0) return undefined;
  const shown = problems.slice(0, 5).map((problem) => problem.text);
  const more = problems.length > shown.length ? `; and ${problems.length - shown.length} more` : '';
  return verdict('ERROR', `Cannot evaluate: ${shown.join('; ')}${more}.`, {
    checks: problems.map(({ location }) =>
      check(location.source, location.path, location.value, EXPECTED[location.read.shape]),
    ),
    extraSourceIds: [cluster.id],
  });
}
