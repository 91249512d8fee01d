// Where a picked mention goes in the text being written. Someone who typed "@Ad" in the post and then picked
// Ada expects "@Ada Lovelace" in its place, not "@Ad @Ada Lovelace".

/** An "@partial" being typed at the end of the text (after a space or at the start). */
const TRAILING_PARTIAL = /(^|\s)@[^\s@]*$/

/** The text with `@name ` replacing a trailing "@partial", or added at the end when there is none. */
export function insertMention(text: string, name: string): string {
  const match = TRAILING_PARTIAL.exec(text)
  if (match) return `${text.slice(0, match.index + (match[1]?.length ?? 0))}@${name} `
  return `${text}${text && !/\s$/.test(text) ? ' ' : ''}@${name} `
}
