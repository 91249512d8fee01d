// The change timeline (issue 15 item 2): what a sync page changed in tracked fields becomes system entries in
// each opportunity's feed ("Stage: Proposal → Negotiation, changed in Salesforce by <LastModifiedBy> <when>"), written in the page's
// own transaction, and the deal's members are told. Entries are plain text with escaped HTML; the structured
// change (field, from, to, currency, when) is kept beside them for the web to format in the reader's locale.
import type { AppDeps } from '../../deps.js'
import type { Db } from '../../storage/open-database.js'
import { queueEmails } from '../mail/mail-queue.js'
import { notifyTrackedChanges } from './notifications.repository.js'
import {
  findPageChanges,
  insertSystemEntries,
  type FieldChangeRow,
  type SystemEntry,
} from './timeline.repository.js'

const LABELS: Record<string, string> = {
  StageName: 'Stage',
  Amount: 'Amount',
  CloseDate: 'Close date',
  Probability: 'Probability',
  NextStep: 'Next step',
  ForecastCategoryName: 'Forecast category',
  Name: 'Name',
  Type: 'Type',
  LeadSource: 'Lead source',
  OwnerId: 'Owner',
}

/** A field's name as the timeline and the bell show it (Outcome and IsDeleted as they are). */
export function fieldLabel(field: string): string {
  return LABELS[field] ?? field
}

/** The fields an admin may track (Outcome and IsDeleted always have entries). */
export const TRACKABLE_FIELDS = Object.keys(LABELS)

const OUTCOME: Record<string, string> = { won: 'Won', lost: 'Lost', open: 'Reopened' }

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/** One formatter per currency: building an Intl.NumberFormat costs more than formatting with it. */
const amountFormats = new Map<string, Intl.NumberFormat>()
const plainAmount = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })

function formatAmount(value: string, currency: string | null): string {
  const amount = Number(value)
  if (!currency) return plainAmount.format(amount)
  try {
    let format = amountFormats.get(currency)
    if (!format) {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'code' })
      amountFormats.set(currency, format)
    }
    return format.format(amount).replace(/\u00a0/g, ' ')
  } catch {
    // Not an ISO 4217 code Intl knows: the number and the code as Salesforce sent it.
    return `${currency} ${amount.toFixed(2)}`
  }
}

function formatValue(change: FieldChangeRow, side: 'old' | 'new'): string {
  const value = side === 'old' ? change.old_value : change.new_value
  const label = side === 'old' ? change.old_label : change.new_label
  if (value === null || value === '') return '(none)'
  switch (change.field) {
    case 'Amount':
      return formatAmount(value, label ?? change.currency)
    case 'Probability':
      return `${Number(value)}%`
    case 'OwnerId':
      return label ?? value
    default:
      return value
  }
}

// The text's moment in UTC is for mail and notification excerpts, which have no reader's locale; the page
// shows the <time datetime> of the HTML in the reader's locale and zone instead (web: localizeTimes).
const formatWhen = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`

/** The text and HTML of one change. */
export function describeChange(change: FieldChangeRow): { body: string; bodyHtml: string } {
  const at = change.last_modified_date ?? change.system_modstamp
  const when = formatWhen(at)
  const time = `<time datetime="${at.toISOString()}">${when}</time>`
  // Who made the change, when a person did (timeline.repository.ts: automation and deletes name nobody).
  const by = change.changed_by
    ? { text: ` by ${change.changed_by}`, html: ` by ${escapeHtml(change.changed_by)}` }
    : { text: '', html: '' }
  if (change.field === 'Outcome' || change.field === 'IsDeleted') {
    const what =
      change.field === 'Outcome'
        ? (OUTCOME[change.new_value ?? ''] ?? 'Changed')
        : change.new_value === 'true'
          ? 'Deleted'
          : 'Restored from the recycle bin'
    return {
      body: `${what} in Salesforce${by.text}, ${when}`,
      bodyHtml: `<p><strong>${escapeHtml(what)}</strong> in Salesforce${by.html}, ${time}</p>`,
    }
  }
  const label = fieldLabel(change.field)
  const from = formatValue(change, 'old')
  const to = formatValue(change, 'new')
  return {
    body: `${label}: ${from} → ${to}, changed in Salesforce${by.text} ${when}`,
    bodyHtml:
      `<p><strong>${escapeHtml(label)}</strong>: ${escapeHtml(from)} → ${escapeHtml(to)}, ` +
      `changed in Salesforce${by.html} ${time}</p>`,
  }
}

export function toSystemEntry(change: FieldChangeRow): SystemEntry {
  const at = change.last_modified_date ?? change.system_modstamp
  return {
    opportunityId: change.opportunity_id,
    key: `${change.field}@${change.system_modstamp.toISOString()}`,
    field: change.field,
    ...describeChange(change),
    change: {
      field: change.field,
      from: change.old_value,
      to: change.new_value,
      fromLabel: change.old_label,
      toLabel: change.new_label,
      currency: change.currency,
      by: change.changed_by,
      at: at.toISOString(),
    },
  }
}

/** Adds system entries (no author) to feeds; an entry already written (same key) is not written again. */
export async function addSystemEntries(db: Db, entries: readonly SystemEntry[], at: Date) {
  return insertSystemEntries(db, entries, at)
}

/**
 * In a sync page's transaction, before the page overwrites the cache: entries for what changed, and
 * notifications to the deals' members (emails queued in the same transaction). Returns the entries written.
 */
export async function recordPageChanges(deps: AppDeps, trx: Db): Promise<number> {
  const changes = await findPageChanges(trx)
  if (changes.length === 0) return 0
  const at = deps.clock.now()
  const written = await addSystemEntries(trx, changes.map(toSystemEntry), at)
  const told = await notifyTrackedChanges(trx, written, at, deps.config.mail.smtpUrl !== undefined)
  await queueEmails(deps, trx, told)
  return written.length
}
