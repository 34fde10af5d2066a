// Where a CPU profile (node --cpu-prof) spent its time: self time per function and per package, the
// largest first. Run: tsx bench/lib/summariseProfile.ts <file.cpuprofile> [rows (30)]
import { readFileSync } from 'node:fs'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
interface Profile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

const profile = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Profile
const rows = Number(process.argv[3] ?? 30)
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const selfUs = new Map<number, number>()
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
const total = [...selfUs.values()].reduce((a, b) => a + b, 0)

const packageOf = (url: string) => {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (m) return m[1]
  if (url.startsWith('node:') || url === '') return url || '(native / gc / idle)'
  return url.replace(/^file:\/\/.*?\/(server|bench|scripts)\//, '$1/')
}
const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us)
const byFunction = new Map<string, number>()
const byPackage = new Map<string, number>()
for (const [id, us] of selfUs) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame
  add(byFunction, `${functionName || '(anonymous)'} ${packageOf(url)}:${lineNumber + 1}`, us)
  add(byPackage, packageOf(url), us)
}
const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`)
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) console.log(`${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`)
}
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`)
print('self time by package', byPackage)
print('self time by function', byFunction)
