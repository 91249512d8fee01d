// Posts are Markdown, rendered on the server into a small, safe HTML subset: emphasis, links, lists, code,
// and mentions. markdown-it (https://github.com/markdown-it/markdown-it) starts from its 'zero' preset with
// raw HTML off, so only the rules enabled here exist; sanitize-html
// (https://github.com/apostrophecms/sanitize-html) then keeps only the tags and attributes below, whatever
// the renderer produced, as the second line of defence.
import MarkdownIt from 'markdown-it'
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs'
import sanitizeHtml from 'sanitize-html'

/** A mention as the composer writes it: `@{<user id>}`; the server shows it as "@Name". */
const MENTION = /@\{([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}/gi
const MENTION_AT_START = /^@\{([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}/i

/** The user ids a post mentions, lower-cased, each once. */
export function mentionedUserIds(text: string): string[] {
  return [...new Set([...text.matchAll(MENTION)].map((match) => (match[1] ?? '').toLowerCase()))]
}

const markdown = new MarkdownIt('zero', { html: false, linkify: true, breaks: true })
  .enable(['paragraph', 'list', 'fence', 'code', 'blockquote'])
  .enable(['emphasis', 'link', 'autolink', 'backticks', 'newline', 'escape', 'linkify'])

markdown.inline.ruler.push('mention', (state: StateInline, silent: boolean) => {
  if (state.src.charCodeAt(state.pos) !== 0x40 /* @ */) return false
  const match = MENTION_AT_START.exec(state.src.slice(state.pos))
  if (!match) return false
  if (!silent) {
    const token = state.push('mention', '', 0)
    token.meta = { userId: (match[1] ?? '').toLowerCase() }
  }
  state.pos += match[0].length
  return true
})

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'a', 'ul', 'ol', 'li', 'code', 'pre', 'blockquote', 'span'],
  // rel and target are the ones transformTags sets; a post's own are replaced by them.
  allowedAttributes: { a: ['href', 'rel', 'target'], ol: ['start'], span: ['class', 'data-user-id'] },
  allowedClasses: { span: ['mention'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
  },
}

/** The safe HTML of a post's Markdown; `names` gives the display name of each mentioned user id. */
export function renderPost(text: string, names: ReadonlyMap<string, string> = new Map()): string {
  const env = { names }
  const html = markdown.renderer.render(markdown.parse(text, env), markdown.options, env)
  return sanitizeHtml(html, SANITIZE).trim()
}

markdown.renderer.rules['mention'] = (
  tokens,
  index,
  _options,
  env: { names: ReadonlyMap<string, string> },
) => {
  const userId = String((tokens[index]?.meta as { userId: string }).userId)
  const name = env.names.get(userId) ?? 'someone'
  return `<span class="mention" data-user-id="${userId}">@${markdown.utils.escapeHtml(name)}</span>`
}
