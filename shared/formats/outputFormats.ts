/** The interchange formats a run can be written in, beside findings.json and findings.csv. */
export const OUTPUT_FORMATS = ['oscal', 'ocsf'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export class UnknownFormatError extends Error {}

/** `--formats oscal,ocsf` (or `all`, `none`); the default is every format. */
export function parseOutputFormats(values: readonly string[] | undefined): OutputFormat[] {
  if (values === undefined || values.length === 0) return [...OUTPUT_FORMATS];
  const chosen = new Set<OutputFormat>();
  for (const raw of values.flatMap((value) => value.split(','))) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    if (name === 'all') OUTPUT_FORMATS.forEach((format) => chosen.add(format));
    else if (name === 'none') continue;
    else if ((OUTPUT_FORMATS as readonly string[]).includes(name)) chosen.add(name as OutputFormat);
    else
      throw new UnknownFormatError(
        `--formats takes ${OUTPUT_FORMATS.join(', ')}, all or none, separated by commas; got "${raw.trim().slice(0, 40)}"`,
      );
  }
  return OUTPUT_FORMATS.filter((format) => chosen.has(format));
}
