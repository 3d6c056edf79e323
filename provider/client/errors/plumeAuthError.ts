import { PlumeError } from "./plumeError";

/** Plume answered 401 even with a fresh token: the credentials are wrong, or the customer is not visible to this partner or user. */
export class PlumeAuthError extends PlumeError {
  override name = "PlumeAuthError";
}
