// The firewall budget shared by every process on this machine. Plume's firewall counts calls per source IP,
// and a `pulumi up` runs a preview and its apply in two provider processes, and several stacks may run side by
// side: each process's own limiter cannot see the others' calls. So every process appends the calls it
// starts and finishes to a ledger file of its own, in a directory per API host, and reads the others' ledgers
// to count their calls in the rolling window.
//
// Nothing is ever locked: a process that crashes leaves a ledger that counts for the calls it already made
// (exactly what the firewall still counts), and those age out of the window by themselves. Its calls that
// never finished count for one window after they started. Ledgers of ended processes are deleted once their
// calls have all left the window. Without a lock, two processes can take the last free call of the
// window at the same instant; the limiter's margin below the firewall's limit absorbs that.
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Fifo } from "./fifo";

/** Options of {@link SharedFirewallBudget}; everything but `dir` is injectable for tests. */
export interface SharedBudgetOptions {
  /** The directory of this API host's ledgers (created when missing). */
  dir: string;
  /** Milliseconds since the epoch, the timeline every process shares. @default `Date.now` */
  now?: () => number;
  /** This process's id, which names its ledger. @default `process.pid` */
  pid?: number;
  /** Whether the process with this id still runs. @default a signal-0 probe */
  isProcessAlive?: (pid: number) => boolean;
}

/** What the other processes' ledgers hold for the current window. */
export interface OthersInWindow {
  /** Their calls that started and have not finished (of live processes), or started within the window. */
  inFlight: number;
  /** How long ago each of their calls in the window finished, in milliseconds, longest ago first. */
  finishedMsAgo: number[];
}

/** Where ledgers live: `$XDG_RUNTIME_DIR` (private to the user) when set, else the OS temporary directory. */
export function defaultBudgetRoot(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_RUNTIME_DIR || os.tmpdir(), "pulumi-plume-firewall");
}

/** The directory of the ledgers for the API at `origin`: one per API host and port. */
export function budgetDirFor(origin: string, root = defaultBudgetRoot()): string {
  return path.join(root, origin.replace(/^[a-z]+:\/\//i, "").replace(/[^A-Za-z0-9.-]/g, "_"));
}

interface LedgerReader {
  pid: number;
  fd: number;
  offset: number;
  partial: string;
  /** Start times of calls without a finish yet, oldest first (finishes are matched to the oldest start). */
  starts: Fifo<number>;
  finishes: Fifo<number>;
}

const ledgerName = /^(\d+)-[0-9a-z]+\.calls$/;

/**
 * One process's view of the machine-wide budget for one API host: it records this process's calls and counts
 * the other processes' calls in a rolling window. Each line of a ledger is `+<epoch ms>` (a call started) or
 * `-<epoch ms>` (a call finished).
 */
export class SharedFirewallBudget {
  private readonly dir: string;
  private readonly now: () => number;
  private readonly pid: number;
  private readonly isProcessAlive: (pid: number) => boolean;
  private readonly ownName: string;
  private ownFd: number | undefined;
  private isUnwritable = false;
  private readonly readers = new Map<string, LedgerReader>();

  constructor(options: SharedBudgetOptions) {
    this.dir = options.dir;
    this.now = options.now ?? Date.now;
    this.pid = options.pid ?? process.pid;
    this.isProcessAlive = options.isProcessAlive ?? probeProcess;
    this.ownName = `${this.pid}-${Math.floor(Math.random() * 36 ** 6).toString(36)}.calls`;
  }

  /** Records that this process started a call now. */
  recordStart(): void {
    this.append(`+${this.now()}\n`);
  }

  /** Records that one of this process's calls finished now. */
  recordFinish(): void {
    this.append(`-${this.now()}\n`);
  }

  /**
   * Reads what the other processes appended since the last look, deletes the ledgers of ended processes whose
   * calls have all left the window, and returns the others' calls that count in a window of `windowMs` now.
   */
  othersInWindow(windowMs: number): OthersInWindow {
    const now = this.now();
    const cutoff = now - windowMs;
    const finishes: number[] = [];
    const result: OthersInWindow = { inFlight: 0, finishedMsAgo: [] };
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return result;
    }
    for (const name of names) {
      const match = ledgerName.exec(name);
      if (!match || name === this.ownName) continue;
      const reader = this.readerFor(name, Number(match[1]));
      if (!reader) continue;
      this.readNewLines(reader);
      while (reader.finishes.size > 0 && (reader.finishes.peek() as number) <= cutoff)
        reader.finishes.shift();
      const alive =
        reader.starts.size > 0 || reader.finishes.size === 0 ? this.isProcessAlive(reader.pid) : true;
      if (!alive) {
        while (reader.starts.size > 0 && (reader.starts.peek() as number) <= cutoff) reader.starts.shift();
        if (reader.starts.size === 0 && reader.finishes.size === 0) {
          this.forget(name, reader);
          continue;
        }
      }
      result.inFlight += reader.starts.size;
      finishes.push(...drain(reader.finishes));
    }
    result.finishedMsAgo = finishes.sort((a, b) => a - b).map((at) => now - at);
    return result;
  }

  /** Closes the files this process holds open (its ledger stays: its calls still count for the others). */
  close(): void {
    for (const reader of this.readers.values()) closeSync(reader.fd);
    this.readers.clear();
    if (this.ownFd !== undefined) closeSync(this.ownFd);
    this.ownFd = undefined;
  }

  /**
   * Appends to this process's ledger. A ledger that cannot be written (a read-only or full disk) only costs
   * the sharing: this process still keeps to its own window.
   */
  private append(line: string): void {
    if (this.isUnwritable) return;
    try {
      if (this.ownFd === undefined) {
        mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        this.ownFd = openSync(path.join(this.dir, this.ownName), "a", 0o600);
      }
      writeSync(this.ownFd, line);
    } catch {
      this.isUnwritable = true;
    }
  }

  private readerFor(name: string, pid: number): LedgerReader | undefined {
    let reader = this.readers.get(name);
    if (!reader) {
      try {
        const fd = openSync(path.join(this.dir, name), "r");
        reader = { pid, fd, offset: 0, partial: "", starts: new Fifo(), finishes: new Fifo() };
        this.readers.set(name, reader);
      } catch {
        return undefined; // deleted meanwhile by another process
      }
    }
    return reader;
  }

  private readNewLines(reader: LedgerReader): void {
    const size = fstatSync(reader.fd).size;
    if (size <= reader.offset) return;
    const buffer = Buffer.alloc(size - reader.offset);
    const read = readSync(reader.fd, buffer, 0, buffer.length, reader.offset);
    reader.offset += read;
    const lines = (reader.partial + buffer.toString("latin1", 0, read)).split("\n");
    reader.partial = lines.pop() as string;
    for (const line of lines) {
      const at = Number(line.slice(1));
      if (!Number.isFinite(at)) continue;
      if (line[0] === "+") {
        reader.starts.push(at);
      } else if (line[0] === "-") {
        reader.starts.shift();
        reader.finishes.push(at);
      }
    }
  }

  /** Deletes the ledger of an ended process, once nothing in it counts any more. */
  private forget(name: string, reader: LedgerReader): void {
    try {
      unlinkSync(path.join(this.dir, name));
    } catch {
      // Another process deleted it first.
    }
    closeSync(reader.fd);
    this.readers.delete(name);
  }
}

function drain(queue: Fifo<number>): number[] {
  const items: number[] = [];
  while (queue.size > 0) items.push(queue.shift() as number);
  for (const item of items) queue.push(item);
  return items;
}

function probeProcess(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
