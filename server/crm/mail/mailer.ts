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
