import { PlumeError, type PlumeErrorDetails } from "./plumeError";

/**
 * A value was rejected: by Plume (400 or 422) or by the client before sending anything (an id such as `..`
 * that would change the request path, an empty `serviceId`). `field` names the culprit when it is known.
 */
export class PlumeValidationError extends PlumeError {
  override name = "PlumeValidationError";
  /** The field that was rejected, e.g. `serviceId`, when Plume or the client names one. */
  readonly field?: string;

  /** See `PlumeError`; `field` is the rejected field. */
  constructor(summary: string, details: PlumeErrorDetails & { field?: string }) {
    super(summary, details);
    this.field = details.field;
  }
}
