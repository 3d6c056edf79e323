import { PlumeError } from "./plumeError";

/** Plume answered with a status or body this client does not expect (a redirect, a 409, a 200 that is not JSON). */
export class PlumeUnexpectedResponseError extends PlumeError {
  override name = "PlumeUnexpectedResponseError";
}
