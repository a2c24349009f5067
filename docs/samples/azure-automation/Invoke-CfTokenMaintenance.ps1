<#
.SYNOPSIS
    Azure Automation runbook (PowerShell 7.2 runtime): nightly Cloudflare token maintenance, with the management
    token from Azure Key Vault and the ledger on Cloudflare D1.
.DESCRIPTION
    1. Makes the vault -VaultName available: when it is not registered yet (a fresh sandbox), signs in with the
       Automation account's managed identity (Connect-AzAccount -Identity) and registers the Azure Key Vault
       -KeyVaultName through the Az.KeyVault module's SecretManagement extension. When a vault of that name is already
       registered (a Hybrid Runbook Worker that keeps one, or a rehearsal with a local SecretStore), it is used as it
       is: everything after this step works against any registered SecretManagement vault.
    2. Connects with the management token from that vault (Connect-CfAccount -Vault -SecretName), or from the
       encrypted Automation variable -TokenVariableName. The value is read as a SecureString and never printed.
    3. Revokes expired managed tokens and removes their secrets (Remove-CfExpiredManagedToken; -IncludeOrphaned also
       finishes flows killed midway), recorded in the D1 ledger -LedgerDatabaseId: sandboxes are ephemeral, so a
       local ledger file would be gone after every job.
    4. Lists the vault's credentials (Get-CfTokenInventory) and flags those that expire within -ExpiringWithinDays.
    The job log shows names, ids, dates and flags only. The job fails (the runbook throws, so the job ends as Failed
    and an alert on failed jobs fires) when the cleanup could not finish a step, or a credential has expired, expires
    within -ExpiringWithinDays days, was revoked (or replaced by the REVOKED marker of an emergency stop), is disabled,
    missing at Cloudflare, rejected by Cloudflare, missing its vault value or drifted from its vault metadata: every
    Get-CfTokenInventory flag except those in -WarnOnlyFlag.

    Parameters left empty are read from Automation variables of the same purpose when the runbook runs in Azure
    Automation (Get-AutomationVariable exists only inside the sandbox): CfKeyVaultName, CfSubscriptionId,
    CfAccountId, CfLedgerDatabaseId. See docs/azure-automation.md for the set-up.
.PARAMETER VaultName
    The SecretManagement vault name (registered by this runbook when missing).
.PARAMETER KeyVaultName
    The Azure Key Vault to register as -VaultName when it is not registered. Default: Automation variable CfKeyVaultName.
.PARAMETER SubscriptionId
    The Azure subscription of the Key Vault. Default: Automation variable CfSubscriptionId.
.PARAMETER ManagedIdentityClientId
    The client id of a user-assigned managed identity; empty signs in with the system-assigned identity.
.PARAMETER SecretName
    The vault secret holding the Cloudflare management token. Key Vault names allow letters, digits and dashes only.
.PARAMETER TokenVariableName
    Instead of the vault: the encrypted Automation variable holding the management token.
.PARAMETER AccountId
    The Cloudflare account id (32 hex). Default: Automation variable CfAccountId, else the token's only account.
.PARAMETER LedgerDatabaseId
    The D1 database (uuid) of the CfManagement ledger. Default: Automation variable CfLedgerDatabaseId.
.PARAMETER InventoryVault
    The vault whose credentials are inventoried. Default: -VaultName.
.PARAMETER InventoryName
    A wildcard limiting the inventory to some vault entries. Default: all.
.PARAMETER ExpiringWithinDays
    Credentials that expire within this many days fail the job. Default 14.
.PARAMETER WarnOnlyFlag
    Inventory flags that only warn instead of failing the job. Default NoMetadata: the Az.KeyVault extension keeps no
    metadata and Key Vault names cannot hold the NAME__TOKEN_ID companions, so Key Vault entries carry no token id.
.PARAMETER IncludeOrphaned
    Also finish managed-token flows that were killed midway (Remove-CfExpiredManagedToken -IncludeOrphaned).
