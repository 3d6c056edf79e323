import { PlumeError } from "./plumeError";

/** An attempt outlived `timeoutMs` through every retry, or the call outlived its `deadlineMs`. */
export class PlumeTimeoutError extends PlumeError {
  override name = "PlumeTimeoutError";
}
