// Files on feed posts: upload (size from FEED_MAX_FILE_MB, checked on Content-Length and on the bytes),
// downloads always as attachments with nosniff, and an inline preview only for images recognised by their
// bytes (never SVG, which can carry script), sandboxed by its own Content-Security-Policy.
import type { FastifyReply } from 'fastify'

import type { FeedFile } from '../../../contracts/api/feed.api.js'
import type { AppDeps } from '../../deps.js'
import { AppError, notFound } from '../../errors.js'
import type { Viewer } from '../opportunities/opportunity-detail.repository.js'
import { findFileForViewer, insertFile, type FileInfoRow } from './feed-files.repository.js'
import { readFeedAccess } from './feed.repository.js'
import { assertMayPost } from './feed-rules.js'

const IMAGE_SIGNATURES: Array<{ type: string; test: (b: Uint8Array) => boolean }> = [
  { type: 'image/png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', test: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 },
  {
    type: 'image/webp',
    test: (b) =>
      Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' &&
      Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP',
  },
]
const MIME_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/

export function maxFileMessage(maxBytes: number): string {
  return `Files can be at most ${Math.round(maxBytes / 1024 / 1024)} MB.`
}

/** Control characters, path separators and surrounding blanks removed; never empty. */
export function cleanFileName(name: string): string {
  const isUnsafe = (char: string) =>
    char.charCodeAt(0) < 0x20 || char === '\u007f' || char === '/' || char === '\\'
  const cleaned = [...name]
    .map((char) => (isUnsafe(char) ? '_' : char))
    .join('')
    .trim()
    .slice(0, 200)
  return cleaned === '' ? 'file' : cleaned
}

export function toFeedFile(row: FileInfoRow): FeedFile {
  return {
    id: row.id,
    name: row.file_name,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    isImage: row.is_image,
    downloadUrl: `/api/crm/feed/files/${row.id}`,
    previewUrl: row.is_image ? `/api/crm/feed/files/${row.id}/preview` : null,
  }
}

export async function uploadFile(
  deps: AppDeps,
  viewer: Viewer,
  opportunityId: string,
  input: { name: string; type?: string | undefined; content: Buffer },
): Promise<FeedFile> {
  const { maxFileBytes } = deps.config.feed
  if (input.content.byteLength > maxFileBytes)
    throw new AppError('PAYLOAD_TOO_LARGE', maxFileMessage(maxFileBytes))
  if (input.content.byteLength === 0) {
    throw new AppError('VALIDATION_FAILED', 'The file is empty.', {
      body: 'Choose a file that is not empty.',
    })
  }
  const access = await readFeedAccess(deps.db, viewer, opportunityId)
  if (!access) throw notFound('This opportunity')
  assertMayPost(access, viewer)
  const image = IMAGE_SIGNATURES.find((signature) => signature.test(input.content))
  const declared = input.type?.toLowerCase() ?? ''
  const row = await insertFile(deps.db, {
    opportunityId,
    uploaderId: viewer.userId,
    fileName: cleanFileName(input.name),
    contentType: image?.type ?? (MIME_TYPE.test(declared) ? declared : 'application/octet-stream'),
    isImage: image !== undefined,
    content: input.content,
    at: deps.clock.now(),
  })
  return toFeedFile(row)
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 8187). */
function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_')
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

export async function sendFile(
  deps: AppDeps,
  viewer: Viewer,
  fileId: string,
  reply: FastifyReply,
  as: 'download' | 'preview',
): Promise<FastifyReply> {
  const file = await findFileForViewer(deps.db, viewer, fileId)
  if (!file || (as === 'preview' && !file.is_image)) throw notFound('This file')
  void reply
    .header('x-content-type-options', 'nosniff')
    .header(
      'content-disposition',
      contentDisposition(as === 'preview' ? 'inline' : 'attachment', file.file_name),
    )
  if (as === 'preview') void reply.header('content-security-policy', "default-src 'none'; sandbox")
  return reply.type(file.content_type).send(Buffer.from(file.content))
}
