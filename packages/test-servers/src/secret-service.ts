import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** What a command run inside a keyring session produced. */
export interface SessionRun {
  code: number
  stdout: string
  /** The command's stderr, without the session bus's own log lines. */
  stderr: string
  /** Log lines of the session's dbus-daemon (e.g. the harmless `Failed to set fd limit`). */
  busLog: string
}

/** Options of {@link runInKeyringSession}. */
export interface SessionOptions {
  /** Added to the environment (undefined removes a variable). HOME and XDG_* point into the session's temp dir. */
  env?: NodeJS.ProcessEnv
  cwd?: string
  /** Whether gnome-keyring is unlocked (creating the login keyring); false leaves it without a usable keyring. */
  unlock?: boolean
  timeoutMs?: number
}

/** Password of the throwaway login keyring. */
const KEYRING_PASSWORD = 'ust-test-keyring-pw'

/**
 * Shell run by `dbus-run-session`: starts gnome-keyring in the foreground as a child (so it is reaped
 * here, not left as a zombie), waits until it owns the Secret Service name on the bus, runs the command
 * ("$@"), then stops the daemon by its PID and exits with the command's status.
 */
const SESSION_SCRIPT = `
if [ "$UST_TEST_KEYRING_UNLOCK" = 1 ]; then
  printf %s "$UST_TEST_KEYRING_PASSWORD" | gnome-keyring-daemon --foreground --unlock --components=secrets >"$HOME/keyring.env" 2>"$HOME/keyring.log" &
else
  gnome-keyring-daemon --foreground --components=secrets >"$HOME/keyring.env" 2>"$HOME/keyring.log" </dev/null &
fi
keyring=$!
unset UST_TEST_KEYRING_PASSWORD UST_TEST_KEYRING_UNLOCK
tries=0
until dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q true; do
  tries=$((tries + 1))
  if [ "$tries" -gt 200 ]; then echo "secret-service helper: gnome-keyring-daemon did not start" >&2; cat "$HOME/keyring.log" >&2; kill "$keyring"; wait "$keyring"; exit 125; fi
  sleep 0.05
done
"$@"
code=$?
kill "$keyring" 2>/dev/null
wait "$keyring" 2>/dev/null
exit "$code"
`

/** Lines the session's dbus-daemon writes to the shared stderr. */
const BUS_LINE = /^dbus-daemon\[\d+\]: .*$\n?/gm

/**
 * Runs `argv` inside a fresh D-Bus session (`dbus-run-session`) with gnome-keyring's Secret Service,
 * unlocked by default, in a temp HOME that is removed afterwards. Never throws on a non-zero exit.
 * Needs the apt packages dbus, gnome-keyring and libsecret-tools (for `secret-tool` in commands).
 * Any process still running with that HOME after the session (there should be none) is killed by PID.
 */
export async function runInKeyringSession(argv: string[], options: SessionOptions = {}): Promise<SessionRun> {
  const home = await mkdtemp(join(tmpdir(), 'ust-keyring-home-'))
  try {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: join(home, '.local/share'),
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_RUNTIME_DIR: home,
      DBUS_SESSION_BUS_ADDRESS: undefined,
      GNOME_KEYRING_CONTROL: undefined,
      UST_TEST_KEYRING_PASSWORD: KEYRING_PASSWORD,
      UST_TEST_KEYRING_UNLOCK: options.unlock === false ? '0' : '1',
      ...options.env,
    }
    const run = await spawnCollect(
      'dbus-run-session',
      ['--', 'sh', '-c', SESSION_SCRIPT, 'sh', ...argv],
      env,
      options.cwd ?? home,
      options.timeoutMs ?? 120_000,
    )
    const busLog = (run.stderr.match(BUS_LINE) ?? []).join('')
    return { code: run.code, stdout: run.stdout, stderr: run.stderr.replace(BUS_LINE, ''), busLog }
  } finally {
    for (const pid of await processesWithHome(home)) process.kill(pid, 'SIGKILL')
    await rm(home, { recursive: true, force: true })
  }
}

function spawnCollect(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  timeoutMs: number,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? -1, stdout, stderr })
    })
  })
}

/** PIDs of live (not zombie) processes whose environment has `HOME=home`, i.e. started by one session. */
export async function processesWithHome(home: string): Promise<number[]> {
  const marker = `\0HOME=${home}\0`
  const pids: number[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const environ = `\0${await readFile(`/proc/${name}/environ`, 'latin1')}`
      if (!environ.includes(marker)) continue
      const stat = await readFile(`/proc/${name}/stat`, 'latin1')
      if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z') pids.push(Number(name))
    } catch {
      // the process ended meanwhile, or is not ours to read
    }
  }
  return pids
}
