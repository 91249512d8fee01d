// TanStack Query hooks for "Connect my Salesforce account": the signed-in user's own link, Connect (the browser
// goes to Salesforce's login) and Disconnect. Keys start 'salesforce-account'.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import {
  disconnectSalesforceAccount,
  getSalesforceAccount,
  startSalesforceAccountLink,
} from '../../../contracts/api/salesforce-account.api.js'
import { callApi } from './client.js'

const accountKey = ['salesforce-account'] as const

export function useSalesforceAccount() {
  return useQuery({ queryKey: accountKey, queryFn: () => callApi(getSalesforceAccount) })
}

export function useConnectSalesforceAccount() {
  return useMutation({
    mutationFn: () => callApi(startSalesforceAccountLink),
    onSuccess: ({ authorizeUrl }) => window.location.assign(authorizeUrl),
  })
}

export function useDisconnectSalesforceAccount() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => callApi(disconnectSalesforceAccount),
    onSuccess: (answer) => queryClient.setQueryData(accountKey, answer.account),
  })
}
