/**
 * The README.txt at the top of a self-contained build: what is inside, how to put it in place on the
 * target's system, where its state lives, and where the scheduling recipes and the docs are.
 */
export function archiveReadme(
  targetName: string,
  os: 'linux' | 'darwin' | 'win32',
  version: string,
  nodeVersion: string,
  nodeNote?: string,
): string {
  const windows = os === 'win32'
  const lines = [
    `ust-sync ${version} for ${targetName}, with Node ${nodeVersion} (no other Node needed).`,
    ...(nodeNote ? [nodeNote] : []),
    '',
    'Inside:',
    windows
      ? '  bin\\ust.cmd          the program (runs bin\\node.exe on lib\\node_modules\\ust-sync)'
      : '  bin/ust              the program (runs bin/node on lib/node_modules/ust-sync)',
    `  bin/${windows ? 'node.exe' : 'node'}${windows ? '         ' : '             '}Node ${nodeVersion} and its licence (bin/node.LICENSE)`,
    '  lib/node_modules/    ust-sync, its first-party plugins and their dependencies for this platform',
    '  scheduling/          cron, systemd, Kubernetes and Windows Task Scheduler recipes (scheduling/README.md)',
    '  docs/                the administrator guides (docs/admin/), the command reference, writing plugins',
    '  README.md, CHANGELOG.md, SECURITY.md, LICENSE',
    '',
    'Install:',
  ]
  if (windows)
    lines.push(
      '  Unpack into C:\\Program Files\\ust (tar -xzf ust-….tar.gz -C "C:\\Program Files" on Windows Server 2019 and',
      '  later), then run C:\\Program Files\\ust\\bin\\ust.cmd --version. Put configuration in C:\\ProgramData\\ust',
      '  and schedule it with scheduling\\windows\\register-ust-task.ps1 (docs\\admin\\scheduling.md).',
      '  State (run history, locks, the safety baseline) goes to %LOCALAPPDATA%\\ust of the account that',
      '  runs it; the recipes set UST_DATA_DIR=C:\\ProgramData\\ust\\data for a scheduled task.',
      '  Files holding secrets or personal data are made readable by their owner only (icacls, see',
      '  docs\\admin\\install.md).',
    )
  else
    lines.push(
      '  Unpack into /opt (tar -xzf ust-….tar.gz -C /opt), then: ln -s /opt/ust/bin/ust /usr/local/bin/ust',
      '  and ust --version. Put configuration in /etc/ust and schedule it with scheduling/cron, scheduling/systemd',
      `  or scheduling/kubernetes (docs/admin/scheduling.md).${os === 'darwin' ? ' On macOS, a launchd job runs bin/ust the same way; the OS keyring is the login Keychain.' : ''}`,
      '  Nothing is extracted or executed from TMPDIR: a noexec /tmp is fine.',
    )
  lines.push(
    '',
    'First steps: ust init (writes example config files), ust config validate, ust net check, ust sync -t.',
    '',
  )
  return lines.join(windows ? '\r\n' : '\n')
}
