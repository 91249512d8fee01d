// TanStack Query hooks for the opportunity pages: the member's list, summary and detail, and the admin's All
// Opportunities, members, suggestions, assignment settings and access explanation. Keys start 'opportunities'.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import {
  acceptMemberSuggestions,
  addMemberAsMember,
  addOpportunityMember,
  bulkChangeMembers,
  explainAccess,
  getAssignmentSettings,
  getOpportunityForAdmin,
  importAssignments,
  listAddablePeople,
  listAssignableUsers,
  listMemberSuggestions,
  removeOpportunityMember,
  updateAssignmentSettings,
} from '../../../contracts/api/members.api.js'
import {
  getAllOpportunitiesTotals,
  getMyOpportunity,
  getMyOpportunitySummary,
  listAllOpportunities,
  listMyOpportunities,
  type MemberOpportunityListQuery,
  type OpportunityFilters,
  type OpportunityListQuery,
} from '../../../contracts/api/opportunities.api.js'
import { bulkChangeMembersByFilter } from '../../../contracts/api/bulk-by-filter.api.js'
import { getOpportunityFilterOptions } from '../../../contracts/api/opportunity-filters.api.js'
import { callApi, isApiError } from './client.js'

export const opportunitiesKey = ['opportunities'] as const

/** Drops empty values so query keys (and URLs) stay the same for "no filter". */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || item === '' || (Array.isArray(item) && item.length === 0)) continue
    out[key] = item
  }
  return out as T
}

/** 404 and 410 are answers, not hiccups: do not retry them. */
function retry(count: number, error: unknown): boolean {
  if (isApiError(error, 'NOT_FOUND', 'OPPORTUNITY_DELETED', 'FORBIDDEN', 'MODULE_DISABLED')) return false
  return count < 2
}

export function useMyOpportunities(query: MemberOpportunityListQuery) {
  const q = compact(query)
  return useQuery({
    queryKey: [...opportunitiesKey, 'mine', 'list', q],
    queryFn: () => callApi(listMyOpportunities, { query: q }),
    placeholderData: keepPreviousData,
    retry,
  })
}

export function useMySummary(filters: Omit<OpportunityFilters, 'owner' | 'members' | 'activityDays'>) {
  const q = compact(filters)
  return useQuery({
    queryKey: [...opportunitiesKey, 'mine', 'summary', q],
    queryFn: () => callApi(getMyOpportunitySummary, { query: q }),
    placeholderData: keepPreviousData,
    retry,
  })
}

export function useMyOpportunity(id: string) {
  return useQuery({
    queryKey: [...opportunitiesKey, 'mine', 'detail', id],
    queryFn: () => callApi(getMyOpportunity, { params: { id } }),
    retry,
  })
}

export function useAllOpportunities(query: OpportunityListQuery) {
  const q = compact(query)
  return useQuery({
    queryKey: [...opportunitiesKey, 'all', 'list', q],
    queryFn: () => callApi(listAllOpportunities, { query: q }),
    placeholderData: keepPreviousData,
    retry,
  })
}

export function useAllOpportunitiesTotals(filters: OpportunityFilters) {
  const q = compact(filters)
  return useQuery({
    queryKey: [...opportunitiesKey, 'all', 'totals', q],
    queryFn: () => callApi(getAllOpportunitiesTotals, { query: q }),
    placeholderData: keepPreviousData,
    retry,
  })
}

/** Every stage and owner for the filter menus; they change only with a sync, so keep them a minute. */
export function useFilterOptions() {
  return useQuery({
    queryKey: [...opportunitiesKey, 'all', 'filter-options'],
    queryFn: () => callApi(getOpportunityFilterOptions),
    staleTime: 60_000,
    retry,
  })
}

export function useAdminOpportunity(id: string) {
  return useQuery({
    queryKey: [...opportunitiesKey, 'admin', id],
    queryFn: () => callApi(getOpportunityForAdmin, { params: { id } }),
    retry,
  })
}

