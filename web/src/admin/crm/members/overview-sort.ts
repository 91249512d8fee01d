// The Members overview's sort menu and the sentences beside each assignment. Pipelines are sorted one currency
// at a time (the server never compares amounts in different currencies), so the menu offers one entry per
// currency the overview reports.
import type {
  MemberOpportunity,
  MemberOverviewSort,
} from '../../../../../contracts/api/member-overview.api.js'

export interface OverviewSort {
  sort: MemberOverviewSort
  direction: 'asc' | 'desc'
  currency?: string
}

export interface OverviewSortOption {
  value: string
  label: string
  sort: OverviewSort
}

export const defaultOverviewSort = 'name-asc'

export function overviewSortOptions(currencies: readonly string[]): OverviewSortOption[] {
  return [
    { value: 'name-asc', label: 'Name A–Z', sort: { sort: 'name', direction: 'asc' } },
    { value: 'name-desc', label: 'Name Z–A', sort: { sort: 'name', direction: 'desc' } },
    {
      value: 'opportunities-desc',
      label: 'Most opportunities',
      sort: { sort: 'opportunities', direction: 'desc' },
    },
    {
      value: 'opportunities-asc',
      label: 'Fewest opportunities',
      sort: { sort: 'opportunities', direction: 'asc' },
    },
    { value: 'manual-desc', label: 'Most manual', sort: { sort: 'manual', direction: 'desc' } },
    { value: 'automatic-desc', label: 'Most automatic', sort: { sort: 'automatic', direction: 'desc' } },
    ...currencies.map((currency) => ({
      value: `pipeline-desc-${currency}`,
      label: `Largest open pipeline in ${currency}`,
      sort: { sort: 'pipeline' as const, direction: 'desc' as const, currency },
    })),
  ]
}

/** The chosen entry's sort; a pipeline currency no longer in the overview falls back to names. */
export function overviewSortFor(value: string, currencies: readonly string[]): OverviewSortOption {
  const options = overviewSortOptions(currencies)
  return options.find((option) => option.value === value) ?? options[0]!
}

/** How the user got the deal, in words. */
export function assignmentLabel(
  item: Pick<MemberOpportunity, 'isManual' | 'viaOwnerRule' | 'viaTeamRule'>,
): string {
  const rules = [
    item.viaOwnerRule && 'Salesforce owner',
    item.viaTeamRule && 'opportunity team member',
  ].filter((rule): rule is string => Boolean(rule))
  const automatic = rules.length > 0 ? `Automatic (${rules.join(', ')})` : null
  if (item.isManual && automatic) return `Added by an admin; also ${automatic.toLowerCase()}`
  if (item.isManual) return 'Added by an admin'
  return automatic ?? 'Not assigned'
}

/**
 * Why Remove is not offered, or what it leaves: automatic assignments follow Salesforce, so they end when the
 * user stops being the owner or team member there, or when automatic assignment is turned off.
 */
export function removalNote(
  item: Pick<MemberOpportunity, 'isManual' | 'viaOwnerRule' | 'viaTeamRule'>,
): string | null {
  const automatic = item.viaOwnerRule || item.viaTeamRule
  if (!automatic) return null
  return item.isManual
    ? 'Remove takes away the manual assignment only; the automatic one stays while Salesforce says so.'
    : 'Automatic: it cannot be removed here. It ends when Salesforce no longer lists them as owner or team member, or when automatic assignment is turned off.'
}
