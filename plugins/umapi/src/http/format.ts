/** `38 s`, `2.5 s`, `0.2 s`: a duration for messages. */
export function formatSeconds(ms: number): string {
  const s = ms / 1000
  return `${s >= 10 ? Math.round(s) : Math.round(s * 10) / 10} s`
}
