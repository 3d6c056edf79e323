// Problems as data: every layer that validates something (client options, connection settings, resource
// inputs, fleet files) reports `{code, path, message}` and renders it with `formatProblem`.

/**
 * One thing wrong with what a person wrote: a setting, a resource input, a field of a fleet file. Never holds
 * the value of a secret.
 */
export interface Problem {
  /** What kind of problem, stable for programs and tests: `required`, `placeholder`, `invalid-id`, ... */
  code: string;
  /**
   * What the problem is about, as a dot-path: `apiUrl`, `auth.clientSecret`, `customerId`,
   * `locations[3].profile`, a CSV column header; `""` for the whole thing (a fleet file, a row, the inputs).
   */
  path: string;
  /** What is wrong and what to do, written to follow the path: `apiUrl` + `is not set: ...`. */
  message: string;
  /** The file the problem is in (fleet files). @default none: the problem is not about a file */
  file?: string;
  /** 1-based line in `file`; undefined when the problem concerns the whole file. */
  line?: number;
}

/**
 * Renders a problem for a person. In a file: `fleet.yaml:12 locations[3].profile: must be ...` (or
 * `fleet.yaml:12: ...` when the path is empty). Otherwise a sentence: `apiUrl is not set: ...` (or the bare
 * message when the path is empty).
 */
export function formatProblem(problem: Problem): string {
  if (problem.file !== undefined) {
    const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
    return problem.path === ""
      ? `${where}: ${problem.message}`
      : `${where} ${problem.path}: ${problem.message}`;
  }
  return problem.path === "" ? problem.message : `${problem.path} ${problem.message}`;
}

/** `1 problem`, `3 problems`. */
export function countProblems(problems: readonly unknown[]): string {
  return problems.length === 1 ? "1 problem" : `${problems.length} problems`;
}

/** `<title> (N problems):` and each problem on its own `  - ` line: the message of an error that lists them. */
export function formatProblemList(title: string, problems: readonly Problem[]): string {
  return `${title} (${countProblems(problems)}):\n${problems.map((problem) => `  - ${formatProblem(problem)}`).join("\n")}`;
}
