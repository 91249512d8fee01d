// Queues the immediate emails of notifications just written, in the same transaction (one statement), so an
// email job exists exactly when its notification does. Digest emails need no job of their own: the daily
// digest job collects them.
import type { AppDeps } from '../../deps.js'
import type { Db } from '../../storage/open-database.js'
import type { Told } from '../feed/notifications.repository.js'

export const MAIL_QUEUE = 'crm-mail'

export async function queueEmails(deps: AppDeps, trx: Db, told: readonly Told[]): Promise<void> {
  const immediate = told.filter((row) => row.email_timing === 'immediate')
  // Without the job runtime (some tests), the notifications keep their pending state and the runtime queues
  // them when it starts (mail-jobs.ts).
  if (immediate.length === 0 || !deps.jobs) return
  await deps.jobs.insertWithin(
    trx,
    immediate.map((row) => ({ name: MAIL_QUEUE, data: { notificationId: row.id }, singletonKey: row.id })),
  )
}
