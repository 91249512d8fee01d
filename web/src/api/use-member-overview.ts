// TanStack Query hooks for the Members overview. Keys start 'opportunities', so every membership change
// (which invalidates that prefix) refreshes the counts too.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import {
  getMemberOverview,
  listMemberOpportunities,
  type MemberOverviewQuery,
} from '../../../contracts/api/member-overview.api.js'
import { addOpportunityMember, removeOpportunityMember } from '../../../contracts/api/members.api.js'
import { callApi } from './client.js'
import { compact, opportunitiesKey } from './use-opportunities.js'

export function useMemberOverview(query: MemberOverviewQuery) {
  const q = compact(query)
  return useQuery({
    queryKey: [...opportunitiesKey, 'member-overview', q],
    queryFn: () => callApi(getMemberOverview, { query: q }),
    placeholderData: keepPreviousData,
  })
}

export function useMemberOpportunities(userId: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...opportunitiesKey, 'member-overview', userId, page, pageSize],
    queryFn: () => callApi(listMemberOpportunities, { params: { userId }, query: { page, pageSize } }),
    placeholderData: keepPreviousData,
  })
}

/** Assign or unassign one user on any opportunity (the per-opportunity member endpoints). */
export function useMemberAssignment(userId: string) {
  const queryClient = useQueryClient()
  const invalidate = () => queryClient.invalidateQueries({ queryKey: opportunitiesKey })
  const add = useMutation({
    mutationFn: (opportunityId: string) =>
      callApi(addOpportunityMember, { params: { id: opportunityId }, body: { userId } }),
    onSuccess: invalidate,
  })
  const remove = useMutation({
    mutationFn: (opportunityId: string) =>
      callApi(removeOpportunityMember, { params: { id: opportunityId, userId } }),
    onSuccess: invalidate,
  })
  return { add, remove }
}
