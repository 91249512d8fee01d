// A modal (Mantine Modal): focus is trapped inside, Escape and the close button call onClose, and focus
// goes back to the element that opened it. Parents mount it while open and unmount it to close.
import { Group, Modal, Text } from '@mantine/core'
import { useEffect, useId, type ReactNode } from 'react'

interface DialogProps {
  title: string
  onClose: () => void
  children: ReactNode
  /** Short text under the title, read out as the dialog's description. */
  description?: ReactNode
  /** Wider for a table (a Mantine size or a CSS width); Mantine's 'md' otherwise. */
  size?: 'md' | 'lg' | 'xl' | `${number}rem`
}

export function Dialog({ title, onClose, children, description, size = 'md' }: DialogProps) {
  const descriptionId = useId()
  // Parents unmount the dialog to close it, so we restore focus ourselves (Mantine's returnFocus only
  // acts when `opened` turns false).
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    return () => {
      if (opener?.isConnected) opener.focus()
    }
  }, [])
  return (
    <Modal
      opened
      size={size}
      onClose={onClose}
      returnFocus={false}
      title={title}
      closeButtonProps={{ 'aria-label': 'Close' }}
      aria-describedby={description ? descriptionId : undefined}
      styles={{ title: { fontWeight: 600, fontSize: 'var(--mantine-font-size-lg)' } }}
    >
      {description && (
        <Text id={descriptionId} c="dimmed" size="sm" mb="md">
          {description}
        </Text>
      )}
      {children}
    </Modal>
  )
}

/** The row of buttons at the end of a dialog or form: the main action last. */
export function DialogActions({ children }: { children: ReactNode }) {
  return (
    <Group justify="flex-end" gap="xs" mt="md">
      {children}
    </Group>
  )
}
