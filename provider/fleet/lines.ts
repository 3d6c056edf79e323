/**
 * Maps character offsets in a text to 1-based line numbers. `\r\n`, `\n` and a lone `\r` each end a line,
 * so files saved on any platform number their lines the way an editor shows them.
 */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let offset = 0; offset < text.length; offset++) {
      const character = text.charCodeAt(offset);
      if (character === 0x0a) {
        this.lineStarts.push(offset + 1);
      } else if (character === 0x0d && text.charCodeAt(offset + 1) !== 0x0a) {
        this.lineStarts.push(offset + 1);
      }
    }
  }

  /** The 1-based line holding `offset`. */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }
}
