import { MantineProvider } from '@mantine/core'
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState, type ReactNode } from 'react'

import { isApiError } from '../api/client.js'
import { markSignedOut, sessionKey } from '../api/use-session.js'
import { cssVariablesResolver, theme } from '../theme/theme.js'

function createQueryClient(): QueryClient {
  // One place reacts to an ended session, whichever request noticed it: the guards then route to login
  // and keep the page the user was on, so they come back to it after signing in again.
  const onError = (err: Error) => {
    if (isApiError(err, 'UNAUTHENTICATED', 'SESSION_EXPIRED')) markSignedOut(queryClient, err.code)
    // A stale CSRF token means the session changed under us (another tab signed in): reload it.
    else if (isApiError(err, 'CSRF_FAILED')) void queryClient.invalidateQueries({ queryKey: sessionKey })
  }
  const queryClient: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // Retrying a 4xx only repeats the same answer; retry network hiccups and 5xx once.
        retry: (failureCount, err) =>
          failureCount < 1 && (!isApiError(err) || err.status === 0 || err.status >= 500),
        refetchOnWindowFocus: false,
      },
    },
  })
  return queryClient
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient)
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="auto">
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </MantineProvider>
  )
}
