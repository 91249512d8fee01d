// Notification email's health for the admin (GET /api/admin/crm/mail-status): configured or not, the delivery
// figures /metrics counts, the newest error and a sentence on what to do. Faults are shown, not only counted.
import type { MailState, MailStatus } from '../../../contracts/api/mail-status.api.js'
import type { AppDeps } from '../../deps.js'
import type { Route } from '../../http/route.js'
import * as api from '../../../contracts/api/mail-status.api.js'
import { readLastMailError, readMailFigures, type MailFigures } from './mail.repository.js'

// A URL with userinfo (RFC 3986 §3.2.1, https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1), such as
// smtp://user:password@host: the userinfo is removed, the scheme and host stay.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s@]+@/gi

/** An error text without the credentials a URL in it may carry. */
export function withoutCredentials(message: string): string {
  return message.replace(URL_USERINFO, '$1')
}

const HINTS: Record<MailState, string | null> = {
  off:
    'Email is off: notifications stay in the app. To send them by email, set SMTP_URL (for example ' +
    'smtp://user:password@mail.example.com:587) and MAIL_FROM, then restart the server.',
  working: null,
  failing:
    'The SMTP server refuses these messages or cannot be reached: check the server, its port and the ' +
    'credentials in SMTP_URL, and that it accepts MAIL_FROM as the sender. Failed mails are retried ' +
    '(30 seconds, doubling, 7 times); notifications are never lost.',
  stalled:
    'A sender stopped in the middle of sending (the process ended or lost the SMTP server). These messages ' +
    'may have gone out, so they are kept and not sent again, to avoid sending twice.',
  unconfirmed:
    'Some messages were delivered but the SMTP server did not confirm them (the connection was lost at the ' +
    'end). They are not sent again, to avoid sending twice; check the connection to the SMTP server.',
}

export function mailState(configured: boolean, counts: MailFigures): MailState {
  if (!configured) return 'off'
  if (counts.failing > 0) return 'failing'
  if (counts.stalled > 0) return 'stalled'
  if (counts.unconfirmed > 0) return 'unconfirmed'
  return 'working'
}

// The admin's view covers the notifications of the last days only: one stalled or unconfirmed mail would
// otherwise keep the warning up for good (/metrics keeps the figures of all time).
export const MAIL_STATUS_DAYS = 7

export async function readMailStatus(deps: AppDeps): Promise<MailStatus> {
  const configured = deps.config.mail.smtpUrl !== undefined
  const since = new Date(deps.clock.now().getTime() - MAIL_STATUS_DAYS * 86_400_000)
  const counts = await readMailFigures(deps.db, since)
  const last = await readLastMailError(deps.db, since)
  const state = mailState(configured, counts)
  return {
    configured,
    sender: configured ? deps.config.mail.from : null,
    state,
    days: MAIL_STATUS_DAYS,
    counts,
    lastError: last ? { at: last.at.toISOString(), message: withoutCredentials(last.message) } : null,
    hint: HINTS[state],
  }
}

export function registerMailStatusRoutes(route: Route, deps: AppDeps): void {
  route(api.getMailStatus, () => readMailStatus(deps))
}
