/** The query parameter Azure Functions reads a function key from; allowed on every route. */
const FUNCTION_KEY_PARAMETER = 'code';

/**
 * Why a query string is refused, or undefined when it is acceptable: every parameter must be one
 * the route reads (a misspelt filter would otherwise be ignored and widen the answer), and none may
 * be given twice (which of the two would apply is not defined).
 */
export function queryProblem(query: URLSearchParams, allowed: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const name of query.keys()) {
    if (name !== FUNCTION_KEY_PARAMETER && !allowed.includes(name)) {
      const shown = JSON.stringify(name.slice(0, 60));
      return allowed.length === 0
        ? `unknown query parameter ${shown}: this route takes none`
        : `unknown query parameter ${shown}: this route takes ${allowed.join(', ')}`;
    }
    if (seen.has(name)) return `the query parameter ${JSON.stringify(name)} is given more than once`;
    seen.add(name);
  }
  return undefined;
}

const WHOLE_NUMBER = /^[1-9][0-9]{0,3}$/;

/** `top`: a whole number from 1 to 1000 written plainly (no sign, exponent, spaces or fraction). */
export function pageSizeParam(query: URLSearchParams, fallback: number): number | string {
  const raw = query.get('top');
  if (raw === null) return fallback;
  const value = WHOLE_NUMBER.test(raw) ? Number(raw) : NaN;
  return Number.isInteger(value) && value >= 1 && value <= 1000
    ? value
    : 'top must be a whole number from 1 to 1000';
}
