// Files written to the local disk before FILE_STORAGE pointed elsewhere (PostgreSQL became the default
// with DATABASE_URL): read from there while they are not in the new store, so an upgrade loses no
// page. `npm run storage:migrate` moves them for good (and other machines need that: they never had them).
import type { FileStorage } from './fileStorage.ts'

export function withLocalFallback(primary: FileStorage, local: FileStorage): FileStorage {
  return {
    kind: primary.kind,
    put: (sha256, bytes) => primary.put(sha256, bytes),
    get: async (sha256) => (await primary.get(sha256)) ?? local.get(sha256),
    stream: async (sha256) => (await primary.stream(sha256)) ?? local.stream(sha256),
    has: async (sha256) => (await primary.has(sha256)) || local.has(sha256),
    async delete(sha256) {
      // A file no page references goes from both places.
      await primary.delete(sha256)
      await local.delete(sha256)
    },
    check: () => primary.check(),
    async close() {
      await primary.close()
      await local.close()
    },
  }
}
