import type { OutputStream } from "./io";

/** Options of {@link ProgressReporter}. */
export interface ProgressOptions {
  /** What is being done, first on the line: `export`. */
  label: string;
  /** What is counted, plural: `customers`. */
  unit: string;
  /** How many there are in all. */
  total: number;
  /** Where the line goes (stderr). Nothing is written unless it is a terminal. */
  stream: OutputStream;
  /** The clock, in milliseconds. */
  now: () => number;
  /** Whether to show anything at all (false for `--json`). @default true */
  enabled?: boolean;
  /** Least time between two redraws of the line, in milliseconds. @default 250 */
  minIntervalMs?: number;
}

/**
 * One self-redrawing line on a terminal: `export: 1,200/2,000 customers (60%), 5.9/s, ETA 2m 15s`. Silent
 * when the stream is not a terminal or when disabled, so `--json`, pipes and CI logs stay clean.
 */
export class ProgressReporter {
  private readonly isShown: boolean;
  private readonly minIntervalMs: number;
  private readonly startedAt: number;
  private done = 0;
  private lastDrawnAt: number | undefined;

  constructor(private readonly options: ProgressOptions) {
    this.isShown = (options.enabled ?? true) && options.stream.isTTY === true;
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.startedAt = options.now();
  }

  /** Counts `count` more as done and redraws the line, at most once per `minIntervalMs`. */
  advance(count = 1): void {
    this.done += count;
    if (!this.isShown) return;
    const now = this.options.now();
    if (this.lastDrawnAt !== undefined && now - this.lastDrawnAt < this.minIntervalMs) return;
    this.lastDrawnAt = now;
    this.options.stream.write(`\r${this.line(now)}\u001b[K`);
  }

  /** Draws the final line and ends it, so what follows starts on a line of its own. */
  finish(): void {
    if (!this.isShown) return;
    this.options.stream.write(`\r${this.line(this.options.now())}\u001b[K\n`);
  }

  /** Waits for `work`: then finishes the line when it succeeded, or clears it when it failed. */
  async track<T>(work: Promise<T>): Promise<T> {
    try {
      const result = await work;
      this.finish();
      return result;
    } catch (error) {
      this.clear();
      throw error;
    }
  }

  /** Clears the line (on Ctrl-C or an error), leaving the terminal as it was. */
  clear(): void {
    if (this.isShown && this.lastDrawnAt !== undefined) this.options.stream.write("\r\u001b[K");
  }

  private line(now: number): string {
    const { label, unit, total } = this.options;
    const elapsedSeconds = (now - this.startedAt) / 1000;
    const percent = total === 0 ? 100 : Math.floor((this.done / total) * 100);
    const head = `${label}: ${count(this.done)}/${count(total)} ${unit} (${percent}%)`;
    if (this.done >= total) return `${head}, done in ${duration(elapsedSeconds)}`;
    if (this.done === 0 || elapsedSeconds <= 0) return `${head}, ETA unknown`;
    const rate = this.done / elapsedSeconds;
    return `${head}, ${rate.toFixed(1)}/s, ETA ${duration((total - this.done) / rate)}`;
  }
}

function count(value: number): string {
  return value.toLocaleString("en-US");
}

/** `45s`, `2m 05s`, `1h 02m`. */
export function duration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m ${String(whole % 60).padStart(2, "0")}s`;
  return `${Math.floor(whole / 3600)}h ${String(Math.floor((whole % 3600) / 60)).padStart(2, "0")}m`;
}
