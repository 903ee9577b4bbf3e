// Progress on stderr: a redrawn bar on a terminal, plain lines otherwise (CI logs, files), so logs
// stay readable. Progress never goes into an output file.
export interface ProgressOptions {
  readonly label: string;
  readonly total?: number;
  readonly stream?: NodeJS.WriteStream | { isTTY?: boolean; write: (text: string) => unknown; columns?: number };
  /** Minimum time between plain-line reports (default 5 s). */
  readonly plainIntervalMs?: number;
  readonly now?: () => number;
}

export class Progress {
  readonly #options: ProgressOptions;
  readonly #stream: NonNullable<ProgressOptions['stream']>;
  readonly #now: () => number;
  readonly #startedAt: number;
  #done = 0;
  #lastDrawAt = -Infinity;

  constructor(options: ProgressOptions) {
    this.#options = options;
    this.#stream = options.stream ?? process.stderr;
    this.#now = options.now ?? (() => performance.now());
    this.#startedAt = this.#now();
  }

  get done(): number {
    return this.#done;
  }

  tick(count = 1): void {
    this.#done += count;
    const now = this.#now();
    const tty = this.#stream.isTTY === true;
    const interval = tty ? 100 : (this.#options.plainIntervalMs ?? 5000);
    if (now - this.#lastDrawAt >= interval) {
      this.#lastDrawAt = now;
      this.#draw(tty, now);
    }
  }

  #line(now: number): string {
    const seconds = (now - this.#startedAt) / 1000;
    const rate = seconds > 0 ? this.#done / seconds : 0;
    const total = this.#options.total;
    const share = total ? ` ${((100 * this.#done) / Math.max(total, 1)).toFixed(1)}%` : '';
    const count = total ? `${this.#done}/${total}` : `${this.#done}`;
    return `${this.#options.label}: ${count}${share} (${rate.toFixed(1)}/s, ${seconds.toFixed(1)} s)`;
  }

  #draw(tty: boolean, now: number): void {
    const text = this.#line(now);
    if (!tty) {
      this.#stream.write(`${text}\n`);
      return;
    }
    const total = this.#options.total;
    const width = 24;
    const filled = total ? Math.round((width * Math.min(this.#done, total)) / Math.max(total, 1)) : 0;
    const bar = total ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    this.#stream.write(`\r${bar}${text}\x1b[K`);
  }

  /** Final report; ends the terminal line. */
  finish(): void {
    const now = this.#now();
    const tty = this.#stream.isTTY === true;
    this.#draw(tty, now);
    if (tty) this.#stream.write('\n');
  }
}
