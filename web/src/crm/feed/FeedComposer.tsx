// Writing a post or a reply: Markdown text, @mentions picked from the people who can see the deal (typed as
// "@Name" and sent as `@{id}`, the form the server resolves), and files attached within the shown limit.
import { Autocomplete, Button, FileButton, Group, Stack, Text, Textarea } from '@mantine/core'
import { IconPaperclip } from '@tabler/icons-react'
import { useRef, useState } from 'react'

import { MAX_POST_CHARS } from '../../../../contracts/api/feed.api.js'
import type { FeedFile } from '../../../../contracts/api/feed.api.js'
import { isApiError } from '../../api/client.js'
import { useCreatePost, useFeedLimits, useMentionable, useUploadFile } from '../../api/use-feed.js'
import { useDebouncedValue } from '../../components/use-debounced-value.js'
import { insertMention, withMentionTokens } from './mention-text.js'

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`
}

/** The text of a post or reply being written or edited, within the post limit. */
export function PostTextarea(props: {
  label: string
  description?: string
  value: string
  onChange: (text: string) => void
  error: string | null
}) {
  return (
    <Textarea
      label={props.label}
      {...(props.description ? { description: props.description } : {})}
      autosize
      minRows={2}
      maxLength={MAX_POST_CHARS}
      value={props.value}
      onChange={(event) => props.onChange(event.currentTarget.value)}
      error={props.error}
    />
  )
}

export function FeedComposer(props: { opportunityId: string; parentId?: string; onDone?: () => void }) {
  const { opportunityId, parentId } = props
  const [text, setText] = useState('')
  const [mention, setMention] = useState('')
  const [picked, setPicked] = useState(new Map<string, string>())
  const [files, setFiles] = useState<FeedFile[]>([])
  const [error, setError] = useState<string | null>(null)
  const search = useDebouncedValue(mention, 200)
  const people = useMentionable(opportunityId, search).data?.users ?? []
  const limits = useFeedLimits().data
  const create = useCreatePost(opportunityId)
  const upload = useUploadFile(opportunityId)
  const label = parentId ? 'Reply' : 'Post'

  // Mantine's Autocomplete writes the picked option's label into the box right after onOptionSubmit; that
  // one change is swallowed so the box is empty for the next mention.
  const pickedLabel = useRef<string | null>(null)
  const optionLabel = (p: { name: string; email: string }) => `${p.name} (${p.email})`
  const pick = (value: string) => {
    const person = people.find((p) => p.id === value)
    if (!person) return
    pickedLabel.current = optionLabel(person)
    setPicked(new Map(picked).set(person.name, person.id))
    setText((current) => insertMention(current, person.name))
    setMention('')
  }
  const typeMention = (value: string) => {
    const swallow = value === pickedLabel.current
    pickedLabel.current = null
    setMention(swallow ? '' : value)
  }
  const attach = async (file: File | null) => {
    if (!file) return
    setError(null)
    if (limits && file.size > limits.maxFileBytes) {
      setError(`${file.name} is larger than ${formatBytes(limits.maxFileBytes)}.`)
      return
    }
    try {
      const { file: uploaded } = await upload.mutateAsync(file)
      setFiles((current) => [...current, uploaded])
    } catch (err) {
      setError(isApiError(err) ? err.message : 'The file could not be uploaded.')
    }
  }
  const submit = async () => {
    setError(null)
    try {
      await create.mutateAsync({
        body: withMentionTokens(text, picked),
        ...(parentId ? { parentId } : {}),
        ...(files.length > 0 ? { fileIds: files.map((f) => f.id) } : {}),
      })
      setText('')
      setFiles([])
      setPicked(new Map())
      props.onDone?.()
    } catch (err) {
      setError(isApiError(err) ? (err.fields['body'] ?? err.message) : 'Your post could not be sent.')
    }
  }

  return (
    <Stack gap="xs">
      <PostTextarea
        label={parentId ? 'Your reply' : 'New post'}
        description="Markdown: *emphasis*, [links](https://example.com), lists and `code`."
        value={text}
        onChange={setText}
        error={error}
      />
      <Group gap="xs" align="flex-end" wrap="wrap">
        <Autocomplete
          label="Mention someone"
          placeholder="Type a name"
          value={mention}
          onChange={typeMention}
          data={people.map((p) => ({ value: p.id, label: optionLabel(p) }))}
          filter={({ options }) => options}
          onOptionSubmit={pick}
          size="xs"
        />
        <FileButton onChange={(file) => void attach(file)}>
          {(buttonProps) => (
            <Button {...buttonProps} variant="default" size="xs" leftSection={<IconPaperclip size={14} />}>
              Attach a file
            </Button>
          )}
        </FileButton>
        {limits && (
          <Text size="xs" c="dimmed">
            Files up to {formatBytes(limits.maxFileBytes)}
          </Text>
        )}
        <Button size="xs" ml="auto" onClick={() => void submit()} loading={create.isPending}>
          {label}
        </Button>
      </Group>
      {files.length > 0 && (
        <Text size="xs" aria-live="polite">
          Attached: {files.map((f) => f.name).join(', ')}
        </Text>
      )}
    </Stack>
  )
}
