// All Opportunities' selection: rows picked on pages, or every match of the filters ("Select all N matching
// this filter"). The second is a count the admin confirms, never a list of ids the browser holds.
export type BulkSelection = { kind: 'ids'; ids: readonly string[] } | { kind: 'matching'; count: number }

/** Offer "select all N matching" once the whole page is selected and the filters match more than the page. */
export function offersAllMatching(pageIds: readonly string[], selected: readonly string[], count?: number) {
  if (count === undefined || pageIds.length === 0 || count <= pageIds.length) return false
  const chosen = new Set(selected)
  return pageIds.every((id) => chosen.has(id))
}

export function selectionCount(selection: BulkSelection): number {
  return selection.kind === 'ids' ? selection.ids.length : selection.count
}

const deals = (count: number, locale?: string) =>
  `${new Intl.NumberFormat(locale).format(count)} opportunit${count === 1 ? 'y' : 'ies'}`

/** The confirmation's question, stating the count the server will check. */
export function confirmQuestion(action: 'add' | 'remove', userName: string, count: number, locale?: string) {
  return action === 'add'
    ? `Add ${userName} to all ${deals(count, locale)} matching this filter?`
    : `Remove ${userName} from all ${deals(count, locale)} matching this filter?`
}

/** What the change did, as the bar reports it. */
export function bulkResultSentence(
  action: 'add' | 'remove',
  userName: string,
  result: { changed: number; unchanged: number; notFound?: readonly string[] },
): string {
  const verb = action === 'add' ? 'Added' : 'Removed'
  const parts = [`${verb} ${userName} on ${deals(result.changed)}`]
  if (result.unchanged)
    parts.push(`${result.unchanged} already ${action === 'add' ? 'had' : 'did not have'} them`)
  if (result.notFound?.length) parts.push(`${result.notFound.length} no longer exist`)
  return `${parts.join('; ')}.`
}
