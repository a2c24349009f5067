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
    [string] $AccountId
)
$ErrorActionPreference = 'Stop'
if (-not (Get-Module -Name CfManagement)) {
    Import-Module ([System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'CfManagement', 'CfManagement.psd1'))
}

'=== Connect-CfAccount (verifies the token; the value is never shown)'
$connect = @{ ApiToken = $ApiToken; ApiBaseUri = $ApiBaseUri }
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

Disconnect-CfAccount
'=== Done'
