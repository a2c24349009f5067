<#
.SYNOPSIS
    Installs CfManagement (and, when asked, SecretManagement and the Az.KeyVault vault extension) for the later
    steps of a GitHub Actions job.
.DESCRIPTION
    Each module is installed from the PowerShell Gallery for the current user unless a copy is already available on
    PSModulePath (a self-hosted runner that keeps them, a cache restored by an earlier step, or a test that puts a
    built module there), so the step is quick and idempotent. Install-PSResource is used where it exists (PowerShell
    7.4+), Install-Module otherwise. Prints one line per module: its name, version and whether it was installed.
.PARAMETER WithSecretManagement
    Also Microsoft.PowerShell.SecretManagement, for steps that read or write a vault.
.PARAMETER WithKeyVault
    Also Az.KeyVault (with Az.Accounts), whose SecretManagement extension registers an Azure Key Vault as a vault.
.EXAMPLE
    ./.github/cloudflare/Install-CfModule.ps1 -WithSecretManagement
#>
[CmdletBinding()]
param(
    [switch] $WithSecretManagement,
    [switch] $WithKeyVault
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$wanted = @('CfManagement')
if ($WithSecretManagement -or $WithKeyVault) { $wanted += 'Microsoft.PowerShell.SecretManagement' }
if ($WithKeyVault) { $wanted += 'Az.Accounts', 'Az.KeyVault' }

foreach ($name in $wanted) {
    $present = Get-Module -ListAvailable -Name $name | Sort-Object Version -Descending | Select-Object -First 1
    if ($present) {
        Write-Output "$name $($present.Version): already available"
        continue
    }
    if (Get-Command Install-PSResource -ErrorAction SilentlyContinue) {
        Install-PSResource -Name $name -Scope CurrentUser -TrustRepository -Quiet
    }
    else {
        Install-Module -Name $name -Scope CurrentUser -Force -AllowClobber
    }
    $installed = Get-Module -ListAvailable -Name $name | Sort-Object Version -Descending | Select-Object -First 1
    Write-Output "$name $($installed.Version): installed"
}
