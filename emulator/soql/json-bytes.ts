// A growable byte buffer that JSON is written into directly as UTF-8. Query pages are the emulator's hot path:
// building each page as JavaScript strings allocated a rope node per piece and then had to flatten and encode
// ~2 MB per page; copying bytes straight into one Buffer does neither.

const QUOTE = 0x22
const BACKSLASH = 0x5c

export class ByteSink {
  buf: Buffer
  off = 0

  constructor(initialSize: number) {
    this.buf = Buffer.allocUnsafe(Math.max(64, initialSize))
  }

  /** Makes room for `n` more bytes, doubling the buffer as needed. */
  ensure(n: number): void {
    if (this.buf.length - this.off >= n) return
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.off + n))
    this.buf.copy(bigger, 0, 0, this.off)
    this.buf = bigger
  }

  byte(b: number): void {
    this.ensure(1)
    this.buf[this.off++] = b
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length)
    this.buf.set(b, this.off)
    this.off += b.length
  }

  /** Text already known to be JSON-safe ASCII (numbers, literals). */
  ascii(s: string): void {
    const n = s.length
    this.ensure(n)
    const buf = this.buf
    let off = this.off
    for (let i = 0; i < n; i++) buf[off++] = s.charCodeAt(i)
    this.off = off
  }

  /** `s` as a JSON string literal, quotes included. */
  jsonString(s: string): void {
    this.ensure(s.length + 2)
    this.buf[this.off++] = QUOTE
    this.jsonStringBody(s)
    this.buf[this.off++] = QUOTE
  }

  /**
   * The inside of a JSON string literal. Plain printable ASCII is copied byte by byte; anything else (quotes,
   * backslashes, control characters, non-ASCII) falls back to JSON.stringify + UTF-8 encoding for that string.
   */
  jsonStringBody(s: string): void {
    const n = s.length
    this.ensure(n + 1)
    const buf = this.buf
    const start = this.off
    let off = start
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i)
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) {
        const escaped = JSON.stringify(s)
        this.off = start
        this.ensure(escaped.length * 3 + 1)
        this.off += this.buf.write(escaped.slice(1, -1), this.off)
        return
      }
      buf[off++] = c
    }
    this.off = off
  }

  /** The written bytes (a view; the sink must not be reused afterwards). */
  result(): Buffer {
    return this.buf.subarray(0, this.off)
  }
}
