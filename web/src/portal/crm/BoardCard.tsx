// One card of the board. When moves are allowed it has a drag handle (@dnd-kit/core: mouse, touch and
// keyboard, announced to screen readers) and a "Change stage" menu, so a single click does the same as a
// drag (WCAG 2.2 SC 2.5.7, https://www.w3.org/WAI/WCAG22/Understanding/dragging-movements). The handle is a
// button of its own, so the card's link is never inside another control.
import { useDraggable } from '@dnd-kit/core'
import { ActionIcon, Group, Menu } from '@mantine/core'
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
    <li className="crm-board-card" aria-busy={moves?.saving || undefined}>
      {moves ? <MoveControls item={item} moves={moves} /> : <CardBody item={item} />}
    </li>
  )
}

function CardBody({ item }: { item: OpportunityListItem }) {
  return (
    <>
      <Link to={`/portal/crm/opportunities/${item.id}`}>{item.name}</Link>
      <span className="muted small">{item.accountName ?? 'No account'}</span>
      <span className="crm-board-meta">
        <strong>{formatMoney(item.amount, item.currencyIsoCode)}</strong>
        <span className="muted small">{formatDate(item.closeDate)}</span>
      </span>
      {isOverdue(item.closeDate, item.isClosed) && (
        <span>
          <StatusBadge tone="danger">Overdue</StatusBadge>
        </span>
      )}
    </>
  )
}

function MoveControls({ item, moves }: { item: OpportunityListItem; moves: CardMoves }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: item.id,
    disabled: moves.saving,
  })
  return (
    <div ref={setNodeRef} className="crm-board-card-body" data-dragging={isDragging || undefined}>
      <CardBody item={item} />
      <Group gap={4} justify="flex-end">
        {moves.saving && <span className="muted small">Saving…</span>}
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
          className="crm-board-handle"
          {...attributes}
          {...listeners}
          aria-label={`Move ${item.name}`}
        >
          <IconGripVertical size={16} aria-hidden="true" />
        </ActionIcon>
      </Group>
    </div>
  )
}
