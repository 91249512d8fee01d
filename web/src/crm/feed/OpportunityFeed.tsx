// The opportunity's feed in the main column (portal and admin): posts newest activity first, one level of
// replies, files, the composer. It updates live: the event stream invalidates this query (use-live-events).
// Post bodies are the server's sanitised HTML of a safe Markdown subset (crm/feed/markdown.ts), never raw input.
import { Anchor, Button, Group, Image, Paper, Stack, Text, Title, Typography } from '@mantine/core'
import { useEffect, useState } from 'react'

import type { FeedFile, FeedPost, FeedReply } from '../../../../contracts/api/feed.api.js'
import { isApiError } from '../../api/client.js'
import { useDeletePost, useEditPost, useFeed, useMarkFeedRead } from '../../api/use-feed.js'
import { Panel } from '../../components/Panel.js'
import { PersonAvatar } from '../../components/PersonAvatar.js'
import { QueryError, Spinner } from '../../components/QueryState.js'
import { formatDateTime } from '../../shared/format.js'
import { localizeTimes } from '../../shared/message-parts.js'
import { ruleSentence } from '../rule-sentence.js'
import { FeedComposer, PostTextarea } from './FeedComposer.js'
import { editableText, withMentionTokens } from './mention-text.js'
import { timelineNote } from './timeline-note.js'

function Files({ files }: { files: FeedFile[] }) {
  if (files.length === 0) return null
  return (
    <Group gap="sm">
      {files.map((file) => (
        <Stack key={file.id} gap={2}>
          {file.previewUrl && <Image src={file.previewUrl} alt={file.name} h={80} w="auto" fit="contain" />}
          <Anchor href={file.downloadUrl} size="sm">
            {file.name}
          </Anchor>
        </Stack>
      ))}
    </Group>
  )
}

/** The author changes their post's text in place; mentions show as "@Name" and are saved as before. */
function EditEntry(props: { entry: FeedPost | FeedReply; opportunityId: string; onDone: () => void }) {
  const { entry } = props
  const [start] = useState(() => editableText(entry.body, entry.bodyHtml))
  const [text, setText] = useState(start.text)
  const [error, setError] = useState<string | null>(null)
  const edit = useEditPost(props.opportunityId)
  const save = async () => {
    setError(null)
    try {
      await edit.mutateAsync({ postId: entry.id, body: withMentionTokens(text, start.picked) })
      props.onDone()
    } catch (err) {
      setError(isApiError(err) ? (err.fields['body'] ?? err.message) : 'Your change could not be saved.')
    }
  }
  return (
    <Stack gap="xs">
      <PostTextarea
        label={'parentId' in entry ? 'Edit your reply' : 'Edit your post'}
        value={text}
        onChange={setText}
        error={error}
      />
      <Group gap="xs">
        <Button size="xs" onClick={() => void save()} loading={edit.isPending}>
          Save
        </Button>
        <Button size="xs" variant="default" onClick={props.onDone}>
          Cancel
        </Button>
      </Group>
    </Stack>
  )
}

function Entry(props: { entry: FeedPost | FeedReply; opportunityId: string }) {
  const { entry } = props
  const remove = useDeletePost(props.opportunityId)
  const [editing, setEditing] = useState(false)
  const author = entry.kind === 'system' ? 'Salesforce' : (entry.author?.name ?? 'A former user')
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <PersonAvatar name={author} size={24} />
        <Text size="sm" fw={600}>
          {author}
        </Text>
        <Text size="xs" c="dimmed">
          {formatDateTime(entry.createdAt)}
          {entry.editedAt ? ' · edited' : ''}
        </Text>
        {entry.canEdit && !entry.deletedAt && !editing && (
          <Button
            size="compact-xs"
            variant="subtle"
            ml="auto"
            onClick={() => setEditing(true)}
            aria-label={`Edit the post by ${author}`}
          >
            Edit
          </Button>
        )}
        {entry.canDelete && !entry.deletedAt && (
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            ml={entry.canEdit && !editing ? 0 : 'auto'}
            onClick={() => remove.mutate(entry.id)}
            aria-label={`Delete the post by ${author}`}
          >
            Delete
          </Button>
        )}
      </Group>
      {entry.deletedAt ? (
        <Text size="sm" c="dimmed" fs="italic">
          This post was deleted.
        </Text>
      ) : editing ? (
        <EditEntry entry={entry} opportunityId={props.opportunityId} onDone={() => setEditing(false)} />
      ) : (
        <Typography>
          <div dangerouslySetInnerHTML={{ __html: localizeTimes(entry.bodyHtml) }} />
        </Typography>
      )}
      <Files files={entry.files} />
    </Stack>
  )
}

