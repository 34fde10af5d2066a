/** Rounds to hundredths and prints without trailing zeros: keeps SVGs small. */
export function formatNumber(value: number): string {
  return String(Math.round(value * 100) / 100)
}

/**
 * Text safe inside an SVG element or attribute: XML-escaped, and stripped of characters
 * XML 1.0 forbids (control characters, lone surrogates), which a damaged file can contain
 * and which would make the SVG unparseable.
 */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '')
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string)
}

export function formatRgb(rgba: readonly number[]): string {
  return `rgb(${rgba[0]},${rgba[1]},${rgba[2]})`
}
