// Where the agent keeps its login and its state: the user's config and state directories (XDG on
// Linux), never the watched folder. Tests point both elsewhere with RMIRROR_AGENT_CONFIG_DIR / _STATE_DIR.
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import path from 'node:path'

export interface AgentConfig {
  url: string
  token: string
}

type Env = Record<string, string | undefined>

export function resolveConfigDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.RMIRROR_AGENT_CONFIG_DIR) return path.resolve(env.RMIRROR_AGENT_CONFIG_DIR)
  if (env.XDG_CONFIG_HOME) return path.join(env.XDG_CONFIG_HOME, 'rmirror')
  if (platform === 'win32' && env.APPDATA) return path.join(env.APPDATA, 'rmirror')
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', 'rmirror')
  return path.join(homedir(), '.config', 'rmirror')
}

export function resolveStateDir(env: Env = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.RMIRROR_AGENT_STATE_DIR) return path.resolve(env.RMIRROR_AGENT_STATE_DIR)
  if (env.XDG_STATE_HOME) return path.join(env.XDG_STATE_HOME, 'rmirror')
  if (platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'rmirror', 'state')
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', 'rmirror', 'state')
  return path.join(homedir(), '.local', 'state', 'rmirror')
}

export function configFilePath(configDir: string): string {
  return path.join(configDir, 'agent.json')
}

/** `https://host/` and `https://host/graphql` both mean the service at `https://host`. */
export function normalizeServiceUrl(input: string): { ok: true; url: string } | { ok: false; message: string } {
  let parsed: URL
  try {
    parsed = new URL(input)
  } catch {
    return { ok: false, message: `not a URL: ${input}` }
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, message: `the URL must start with http:// or https://` }
  if (parsed.username || parsed.password) return { ok: false, message: 'put the token in --token, not in the URL' }
  const pathname = parsed.pathname.replace(/\/+$/, '').replace(/\/graphql$/, '')
  return { ok: true, url: `${parsed.origin}${pathname}` }
}

export async function readAgentConfig(configDir: string): Promise<AgentConfig | null> {
  let text: string
  try {
    text = await readFile(configFilePath(configDir), 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  const parsed = JSON.parse(text) as Partial<AgentConfig>
  if (typeof parsed.url !== 'string' || typeof parsed.token !== 'string') return null
  return { url: parsed.url, token: parsed.token }
}

/** Written owner-only (0600, in a 0700 directory) and renamed into place, so no reader sees half a file. */
export async function writeAgentConfig(configDir: string, config: AgentConfig): Promise<string> {
  await mkdir(configDir, { recursive: true, mode: 0o700 })
  const file = configFilePath(configDir)
  const temp = `${file}.${process.pid}.tmp`
  await writeFile(temp, `${JSON.stringify({ url: config.url, token: config.token }, null, 2)}\n`, { mode: 0o600 })
  await chmod(temp, 0o600) // the umask cannot widen it, but an existing temp file would keep its mode
  await rename(temp, file)
  return file
}

export async function removeAgentConfig(configDir: string): Promise<boolean> {
  const file = configFilePath(configDir)
  try {
    await rm(file)
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw err
  }
}
