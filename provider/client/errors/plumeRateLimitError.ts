import { PlumeError } from "./plumeError";

/** The firewall's 403 (2,000 calls per rolling five minutes per source IP) or a 429 outlived every retry. */
export class PlumeRateLimitError extends PlumeError {
  override name = "PlumeRateLimitError";
}
