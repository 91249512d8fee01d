// TanStack Query hooks for portal edits: the admin's settings, what the signed-in user may edit, and the edit
// itself (optimistic: the detail shows the new value at once, and goes back to the saved one if Salesforce
// refuses). Keys start 'edits'; a saved edit also refreshes the 'opportunities' queries.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import {
  editOpportunity,
  getEditOptions,
  getEditSettings,
  updateEditSettings,
  type EditSettings,
  type EditValue,
} from '../../../contracts/api/edits.api.js'
import type { OpportunityDetail } from '../../../contracts/api/opportunities.api.js'
import { callApi } from './client.js'
import { opportunitiesKey } from './use-opportunities.js'

const editsKey = ['edits'] as const

export function useEditSettings() {
  return useQuery({ queryKey: [...editsKey, 'settings'], queryFn: () => callApi(getEditSettings) })
}

export function useUpdateEditSettings() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: EditSettings) => callApi(updateEditSettings, { body }),
    onSuccess: (answer) => {
      queryClient.setQueryData([...editsKey, 'settings'], answer)
      return queryClient.invalidateQueries({ queryKey: editsKey })
    },
  })
}

export function useEditOptions() {
  return useQuery({ queryKey: [...editsKey, 'options'], queryFn: () => callApi(getEditOptions) })
}

export interface EditInput {
  id: string
  lastModifiedDate: string
  values: Record<string, EditValue>
}

/** The detail query's key (use-opportunities.ts useMyOpportunity). */
const detailKey = (id: string) => [...opportunitiesKey, 'mine', 'detail', id]

/**
 * One edit. The idempotency key is made once per edit, so a retry of the same mutation (a double click, a
 * network retry) is answered with the first answer and never writes twice.
 */
export function useEditOpportunity() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (input: EditInput & { idempotencyKey: string }) =>
      callApi(editOpportunity, {
        params: { id: input.id },
        body: {
          idempotencyKey: input.idempotencyKey,
          lastModifiedDate: input.lastModifiedDate,
          values: input.values,
        },
      }),
    // Optimistic: the detail shows the new values while Salesforce is asked; the snapshot puts it back.
    onMutate: async (input) => {
      const key = detailKey(input.id)
      await queryClient.cancelQueries({ queryKey: key })
      const before = queryClient.getQueryData<{ opportunity: OpportunityDetail }>(key)
      if (before) {
        const changed: Record<string, unknown> = {}
        for (const [field, value] of Object.entries(input.values)) {
          const property = detailPropertyOf[field]
          if (property) changed[property] = value
        }
        queryClient.setQueryData(key, { opportunity: { ...before.opportunity, ...changed } })
      }
      return { before }
    },
    onError: (_error, input, context) => {
      if (context?.before) queryClient.setQueryData(detailKey(input.id), context.before)
    },
    onSuccess: (answer, input) => {
      queryClient.setQueryData(detailKey(input.id), { opportunity: answer.opportunity })
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: opportunitiesKey }),
  })
}

/** Field API name → the detail's property, for the optimistic value of the standard fields. */
export const detailPropertyOf: Record<string, keyof OpportunityDetail> = {
  StageName: 'stageName',
  Amount: 'amount',
  CloseDate: 'closeDate',
  Probability: 'probability',
  NextStep: 'nextStep',
  Name: 'name',
  Type: 'type',
  LeadSource: 'leadSource',
  Description: 'description',
}

export function newIdempotencyKey(): string {
  return crypto.randomUUID()
}