export function useMemberSuggestions(id: string, enabled = true) {
  return useQuery({
    queryKey: [...opportunitiesKey, 'admin', id, 'suggestions'],
    queryFn: () => callApi(listMemberSuggestions, { params: { id } }),
    enabled,
    retry,
  })
}

export function useAssignableUsers(search: string, opportunityId?: string) {
  const q = compact({ search: search.trim(), opportunityId })
  return useQuery({
    queryKey: [...opportunitiesKey, 'assignable-users', q],
    queryFn: () => callApi(listAssignableUsers, { query: q }),
    placeholderData: keepPreviousData,
  })
}

/** The portal's "Add people": whether the viewer may add members to the deal, and whom (by name). */
export function useAddablePeople(id: string, search: string) {
  const q = compact({ search: search.trim() })
  return useQuery({
    queryKey: [...opportunitiesKey, id, 'addable-people', q],
    queryFn: () => callApi(listAddablePeople, { params: { id }, query: q }),
    placeholderData: keepPreviousData,
    retry,
  })
}

/** Every change to who works on what invalidates everything opportunity-shaped. */
function useInvalidate() {
  const queryClient = useQueryClient()
  return () => queryClient.invalidateQueries({ queryKey: opportunitiesKey })
}

export function useAddMember(id: string) {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (userId: string) => callApi(addOpportunityMember, { params: { id }, body: { userId } }),
    onSuccess: invalidate,
  })
}

/** A member (or admin) adds a colleague from the portal (allowed by the feed settings). */
export function useAddMemberAsMember(id: string) {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (userId: string) => callApi(addMemberAsMember, { params: { id }, body: { userId } }),
    onSuccess: invalidate,
  })
}

export function useRemoveMember(id: string) {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (userId: string) => callApi(removeOpportunityMember, { params: { id, userId } }),
    onSuccess: invalidate,
  })
}

export function useAcceptSuggestions(id: string) {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (userIds: string[] | undefined) =>
      callApi(acceptMemberSuggestions, { params: { id }, body: userIds ? { userIds } : {} }),
    onSuccess: invalidate,
  })
}

export function useBulkMembers() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (body: { opportunityIds: string[]; userId: string; action: 'add' | 'remove' }) =>
      callApi(bulkChangeMembers, { body }),
    onSuccess: invalidate,
  })
}

/**
 * "Select all N matching": one user on every match of the filters. A 409 SELECTION_CHANGED (the count moved)
 * changes nothing, but the count on screen is stale, so every answer refreshes the lists and totals.
 */
export function useBulkMembersByFilter() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (body: {
      filters: OpportunityFilters
      expectedCount: number
      userId: string
      action: 'add' | 'remove'
    }) => callApi(bulkChangeMembersByFilter, { body: { ...body, filters: compact(body.filters) } }),
    onSettled: invalidate,
  })
}

/** CSV import of assignments; a dry run changes nothing, so only a real import refreshes the lists. */
export function useImportAssignments() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (body: { csv: string; dryRun: boolean }) => callApi(importAssignments, { body }),
    onSuccess: (result) => (result.dryRun ? undefined : invalidate()),
  })
}

export function useAssignmentSettings() {
  return useQuery({
    queryKey: [...opportunitiesKey, 'assignment-settings'],
    queryFn: () => callApi(getAssignmentSettings),
  })
}

export function useUpdateAssignmentSettings() {
  const invalidate = useInvalidate()
  return useMutation({
    mutationFn: (autoAssign: boolean) => callApi(updateAssignmentSettings, { body: { autoAssign } }),
    onSuccess: invalidate,
  })
}

export function useAccessExplanation(userId: string | null, opportunityId: string | null) {
  return useQuery({
    queryKey: [...opportunitiesKey, 'access-explanation', userId, opportunityId],
    queryFn: () =>
      callApi(explainAccess, { query: { userId: userId ?? '', opportunityId: opportunityId ?? '' } }),
    enabled: Boolean(userId && opportunityId),
    retry,
  })
}
