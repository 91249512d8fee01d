import { Button, Center, Paper, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'
import { isRouteErrorResponse, Link, useRouteError } from 'react-router'

function CenteredCard({ children, role }: { children: ReactNode; role?: 'alert' }) {
  return (
    <Center component="main" mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" maw={460} role={role}>
        <Stack gap="sm" align="flex-start">
          {children}
        </Stack>
      </Paper>
    </Center>
  )
}

export function NotFoundPage() {
  return (
    <CenteredCard>
      <Title order={1}>Page not found</Title>
      <Text c="dimmed">There is nothing at this address.</Text>
      <Button component={Link} to="/">
        Go to the start page
      </Button>
    </CenteredCard>
  )
}

/** Shown when a page crashes while rendering, instead of a blank screen. */
export function RouteErrorPage() {
  const error = useRouteError()
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />
  return (
    <CenteredCard role="alert">
      <Title order={1}>Something went wrong</Title>
      <Text c="dimmed">This page failed to load. Reloading usually helps.</Text>
      <Button onClick={() => window.location.reload()}>Reload</Button>
    </CenteredCard>
  )
}
