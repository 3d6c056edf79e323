import { formatProblemList, type Problem } from "../../problem";
import { PlumeError } from "./plumeError";

/**
 * One problem with the client options: `path` is the option as a dot-path (`apiUrl`, `auth.clientSecret`,
 * `maxRequestsPerSecond`), `message` never contains the value of a secret.
 */
export type ConfigProblem = Problem;

/** How a {@link PlumeConfigError} introduces its problems and what it tells the reader to do. */
export interface ConfigErrorWording {
  /** The line above the list of problems. @default "Invalid Plume client settings" */
  title?: string;
  /**
   * What to do about them.
   * @default "Fix the settings listed above; every option is described in docs/client.md."
   */
  hint?: string;
}

/**
 * Settings are invalid: the client options, or (through a subclass with its own title and hint) settings
 * read elsewhere that become them. Lists every problem at once, so one fix-and-retry round is enough.
 */
export class PlumeConfigError extends PlumeError {
  override name = "PlumeConfigError";
  /** Every problem found, in option order. */
  readonly problems: readonly Problem[];

  /** `problems` must not be empty. */
  constructor(
    problems: readonly Problem[],
    {
      title = "Invalid Plume client settings",
      hint = "Fix the settings listed above; every option is described in docs/client.md.",
    }: ConfigErrorWording = {},
  ) {
    super(formatProblemList(title, problems), { hint });
    this.problems = problems;
  }
}
