/**
 * The `rel="next"` URL of an Okta list reply: the `Link` headers (one per relation, which `Headers` joins
 * with ", ") hold `<url>; rel="next"`. Undefined at the last page.
 */
export function nextLink(headers: Headers): string | undefined {
  const value = headers.get('link')
  if (!value) return undefined
  for (const match of value.matchAll(/<([^>]*)>\s*((?:;\s*[^;,]*)*)/g)) {
    const params = match[2] ?? ''
    if (/;\s*rel\s*=\s*"?([^";,]*\s)?next(\s[^";,]*)?"?/i.test(params)) return match[1]
  }
  return undefined
}
