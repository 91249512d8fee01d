import { Center, Group, Paper, Stack, Text, Title } from '@mantine/core'
import type { ReactNode } from 'react'

import { BrandMark } from '../components/BrandMark.js'
import { useDocumentTitle } from '../components/use-document-title.js'

/** The centred card used by sign-in, first-run setup and password reset. */
export function AuthLayout({
  title,
  intro,
  children,
}: {
  title: string
  intro?: ReactNode
  children: ReactNode
}) {
  useDocumentTitle(title)
  return (
    <Center mih="100vh" p="md" bg="var(--mantine-color-default-hover)">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Paper
        component="main"
        id="main"
        tabIndex={-1}
        withBorder
        shadow="sm"
        radius="lg"
        p={{ base: 'lg', sm: 'xl' }}
        w="100%"
        maw={400}
        style={{ outline: 'none' }}
      >
        <Stack gap="md">
          <Group gap={10} aria-hidden="true">
            <BrandMark />
            <Text fw={600}>CRM</Text>
          </Group>
          <Title order={1}>{title}</Title>
          {intro && <div>{intro}</div>}
          {children}
        </Stack>
      </Paper>
    </Center>
  )
}
