// A message the server writes for people, cut where it names a moment: the web shows each moment in the
// reader's locale and time zone (issue 17 item 1: no ISO date beside a long date) and the text as written.
import { z } from 'zod'

export const MessagePartSchema = z.union([
  z.object({ text: z.string() }),
  /** An ISO 8601 moment in UTC. */
  z.object({ dateTime: z.string() }),
])
export type MessagePart = z.infer<typeof MessagePartSchema>
