// Notification email as the admin sees it (Module Settings > Feed): whether SMTP is configured, what the
// deliveries came to (the same figures as crm_notification_emails{state} in /metrics), the newest error and a
// hint how to fix it.
import { z } from 'zod'

import { defineEndpoint } from './endpoint.js'

/** off: no SMTP_URL; working: nothing wrong; failing: deliveries refused or not reaching the server (retried);
 * stalled: a sender stopped mid-send; unconfirmed: delivered but the server's acceptance was not heard. */
export const MailStateSchema = z.enum(['off', 'working', 'failing', 'stalled', 'unconfirmed'])
export type MailState = z.infer<typeof MailStateSchema>

export const MailStatusSchema = z.object({
  /** SMTP_URL is set. */
  configured: z.boolean(),
  /** The From address (MAIL_FROM) when configured. */
  sender: z.string().nullable(),
  state: MailStateSchema,
  /** The state, counts and last error cover the notifications of the last `days` days. */
  days: z.number(),
  counts: z.object({
    sent: z.number(),
    pending: z.number(),
    failing: z.number(),
    skipped: z.number(),
    unconfirmed: z.number(),
    stalled: z.number(),
  }),
  /** The newest error of a notification still pending or delivered unconfirmed; URL credentials removed. */
  lastError: z.object({ at: z.string(), message: z.string() }).nullable(),
  /** What the state means and what to do about it; null when all is well. */
  hint: z.string().nullable(),
})
export type MailStatus = z.infer<typeof MailStatusSchema>

export const getMailStatus = defineEndpoint({
  method: 'GET',
  path: '/api/admin/crm/mail-status',
  access: 'admin',
  tag: 'feed',
  summary:
    'Notification email: configured or not, delivery counts, the newest error and a hint how to fix it',
  response: MailStatusSchema,
})
