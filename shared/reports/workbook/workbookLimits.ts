/** Excel's hard limits, injectable so tests can reach them with small numbers. */
export interface WorkbookLimits {
  /** Rows per sheet, header included; past it a table continues on "Name (2)" and so on. */
  maxRowsPerSheet: number;
  /** Hyperlinks per sheet; past it the URL is written as plain text. */
  maxHyperlinksPerSheet: number;
  /** Characters per cell; longer text is cut with a visible marker. */
  maxCellChars: number;
}

export const EXCEL_LIMITS: WorkbookLimits = {
  maxRowsPerSheet: 1_048_576,
  maxHyperlinksPerSheet: 65_530,
  maxCellChars: 32_767,
};

/** Smallest cell that still holds the truncation marker and some text. */
export const MIN_CELL_CHARS = 200;

/** Defaults filled in and every value checked against what Excel allows. */
export function resolveLimits(limits: Partial<WorkbookLimits> = {}): WorkbookLimits {
  const resolved = { ...EXCEL_LIMITS, ...limits };
  const check = (name: keyof WorkbookLimits, min: number): void => {
    const value = resolved[name];
    if (!Number.isInteger(value) || value < min || value > EXCEL_LIMITS[name]) {
      throw new RangeError(`${name} must be an integer from ${min} to ${EXCEL_LIMITS[name]}, not ${value}`);
    }
  };
  check('maxRowsPerSheet', 2);
  check('maxHyperlinksPerSheet', 0);
  check('maxCellChars', MIN_CELL_CHARS);
  return resolved;
}
