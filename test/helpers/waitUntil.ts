// Polls a condition every 20 ms until it holds or `ms` have passed, then returns either way: the
// test's own assertion afterwards says what was expected (so a loaded machine is slower, never wrong
// in a confusing way). For things with no event to wait on (a subscription's next message).
export async function waitUntil(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20))
}
