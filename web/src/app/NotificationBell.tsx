// The bell in the header: the unread count (kept current by the live event stream) and the newest
// notifications, each linking to its opportunity; opening one marks it read, "Mark all read" clears the count.
import {
  ActionIcon,
  Anchor,
  Button,
  Group,
  Indicator,
  Popover,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core'
import { IconBell } from '@tabler/icons-react'
import { Link, useNavigate } from 'react-router'

import { UNREAD_COUNT_CAP, type Notification } from '../../../contracts/api/notifications.api.js'
import { useMarkRead, useNotifications } from '../api/use-feed.js'
import { formatDateTime } from '../shared/format.js'
import { notificationLabel } from './notification-label.js'

export function NotificationBell({ portal }: { portal: 'user' | 'admin' }) {
  const query = useNotifications()
  const markRead = useMarkRead()
  const navigate = useNavigate()
  const unread = query.data?.unreadCount ?? 0
  // The server counts up to UNREAD_COUNT_CAP: at the cap there are at least that many.
  const shown = unread >= UNREAD_COUNT_CAP ? `${UNREAD_COUNT_CAP - 1}+` : String(unread)
  const items = query.data?.notifications ?? []
  const open = (n: Notification) => {
    if (!n.readAt) markRead.mutate({ ids: [n.id] })
    const base = portal === 'admin' ? '/admin/crm/opportunities' : '/portal/crm/opportunities'
    void navigate(`${base}/${encodeURIComponent(n.opportunity.id)}`)
  }
  return (
    // The Indicator wraps the whole Popover so the Popover's target (and its aria-expanded) is the button.
    <Indicator label={shown} disabled={unread === 0} size={16} offset={4}>
      <Popover width={340} position="bottom-end" shadow="md">
        <Popover.Target>
          <ActionIcon
            variant="subtle"
            size="lg"
            aria-label={unread > 0 ? `Notifications, ${shown} unread` : 'Notifications'}
          >
            <IconBell size={20} />
          </ActionIcon>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={600}>Notifications</Text>
              <Button
                size="compact-xs"
                variant="subtle"
                disabled={unread === 0}
                onClick={() => markRead.mutate({ all: true })}
              >
                Mark all read
              </Button>
            </Group>
            <Anchor
              component={Link}
              to={`${portal === 'admin' ? '/admin' : '/portal'}/notifications`}
              size="sm"
            >
              Notification settings
            </Anchor>
            {items.length === 0 && <Text size="sm">Nothing yet.</Text>}
            {items.map((n) => (
              <UnstyledButton
                key={n.id}
                onClick={() => open(n)}
                aria-label={`${notificationLabel(n)}${n.readAt ? '' : ', unread'}`}
              >
                <Text size="sm" fw={n.readAt ? 400 : 700}>
                  {notificationLabel(n)}
                </Text>
                {n.post?.excerpt && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {n.post.excerpt}
                  </Text>
                )}
                <Text size="xs" c="dimmed">
                  {formatDateTime(n.createdAt)}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        </Popover.Dropdown>
      </Popover>
    </Indicator>
  )
}
