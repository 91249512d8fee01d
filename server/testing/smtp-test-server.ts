// A real SMTP server for tests (smtp-server, https://nodemailer.com/extras/smtp-server/) on a loopback
// port: it accepts every message and parses it with mailparser, or refuses the next deliveries with a
// temporary error (451) to test retries, or takes the next messages and drops the connection before its
// reply, as a server that accepted a message and then lost the connection would (the sender cannot tell).
import type { Socket } from 'node:net'

import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

import { waitFor } from './timing.js'

export interface SmtpTestServer {
  /** smtp://127.0.0.1:port */
  url: string
  messages: ParsedMail[]
  /** Refuse the next `count` messages with 451. */
  refuseNext(count: number): void
  /** Keep the next `count` messages (they count as received) but close the connection instead of answering. */
  dropAfterDataNext(count: number): void
  /** Waits until at least `count` messages arrived; returns them all. */
  waitForMessages(count: number): Promise<ParsedMail[]>
  close(): Promise<void>
}

export async function startSmtpTestServer(): Promise<SmtpTestServer> {
  const messages: ParsedMail[] = []
  let refusals = 0
  let drops = 0
  // The client sockets by their port, so a message's session can find its connection to drop it.
  const sockets = new Map<number, Socket>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        if (refusals > 0) {
          refusals -= 1
          const err = Object.assign(new Error('Try again later (test refusal)'), { responseCode: 451 })
          return callback(err)
        }
        simpleParser(Buffer.concat(chunks))
          .then((parsed) => {
            messages.push(parsed)
            if (drops === 0) return callback()
            drops -= 1
            sockets.get(session.remotePort)?.destroy()
          })
          .catch((err: Error) => callback(err))
      })
    },
  })
  server.server.on('connection', (socket: Socket) => {
    const port = socket.remotePort ?? 0
    sockets.set(port, socket)
    socket.on('close', () => sockets.delete(port))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuseNext: (count) => (refusals = count),
    dropAfterDataNext: (count) => (drops = count),
    waitForMessages: async (count) => {
      await waitFor(() => {
        if (messages.length < count) throw new Error(`${messages.length} of ${count} emails arrived`)
      })
      return messages
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
