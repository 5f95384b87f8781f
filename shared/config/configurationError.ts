/** Bad settings: every problem found, each naming its key (never a secret value). */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

/**
 * Runs one parser and folds what it throws into `problems`, so a loader can report every bad key of
 * every kind at once; returns `fallback` when the parser threw.
 */
export function collectProblems<T>(problems: string[], read: () => T, fallback: T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ConfigurationError) problems.push(...error.problems);
    else problems.push(error instanceof Error ? error.message : String(error));
    return fallback;
  }
}
