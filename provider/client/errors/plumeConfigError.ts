import { formatProblemList, type Problem } from "../../problem";
import { PlumeError } from "./plumeError";

/**
 * One problem with the client options: `path` is the option as a dot-path (`apiUrl`, `auth.clientSecret`,
 * `maxRequestsPerSecond`), `message` never contains the value of a secret.
 */
export type ConfigProblem = Problem;

/** The client options are invalid. Lists every problem at once, so one fix-and-retry round is enough. */
export class PlumeConfigError extends PlumeError {
  override name = "PlumeConfigError";
  /** Every problem found, in option order. */
  readonly problems: readonly Problem[];

  /** `problems` must not be empty. */
  constructor(problems: readonly Problem[]) {
    super(formatProblemList("Invalid Plume client settings", problems), {
      hint: "Fix the settings listed above; every option is described in docs/client.md.",
    });
    this.problems = problems;
  }
}
