// Preload for the Prisma CLI: its WASM schema engine leaves a >= 10 s timer pending after the
// command is done, which keeps the process alive for up to a minute. Unref such timers.
const setTimeoutOriginal = global.setTimeout
global.setTimeout = function (fn, ms, ...args) {
  const t = setTimeoutOriginal.call(this, fn, ms, ...args)
  if (ms >= 10000 && t && typeof t.unref === 'function') t.unref()
  return t
}
