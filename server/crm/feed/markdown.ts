// Posts are Markdown, rendered on the server into a small, safe HTML subset: emphasis, links, lists, code.
// markdown-it (https://github.com/markdown-it/markdown-it) starts from its 'zero' preset with raw HTML off,
// so only the rules enabled here exist; sanitize-html (https://github.com/apostrophecms/sanitize-html) then
// keeps only the tags and attributes below, whatever the renderer produced, as the second line of defence.
import MarkdownIt from 'markdown-it'
import sanitizeHtml from 'sanitize-html'

const markdown = new MarkdownIt('zero', { html: false, linkify: true, breaks: true })
  .enable(['paragraph', 'list', 'fence', 'code', 'blockquote'])
  .enable(['emphasis', 'link', 'autolink', 'backticks', 'newline', 'escape', 'linkify'])

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'em', 'strong', 'a', 'ul', 'ol', 'li', 'code', 'pre', 'blockquote'],
  // rel and target are the ones transformTags sets; a post's own are replaced by them.
  allowedAttributes: { a: ['href', 'rel', 'target'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'escape',
  transformTags: {
    a: sanitizeHtml.simpleTransform('a', { rel: 'noopener noreferrer nofollow', target: '_blank' }),
  },
}
/** The safe HTML of a post's Markdown. */
export function renderPost(text: string): string {
  return sanitizeHtml(markdown.render(text), SANITIZE).trim()
}
