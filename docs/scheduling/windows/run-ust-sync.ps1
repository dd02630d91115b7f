# One ust sync for Windows Task Scheduler: writes the outcome to the Application event log (source
# "ust") and returns ust's exit code, which Task Scheduler shows as "Last Run Result" (0x0 = success).
# Exit 10 (another sync holds the lock) is reported as success. Task Scheduler's own "restart on failure"
# reacts only to a task that could not start, not to an exit code: the transient codes 4, 6 and 7
# (network, source, target) are retried here, twice, 15 minutes apart.
param(
  [string]$Ust = 'C:\Program Files\ust\bin\ust.cmd',
  [string]$Config = 'C:\ProgramData\ust\user-sync-config.yml',
  [string[]]$SyncArgs = @('--process-groups', '--adobe-only-user-action', 'remove'),
  [int]$Retries = 2,
  [int]$RetryMinutes = 15,
  # Run history, locks and the safety baseline: machine-wide, not in the task account's profile.
  [string]$DataDir = 'C:\ProgramData\ust\data'
)
$env:UST_DATA_DIR = $DataDir
$meanings = @{
  2 = 'configuration error: fix the files or flags (nothing was changed)'
  3 = 'credential error: a secret could not be read (Credential Manager of the task''s user)'
  4 = 'network error: retried by the task settings'
  5 = 'plugin error'
  6 = 'the directory could not be read completely (nothing was changed)'
  7 = 'the target could not be read or refused the run'
  8 = 'partial failure: some commands failed (see the log)'
  9 = 'Adobe-only limit exceeded: Adobe-only users were not handled'
}
if (-not [System.Diagnostics.EventLog]::SourceExists('ust')) { New-EventLog -LogName Application -Source 'ust' }
for ($try = 0; ; $try++) {
  $output = & $Ust sync -c $Config @SyncArgs 2>&1 | Out-String
  $code = $LASTEXITCODE
  if ($try -ge $Retries -or @(4, 6, 7) -notcontains $code) { break }
  Write-EventLog -LogName Application -Source 'ust' -EventId (1000 + $code) -EntryType Warning -Message "ust sync exit code ${code}: $($meanings[$code]); retrying in $RetryMinutes minutes"
  Start-Sleep -Seconds ($RetryMinutes * 60)
}
if ($code -eq 0 -or $code -eq 10) {
  Write-EventLog -LogName Application -Source 'ust' -EventId 1000 -EntryType Information -Message "ust sync finished (exit $code)"
  exit 0
}
$meaning = $meanings[$code]
if (-not $meaning) { $meaning = 'unexpected error (a bug: report it with ust info)' }
$tail = ($output -split "`n" | Select-Object -Last 40) -join "`n"
Write-EventLog -LogName Application -Source 'ust' -EventId (1000 + $code) -EntryType Error -Message "ust sync failed, exit code ${code}: $meaning`n`n$tail"
exit $code
