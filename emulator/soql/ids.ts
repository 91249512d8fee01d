// Random record-like ids for cursors (01g…) and Bulk jobs (750…): 15 case-sensitive characters plus the
// case-checksum suffix of 18-character ids, computed by the org's id module. These ids never enter the org.

import { randomBytes } from 'node:crypto'
import { checksumSuffix } from '../org/ids.js'

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

export function randomId18(prefix: string): string {
  let id = prefix
  for (const b of randomBytes(15 - prefix.length)) id += ALPHANUM[b % ALPHANUM.length]
  return id + checksumSuffix(id)
}
