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

/** Turns each picked "@Name" into the `@{id}` token the server knows. */
export function withMentionTokens(text: string, picked: ReadonlyMap<string, string>): string {
  let out = text
  for (const [name, id] of picked) out = out.split(`@${name}`).join(`@{${id}}`)
  return out
}

/** A mention as the server renders it (crm/feed/markdown.ts): the user's id and the escaped "@Name". */
const RENDERED_MENTION = /<span class="mention" data-user-id="([0-9a-f-]{36})">@([^<]*)<\/span>/gi

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

/**
 * A post's text to edit: its `@{id}` tokens shown as "@Name" (the names the server rendered), with the names
 * picked so far, which the composer turns back into tokens when saving (withMentionTokens).
 */
export function editableText(body: string, bodyHtml: string): { text: string; picked: Map<string, string> } {
  const names = new Map<string, string>()
  for (const match of bodyHtml.matchAll(RENDERED_MENTION)) {
    names.set((match[1] ?? '').toLowerCase(), unescapeHtml(match[2] ?? ''))
  }
  const picked = new Map<string, string>()
  const text = body.replace(/@\{([0-9a-f-]{36})\}/gi, (token, id: string) => {
    const name = names.get(id.toLowerCase())
    if (name === undefined) return token
    picked.set(name, id)
    return `@${name}`
  })
  return { text, picked }
}
