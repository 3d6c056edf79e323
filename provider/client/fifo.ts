/**
 * A first-in first-out queue with O(1) push and shift (an array with a moving head, compacted now and
 * then), for the rate limiter's waiters and its log of recent request starts.
 */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  /** Number of items in the queue. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    this.items.push(item);
  }

  /** The front item, or `undefined` when empty. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** Removes and returns the front item, or `undefined` when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
