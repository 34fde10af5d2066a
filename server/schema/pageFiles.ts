// Files of a page the dashboard shows, as short-lived signed URLs (served by server/http/pageThumbnail.ts).
// The field exists only on pages the caller can read, so only a page's owner gets its URLs.
import { builder } from '../builder.ts'
import { PageRef } from './page.ts'
import { THUMBNAIL_URL_TTL_SECONDS, THUMBNAIL_WIDTH, makeThumbnailTarget } from '../http/pageThumbnail.ts'

builder.objectField(PageRef, 'thumbnailUrl', (t) =>
  t.string({
    nullable: true,
    description:
      `The page as a PNG this many pixels wide (${THUMBNAIL_WIDTH.min}–${THUMBNAIL_WIDTH.max}; others are clamped): a signed path ` +
      `on this server, valid for about ${THUMBNAIL_URL_TTL_SECONDS / 60} minutes. Null until the page is uploaded.`,
    args: { width: t.arg.int({ defaultValue: THUMBNAIL_WIDTH.default, required: false }) },
    resolve: (page, { width }, ctx) => {
      if (!page.fileSha256) return null
      const target = makeThumbnailTarget(page.id, width ?? THUMBNAIL_WIDTH.default, page.fileSha256)
      return ctx.services.signer.sign(target, { ttlSeconds: THUMBNAIL_URL_TTL_SECONDS })
    },
  }),
)
