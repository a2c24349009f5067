<#
.SYNOPSIS
    GitHub Actions step: the nightly inventory of vaulted Cloudflare credentials; fails the job on expiring tokens.
.DESCRIPTION
    Connects from CLOUDFLARE_API_TOKEN / CLOUDFLARE_ACCOUNT_ID, runs Get-CfTokenInventory over the vault -Vault (with
    the consumers and history from the D1 ledger -LedgerDatabaseId: runners are ephemeral) and then:
    - writes one ::error:: annotation per credential that has expired or expires within -Days days, and one ::warning::
      per credential with any other flag (revoked, missing at Cloudflare, vault metadata out of date, ...);
    - writes the whole inventory as a table to the job summary ($GITHUB_STEP_SUMMARY) and the number of credentials
      that need attention to the step output `problems` ($GITHUB_OUTPUT);
    - exits 1 when a credential has expired or expires within -Days days, 0 otherwise. Any other failure (a bad
      -Days, no connection, the inventory failing) is also exit 1 with its own annotation: the runner reports every
      non-zero exit of a pwsh step as 1 anyway, so the annotation's title is what tells them apart.
    Only names, ids, dates and flags are printed: the inventory never reads a secret value.
.PARAMETER Vault
    The registered SecretManagement vault holding the credentials (Register-CfVault.ps1 registers it).
.PARAMETER Name
    A wildcard limiting the inventory to some vault entries; empty means all.
.PARAMETER Days
    The threshold: a credential that expires within this many days fails the job. Empty means 14.
.PARAMETER LedgerDatabaseId
    The D1 database (uuid) of the CfManagement ledger; empty means the session's default ledger.
.EXAMPLE
    ./.github/cloudflare/Test-CfTokenExpiry.ps1 -Vault CfVault -Days 21 -LedgerDatabaseId $env:CF_LEDGER_D1_DATABASE_ID
#>
[CmdletBinding()]
param(
    [string] $Vault = 'CfVault',
    [string] $Name,
    [string] $Days,
    [string] $LedgerDatabaseId
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
# Re-running a job with debug logging sets RUNNER_DEBUG=1: then the module's verbose and debug streams (requests,
# ledger, vault steps; never a value) go to the log too.
if ($env:RUNNER_DEBUG -eq '1') { $VerbosePreference = 'Continue'; $DebugPreference = 'Continue' }

function ConvertTo-ActionsData([string] $Text) { $Text.Replace('%', '%25').Replace("`r", '%0D').Replace("`n", '%0A') }
function ConvertTo-ActionsProperty([string] $Text) { (ConvertTo-ActionsData $Text).Replace(':', '%3A').Replace(',', '%2C') }
function Write-Annotation([string] $Level, [string] $Title, [string] $Message) {
    Write-Output "::${Level} title=$(ConvertTo-ActionsProperty $Title)::$(ConvertTo-ActionsData $Message)"
}

$threshold = 14
if ($Days) {
    if (-not [int]::TryParse($Days, [ref] $threshold) -or $threshold -lt 0) {
        Write-Annotation error 'Bad threshold' "-Days '$Days' is not a whole number of days (0 or more): set the variable CF_EXPIRY_WARNING_DAYS to, say, 14."
        exit 1
    }
}
if (-not $Name) { $Name = '*' }

try {
    Import-Module CfManagement
    $ledger = @{}
    if ($LedgerDatabaseId) { $ledger.LedgerDatabaseId = $LedgerDatabaseId }
    Connect-CfAccount -FromEnvironment @ledger | Out-Null
    $inventory = @(Get-CfTokenInventory -Vault $Vault -Name $Name -ExpiringWithinDays $threshold @ledger)
}
catch {
    Write-Annotation error 'Inventory failed' "$($_.FullyQualifiedErrorId): $($_.Exception.Message)"
    exit 1
}

# Get-CfTokenInventory flags each entry (Cloudflare's expiry when it knows the token, else the vault's):
# Expired / ExpiringSoon fail the job; every other flag (Revoked, MissingAtCloudflare, Drift, Invalid, ...) warns.
$failing = [System.Collections.Generic.List[object]]::new()
$warned = 0
foreach ($item in $inventory) {
    $flags = @($item.Flags | Where-Object { $_ })
    $label = "$($item.Name) ($(if ($item.TokenId) { $item.TokenId } else { 'no token id' }))"
    $expires = if ($item.ExpiresOn) { $item.ExpiresOn.UtcDateTime.ToString('u') } else { 'an unknown date' }
    if ($flags -contains 'Expired') {
        Write-Annotation error 'Cloudflare token expired' "$label expired on ${expires}: roll or re-provision it."
        $failing.Add($item)
    }
    elseif ($flags -contains 'ExpiringSoon') {
        Write-Annotation error 'Cloudflare token expiring' "$label expires on $expires ($($item.DaysLeft) day(s) left, threshold $threshold): roll it."
        $failing.Add($item)
    }
    $other = @($flags | Where-Object { $_ -notin 'Expired', 'ExpiringSoon' })
    if ($other.Count -gt 0) {
        $detail = @($item.Drift, $item.Note) | Where-Object { $_ }
        Write-Annotation warning 'Cloudflare credential needs attention' "${label}: $($other -join ', ')$(if ($detail) { " ($($detail -join '; '))" })"
        $warned++
    }
}

Write-Output "$($inventory.Count) credential(s) in vault $Vault; $($failing.Count) expired or expiring within $threshold day(s); $warned with other flags."
$inventory | Format-Table -AutoSize Name, TokenId, ExpiresOn, DaysLeft, Status, ConsumerCount, FlagText | Out-String -Width 200 | Write-Output
if ($env:GITHUB_STEP_SUMMARY) {
    $lines = @("### Cloudflare credentials in $Vault (threshold $threshold days)", '', '| Credential | Token id | Expires | Status | Consumers | Flags |', '|---|---|---|---|---|---|')
    foreach ($item in $inventory) {
        $expires = if ($item.ExpiresOn) { $item.ExpiresOn.UtcDateTime.ToString('yyyy-MM-dd') } else { 'never' }
        $lines += "| $($item.Name) | $($item.TokenId) | $expires | $($item.Status) | $($item.ConsumerText) | $($item.FlagText) |"
    }
    Add-Content -Path $env:GITHUB_STEP_SUMMARY -Value ($lines + '')
}
if ($env:GITHUB_OUTPUT) { Add-Content -Path $env:GITHUB_OUTPUT -Value "problems=$($failing.Count + $warned)" }
if ($failing.Count -gt 0) { exit 1 }
exit 0
