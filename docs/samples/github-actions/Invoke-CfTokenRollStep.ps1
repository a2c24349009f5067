<#
.SYNOPSIS
    GitHub Actions step: rolls one Cloudflare API token and hands the new value to the later steps of the job.
.DESCRIPTION
    Connects from CLOUDFLARE_API_TOKEN / CLOUDFLARE_ACCOUNT_ID (the management token, from repository secrets), rolls
    the token -TokenId with Invoke-CfTokenRoll -GitHubEnv: the runner is told to mask the new value (::add-mask::)
    before it is appended to the $GITHUB_ENV file, so later steps read it as $env:<EnvName> and the log shows ***.
    The roll and the delivery are recorded in the D1 ledger (-LedgerDatabaseId): a runner is ephemeral, a D1 ledger
    is not. The step log and the job summary show the token's name, id, expiry and where the value went, never the
    value. Any failure is one ::error:: annotation with Cloudflare's message and exit code 1; a failed delivery never
    loses the value silently (Invoke-CfTokenRoll reports it in the error).
.PARAMETER TokenId
    The id (32 hex characters) of the API token to roll.
.PARAMETER EnvName
    The environment variable the later steps of the job read the new value from, e.g. CF_DEPLOY_TOKEN.
.PARAMETER LedgerDatabaseId
    The D1 database (uuid) of the CfManagement ledger; empty means the session's default ledger.
.EXAMPLE
    ./.github/cloudflare/Invoke-CfTokenRollStep.ps1 -TokenId $env:CF_TOKEN_ID -EnvName CF_DEPLOY_TOKEN -LedgerDatabaseId $env:CF_LEDGER_D1_DATABASE_ID
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $TokenId,
    [Parameter(Mandatory)] [string] $EnvName,
    [string] $LedgerDatabaseId
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
# Re-running a job with debug logging sets RUNNER_DEBUG=1: then the module's verbose and debug streams (requests,
# ledger, vault steps; never a value) go to the log too.
if ($env:RUNNER_DEBUG -eq '1') { $VerbosePreference = 'Continue'; $DebugPreference = 'Continue' }

function ConvertTo-ActionsData([string] $Text) {
    # Workflow command data: the runner unescapes %25, %0D and %0A.
    $Text.Replace('%', '%25').Replace("`r", '%0D').Replace("`n", '%0A')
}

try {
    Import-Module CfManagement
    $ledger = @{}
    if ($LedgerDatabaseId) { $ledger.LedgerDatabaseId = $LedgerDatabaseId }
    Connect-CfAccount -FromEnvironment @ledger | Out-Null
    $rolled = Invoke-CfTokenRoll -Id $TokenId -GitHubEnv $EnvName -Confirm:$false
}
catch {
    Write-Output "::error title=Token roll failed::$(ConvertTo-ActionsData "$($_.FullyQualifiedErrorId): $($_.Exception.Message)")"
    exit 1
}

$expires = if ($rolled.ExpiresOn) { $rolled.ExpiresOn.ToString('yyyy-MM-dd HH:mm') + ' UTC' } else { 'never' }
Write-Output "Rolled $($rolled.Name) ($($rolled.Id)); expires $expires; new value in `$env:$EnvName for the later steps of this job ($($rolled.Destination))."
if ($env:GITHUB_STEP_SUMMARY) {
    Add-Content -Path $env:GITHUB_STEP_SUMMARY -Value @(
        '### Cloudflare token rolled', '',
        '| Token | Id | Expires | Delivered to |', '|---|---|---|---|',
        "| $($rolled.Name) | $($rolled.Id) | $expires | $($rolled.Destination) |", '')
}
