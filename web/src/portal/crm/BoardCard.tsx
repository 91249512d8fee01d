// One card of the board. When moves are allowed it has a drag handle (@dnd-kit/core: mouse, touch and
// keyboard, announced to screen readers) and a "Change stage" menu, so a single click does the same as a
// drag (WCAG 2.2 SC 2.5.7, https://www.w3.org/WAI/WCAG22/Understanding/dragging-movements). The handle is a
// button of its own, so the card's link is never inside another control.
import { useDraggable } from '@dnd-kit/core'
import { ActionIcon, Anchor, Group, Menu, Paper, Stack, Text } from '@mantine/core'
import { IconChevronDown, IconGripVertical } from '@tabler/icons-react'
import { Link } from 'react-router'

import type { OpportunityListItem } from '../../../../contracts/api/opportunities.api.js'
import { StatusBadge } from '../../components/StatusBadge.js'
import { formatDate, formatMoney, isOverdue } from '../../shared/format.js'

export interface CardMoves {
  stages: string[]
  saving: boolean
  onMove: (stage: string) => void
}

export function BoardCard({ item, moves }: { item: OpportunityListItem; moves?: CardMoves | undefined }) {
  return (
    <Paper component="li" withBorder shadow="xs" radius="sm" p="xs" aria-busy={moves?.saving || undefined}>
      {moves ? <MoveControls item={item} moves={moves} /> : <CardBody item={item} />}
    </Paper>
  )
}

function CardBody({ item }: { item: OpportunityListItem }) {
  return (
    <Stack gap={2} align="flex-start">
      <Anchor component={Link} to={`/portal/crm/opportunities/${item.id}`} fw={600}>
        {item.name}
      </Anchor>
      <Text size="sm" c="dimmed">
        {item.accountName ?? 'No account'}
      </Text>
      <Group justify="space-between" gap="xs" align="baseline" w="100%">
        <Text fw={700}>{formatMoney(item.amount, item.currencyIsoCode)}</Text>
        <Text size="sm" c="dimmed">
          {formatDate(item.closeDate)}
        </Text>
      </Group>
      {isOverdue(item.closeDate, item.isClosed) && <StatusBadge tone="danger">Overdue</StatusBadge>}
    </Stack>
  )
}

function MoveControls({ item, moves }: { item: OpportunityListItem; moves: CardMoves }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: item.id,
    disabled: moves.saving,
  })
  return (
    // The card being dragged stays in place, faded, while its copy follows the pointer (DragOverlay).
    <Stack ref={setNodeRef} gap={2} opacity={isDragging ? 0.4 : undefined}>
      <CardBody item={item} />
      <Group gap={4} justify="flex-end">
        {moves.saving && (
          <Text size="sm" c="dimmed">
            Saving…
          </Text>
        )}
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon
              variant="subtle"
              size="sm"
              aria-label={`Change stage of ${item.name}`}
              disabled={moves.saving}
            >
              <IconChevronDown size={16} aria-hidden="true" />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            {moves.stages
              .filter((stage) => stage !== item.stageName)
              .map((stage) => (
                <Menu.Item key={stage} onClick={() => moves.onMove(stage)}>
                  {stage}
                </Menu.Item>
              ))}
          </Menu.Dropdown>
        </Menu>
        <ActionIcon
          ref={setActivatorNodeRef}
          variant="subtle"
          size="sm"
          style={{ cursor: 'grab', touchAction: 'none' }}
          {...attributes}
          {...listeners}
          aria-label={`Move ${item.name}`}
        >
          <IconGripVertical size={16} aria-hidden="true" />
        </ActionIcon>
      </Group>
    </Stack>
  )
}
