import { describe, expect, it } from 'vitest'
import { escapeHtml } from '../../src/run/html-report.js'

describe('escapeHtml', () => {
  it('escapes markup, both quotes and ampersands; leaves non-ASCII as is', () => {
    expect(escapeHtml(`<script>alert("x")</script> & 'Zoë'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Zoë&#39;',
    )
    expect(escapeHtml('&lt;')).toBe('&amp;lt;')
  })
})
