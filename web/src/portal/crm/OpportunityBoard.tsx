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
import { useState, type ReactNode } from 'react'

import type { OpportunityListItem } from '../../../../contracts/api/opportunities.api.js'
import { useEditOptions } from '../../api/use-edits.js'
import { Notice } from '../../components/Notice.js'
import { formatMoneyList, stageLabel } from '../../shared/format.js'
import { BoardCard } from './BoardCard.js'
import { useBoardMoves } from './board-moves.js'
import type { Summary } from './PipelineSummary.js'

type Column = Summary['stages'][number]

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
  const columns = [...stages]
  // A stage on this page that the summary does not list (a card just moved there): still give it a column.
  for (const item of shown)
    if (!columns.some((c) => c.stageName === item.stageName))
      columns.push({
        stageName: item.stageName,
        isClosed: item.isClosed,
        forecastCategoryName: item.forecastCategoryName,
        count: 0,
        amounts: [],
      })

  const board = (movable: boolean) => (
    <div className="crm-board" aria-label="Opportunities by stage">
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
    </div>
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
        <h2>{title}</h2>
        <p className="muted small">
          <span data-testid="column-count">{column.count}</span> · {formatMoneyList(column.amounts, true)}
        </p>
      </header>
      <ul>
        {children}
        {children.length === 0 && <li className="muted small crm-board-empty">None on this page</li>}
      </ul>
    </>
  )
  return droppable && column.stageName ? (
    <DropColumn stage={column.stageName} title={title}>
      {content}
    </DropColumn>
  ) : (
    <section className="crm-board-column" aria-label={title}>
      {content}
    </section>
  )
}

function DropColumn({ stage, title, children }: { stage: string; title: string; children: ReactNode }) {
  const { setNodeRef, isOver } = useDroppable({ id: stage })
  return (
    <section
      ref={setNodeRef}
      className="crm-board-column"
      aria-label={title}
      data-drop-over={isOver || undefined}
    >
      {children}
    </section>
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
          <ul className="crm-board-overlay">
            <BoardCard item={active} />
          </ul>
        )}
      </DragOverlay>
    </DndContext>
  )
}
