<#
.SYNOPSIS
    Walks through CfManagement against a Cloudflare API (normally the local emulator) and prints formatted output.
.EXAMPLE
    # pwsh, with the emulator running: dotnet run --project src/CfManagement.Emulator -- --port 8787 --token-file ./demo-token.txt
    ./tools/demo.ps1 -ApiBaseUri http://127.0.0.1:8787/client/v4/ -ApiToken (Get-Content ./demo-token.txt | ConvertTo-SecureString -AsPlainText -Force)
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ApiBaseUri,
    [Parameter(Mandatory)] [securestring] $ApiToken,
    [string] $AccountId,
    # The demo's ledger, away from your real one.
    [string] $LedgerPath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "cfmanagement-demo-$PID.db")
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module -Name CfManagement)) {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'CfManagement', 'CfManagement.psd1'))
}

'=== Connect-CfAccount (verifies the token; the value is never shown)'
$connect = @{ ApiToken = $ApiToken; ApiBaseUri = $ApiBaseUri; LedgerPath = $LedgerPath }
if ($AccountId) { $connect.AccountId = $AccountId }
Connect-CfAccount @connect | Out-Default

'=== Test-CfToken'
Test-CfToken | Out-Default

'=== Get-CfToken (user-owned)'
Get-CfToken | Out-Default

'=== Get-CfToken -Scope Account'
Get-CfToken -Scope Account | Out-Default

'=== Get-CfPermissionGroup -Name DNS* -Scope Zone'
Get-CfPermissionGroup -Name 'DNS*' -Scope Zone | Out-Default

'=== Get-CfPermissionGroup -Name "Workers R2 Storage Write" (a name in two scopes)'
Get-CfPermissionGroup -Name 'Workers R2 Storage Write' | Out-Default

'=== Bad input is refused before any request'
try { Get-CfToken -Id 'not-an-id' -ErrorAction Stop } catch { "$($_.FullyQualifiedErrorId): $($_.Exception.Message)" }

"=== New-CfToken (names resolved to ids; the value comes back as a SecureString)"
$dns = New-CfToken -Name demo-dns -PermissionGroup 'DNS Write', 'Zone Read' -Zone raxx.app -Ttl 1.00:00:00 -Confirm:$false
$dns | Out-Default

'=== Test-CfTokenHealth (what is missing, by name, and what to do)'
$dns | Test-CfTokenHealth -RequiredPermissionGroup 'DNS Write', 'Zone Read', 'SSL and Certificates Write' | Out-Default

'=== Invoke-CfTokenRoll (old value dies at once; the new one goes straight into a Worker secret)'
Get-CfToken -Name demo-dns | Invoke-CfTokenRoll -WorkerScript api-worker -Confirm:$false | Out-Default

'=== New-CfManagedToken (mint, store, record; rolled back on any failure)'
New-CfManagedToken -Name demo-managed -Purpose 'demo: nightly DNS sync' -PermissionGroup 'DNS Read' -AllZones -Ttl 8:00:00 -WorkerScript cron-worker -Confirm:$false | Out-Default

'=== Get-CfLedger (what happened; never a secret)'
Get-CfLedger -Last 8 | Out-Default

Disconnect-CfAccount
'=== Done'
