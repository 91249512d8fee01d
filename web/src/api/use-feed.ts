// TanStack Query hooks for an opportunity's feed (contracts/api/feed.api.ts) and the bell
// (contracts/api/notifications.api.ts). Keys start 'feed' and 'notifications'; the live stream
// (use-live-events.ts) invalidates them when something changed.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query'

import {
  createPost,
  deletePost,
  editPost,
  getFeed,
  getFeedLimits,
  getFeedSettings,
  listMentionable,
  markFeedRead,
  updateFeedSettings,
  updateOpportunityFeedSettings,
  uploadFeedFile,
  type FeedSettings,
  type WhoMayPost,
} from '../../../contracts/api/feed.api.js'
import {
  getNotificationPreferences,
  listNotifications,
  markNotificationsRead,
  updateNotificationPreferences,
  type NotificationPreference,
} from '../../../contracts/api/notifications.api.js'
import { getMailStatus } from '../../../contracts/api/mail-status.api.js'
import { callApi, uploadBytes } from './client.js'
import { opportunitiesKey } from './use-opportunities.js'

export const feedKey = (opportunityId: string) => ['feed', opportunityId] as const
export const notificationsKey = ['notifications'] as const

export function useFeed(opportunityId: string) {
  return useInfiniteQuery({
    queryKey: feedKey(opportunityId),
    queryFn: ({ pageParam }) =>
      callApi(getFeed, {
        params: { id: opportunityId },
        query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) },
      }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  })
}

/** Tells the server the feed was seen (the lists' unread marker), then lets the lists refetch. */
export function useMarkFeedRead(opportunityId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: () => callApi(markFeedRead, { params: { id: opportunityId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: opportunitiesKey }),
  })
}

export function useFeedSettings() {
  return useQuery({ queryKey: ['feed', 'settings'], queryFn: () => callApi(getFeedSettings) })
}

/** Notification email's health for the admin (configured, counts, newest error, hint). */
export function useMailStatus() {
  return useQuery({ queryKey: ['feed', 'mail-status'], queryFn: () => callApi(getMailStatus) })
}

export function useUpdateFeedSettings() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: FeedSettings) => callApi(updateFeedSettings, { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['feed', 'settings'] }),
  })
}

/** An admin sets a deal's own rules (null: follow the module default; left out: unchanged). */
export function useUpdateDealRules(opportunityId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: { whoMayPost?: WhoMayPost | null; whoMayAddMembers?: WhoMayPost | null }) =>
      callApi(updateOpportunityFeedSettings, { params: { id: opportunityId }, body }),
    // The feed carries the rules (and canPost); "Add people" carries the add rule.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: feedKey(opportunityId) }),
        queryClient.invalidateQueries({ queryKey: opportunitiesKey }),
      ]),
  })
}

export function useFeedLimits() {
  return useQuery({
    queryKey: ['feed', 'limits'],
    queryFn: () => callApi(getFeedLimits),
    staleTime: Infinity,
  })
}

export function useMentionable(opportunityId: string, search: string) {
  return useQuery({
    queryKey: ['feed', opportunityId, 'mentionable', search],
    queryFn: () => callApi(listMentionable, { params: { id: opportunityId }, query: { search } }),
  })
}

export function useCreatePost(opportunityId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: { body: string; parentId?: string; fileIds?: string[] }) =>
      callApi(createPost, { params: { id: opportunityId }, body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: feedKey(opportunityId) }),
  })
}

export function useDeletePost(opportunityId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (postId: string) => callApi(deletePost, { params: { postId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: feedKey(opportunityId) }),
  })
}

export function useEditPost(opportunityId: string) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (edit: { postId: string; body: string }) =>
      callApi(editPost, { params: { postId: edit.postId }, body: { body: edit.body } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: feedKey(opportunityId) }),
  })
}

export function useUploadFile(opportunityId: string) {
  return useMutation({
    mutationFn: (file: File) =>
      uploadBytes(
        uploadFeedFile,
        { params: { id: opportunityId }, query: { name: file.name, type: file.type || undefined } },
        file,
      ),
  })
}

export function useNotifications() {
  return useQuery({ queryKey: notificationsKey, queryFn: () => callApi(listNotifications) })
}

export function useMarkRead() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (body: { ids: string[] } | { all: true }) => callApi(markNotificationsRead, { body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  })
}

const preferencesKey = [...notificationsKey, 'preferences'] as const

export function useNotificationPreferences() {
  return useQuery({ queryKey: preferencesKey, queryFn: () => callApi(getNotificationPreferences) })
}

export function useUpdateNotificationPreferences() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: (preferences: NotificationPreference[]) =>
      callApi(updateNotificationPreferences, { body: { preferences } }),
    onSuccess: (answer) => queryClient.setQueryData(preferencesKey, answer),
  })
}
