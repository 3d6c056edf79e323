import { PlumeError } from "./plumeError";

/** Plume answered 404: the customer or location does not exist, or is not known to Plume. */
export class PlumeNotFoundError extends PlumeError {
  override name = "PlumeNotFoundError";
}
