<#
.SYNOPSIS
    GitHub Actions step: registers the SecretManagement vault the inventory reads (an Azure Key Vault by default).
.DESCRIPTION
    When a vault named -Name is already registered (a self-hosted runner with its own SecretStore, or a test standing
    in for Key Vault) it is used as it is. Otherwise the Azure Key Vault -KeyVaultName is registered under -Name
    through the Az.KeyVault module's SecretManagement extension (VaultParameters AZKVaultName and SubscriptionId); the
    Azure sign-in comes from an earlier azure/login step with enable-AzPSSession (OIDC, no stored Azure secret).
    Exit code 1 with an ::error:: annotation when neither is possible.
.PARAMETER Name
    The SecretManagement vault name the later steps use.
.PARAMETER KeyVaultName
    The Azure Key Vault to register when -Name is not registered yet.
.PARAMETER SubscriptionId
    The Azure subscription of the Key Vault.
.EXAMPLE
    ./.github/cloudflare/Register-CfVault.ps1 -Name CfVault -KeyVaultName contoso-ops-kv -SubscriptionId $env:AZURE_SUBSCRIPTION_ID
#>
[CmdletBinding()]
param(
    [string] $Name = 'CfVault',
    [string] $KeyVaultName,
    [string] $SubscriptionId
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

Import-Module Microsoft.PowerShell.SecretManagement
$existing = Get-SecretVault -Name $Name -ErrorAction SilentlyContinue
if ($existing) {
    Write-Output "Vault $Name is registered already ($($existing.ModuleName)): using it."
    return
}
if (-not $KeyVaultName -or -not $SubscriptionId) {
    Write-Output "::error title=No vault::Vault $Name is not registered and no Key Vault is configured: set the variable CF_KEY_VAULT_NAME and the secret AZURE_SUBSCRIPTION_ID."
    exit 1
}
Register-SecretVault -Name $Name -ModuleName Az.KeyVault -VaultParameters @{ AZKVaultName = $KeyVaultName; SubscriptionId = $SubscriptionId }
Write-Output "Registered Azure Key Vault $KeyVaultName as vault $Name."
