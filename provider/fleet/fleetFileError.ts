/**
 * Thrown when a fleet file cannot be used at all: it cannot be read, is too large, is not UTF-8, or its
 * format cannot be told from its name.
 */
export class FleetFileError extends Error {
  override readonly name = "FleetFileError";
  /** The fleet file, as it was named to the loader. */
  readonly file: string;
  /** What to do about it. */
  readonly hint: string;

  constructor(file: string, problem: string, hint: string, options?: { cause?: unknown }) {
    super(`Cannot load fleet file ${file}: ${problem}. ${hint}`, options);
    this.file = file;
    this.hint = hint;
  }
}
