import { countProblems, formatProblem, type Problem } from "../problem";

/**
 * One thing wrong with a fleet file, pointing at where it is: `path` is the field (`locations[3].profile`
 * for YAML/JSON, the column header for CSV; `""` for a whole entry or file).
 */
export interface FleetProblem extends Problem {
  /** The fleet file, as it was named to the loader (e.g. `fleet.yaml`). */
  file: string;
  /** 1-based line the problem is on; `undefined` when it concerns the whole file. */
  line: number | undefined;
}

/** How many problems the error message lists before summarising the rest. */
const LISTED_PROBLEMS = 50;

/** Renders one problem as `fleet.yaml:12 locations[3].profile: must be "auto" or "smallbusiness"`. */
export const formatFleetProblem: (problem: FleetProblem) => string = formatProblem;

/**
 * Thrown when a fleet file has anything wrong with it. The whole file is checked first, so `problems` lists
 * everything at once, in file order, and nothing is declared from a file that has a single problem.
 */
export class FleetValidationError extends Error {
  override readonly name = "FleetValidationError";
  /** Every problem found, in file order. */
  readonly problems: readonly FleetProblem[];
  /** What to do about it. */
  readonly hint: string;

  constructor(problems: readonly FleetProblem[]) {
    const file = problems[0]?.file ?? "the fleet file";
    const listed = problems.slice(0, LISTED_PROBLEMS).map(formatFleetProblem);
    if (problems.length > LISTED_PROBLEMS) listed.push(`... and ${problems.length - LISTED_PROBLEMS} more`);
    const hint = `Fix ${file} and run again; nothing was changed. The format is described in docs/fleet.md.`;
    super(`${file} is not a valid fleet file (${countProblems(problems)}):\n${listed.join("\n")}\n${hint}`);
    this.problems = problems;
    this.hint = hint;
  }
}
