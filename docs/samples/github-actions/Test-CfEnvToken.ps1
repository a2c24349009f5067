<#
.SYNOPSIS
    GitHub Actions step: checks that the token an earlier step put into the job's environment works.
.DESCRIPTION
    Reads the environment variable -EnvName (set through $GITHUB_ENV by Invoke-CfTokenRollStep.ps1, masked in the log),
    verifies it with Test-CfToken and prints its status, id and expiry, never the value. A later step would use the same
    variable for its real work, e.g. `env: CLOUDFLARE_API_TOKEN: ${{ env.CF_DEPLOY_TOKEN }}` for wrangler. Exit code 1
    with an ::error:: annotation when the variable is empty or the token is not active.
.PARAMETER EnvName
    The environment variable holding the token, e.g. CF_DEPLOY_TOKEN.
.EXAMPLE
    ./.github/cloudflare/Test-CfEnvToken.ps1 -EnvName CF_DEPLOY_TOKEN
#>
[CmdletBinding()]
param([Parameter(Mandatory)] [string] $EnvName)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
# Re-running a job with debug logging sets RUNNER_DEBUG=1: then the module's verbose and debug streams (requests,
# ledger, vault steps; never a value) go to the log too.
if ($env:RUNNER_DEBUG -eq '1') { $VerbosePreference = 'Continue'; $DebugPreference = 'Continue' }

$value = [Environment]::GetEnvironmentVariable($EnvName)
if (-not $value) {
    Write-Output "::error title=No token::`$env:$EnvName is empty: the roll step did not hand a value to this step."
    exit 1
}
Import-Module CfManagement
$token = ConvertTo-SecureString -String $value -AsPlainText -Force
$value = $null
try {
    $check = Test-CfToken -Token $token
}
catch {
    Write-Output "::error title=Token check failed::$($_.FullyQualifiedErrorId): $($_.Exception.Message)"
    exit 1
}
Write-Output "`$env:$EnvName is token $($check.Id): $($check.Status), expires $(if ($check.ExpiresOn) { $check.ExpiresOn.ToString('u') } else { 'never' })."
if ($check.Status -ne 'active') {
    Write-Output "::error title=Token not active::`$env:$EnvName (token $($check.Id)) is $($check.Status)."
    exit 1
}
