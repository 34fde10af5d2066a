// Settings → Integrations: one card per target (targets.tsx), then handwriting OCR.
import { Fragment } from 'react'
import { TARGET_CARDS } from './integrations/targets.tsx'
import { OcrCard } from './integrations/OcrCard.tsx'

export function IntegrationsPage() {
  return (
    <>
      {TARGET_CARDS.map((t) => <Fragment key={t.target}>{t.render()}</Fragment>)}
      <OcrCard />
    </>
  )
}
