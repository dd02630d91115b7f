# Runs a command on a pseudo-terminal, as a person at a terminal would: each time the output so far ends
# with the next expected prompt, types the next answer and Enter. Prints everything the terminal showed
# (what the person would see) and exits with the command's status. Used by credentials-prompt.test.ts,
# because ust's hidden prompts only appear on a terminal.
# usage: python3 pty-run.py '<json [[prompt, answer], ...]>' command args...
import json, os, pty, sys, time

steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
seen = b''
deadline = time.time() + 120
while True:
    if steps and seen.rstrip().endswith(steps[0][0].encode().rstrip()):
        time.sleep(0.2)
        os.write(fd, steps.pop(0)[1].encode() + b'\r')
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    if time.time() > deadline:
        break
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode('utf8', 'replace'))
sys.exit(os.waitstatus_to_exitcode(status))
