// Seed files and the persist file. The persist file holds a snapshot in the seed-data shape, so it can be
// used as a seed file too. Writes are debounced and atomic (temp file, then rename).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { rename, writeFile, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { SimulatorStateError, validateSeed, type SeedData, type StateSnapshot } from "./state";

/** Reads and validates a seed file, with an error that names the file and every problem. */
export function readSeedFile(file: string): SeedData {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new SimulatorStateError(`Cannot read seed file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SimulatorStateError(`Seed file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const problems = validateSeed(data);
  if (problems.length > 0) {
    throw new SimulatorStateError(`Seed file ${file} is invalid: ${problems.join("; ")}`, problems);
  }
  return data as SeedData;
}

/** Keeps the state in a JSON file. */
export class StatePersister {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private dirty = false;
  private writes = 0;

  constructor(
    private readonly file: string,
    private readonly debounceMs: number,
    private readonly snapshot: () => StateSnapshot,
  ) {}

  /** The persisted state, or undefined when the file does not exist yet. */
  load(): SeedData | undefined {
    return existsSync(this.file) ? readSeedFile(this.file) : undefined;
  }

  /** How many times the file was written. */
  get writeCount(): number {
    return this.writes;
  }

  /** Notes a change; the file is written once no change came for `debounceMs`. */
  schedule(): void {
    this.dirty = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.writeNow().catch((error: Error) => {
        process.stderr.write(`plume-simulator: cannot write ${this.file}: ${error.message}\n`);
      });
    }, this.debounceMs);
    this.timer.unref();
  }

  /** Drops pending changes without writing them. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.dirty = false;
  }

  /** Writes pending changes now and waits for every write to finish. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    await this.writeNow();
  }

  // One write at a time; a change during a write is written right after it.
  private async writeNow(): Promise<void> {
    while (this.writing) await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    this.writing = this.writeFile().finally(() => (this.writing = undefined));
    await this.writing;
  }

  private async writeFile(): Promise<void> {
    const text = `${JSON.stringify({ savedAt: new Date().toISOString(), ...this.snapshot() }, null, 1)}\n`;
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeFile(temp, text, { mode: 0o600 });
      await rename(temp, this.file);
      this.writes += 1;
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      this.dirty = true;
      throw error;
    }
  }
}
