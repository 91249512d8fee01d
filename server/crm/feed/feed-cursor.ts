// The feed's keyset cursor: the last post's activity time and id, opaque to clients (base64url JSON) and
// validated on the way back in, so a tampered cursor is a 400 and never an SQL error.
import { z } from 'zod'

import { AppError } from '../../errors.js'
import type { FeedKey } from './feed.repository.js'

const CursorSchema = z.strictObject({ a: z.iso.datetime(), i: z.uuid() })

export function encodeFeedCursor(key: FeedKey): string {
  return Buffer.from(JSON.stringify({ a: key.activityAt.toISOString(), i: key.id })).toString('base64url')
}

export function decodeFeedCursor(text: string): FeedKey {
  try {
    const parsed = CursorSchema.parse(JSON.parse(Buffer.from(text, 'base64url').toString('utf8')))
    return { activityAt: new Date(parsed.a), id: parsed.i }
  } catch {
    throw new AppError('VALIDATION_FAILED', 'The page cursor is not valid.', {
      cursor: 'Start again from the first page.',
    })
  }
}
