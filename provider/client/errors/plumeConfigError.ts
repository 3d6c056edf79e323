import { PlumeError } from "./plumeError";

/** One problem with the client options: which setting, and what is wrong with it. */
export interface ConfigProblem {
  /** The option, as a dot-path: `apiUrl`, `auth.clientSecret`, `maxRequestsPerSecond`. */
  setting: string;
  /** What is wrong and what would be right. Never contains the value of a secret. */
  message: string;
}

/** The client options are invalid. Lists every problem at once, so one fix-and-retry round is enough. */
export class PlumeConfigError extends PlumeError {
  override name = "PlumeConfigError";
  /** Every problem found, in option order. */
  readonly problems: readonly ConfigProblem[];

  /** `problems` must not be empty. */
  constructor(problems: readonly ConfigProblem[]) {
    super(
      `Invalid Plume client settings (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n` +
        problems.map((problem) => `  - ${problem.setting}: ${problem.message}`).join("\n"),
      {
        hint: "Fix the settings listed above; every option is described in docs/client.md.",
      },
    );
    this.problems = problems;
  }
}
