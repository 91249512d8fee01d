import { Button, VisuallyHidden } from '@mantine/core'
import { IconCheck, IconCopy } from '@tabler/icons-react'
import { useEffect, useState } from 'react'

/** Copies text to the clipboard and says so; falls back to selecting the text where the API is missing. */
export function CopyButton({
  text,
  targetId,
  name,
}: {
  text: string
  targetId: string
  /** The button's accessible name when a page has more than one; it starts with the visible "Copy link". */
  name?: string
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle')

  useEffect(() => {
    if (state === 'idle') return
    const timer = setTimeout(() => setState('idle'), 2500)
    return () => clearTimeout(timer)
  }, [state])

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text)
      setState('copied')
    } catch {
      // Clipboard access needs a secure context (https or localhost); select it for a manual copy instead.
      const target = document.getElementById(targetId)
      if (target instanceof HTMLInputElement) target.select()
      setState('failed')
    }
  }

  return (
    <>
      <Button
        variant="default"
        leftSection={
          state === 'copied' ? (
            <IconCheck size={16} aria-hidden="true" />
          ) : (
            <IconCopy size={16} aria-hidden="true" />
          )
        }
        onClick={() => void copy()}
        {...(name && state !== 'copied' ? { 'aria-label': name } : {})}
      >
        {state === 'copied' ? 'Copied' : 'Copy link'}
      </Button>
      <VisuallyHidden aria-live="polite">
        {state === 'copied' ? 'Link copied to the clipboard.' : ''}
        {state === 'failed'
          ? 'Could not copy automatically. The link is selected; press Ctrl+C to copy it.'
          : ''}
      </VisuallyHidden>
    </>
  )
}
