// The text of notification email: a plain-text part and an HTML part in which everything that came from
// people or Salesforce (names, post text, opportunity names) is escaped; the HTML carries no script, style
// or remote content. Each message names the deal, links to it and says how to stop this kind of email.
import type { NotificationKind } from '../../storage/tables/feed.table.js'
import { escapeHtml } from '../feed/timeline.js'
import type { EmailableRow } from './mail.repository.js'

const EXCERPT_CHARS = 300

const WHAT: Record<NotificationKind, (actor: string) => string> = {
  mentioned: (actor) => `${actor} mentioned you`,
  reply: (actor) => `${actor} replied to your post`,
  new_post: (actor) => `${actor} posted`,
  tracked_change: () => 'Changed in Salesforce',
  added: (actor) => `${actor} added you`,
}

export const KIND_NAMES: Record<NotificationKind, string> = {
  mentioned: 'mentions',
  reply: 'replies to your posts',
  new_post: 'new posts on your opportunities',
  tracked_change: 'changes synced from Salesforce',
  added: 'being added to an opportunity',
}

export interface MailLinks {
  opportunityUrl: string
  unsubscribeUrl: string
}

function excerpt(row: EmailableRow): string {
  if (!row.post_body || row.post_deleted) return ''
  const text = row.post_body.replace(/\s+/g, ' ').trim()
  return text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS - 1)}…` : text
}

const dealName = (row: EmailableRow) => row.opportunity_name ?? 'an opportunity'

function headline(row: EmailableRow): string {
  const actor = row.actor_name ?? 'Someone'
  const what = WHAT[row.kind](actor)
  return row.kind === 'added' ? `${what} to ${dealName(row)}` : `${what} on ${dealName(row)}`
}

export function immediateMessage(row: EmailableRow, links: MailLinks) {
  const subject = headline(row).replace(/[\r\n]+/g, ' ')
  const quote = excerpt(row)
  const text = [
    `${headline(row)}.`,
    ...(quote ? ['', quote] : []),
    '',
    `Open the opportunity: ${links.opportunityUrl}`,
    '',
    `You get this email because you chose email for ${KIND_NAMES[row.kind]}.`,
    `Stop these emails: ${links.unsubscribeUrl}`,
  ].join('\n')
  const html = page(
    `<p>${escapeHtml(headline(row))}.</p>` +
      (quote ? `<blockquote>${escapeHtml(quote)}</blockquote>` : '') +
      `<p><a href="${escapeHtml(links.opportunityUrl)}">Open the opportunity</a></p>` +
      footer(row.kind, links.unsubscribeUrl),
  )
  return { subject, text, html }
}

export function digestMessage(
  items: ReadonlyArray<{ row: EmailableRow; opportunityUrl: string }>,
  unsubscribeUrl: string,
) {
  const subject = `Your daily summary: ${items.length} update${items.length === 1 ? '' : 's'}`
  const lines = items.map(({ row, opportunityUrl }) => {
    const quote = excerpt(row)
    return { row, quote, opportunityUrl }
  })
  const text = [
    `${subject}.`,
    '',
    ...lines.flatMap(({ row, quote, opportunityUrl }) => [
      `- ${headline(row)}${quote ? `: ${quote}` : ''}`,
      `  ${opportunityUrl}`,
    ]),
    '',
    'You get this summary because you chose a daily digest by email.',
    `Stop digest emails: ${unsubscribeUrl}`,
  ].join('\n')
  const html = page(
    `<p>${escapeHtml(subject)}.</p><ul>` +
      lines
        .map(
          ({ row, quote, opportunityUrl }) =>
            `<li><a href="${escapeHtml(opportunityUrl)}">${escapeHtml(headline(row))}</a>` +
            (quote ? `<br>${escapeHtml(quote)}` : '') +
            '</li>',
        )
        .join('') +
      '</ul>' +
      `<p>You get this summary because you chose a daily digest by email. ` +
      `<a href="${escapeHtml(unsubscribeUrl)}">Stop digest emails</a>.</p>`,
  )
  return { subject, text, html }
}

function footer(kind: NotificationKind, unsubscribeUrl: string): string {
  return (
    `<p>You get this email because you chose email for ${escapeHtml(KIND_NAMES[kind])}. ` +
    `<a href="${escapeHtml(unsubscribeUrl)}">Stop these emails</a>.</p>`
  )
}

const page = (body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"></head><body>${body}</body></html>`
