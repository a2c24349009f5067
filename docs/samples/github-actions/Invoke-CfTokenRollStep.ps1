<#
.SYNOPSIS
    GitHub Actions step: rolls one Cloudflare API token (or rotates a vaulted credential) and hands the new value to
    the later steps of the job.
.DESCRIPTION
    Connects from CLOUDFLARE_API_TOKEN / CLOUDFLARE_ACCOUNT_ID (the management token, from repository secrets), rolls
    the token -TokenId with Invoke-CfTokenRoll -GitHubEnv: the runner is told to mask the new value (::add-mask::)
    before it is appended to the $GITHUB_ENV file, so later steps read it as $env:<EnvName> and the log shows ***.
    The roll and the delivery are recorded in the D1 ledger (-LedgerDatabaseId): a runner is ephemeral, a D1 ledger
    is not. The step log and the job summary show the token's name, id, expiry and where the value went, never the
    value. Any failure is one ::error:: annotation with Cloudflare's message and exit code 1; a failed delivery never
    loses the value silently (Invoke-CfTokenRoll reports it in the error).
.PARAMETER TokenId
    The id (32 hex characters) of the API token to roll. Give it or -Credential, not both.
.PARAMETER Credential
    Instead of -TokenId: the vault secret name of a credential to rotate with Invoke-CfTokenRotation (verify, roll
    into the vault, distribute to its registered consumers, validate; resumable). For a self-hosted runner whose vault
    -Vault persists. A consumer registered as github:NAME (Register-CfTokenConsumer -Destination github:NAME, in the
    same D1 ledger) receives the new value in this job's environment, masked.
.PARAMETER Vault
    With -Credential: the registered SecretManagement vault holding it.
.PARAMETER EnvName
    With -TokenId: the environment variable the later steps of the job read the new value from, e.g. CF_DEPLOY_TOKEN.
.PARAMETER LedgerDatabaseId
    The D1 database (uuid) of the CfManagement ledger; empty means the session's default ledger.
.EXAMPLE
    ./.github/cloudflare/Invoke-CfTokenRollStep.ps1 -TokenId $env:CF_TOKEN_ID -EnvName CF_DEPLOY_TOKEN -LedgerDatabaseId $env:CF_LEDGER_D1_DATABASE_ID
.EXAMPLE
    ./.github/cloudflare/Invoke-CfTokenRollStep.ps1 -Credential CF_DEPLOY_TOKEN -Vault CfVault -LedgerDatabaseId $env:CF_LEDGER_D1_DATABASE_ID
#>
[CmdletBinding()]
param(
    [string] $TokenId,
    [string] $Credential,
    [string] $Vault = 'CfVault',
    [string] $EnvName,
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

if ([bool]$TokenId -eq [bool]$Credential -or ($TokenId -and -not $EnvName)) {
    Write-Output '::error title=Nothing to rotate::Give the token-id input (with env-name) to roll a token, or the credential input to rotate a vaulted credential; not both.'
    exit 1
}

try {
    Import-Module CfManagement
    $ledger = @{}
    if ($LedgerDatabaseId) { $ledger.LedgerDatabaseId = $LedgerDatabaseId }
    Connect-CfAccount -FromEnvironment @ledger | Out-Null
    if ($Credential) {
        $result = Invoke-CfTokenRotation -SecretName $Credential -Vault $Vault @ledger -Confirm:$false
    }
    else {
        $rolled = Invoke-CfTokenRoll -Id $TokenId -GitHubEnv $EnvName -Confirm:$false
    }
}
catch {
    Write-Output "::error title=Token roll failed::$(ConvertTo-ActionsData "$($_.FullyQualifiedErrorId): $($_.Exception.Message)")"
    exit 1
}

if ($Credential) {
    $updated = @($result.ConsumersUpdated) -join ', '
    $manual = @($result.ConsumersManual) -join ', '
    Write-Output "Rotation of $Credential in vault ${Vault}: $($result.State) (stages $(@($result.StagesDone) -join ', '); consumers updated: $(if ($updated) { $updated } else { 'none' }))."
    if ($manual) { Write-Output "::warning title=Update by hand::$(ConvertTo-ActionsData "$Credential was rotated; these consumers need the new value by hand: $manual")" }
    if ($env:GITHUB_STEP_SUMMARY) {
        Add-Content -Path $env:GITHUB_STEP_SUMMARY -Value @(
            '### Cloudflare credential rotated', '',
            '| Credential | Token id | State | Consumers updated | By hand |', '|---|---|---|---|---|',
            "| $Credential | $($result.TokenId) | $($result.State) | $updated | $manual |", '')
    }
    if ("$($result.State)" -ne 'Completed') {
        Write-Output "::error title=Rotation incomplete::$(ConvertTo-ActionsData "$Credential stopped at state $($result.State); run the workflow again to resume (failed consumers: $(@($result.ConsumersFailed) -join ', '))")"
        exit 1
    }
    exit 0
}

$expires = if ($rolled.ExpiresOn) { $rolled.ExpiresOn.ToString('yyyy-MM-dd HH:mm') + ' UTC' } else { 'never' }
Write-Output "Rolled $($rolled.Name) ($($rolled.Id)); expires $expires; new value in `$env:$EnvName for the later steps of this job ($($rolled.Destination))."
if ($env:GITHUB_STEP_SUMMARY) {
    Add-Content -Path $env:GITHUB_STEP_SUMMARY -Value @(
        '### Cloudflare token rolled', '',
        '| Token | Id | Expires | Delivered to |', '|---|---|---|---|',
        "| $($rolled.Name) | $($rolled.Id) | $expires | $($rolled.Destination) |", '')
}
