// The board view: one column per stage (from the summary, so the count and amount cover every page), with
// the cards of the opportunities loaded on this page. When the admin allows edits and Stage is an editable
// field, a card can be dragged to another column (or moved with its menu): that writes StageName to
// Salesforce through the portal edit (board-moves.ts). Otherwise the cards do not move.
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
} from '@dnd-kit/core'
import { Box, Group, Paper, Stack, Text, Title } from '@mantine/core'
import { useState, type ReactNode } from 'react'

import type { OpportunityListItem } from '../../../../contracts/api/opportunities.api.js'
import { useEditOptions } from '../../api/use-edits.js'
import { Notice } from '../../components/Notice.js'
import { formatMoneyList, stageLabel } from '../../shared/format.js'
import { BoardCard } from './BoardCard.js'
import { boardColumns, type Column } from './board-columns.js'
import { useBoardMoves } from './board-moves.js'

export function OpportunityBoard({ items, stages }: { items: OpportunityListItem[]; stages: Column[] }) {
  const options = useEditOptions()
  const stageField = options.data?.canEdit
    ? options.data.fields.find((field) => field.name === 'StageName')
    : undefined
  const { move, moving, notice } = useBoardMoves()
  const shown = items.map((item) => {
    const stage = moving[item.id]
    return stage ? { ...item, stageName: stage } : item
  })
  const columns = boardColumns(stages, shown)

  const board = (movable: boolean) => (
    <Group
      role="group"
      aria-label="Opportunities by stage"
      gap="sm"
      align="flex-start"
      wrap="nowrap"
      pb="xs"
      style={{ overflowX: 'auto' }}
    >
      {columns.map((column) => (
        <BoardColumn key={column.stageName ?? ''} column={column} droppable={movable}>
          {shown
            .filter((item) => item.stageName === column.stageName)
            .map((item) => (
              <BoardCard
                key={item.id}
                item={item}
                moves={
                  movable && stageField && item.lastModifiedDate
                    ? {
                        stages: stageField.picklistValues.map((value) => value.value),
                        saving: Boolean(moving[item.id]),
                        onMove: (stage) => void move(item, stage),
                      }
                    : undefined
                }
              />
            ))}
        </BoardColumn>
      ))}
    </Group>
  )

  return (
    <>
      {notice && (
        <Notice tone={notice.tone} role={notice.tone === 'error' ? 'alert' : 'status'}>
          {notice.text}
        </Notice>
      )}
      {stageField ? (
        <MovableBoard items={shown} onMove={(item, stage) => void move(item, stage)}>
          {board(true)}
        </MovableBoard>
      ) : (
        board(false)
      )}
    </>
  )
}

function BoardColumn({
  column,
  droppable,
  children,
}: {
  column: Column
  droppable: boolean
  children: ReactNode[]
}) {
  const title = stageLabel(column.stageName)
  const content = (
    <>
      <header>
        <Title order={2} size="0.9375rem">
          {title}
        </Title>
        <Text size="sm" c="dimmed">
          <span data-testid="column-count">{column.count}</span> · {formatMoneyList(column.amounts, true)}
        </Text>
      </header>
      <Stack component="ul" gap="xs" m={0} p={0} style={{ listStyle: 'none' }}>
        {children}
        {children.length === 0 && (
          <Text component="li" size="sm" c="dimmed" px={2} py={4}>
            None on this page
          </Text>
        )}
      </Stack>
    </>
  )
  return droppable && column.stageName ? (
    <DropColumn stage={column.stageName} title={title}>
      {content}
    </DropColumn>
  ) : (
    <ColumnFrame title={title}>{content}</ColumnFrame>
  )
}

function DropColumn({ stage, title, children }: { stage: string; title: string; children: ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: stage })
  return (
    <ColumnFrame title={title} ref={setNodeRef} dropOver={isOver}>
      {children}
    </ColumnFrame>
  )
}

/** A stage's column; the column a card is dragged over is outlined. */
function ColumnFrame({
  title,
  ref,
  dropOver = false,
  children,
}: {
  title: string
  ref?: (element: HTMLElement | null) => void
  dropOver?: boolean
  children: ReactNode
}) {
  return (
    <Paper
      component="section"
      ref={ref}
      aria-label={title}
      withBorder
      bg="var(--mantine-color-default-hover)"
      p="sm"
      miw={220}
      maw={320}
      style={{
        flex: '1 0 220px',
        outline: dropOver ? '2px solid var(--mantine-primary-color-filled)' : undefined,
        outlineOffset: -2,
      }}
    >
      <Stack gap="xs">{children}</Stack>
    </Paper>
  )
}

function MovableBoard({
  items,
  onMove,
  children,
}: {
  items: OpportunityListItem[]
  onMove: (item: OpportunityListItem, stage: string) => void
  children: ReactNode
}) {
  // A few pixels of travel before a drag starts, so a click on a handle is not a drag.
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor),
  )
  const [active, setActive] = useState<OpportunityListItem | null>(null)
  const nameOf = (id: string | number) => items.find((item) => item.id === id)?.name ?? 'The opportunity'
  // Screen readers hear names and stages, not record ids.
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${nameOf(active.id)}.`,
    onDragOver: ({ active, over }) =>
      over ? `${nameOf(active.id)} is over ${String(over.id)}.` : `${nameOf(active.id)} is over no stage.`,
    onDragEnd: ({ active, over }) =>
      over
        ? `${nameOf(active.id)} was dropped on ${String(over.id)}.`
        : `${nameOf(active.id)} was not moved.`,
    onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled.`,
  }
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setActive(null)
    const item = items.find((candidate) => candidate.id === active.id)
    if (item && over && over.id !== item.stageName) onMove(item, String(over.id))
  }
  return (
    <DndContext
      sensors={sensors}
      accessibility={{ announcements }}
      onDragStart={({ active }) => setActive(items.find((item) => item.id === active.id) ?? null)}
      onDragCancel={() => setActive(null)}
      onDragEnd={onDragEnd}
    >
      {children}
      <DragOverlay>
        {active && (
          <Box component="ul" m={0} p={0} style={{ listStyle: 'none', cursor: 'grabbing' }}>
            <BoardCard item={active} />
          </Box>
        )}
      </DragOverlay>
    </DndContext>
  )
}
