// Sends email over SMTP with nodemailer (https://nodemailer.com/smtp/), configured by SMTP_URL
// (smtp://user:pass@host:587 with STARTTLS when the server offers it, smtps:// for implicit TLS).
import nodemailer from 'nodemailer'

import type { Config } from '../../config.js'

export interface OutgoingMail {
  to: string
  subject: string
  text: string
  html: string
  headers: Record<string, string>
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

/** Undefined when no SMTP_URL is configured: email is off, notifications stay in the app. */
export function createMailer(mail: Config['mail']): Mailer | undefined {
  if (!mail.smtpUrl) return undefined
  const transport = nodemailer.createTransport(mail.smtpUrl)
  return {
    send: async (message) => {
      await transport.sendMail({ from: mail.from, ...message })
    },
    close: () => transport.close(),
  }
}

// System errors of a connection that never opened: no message can have reached the server.
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])

/**
 * What a failed send means for the message (nodemailer's error fields, https://nodemailer.com/errors/):
 * `refused` when the server answered with a 4xx/5xx reply, `not_sent` when no connection was made (both: it
 * was not delivered, send it again later), `unconfirmed` otherwise: the connection was lost or timed out
 * mid-session, possibly after the server took the message, so sending again could deliver it twice.
 */
export function failedSend(err: unknown): 'refused' | 'not_sent' | 'unconfirmed' {
  const fields = (typeof err === 'object' && err !== null ? err : {}) as {
    responseCode?: unknown
    code?: unknown
    originalCode?: unknown
  }
  if (typeof fields.responseCode === 'number' && fields.responseCode >= 400) return 'refused'
  if (fields.code === 'EDNS') return 'not_sent'
  for (const code of [fields.originalCode, fields.code])
    if (typeof code === 'string' && NOT_CONNECTED.has(code)) return 'not_sent'
  return 'unconfirmed'
}
