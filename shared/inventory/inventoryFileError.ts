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
