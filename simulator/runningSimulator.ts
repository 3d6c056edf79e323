// What a started simulator offers its caller: the type the server implements and the control surface drives.
import type { FaultSwitches } from "./faults";
import type { CallTimes, SimulatorCounters } from "./metrics";
import type { SimulatorCredentials } from "./options";
import type { RequestLogEntry } from "./requestLog";
import type { SimulatorState } from "./state";

/** A running simulator: its addresses, credentials, in-process controls and observations. */
export interface RunningSimulator {
  /** The API host, e.g. "http://127.0.0.1:4010"; API paths start with /api. */
  readonly url: string;
  /** The OAuth2 token URL: `${url}/oauth2/<cloudId>/v1/token`. */
  readonly tokenUrl: string;
  /** The control surface: `${url}/__sim`. */
  readonly controlUrl: string;
  readonly port: number;
  /** The default credentials the simulator accepts. */
  readonly credentials: Readonly<SimulatorCredentials>;
  /** Customers and locations, in process. */
  readonly state: SimulatorState;
  /** Fault switches. */
  readonly faults: FaultSwitches;
  /** The last `requestLogLimit` requests to the API and token endpoint, oldest first, secrets masked. */
  requestLog(): RequestLogEntry[];
  /** Counters since start or the last `resetCounters()`. */
  counters(): SimulatorCounters;
  /** Zeroes the counters, the call timeline and the request log. */
  resetCounters(): void;
  /** Arrival times of API calls the firewall accepted and rejected, for charting. */
  callTimes(): CallTimes;
  /** The simulator's clock, epoch milliseconds. */
  now(): number;
  /** Moves the simulator's clock forward (tokens expire, the firewall window slides). */
  advanceClock(ms: number): void;
  /**
   * Gives the OAuth client `clientId` a new secret, as an operator rotating it in Plume's identity provider:
   * the old secret is refused from now on, and every token issued so far is revoked.
   */
  rotateClientSecret(clientId: string, newSecret: string): void;
  /** Stops listening, drops every connection (keep-alive ones too) and writes pending state. */
  close(): Promise<void>;
}
