// Moving a card between the board's columns: a portal edit of StageName through the same conditional write
// as the detail page (use-edits.ts). Optimistic: the card shows in its new column while Salesforce is asked
// and stays there once the lists are refetched; on any refusal it goes back, with a message that says why
// in plain words (someone changed the deal in Salesforce meanwhile, a validation rule, Salesforce down).
import { useState } from 'react'

import type { EditConflict } from '../../../../contracts/api/edits.api.js'
import type { OpportunityListItem } from '../../../../contracts/api/opportunities.api.js'
import { isApiError } from '../../api/client.js'
import { newIdempotencyKey, useEditOpportunity } from '../../api/use-edits.js'

export interface BoardNotice {
  tone: 'success' | 'error'
  text: string
}

/** Why a move was not saved, for the notice above the board. */
export function notMovedMessage(name: string, stage: string, error: unknown): string {
  const lead = `${name} was not moved to ${stage}.`
  if (isApiError(error, 'EDIT_CONFLICT') && error.details) {
    const details = error.details as EditConflict
    const theirs = details.fields.find((field) => field.field === 'StageName')?.theirs
    const who = details.lastModifiedByName ?? 'Someone'
    const now = theirs ? ` Its stage there is now ${String(theirs)}.` : ''
    return `${lead} ${who} changed it in Salesforce after this page loaded.${now} The board shows Salesforce's version; move it again to apply yours.`
  }
  if (isApiError(error, 'CRM_REJECTED', 'VALIDATION_FAILED')) {
    return `${lead} Salesforce refused it: ${error.fields['values.StageName'] ?? error.message}`
  }
  return `${lead} ${error instanceof Error ? error.message : 'Try again.'}`
}

export function useBoardMoves() {
  const edit = useEditOpportunity()
  // The stage a card shows while its move is being saved (the list's own data still has the old one).
  const [moving, setMoving] = useState<Record<string, string>>({})
  const [notice, setNotice] = useState<BoardNotice | null>(null)

  async function move(item: OpportunityListItem, stage: string): Promise<void> {
    if (!item.lastModifiedDate || item.stageName === stage || moving[item.id]) return
    setNotice(null)
    setMoving((current) => ({ ...current, [item.id]: stage }))
    try {
      // Resolves after the lists were refetched (use-edits.ts invalidates them), so the card never jumps back.
      await edit.mutateAsync({
        id: item.id,
        lastModifiedDate: item.lastModifiedDate,
        values: { StageName: stage },
        idempotencyKey: newIdempotencyKey(),
      })
      setNotice({ tone: 'success', text: `${item.name} moved to ${stage}.` })
    } catch (error) {
      setNotice({ tone: 'error', text: notMovedMessage(item.name, stage, error) })
    } finally {
      setMoving(({ [item.id]: _done, ...rest }) => rest)
    }
  }

  return { move, moving, notice }
}
