import { PlumeError } from "./plumeError";

/** Plume answered 5xx and kept doing so through every retry. */
export class PlumeServerError extends PlumeError {
  override name = "PlumeServerError";
}
