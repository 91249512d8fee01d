import { Button, Paper, Stack, Text, Title } from '@mantine/core'
import { Link } from 'react-router'

import { useDocumentTitle } from '../components/use-document-title.js'

/** What a member sees at /admin/…; the API refuses them too (403), this only explains it. */
export function AdminsOnlyPage() {
  useDocumentTitle('Admins only')
  return (
    <Paper withBorder p="xl" maw={520}>
      <Stack gap="sm" align="flex-start">
        <Title order={1}>Admins only</Title>
        <Text c="dimmed">
          The Admin Portal is for network admins. If you need access, ask an admin to change your role.
        </Text>
        <Button component={Link} to="/portal">
          Back to the User Portal
        </Button>
      </Stack>
    </Paper>
  )
}
