import { createRequire } from "node:module";
import path from "node:path";

type Tokenizer = typeof import("gpt-tokenizer");
let loaded: Tokenizer | undefined;
/**
 * The tokenizer, loaded when a meter first counts (most calls never do: an answer fewer bytes
 * long than its limit is within it), and from node_modules at run time rather than bundled: each
 * route's chunks held their own copy of its tables' source, some 85 MB of the studio's memory
 * before anything counted; loaded once, it takes about 40 MB.
 */
const tokenizer = (): Tokenizer =>
  (loaded ??= createRequire(path.join(process.cwd(), "package.json"))("gpt-tokenizer") as Tokenizer);
/** Text as text: a special token's spelling in an answer ("<|endoftext|>") is counted as the characters it is. */
const AS_TEXT = { disallowedSpecial: new Set<string>() };
const countTokens = (text: string) => tokenizer().countTokens(text, AS_TEXT);

/**
 * Counts a model's output as it streams (a real tokenizer) and cuts it at the output limit the
 * call reserved, so a provider that ignores `max_tokens` cannot spend past it. Every token is at
 * least a byte, so text is counted only when what was counted so far plus the bytes not yet
 * counted could reach the limit; counting pieces apart overcounts (a word split in two is two
 * tokens), so near the limit the whole answer is counted again, exactly, and what goes past it
 * is cut.
 */
export class OutputMeter {
  private streamed = "";
  /** Tokens of the text counted so far (never fewer than it holds). */
  private counted = 0;
  /** The text after it, not counted yet, and its size in bytes (a bound on its tokens). */
  private pending = "";
  private pendingBytes = 0;

  constructor(readonly limit: number) {}

  /** What of `delta` fits: all of it, the part within the limit, or null when none of it does. */
  take(delta: string): string | null {
    const before = this.streamed;
    this.streamed += delta;
    this.pending += delta;
    this.pendingBytes += Buffer.byteLength(delta);
    if (this.counted + this.pendingBytes < this.limit) return delta;
    this.counted += countTokens(this.pending);
    this.pending = "";
    this.pendingBytes = 0;
    if (this.counted < this.limit) return delta;
    const tokens = tokenizer().encode(this.streamed, AS_TEXT);
    this.counted = tokens.length;
    if (this.counted <= this.limit) return delta;
    const allowed = tokenizer().decode(tokens.slice(0, this.limit));
    const kept = allowed.startsWith(before) ? allowed.slice(before.length) : "";
    this.streamed = before + kept;
    this.counted = this.limit;
    return kept || null;
  }

  /** The limit is reached: whatever comes next is past it. */
  get full(): boolean {
    return this.counted >= this.limit;
  }

  /** The output so far: exact while nothing was counted in pieces, at most the limit once cut. */
  get tokens(): number {
    if (this.counted === 0) return countTokens(this.streamed);
    return Math.min(this.limit, this.counted + (this.pending ? countTokens(this.pending) : 0));
  }

  /** What the provider sent that was passed on, counted again in one piece (for a provider that reports no usage). */
  tokensOfAll(): number {
    return countTokens(this.streamed);
  }
}
