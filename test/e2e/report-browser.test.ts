import { existsSync } from 'node:fs'
import { appendFile, mkdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { jsonOf, ROOT, runCli } from './run-cli.js'
import { freshCopy, QUICKSTART } from './sync-helpers.js'

const CHROMIUM = '/usr/bin/chromium'
/** CI runs as root and installs chromium (.ci/run); elsewhere, without root or apt, the test is skipped. */
const canRun = existsSync(CHROMIUM) || (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get'))

const copies: string[] = []
afterAll(async () => {
  await Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })))
})

describe.skipIf(!canRun)('the HTML report in a real browser (Chromium)', () => {
  it('renders offline: no console error, no request, search filters, counts match, hostile names are text', async () => {
    const dir = await freshCopy(QUICKSTART, 'ust-e2e-report-')
    copies.push(dir)
    // A user whose name is markup, one with quotes and non-ASCII, and one the target refuses (email too long).
    await appendFile(
      join(dir, 'users.csv'),
      [
        '<script>alert(1)</script>,"O""Brien",xss.user@northwind.example,US,Design',
        'Zoë,"Ünïcødé ""quoted"" \'single\'",zoe.unicode@northwind.example,DE,Marketing',
        `Long,Name,${'a'.repeat(60)}@northwind.example,US,Design`,
        '',
      ].join('\n'),
    )
    const report = join(dir, 'report.html')
    const run = await runCli(
      [
        'sync',
        '-c',
        join(dir, 'user-sync-config.yml'),
        '--process-groups',
        '--adobe-only-user-action',
        'remove',
      ].concat(['--report', report, '--json']),
      { cwd: dir, env: { UST_DATA_DIR: join(dir, '.ust-data') } },
    )
    expect(run.code, run.stderr).toBe(8)
    expect(jsonOf<{ reportFile: string }>(run).reportFile).toBe(report)
    expect((await stat(report)).mode & 0o777).toBe(0o600)

    const { launch } = await import('puppeteer-core')
    const browser = await launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] })
    try {
      const page = await browser.newPage()
      const problems: string[] = []
      const requests: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text())
      })
      page.on('pageerror', (e) => problems.push(String(e)))
      page.on('dialog', (d) => problems.push(`dialog: ${d.message()}`))
      page.on('request', (r) => requests.push(r.url()))
      await page.goto(`file://${report}`, { waitUntil: 'load' })
      expect(problems).toEqual([])
      expect(requests).toEqual([`file://${report}`])

      const counts = await page.$$eval('#counts tr', (rows) =>
        Object.fromEntries(rows.map((r) => [r.cells[0]?.textContent, Number(r.cells[1]?.textContent)])),
      )
      const rowsOf = (action: string) =>
        page.$$eval(`#changes tbody tr[data-action="${action}"]`, (rows) => rows.length)
      expect(await rowsOf('create')).toBe(counts['Users created'])
      expect(await rowsOf('update')).toBe(counts['Users updated (attributes)'])
      expect(await rowsOf('add to group')).toBe(counts['Group memberships added'])
      expect(await rowsOf('remove from group')).toBe(counts['Group memberships removed'])
      expect(await rowsOf('adobe-only: removed')).toBe(counts['Adobe-only users removed from the organisation'])
      expect(counts['Users created']).toBe(20)
      const summary = await page.$eval('#summary', (p) => p.textContent ?? '')
      expect(summary).toContain(`Number of new Adobe users added: ${counts['Users created']}`)
      expect(await page.$eval('#headline', (p) => p.textContent)).toBe(
        'This plan REMOVES: 6 users from the organisation, 3 group memberships',
      )

      const text = await page.$eval('body', (b) => b.innerText)
      expect(text).toContain('<script>alert(1)</script>')
      expect(text).toContain('Ünïcødé "quoted" \'single\'')
      expect(await page.$$eval('body script', (s) => s.length)).toBe(1)
      const failed = await page.$$eval('#failures tbody tr', (rows) => rows.map((r) => r.textContent))
      expect(failed).toHaveLength(1)
      expect(failed[0]).toContain('error.user.email.invalid')

      const total = await page.$$eval('#changes tbody tr', (rows) => rows.length)
      await page.type('#search', 'zoe.unicode')
      const visible = await page.$$eval('#changes tbody tr', (rows) => rows.filter((r) => !r.hidden).length)
      expect(visible).toBe(3) // created, added to Marketing Team and Acrobat Pro - Marketing
      expect(await page.$eval('#shown', (s) => s.textContent)).toBe('3')
      expect(visible).toBeLessThan(total)

      await mkdir(join(ROOT, 'tmp'), { recursive: true })
      await page.screenshot({ path: join(ROOT, 'tmp/report.png'), fullPage: true })
      expect(problems).toEqual([])
    } finally {
      await browser.close()
    }
  }, 120_000)
})
