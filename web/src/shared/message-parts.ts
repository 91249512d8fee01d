// Server messages with moments as data (contracts/api/message-parts.ts), and the feed's timeline entries
// whose HTML marks the moment with <time datetime>: both shown in the reader's locale and time zone, so no
// ISO or UTC text stands beside the page's long dates (issue 17 item 1).
import type { MessagePart } from '../../../contracts/api/message-parts.js'
import { formatDateTime } from './format.js'

/** Each part as the reader sees it; a moment keeps its ISO value for a <time dateTime>. */
export function messagePieces(
  parts: readonly MessagePart[],
  locale?: string,
  timeZone?: string,
): Array<{ text: string; dateTime?: string }> {
  return parts.map((part) =>
    'text' in part
      ? { text: part.text }
      : { text: formatDateTime(part.dateTime, part.dateTime, locale, timeZone), dateTime: part.dateTime },
  )
}

const escapeHtml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

/**
 * Server-rendered HTML with each <time datetime="…">…</time> (the change timeline writes one, old entries
 * included) reading in the reader's locale; a datetime that does not parse keeps its text.
 */
export function localizeTimes(html: string, locale?: string, timeZone?: string): string {
  return html.replace(/<time datetime="([^"<>]+)">([^<]*)<\/time>/g, (whole, value: string) => {
    const shown = formatDateTime(value, '', locale, timeZone)
    return shown ? `<time datetime="${value}">${escapeHtml(shown)}</time>` : whole
  })
}
