// Loading and error states shared by every query, so each page shows the same calm placeholder.
import { Alert, Button, Center, Group, Loader, Text } from '@mantine/core'

import { isApiError } from '../api/client.js'

export function Spinner({ label, fullPage = false }: { label: string; fullPage?: boolean }) {
  return (
    <Center role="status" mih={fullPage ? '100vh' : 120}>
      <Group gap="xs">
        <Loader size="sm" aria-hidden="true" />
        <Text c="dimmed">{label}…</Text>
      </Group>
    </Center>
  )
}

export function errorMessage(error: unknown): string {
  if (isApiError(error, 'FORBIDDEN')) return 'You do not have access to this.'
  if (error instanceof Error && error.message) return error.message
  return 'Something went wrong. Try again.'
}

export function QueryError({
  error,
  onRetry,
  fullPage = false,
}: {
  error: unknown
  onRetry?: () => void
  fullPage?: boolean
}) {
  return (
    <Center role="alert" mih={fullPage ? '100vh' : undefined}>
      <Alert color="red" w="100%" maw={fullPage ? 480 : undefined}>
        <Text>{errorMessage(error)}</Text>
        {onRetry && (
          <Button variant="default" mt="sm" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Alert>
    </Center>
  )
}
