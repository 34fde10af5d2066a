// The Readwise card: the token form until it is connected, then the connected panel.
import { useQuery } from 'urql'
import { graphql } from '../../../gql/index.ts'
import { describeRequestError } from '../../../lib/errors.ts'
import { useRefetchOnReconnect } from '../../../lib/liveConnection.ts'
import { TargetCard, type TargetStatus } from './TargetCard.tsx'
import { ReadwiseConnectForm } from './ReadwiseConnectForm.tsx'
import { ReadwiseConnected } from './ReadwiseConnected.tsx'

const ReadwiseIntegrationQuery = graphql(`
  query ReadwiseIntegration {
    viewer { id integrations { id target enabled counts { failed } ...ReadwiseConnected_Integration } }
  }
`)

export function ReadwiseCard() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: ReadwiseIntegrationQuery })
  useRefetchOnReconnect(() => refetch({ requestPolicy: 'network-only' }))
  const integration = data?.viewer?.integrations.find((i) => i.target === 'READWISE') ?? null
  const status: TargetStatus = !data
    ? { tone: 'neutral', words: 'Loading…' }
    : !integration
      ? { tone: 'neutral', words: 'Not connected' }
      : !integration.enabled
        ? { tone: 'warning', words: 'Paused' }
        : integration.counts.failed > 0
          ? { tone: 'danger', words: `Connected · ${integration.counts.failed} failed` }
          : { tone: 'success', words: 'Connected' }
  return (
    <TargetCard id="readwise" name="Readwise" mark="R" blurb="Every highlight as a Readwise highlight, one book per notebook, so it shows up in your daily review." status={status}>
      {error && !data && <p className="notice notice-error" role="alert">{describeRequestError(error)}</p>}
      {!data && fetching && <div className="skeleton" style={{ height: 120 }} aria-label="Loading Readwise" />}
      {data && (integration ? <ReadwiseConnected integration={integration} /> : <ReadwiseConnectForm onConnected={() => refetch({ requestPolicy: 'network-only' })} />)}
    </TargetCard>
  )
}