function Post(props: { post: FeedPost; opportunityId: string; canPost: boolean }) {
  const { post, opportunityId } = props
  const [replying, setReplying] = useState(false)
  return (
    <Paper withBorder p="sm" component="article" aria-label={`Post by ${post.author?.name ?? 'Salesforce'}`}>
      <Stack gap="sm">
        <Entry entry={post} opportunityId={opportunityId} />
        {post.replies.length > 0 && (
          <Stack gap="sm" pl="lg" role="list" aria-label="Replies">
            {post.replies.map((reply) => (
              <div role="listitem" key={reply.id}>
                <Entry entry={reply} opportunityId={opportunityId} />
              </div>
            ))}
          </Stack>
        )}
        {props.canPost && !post.deletedAt && (
          <div>
            {replying ? (
              <FeedComposer
                opportunityId={opportunityId}
                parentId={post.id}
                onDone={() => setReplying(false)}
              />
            ) : (
              <Button size="compact-xs" variant="subtle" onClick={() => setReplying(true)}>
                Reply
              </Button>
            )}
          </div>
        )}
      </Stack>
    </Paper>
  )
}

export function OpportunityFeed({
  opportunityId,
  source,
}: {
  opportunityId: string
  /** Where the page read the deal: 'live' (cache off) limits what the change timeline can show. */
  source: 'cache' | 'live'
}) {
  const feed = useFeed(opportunityId)
  const first = feed.data?.pages[0]
  // Each time the feed is shown anew (opened, or refetched after a live event) it counts as read.
  const { mutate: markRead } = useMarkFeedRead(opportunityId)
  const shownAt = feed.isSuccess ? feed.dataUpdatedAt : 0
  useEffect(() => {
    if (shownAt > 0) markRead()
  }, [shownAt, markRead])
  const posts = feed.data?.pages.flatMap((page) => page.posts) ?? []
  return (
    <Panel component="section" aria-labelledby="feed-heading">
      <Title order={2} id="feed-heading">
        Feed
      </Title>
      {timelineNote(source) && (
        <Text size="sm" c="dimmed">
          {timelineNote(source)}
        </Text>
      )}
      {feed.isPending && <Spinner label="Loading the feed" />}
      {feed.isError && <QueryError error={feed.error} onRetry={() => void feed.refetch()} />}
      {first?.readOnly && (
        <Text size="sm" c="dimmed">
          This opportunity was deleted in Salesforce: its feed is read-only.
        </Text>
      )}
      {first?.canPost && <FeedComposer opportunityId={opportunityId} />}
      {first && !first.canPost && !first.readOnly && (
        <Text size="sm" c="dimmed">
          {ruleSentence(first.rules.whoMayPost, 'post')}
        </Text>
      )}
      {first && posts.length === 0 && <Text c="dimmed">No posts yet.</Text>}
      <Stack gap="sm" aria-live="polite">
        {posts.map((post) => (
          <Post key={post.id} post={post} opportunityId={opportunityId} canPost={first?.canPost ?? false} />
        ))}
      </Stack>
      {feed.hasNextPage && (
        <Button variant="default" onClick={() => void feed.fetchNextPage()} loading={feed.isFetchingNextPage}>
          Show older posts
        </Button>
      )}
    </Panel>
  )
}