.PARAMETER SkipCleanup
    Inventory only.
.EXAMPLE
    # Azure portal > Automation account > Runbooks > Invoke-CfTokenMaintenance > Start, or on a schedule:
    Start-AzAutomationRunbook -AutomationAccountName ops -ResourceGroupName ops-rg -Name Invoke-CfTokenMaintenance `
        -Parameters @{ VaultName = 'CfKeyVault'; SecretName = 'CF-MANAGEMENT-TOKEN'; IncludeOrphaned = $true }
.EXAMPLE
    # Rehearsal on a workstation against any registered vault (no Azure involved):
    ./Invoke-CfTokenMaintenance.ps1 -VaultName LocalStore -SecretName CF_MANAGEMENT_TOKEN -LedgerDatabaseId $d1
#>
#Requires -Version 7.2
[CmdletBinding()]
param(
    [string] $VaultName = 'CfKeyVault',
    [string] $KeyVaultName,
    [string] $SubscriptionId,
    [string] $ManagedIdentityClientId,
    [string] $SecretName = 'CF-MANAGEMENT-TOKEN',
    [string] $TokenVariableName,
    [string] $AccountId,
    [string] $LedgerDatabaseId,
    [string] $InventoryVault,
    [string] $InventoryName = '*',
    [int] $ExpiringWithinDays = 14,
    [string[]] $WarnOnlyFlag = @('NoMetadata'),
    [switch] $IncludeOrphaned,
    [switch] $SkipCleanup
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'   # no progress records in the job streams

function Get-RunbookSetting([string] $Value, [string] $VariableName) {
    # An empty parameter falls back to the Automation variable, which only exists inside an Automation sandbox.
    if ($Value) { return $Value }
    if (Get-Command Get-AutomationVariable -ErrorAction SilentlyContinue) {
        try { return [string](Get-AutomationVariable -Name $VariableName) } catch { return '' }
    }
    ''
}

function Stop-Runbook([string] $Message, [string] $ErrorId, [object] $Target) {
    $record = [System.Management.Automation.ErrorRecord]::new(
        [System.InvalidOperationException]::new($Message), $ErrorId, 'InvalidResult', $Target)
    $PSCmdlet.ThrowTerminatingError($record)
}

$KeyVaultName = Get-RunbookSetting $KeyVaultName 'CfKeyVaultName'
$SubscriptionId = Get-RunbookSetting $SubscriptionId 'CfSubscriptionId'
$AccountId = Get-RunbookSetting $AccountId 'CfAccountId'
$LedgerDatabaseId = Get-RunbookSetting $LedgerDatabaseId 'CfLedgerDatabaseId'
if (-not $InventoryVault) { $InventoryVault = $VaultName }
if (-not $LedgerDatabaseId) {
    Stop-Runbook 'No D1 ledger: pass -LedgerDatabaseId or create the Automation variable CfLedgerDatabaseId (an Automation sandbox keeps no file between jobs).' 'CfLedgerDatabaseIdMissing' $null
}

Import-Module Microsoft.PowerShell.SecretManagement -Verbose:$false
Import-Module CfManagement -Verbose:$false

# 1. The vault: Key Vault through the Az.KeyVault extension, unless a vault of that name is already registered.
if (-not (Get-SecretVault -Name $VaultName -ErrorAction SilentlyContinue)) {
    if (-not $KeyVaultName -or -not $SubscriptionId) {
        Stop-Runbook "Vault '$VaultName' is not registered and no Key Vault is configured: pass -KeyVaultName and -SubscriptionId or create the Automation variables CfKeyVaultName and CfSubscriptionId." 'CfVaultNotConfigured' $VaultName
    }
    $identity = @{ Identity = $true }
    if ($ManagedIdentityClientId) { $identity.AccountId = $ManagedIdentityClientId }
    Connect-AzAccount @identity -Subscription $SubscriptionId | Out-Null
    Register-SecretVault -Name $VaultName -ModuleName Az.KeyVault -VaultParameters @{ AZKVaultName = $KeyVaultName; SubscriptionId = $SubscriptionId }
    Write-Output "Registered Key Vault $KeyVaultName as vault $VaultName (managed identity)."
}

# 2. Connect with the management token (SecureString from the vault, or from an encrypted Automation variable).
$connect = @{ LedgerDatabaseId = $LedgerDatabaseId }
if ($AccountId) { $connect.AccountId = $AccountId }
if ($TokenVariableName) {
    $connect.ApiToken = ConvertTo-SecureString -String (Get-AutomationVariable -Name $TokenVariableName) -AsPlainText -Force
    $source = "Automation variable $TokenVariableName"
}
else {
    $connect.Vault = $VaultName
    $connect.SecretName = $SecretName
    $source = "vault $VaultName, secret $SecretName"
}
$session = Connect-CfAccount @connect
$connect.Clear()
$expires = if ($session.TokenExpiresOn) { $session.TokenExpiresOn.ToString('u') } else { 'never' }
Write-Output "Connected to account $($session.AccountId) with the management token from $source (token $($session.TokenId), expires $expires)."

$problems = [System.Collections.Generic.List[string]]::new()

# 3. Cleanup: expired managed tokens (and, with -IncludeOrphaned, flows killed midway). A failed step is an error
#    record; the next run retries it, and this run goes on to the inventory.
if (-not $SkipCleanup) {
    $cleanupErrors = @()
    $removed = @(Remove-CfExpiredManagedToken -IncludeOrphaned:$IncludeOrphaned -PassThru -Confirm:$false -LedgerDatabaseId $LedgerDatabaseId -ErrorAction Continue -ErrorVariable cleanupErrors)
    Write-Output "Cleanup: $($removed.Count) managed token(s) revoked and their secrets removed; $(@($cleanupErrors).Count) step(s) failed."
    if ($removed.Count -gt 0) { $removed | Format-Table -AutoSize Name, TokenId, Purpose, ExpiresOn, State | Out-String -Width 200 | Write-Output }
    foreach ($failure in @($cleanupErrors)) { $problems.Add("cleanup: $($failure.FullyQualifiedErrorId): $($failure.Exception.Message)") }
}

# 4. Inventory of the vault's credentials, with the consumers and history from the D1 ledger.
$inventory = @(Get-CfTokenInventory -Vault $InventoryVault -Name $InventoryName -ExpiringWithinDays $ExpiringWithinDays -LedgerDatabaseId $LedgerDatabaseId)
foreach ($item in $inventory) {
    # Every flag is a problem except those in -WarnOnlyFlag (NoMetadata by default: Key Vault keeps no metadata).
    $flags = @($item.Flags | Where-Object { $_ })
    $failing = @($flags | Where-Object { $_ -notin $WarnOnlyFlag })
    $label = "$($item.Name) ($(if ($item.TokenId) { $item.TokenId } else { 'no token id' }))"
    if ($failing.Count -gt 0) { $problems.Add("${label}: $($failing -join ', ')$(if ($null -ne $item.DaysLeft) { ", $($item.DaysLeft) day(s) left" })") }
    elseif ($flags.Count -gt 0) { Write-Warning "${label}: $($flags -join ', ')" }
}
Write-Output "Inventory of vault ${InventoryVault}: $($inventory.Count) credential(s)."
if ($inventory.Count -gt 0) { $inventory | Format-Table -AutoSize Name, TokenId, ExpiresOn, DaysLeft, Status, ConsumerCount, FlagText | Out-String -Width 200 | Write-Output }

if ($problems.Count -gt 0) {
    Stop-Runbook "$($problems.Count) problem(s) need attention: $($problems -join '; ')" 'CfTokenMaintenanceProblems' $problems.ToArray()
}
Write-Output 'Cloudflare token maintenance: no problems.'
