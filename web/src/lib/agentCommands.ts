// The desktop agent's two commands, filled in for this service and the user's system (the reMarkable
// desktop app exists for macOS and Windows; other systems get the macOS folder as the example).
export function desktopFolderGuess(): string {
  const platform = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform ?? navigator.platform ?? ''
  if (/win/i.test(platform)) return '%APPDATA%\\remarkable\\desktop'
  return '~/Library/Containers/com.remarkable.desktop/Data/Library/Application Support/remarkable/desktop'
}

export function agentLoginCommand(token: string): string {
  return `npm run agent -- login --url ${window.location.origin} --token ${token}`
}

export function agentWatchCommand(folder = desktopFolderGuess()): string {
  return `npm run agent -- watch "${folder}"`
}
