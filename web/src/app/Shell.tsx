// The frame of both portals (Mantine AppShell): skip link, header (name, portal switcher for admins, the
// signed-in person and sign out), the portal's navigation (a drawer behind a burger on a phone) and the page.
// Pages render their own <h1>.
import { AppShell, Burger, Button, Container, Group, Stack, Text, VisuallyHidden } from '@mantine/core'
import { useDisclosure } from '@mantine/hooks'
import { lazy, Suspense, useEffect } from 'react'
import { Link, Outlet, useLocation } from 'react-router'

import { useLiveEvents } from '../api/use-live-events.js'
import { useSession } from '../api/use-session.js'
import { BrandMark } from '../components/BrandMark.js'
import { PersonAvatar } from '../components/PersonAvatar.js'
import { CrmAttentionBanner } from '../admin/crm/CrmAttentionBanner.js'
import { AdminNav, UserNav } from './Nav.js'
import { SignOutButton } from './SignOutButton.js'

type Portal = 'user' | 'admin'

// Loaded after the first page (its popover and list are not needed to show it): the bundle budget.
const NotificationBell = lazy(() =>
  import('./NotificationBell.js').then((m) => ({ default: m.NotificationBell })),
)

export function Shell({ portal }: { portal: Portal }) {
  const user = useSession().data?.user
  const isAdmin = user?.role === 'admin'
  // A member who opens /admin sees the "Admins only" page inside their own portal's frame.
  const shown: Portal = portal === 'admin' && !isAdmin ? 'user' : portal
  const [navOpen, nav] = useDisclosure(false)
  const { pathname } = useLocation()
  // One event stream per tab while signed in: feeds, the bell and the lists follow it without a reload.
  useLiveEvents(user !== undefined)
  // Following a link in the phone drawer closes it.
  useEffect(() => nav.close(), [pathname, nav])
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding="lg"
    >
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppShell.Header px="md">
        <Group h="100%" gap="sm" wrap="nowrap">
          <Burger
            opened={navOpen}
            onClick={nav.toggle}
            hiddenFrom="sm"
            size="sm"
            aria-label={navOpen ? 'Close navigation' : 'Open navigation'}
          />
          <BrandMark />
          <Text fw={600} visibleFrom="xs" style={{ whiteSpace: 'nowrap' }}>
            {shown === 'admin' ? 'Admin Portal' : 'User Portal'}
          </Text>
          {isAdmin && <PortalSwitcher current={shown} />}
          <Group ml="auto" gap="sm" wrap="nowrap" miw={0}>
            {user && (
              <Suspense fallback={null}>
                <NotificationBell portal={shown} />
              </Suspense>
            )}
            {user && (
              <Group gap={8} wrap="nowrap" miw={0} title={user.email}>
                <PersonAvatar name={user.name} size={30} />
                <Text size="sm" c="dimmed" truncate visibleFrom="sm">
                  {user.name}
                </Text>
                <VisuallyHidden hiddenFrom="sm">{user.name}</VisuallyHidden>
              </Group>
            )}
            <SignOutButton />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">{shown === 'admin' ? <AdminNav /> : <UserNav />}</AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
        <Container size="xl" px={0}>
          <Stack gap="lg">
            <CrmAttentionBanner enabled={shown === 'admin'} />
            <Outlet />
          </Stack>
        </Container>
      </AppShell.Main>
    </AppShell>
  )
}

function PortalSwitcher({ current }: { current: Portal }) {
  const item = (portal: Portal, to: string, label: string) => (
    <Button
      component={Link}
      to={to}
      size="compact-sm"
      variant={current === portal ? 'filled' : 'subtle'}
      aria-current={current === portal ? 'page' : undefined}
    >
      {label}
    </Button>
  )
  return (
    <Group component="nav" aria-label="Portal" gap={4} wrap="nowrap" visibleFrom="xs">
      {item('user', '/portal', 'User Portal')}
      {item('admin', '/admin', 'Admin Portal')}
    </Group>
  )
}
