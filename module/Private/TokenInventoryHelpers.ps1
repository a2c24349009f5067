# Helpers of Get-CfTokenInventory and Resolve-CfTokenFailure: input errors shaped like the binary cmdlets' (an
# ArgumentException naming the parameter, a stable ErrorId, ErrorDetails with the fix), and the input checks both
# composites share. No request, no secret.

function New-CfInventoryInputError {
    <# An ErrorRecord for refused input: category InvalidArgument, the parameter in the exception, the fix in RecommendedAction. #>
    [CmdletBinding()]
    [OutputType([System.Management.Automation.ErrorRecord])]
    param(
        [Parameter(Mandatory)] [string] $ErrorId,
        [Parameter(Mandatory)] [string] $ParameterName,
        [AllowNull()] $Value,
        [Parameter(Mandatory)] [string] $Message,
        [Parameter(Mandatory)] [string] $Fix,
        [System.Management.Automation.ErrorCategory] $Category = [System.Management.Automation.ErrorCategory]::InvalidArgument
    )
    $exception = [System.ArgumentException]::new($Message, $ParameterName)
    $record = [System.Management.Automation.ErrorRecord]::new($exception, $ErrorId, $Category, $Value)
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($Message)
    $record.ErrorDetails.RecommendedAction = $Fix
    $record
}

function Test-CfInventoryVaultInput {
    <#
    .SYNOPSIS
        Checks a -Vault argument before anything is read: not blank, SecretManagement present, the vault registered.
        Returns $null when fine, else the ErrorRecord to throw.
    #>
    [CmdletBinding()]
    param([AllowNull()] [string] $Vault, [string] $ParameterName = 'Vault')
    if ([string]::IsNullOrWhiteSpace($Vault)) {
        return New-CfInventoryInputError -ErrorId 'InvalidVaultName' -ParameterName $ParameterName -Value $Vault `
            -Message "-$ParameterName must name a registered SecretManagement vault; it was empty." `
            -Fix 'Pass the vault name as Get-SecretVault lists it, e.g. -Vault CloudflareVault.'
    }
    if (-not (Get-Command -Name Get-SecretVault -ErrorAction Ignore)) {
        return New-CfInventoryInputError -ErrorId 'SecretManagementUnavailable' -ParameterName $ParameterName -Value $Vault `
            -Category NotInstalled -Message 'Microsoft.PowerShell.SecretManagement is not available in this session.' `
            -Fix 'Install-PSResource Microsoft.PowerShell.SecretManagement (and a vault extension such as Microsoft.PowerShell.SecretStore), then register the vault.'
    }
    if (-not (Get-SecretVault -Name $Vault -ErrorAction Ignore)) {
        $known = @(Get-SecretVault -ErrorAction Ignore | ForEach-Object Name)
        $list = if ($known.Count) { " Registered vaults: $($known -join ', ')." } else { ' No vault is registered.' }
        return New-CfInventoryInputError -ErrorId 'VaultNotFound' -ParameterName $ParameterName -Value $Vault -Category ObjectNotFound `
            -Message "No SecretManagement vault named '$Vault' is registered.$list" `
            -Fix 'Check the name with Get-SecretVault, or register the vault with Register-SecretVault.'
    }
    $null
}

function Test-CfInventoryCommonInput {
    <#
    .SYNOPSIS
        The -Session, -LedgerPath and -LedgerDatabaseId checks both composites share. Returns the first ErrorRecord
        or $null.
    #>
    [CmdletBinding()]
    param([AllowNull()] $Session, [AllowNull()] [string] $LedgerPath, [AllowNull()] [string] $LedgerDatabaseId,
        [System.Collections.IDictionary] $Bound)
    if ($Bound.ContainsKey('Session') -and ($null -eq $Session -or @($Session.PSObject.TypeNames) -notcontains 'CfManagement.Sessions.CfSession')) {
        return New-CfInventoryInputError -ErrorId 'InvalidSession' -ParameterName 'Session' -Value $null `
            -Message '-Session must be a session from Connect-CfAccount -PassThru or Get-CfSession.' `
            -Fix 'Pass $session = Get-CfSession, or omit -Session to use the current connection.'
    }
    if ($Bound.ContainsKey('LedgerPath') -and [string]::IsNullOrWhiteSpace($LedgerPath)) {
        return New-CfInventoryInputError -ErrorId 'InvalidName' -ParameterName 'LedgerPath' -Value $LedgerPath `
            -Message '-LedgerPath must not be empty.' -Fix 'Pass a file path, or omit it for the per-user default.'
    }
    if ($Bound.ContainsKey('LedgerPath') -and $Bound.ContainsKey('LedgerDatabaseId')) {
        return New-CfInventoryInputError -ErrorId 'ConflictingParameters' -ParameterName 'LedgerPath' -Value $LedgerPath `
            -Message '-LedgerPath (SQLite) and -LedgerDatabaseId (D1) name two ledgers.' -Fix 'Pass one of them.'
    }
    if ($Bound.ContainsKey('LedgerDatabaseId') -and $LedgerDatabaseId -notmatch '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$') {
        return New-CfInventoryInputError -ErrorId 'InvalidId' -ParameterName 'LedgerDatabaseId' -Value $LedgerDatabaseId `
            -Message "-LedgerDatabaseId '$LedgerDatabaseId' is not a D1 database id (a UUID)." `
            -Fix "Pass the uuid shown by 'wrangler d1 list' or the D1 dashboard."
    }
    $null
}

function ConvertTo-CfScopeSet {
    <# "DNS Write, Zone Read" (vault metadata) or a list of names -> a sorted, de-duplicated string[] for comparison. #>
    param([AllowNull()] $Scopes)
    $items = foreach ($s in @($Scopes)) { if ($null -ne $s) { ([string] $s) -split '\s*[,;]\s*' } }
    ,@($items | ForEach-Object { $_.Trim() } | Where-Object { $_ } | Sort-Object -Unique)
}
