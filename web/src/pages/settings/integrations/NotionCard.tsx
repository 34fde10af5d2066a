// The Notion card: the connect flow until it is connected, then the connected panel.
import { useQuery } from 'urql'
import { graphql } from '../../../gql/index.ts'
import { describeRequestError } from '../../../lib/errors.ts'
import { useRefetchOnReconnect } from '../../../lib/liveConnection.ts'
import { TargetCard, type TargetStatus } from './TargetCard.tsx'
import { NotionConnectForm } from './NotionConnectForm.tsx'
import { NotionConnected } from './NotionConnected.tsx'

const NotionIntegrationQuery = graphql(`
  query NotionIntegration {
    viewer { id integrations { id target enabled counts { failed } ...NotionConnected_Integration } }
  }
`)

export function NotionCard() {
  const [{ data, error, fetching }, refetch] = useQuery({ query: NotionIntegrationQuery })
  useRefetchOnReconnect(() => refetch({ requestPolicy: 'network-only' }))
  const integration = data?.viewer?.integrations.find((i) => i.target === 'NOTION') ?? null
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
    <TargetCard id="notion" name="Notion" mark="N" blurb="One page per notebook in a Notion database: its text, todos as checkboxes, highlights as quotes." status={status}>
      {error && !data && <p className="notice notice-error" role="alert">{describeRequestError(error)}</p>}
      {!data && fetching && <div className="skeleton" style={{ height: 120 }} aria-label="Loading Notion" />}
      {data && (integration ? <NotionConnected integration={integration} /> : <NotionConnectForm onConnected={() => refetch({ requestPolicy: 'network-only' })} />)}
    </TargetCard>
  )
}
