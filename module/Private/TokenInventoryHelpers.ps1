# Helpers of Get-CfTokenInventory and Resolve-CfTokenFailure: the vault input checks both composites share (errors
# through New-CfCompositeError, CompositeInput.ps1). No request, no secret.

function Test-CfInventoryVaultInput {
    <#
    .SYNOPSIS
        Checks a -Vault argument before anything is read: not blank, SecretManagement present, the vault registered.
        Returns $null when fine, else the ErrorRecord to throw.
    #>
    [CmdletBinding()]
    param([AllowNull()] [string] $Vault, [string] $ParameterName = 'Vault')
    if ([string]::IsNullOrWhiteSpace($Vault)) {
        return New-CfCompositeError -ErrorId 'InvalidVaultName' -ParameterName $ParameterName -Value $Vault `
            -Message "-$ParameterName must name a registered SecretManagement vault; it was empty." `
            -Fix 'Pass the vault name as Get-SecretVault lists it, e.g. -Vault CloudflareVault.'
    }
    if (-not (Get-Command -Name Get-SecretVault -ErrorAction Ignore)) {
        return New-CfCompositeError -ErrorId 'SecretManagementUnavailable' -ParameterName $ParameterName -Value $Vault `
            -Category NotInstalled -Message 'Microsoft.PowerShell.SecretManagement is not available in this session.' `
            -Fix 'Install-PSResource Microsoft.PowerShell.SecretManagement (and a vault extension such as Microsoft.PowerShell.SecretStore), then register the vault.'
    }
    if (-not (Get-SecretVault -Name $Vault -ErrorAction Ignore)) {
        $known = @(Get-SecretVault -ErrorAction Ignore | ForEach-Object Name)
        $list = if ($known.Count) { " Registered vaults: $($known -join ', ')." } else { ' No vault is registered.' }
        return New-CfCompositeError -ErrorId 'VaultNotFound' -ParameterName $ParameterName -Value $Vault -Category ObjectNotFound `
            -Message "No SecretManagement vault named '$Vault' is registered.$list" `
            -Fix 'Check the name with Get-SecretVault, or register the vault with Register-SecretVault.'
    }
    $null
}

function ConvertTo-CfScopeSet {
    <# "DNS Write, Zone Read" (vault metadata) or a list of names -> a sorted, de-duplicated string[] for comparison. #>
    param([AllowNull()] $Scopes)
    $items = foreach ($s in @($Scopes)) { if ($null -ne $s) { ([string] $s) -split '\s*[,;]\s*' } }
    ,@($items | ForEach-Object { $_.Trim() } | Where-Object { $_ } | Sort-Object -Unique)
}
