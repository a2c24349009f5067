# What every runbook composite (module/Public) refuses and how: one ErrorRecord shape (a stable ErrorId, the right
# category, a message naming the parameter, the fix as RecommendedAction, never a value) and the checks of the
# parameters all of them pass through to the cmdlets they call (-Session, -LedgerPath, -LedgerDatabaseId).

function New-CfCompositeError {
    <#
        An ErrorRecord shaped like the binary cmdlets' own: InvalidArgument input errors carry an ArgumentException
        (naming -ParameterName when given), ObjectNotFound an ItemNotFoundException, InvalidData an
        InvalidDataException, anything else an InvalidOperationException; -Exception supplies one outright.
    #>
    param(
        [Parameter(Mandatory = $true)] [string] $ErrorId,
        [Parameter(Mandatory = $true)] [string] $Message,
        [string] $Fix,
        [System.Management.Automation.ErrorCategory] $Category = [System.Management.Automation.ErrorCategory]::InvalidArgument,
        [Alias('Value')] [AllowNull()] [object] $Target,
        [string] $ParameterName,
        [System.Exception] $Inner,
        [System.Exception] $Exception,
        # An input error whatever the category (e.g. a name refused as PermissionDenied is still about an argument).
        [switch] $Argument
    )
    if (-not $Exception) {
        $Exception = if ($Argument -or $ParameterName -or $Category -eq [System.Management.Automation.ErrorCategory]::InvalidArgument) {
            if ($ParameterName) { [System.ArgumentException]::new($Message, $ParameterName, $Inner) } else { [System.ArgumentException]::new($Message, $Inner) }
        }
        elseif ($Category -eq [System.Management.Automation.ErrorCategory]::ObjectNotFound) { [System.Management.Automation.ItemNotFoundException]::new($Message, $Inner) }
        elseif ($Category -eq [System.Management.Automation.ErrorCategory]::InvalidData) { [System.IO.InvalidDataException]::new($Message, $Inner) }
        else { [System.InvalidOperationException]::new($Message, $Inner) }
    }
    $record = [System.Management.Automation.ErrorRecord]::new($Exception, $ErrorId, $Category, $Target)
    $record.ErrorDetails = [System.Management.Automation.ErrorDetails]::new($Message)
    if ($Fix) { $record.ErrorDetails.RecommendedAction = $Fix }
    $record
}

function Test-CfCompositeCommonInput {
    <#
        The -Session, -LedgerPath and -LedgerDatabaseId checks every composite makes before it reads or sends
        anything (a composite passes them on to binary cmdlets, whose binder errors would name neither the composite
        nor the fix). Returns the first ErrorRecord, or $null.
    #>
    param([AllowNull()] $Session, [AllowNull()] [string] $LedgerPath, [AllowNull()] [string] $LedgerDatabaseId,
        [Parameter(Mandatory = $true)] [System.Collections.IDictionary] $Bound)
    if ($Bound.ContainsKey('Session') -and ($null -eq $Session -or @($Session.PSObject.TypeNames) -notcontains 'CfManagement.Sessions.CfSession')) {
        return New-CfCompositeError -ErrorId 'InvalidSession' -ParameterName 'Session' -Target $null `
            -Message '-Session must be a session from Connect-CfAccount or Get-CfSession.' `
            -Fix 'Pass $session = Get-CfSession, or omit -Session to use the current connection.'
    }
    if ($Bound.ContainsKey('LedgerPath') -and [string]::IsNullOrWhiteSpace($LedgerPath)) {
        return New-CfCompositeError -ErrorId 'InvalidName' -ParameterName 'LedgerPath' -Target $LedgerPath `
            -Message '-LedgerPath must not be empty.' -Fix 'Pass a file path, or omit it for the session''s ledger.'
    }
    if ($Bound.ContainsKey('LedgerPath') -and $Bound.ContainsKey('LedgerDatabaseId')) {
        return New-CfCompositeError -ErrorId 'ConflictingParameters' -ParameterName 'LedgerPath' -Target $LedgerPath `
            -Message '-LedgerPath (SQLite) and -LedgerDatabaseId (D1) name two ledgers.' -Fix 'Pass one of them.'
    }
    if ($Bound.ContainsKey('LedgerDatabaseId') -and $LedgerDatabaseId -notmatch '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$') {
        return New-CfCompositeError -ErrorId 'InvalidId' -ParameterName 'LedgerDatabaseId' -Target $LedgerDatabaseId `
            -Message "-LedgerDatabaseId '$LedgerDatabaseId' is not a D1 database id (a UUID)." `
            -Fix "Pass the uuid shown by 'wrangler d1 list' or the D1 dashboard."
    }
    $null
}
