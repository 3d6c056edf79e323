import { PlumeError } from "./plumeError";

/** Plume's application (LoopBack) answered 403: this user or partner may not perform the action. Never retried. */
export class PlumeForbiddenError extends PlumeError {
  override name = "PlumeForbiddenError";
}
