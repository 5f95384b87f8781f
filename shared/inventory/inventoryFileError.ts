/** A file that cannot be used as an inventory: the scan stops before anything is written. */
export class InventoryFileError extends Error {
  override readonly name = 'InventoryFileError';
  constructor(
    readonly file: string,
    readonly detail: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(`${file}${line === undefined ? '' : `:${line}:${column ?? 1}`}: ${detail}`);
  }
}

/** The error for a file that cannot be opened or read. */
export function unreadableFileError(file: string, error: unknown): InventoryFileError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new InventoryFileError(file, `cannot be read (${code})`);
}

/** The error for a file whose text is empty or only white space. */
export function emptyFileError(file: string): InventoryFileError {
  return new InventoryFileError(file, 'file is empty, expected JSON');
}

/** The error for a file that is not valid JSON: `detail` is the parser's explanation. */
export function invalidJsonError(
  file: string,
  detail: string,
  line: number,
  column: number,
): InventoryFileError {
  return new InventoryFileError(file, `not valid JSON: ${detail}`, line, column);
}
