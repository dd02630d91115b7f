# Registers the hourly "ust sync" task from ust-sync-task.xml (run as an administrator).
# The task runs as the account given here; store its secrets in that account's Credential Manager
# (the keyring backend) before the first run.
param(
  [Parameter(Mandatory = $true)][string]$User,
  [string]$Xml = (Join-Path $PSScriptRoot 'ust-sync-task.xml')
)
$password = Read-Host -AsSecureString "Password of $User"
$plain = [Runtime.InteropServices.Marshal]::PtrToStringAuto([Runtime.InteropServices.Marshal]::SecureStringToBSTR($password))
Register-ScheduledTask -TaskName 'ust sync' -Xml (Get-Content -Raw $Xml) -User $User -Password $plain -Force
