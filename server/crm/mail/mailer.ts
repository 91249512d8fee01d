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
// nodemailer's codes for a connection lost, cut or garbled mid-session. Its `command` on them is 'CONN' in
// every stage (node_modules/nodemailer/dist/esm/smtp-connection/index.js, _onClose/_onError), so they may
// come after DATA, while the server holds the message. Every other code (EDNS, ECONFIG, EAUTH, ETLS,
// EENVELOPE, EMESSAGE, ESTREAM, ...) is raised before the message is handed over.
const MAYBE_AFTER_DATA = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EPROTOCOL'])
// The timeouts of connecting, of waiting for the greeting and of the STARTTLS handshake (timeoutType):
// all end before MAIL FROM, let alone DATA. SOCKET_TIMEOUT (inactivity) can strike at any stage.
const SETUP_TIMEOUTS = new Set(['CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT'])
// Certificate checks fail the TLS handshake, which precedes every SMTP command (smtps) or MAIL FROM (STARTTLS).
const CERTIFICATE = /^(CERT_|ERR_TLS_CERT|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_)/

/**
 * What a failed send means for the message (nodemailer's error fields, https://nodemailer.com/errors/):
 * `refused` when the server answered with a 4xx/5xx reply, `not_sent` when the failure came before the
 * message was handed over (both: it was not delivered, send it again later), `unconfirmed` when the
 * connection was lost or timed out at a point that may be after DATA, so sending again could deliver twice.
 */
export function failedSend(err: unknown): 'refused' | 'not_sent' | 'unconfirmed' {
  const fields = (typeof err === 'object' && err !== null ? err : {}) as {
    responseCode?: unknown
    code?: unknown
    originalCode?: unknown
    command?: unknown
    timeoutType?: unknown
  }
  if (typeof fields.responseCode === 'number' && fields.responseCode >= 400) return 'refused'
  if (typeof fields.code !== 'string' || !MAYBE_AFTER_DATA.has(fields.code)) return 'not_sent'
  // Raised at a named command before the message (EHLO, STARTTLS, MAIL FROM, RCPT TO) or by the API.
  const { command } = fields
  if (typeof command === 'string' && command !== 'CONN' && command !== 'DATA') return 'not_sent'
  if (fields.code === 'ETIMEDOUT' && SETUP_TIMEOUTS.has(fields.timeoutType as string)) return 'not_sent'
  const original = typeof fields.originalCode === 'string' ? fields.originalCode : ''
  if (NOT_CONNECTED.has(original) || CERTIFICATE.test(original)) return 'not_sent'
  return 'unconfirmed'
}
