/** A misuse of the test engine (bad options, an unreadable project), as opposed to a deployment failure. */
export class EngineError extends Error {
  override readonly name = "EngineError";

  /**
   * @param message what is wrong
   * @param hint what to do about it
   */
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(`${message}. ${hint}`);
  }
}
