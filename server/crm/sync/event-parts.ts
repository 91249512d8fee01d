// A Sync Log event's message as parts: the moments it names become data, so the web shows them in the
// reader's locale and time zone (issue 17 item 1). The stored message keeps its ISO 8601 text (logs, older
// clients); an event lists the moments it wrote in details.dates. Rows written before that list carry the
// one moment they name as details.since, which is read the same way; a message with neither is one text part.
import type { MessagePart } from '../../../contracts/api/message-parts.js'

function datesOf(details: Record<string, unknown>): string[] {
  const listed = Array.isArray(details['dates']) ? details['dates'] : [details['since']]
  return listed.filter((value): value is string => typeof value === 'string' && value !== '')
}

export function eventParts(message: string, details: Record<string, unknown>): MessagePart[] {
  let parts: MessagePart[] = [{ text: message }]
  for (const date of datesOf(details))
    parts = parts.flatMap((part) => {
      if (!('text' in part) || !part.text.includes(date)) return [part]
      return part.text
        .split(date)
        .flatMap((text, index): MessagePart[] => [...(index > 0 ? [{ dateTime: date }] : []), { text }])
    })
  return parts.filter((part) => !('text' in part) || part.text !== '')
}
