/** Where a command writes: a stream and whether it is a terminal. */
export interface OutputStream {
  write(text: string): unknown;
  /** True when the stream is a terminal (progress is shown only then). */
  isTTY?: boolean;
}

/**
 * Everything a command takes from the world, so that it runs the same in a process and in a test: the two
 * output streams, the environment, the working directory, a clock and the signal that Ctrl-C fires.
 */
export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  /** The environment, for the PLUME_* settings. */
  env: Record<string, string | undefined>;
  /** Directory relative paths start from. */
  cwd: string;
  /** Milliseconds from an arbitrary origin, for the progress rate and ETA. */
  now: () => number;
  /** Aborted when the user presses Ctrl-C. */
  signal: AbortSignal;
}
