import { countTokens, decode, encode } from "gpt-tokenizer";

/**
 * Counts a model's output as it streams (a real tokenizer) and cuts it at the output limit the
 * call reserved, so a provider that ignores `max_tokens` cannot spend past it. Counting each
 * piece alone overcounts (a word split in two is two tokens); near the limit the whole answer is
 * counted again, exactly, and what goes past it is cut.
 */
export class OutputMeter {
  private streamed = "";
  private counted = 0;
  /** Bytes so far, while they are under the limit: every token is at least a byte, so no need to count. */
  private bytes: number | null = 0;

  constructor(readonly limit: number) {}

  /** What of `delta` fits: all of it, the part within the limit, or null when none of it does. */
  take(delta: string): string | null {
    const before = this.streamed;
    this.streamed += delta;
    if (this.bytes !== null) {
      this.bytes += Buffer.byteLength(delta);
      if (this.bytes < this.limit) return delta;
      this.bytes = null;
      this.counted = countTokens(before);
    }
    this.counted += countTokens(delta);
    if (this.counted < this.limit) return delta;
    const tokens = encode(this.streamed);
    this.counted = tokens.length;
    if (this.counted <= this.limit) return delta;
    const allowed = decode(tokens.slice(0, this.limit));
    const kept = allowed.startsWith(before) ? allowed.slice(before.length) : "";
    this.streamed = before + kept;
    this.counted = this.limit;
    return kept || null;
  }

  /** The limit is reached: whatever comes next is past it. */
  get full(): boolean {
    return this.counted >= this.limit;
  }

  get tokens(): number {
    return this.bytes === null ? this.counted : countTokens(this.streamed);
  }

  /** What the provider sent that was passed on, counted again in one piece (for a provider that reports no usage). */
  tokensOfAll(): number {
    return countTokens(this.streamed);
  }
}
