# Private helpers of Invoke-CfTokenRotation (not exported: FunctionsToExport names only the public composites).

function Get-CfRotationErrorId {
    # The ErrorId part of an ErrorRecord's FullyQualifiedErrorId ('TokenNotVisible,CfManagement.Commands...' -> 'TokenNotVisible').
    param($ErrorRecord)
    if (-not $ErrorRecord) { return 'Unknown' }
    $id = "$($ErrorRecord.FullyQualifiedErrorId)"
    $comma = $id.IndexOf(',')
    if ($comma -gt 0) { $id = $id.Substring(0, $comma) }
    if (-not $id) { 'Unknown' } else { $id }
}

function Get-CfRotationDetail {
    # One line for the ledger: the error's message, shortened (the ledger's guard refuses anything shaped like a credential).
    param($ErrorRecord)
    $text = if ($ErrorRecord.ErrorDetails -and $ErrorRecord.ErrorDetails.Message) { $ErrorRecord.ErrorDetails.Message } else { "$($ErrorRecord.Exception.Message)" }
    $text = ($text -replace '[\r\n]+', ' ').Trim()
    if ($text.Length -gt 400) { $text = $text.Substring(0, 400) + '...' }
    $text
}

function Get-CfRotationClientIdName {
    # Register-CfTokenConsumer's rule: -ClientIdName, else NAME_CLIENT_SECRET -> NAME_CLIENT_ID, else NAME + _CLIENT_ID.
    param($Consumer)
    $explicit = $null
    if ($Consumer.PSObject.Properties['ClientIdName']) { $explicit = $Consumer.ClientIdName }
    if ($explicit) { return $explicit }
    $name = "$($Consumer.SecretName)"
    if ($name -match '_CLIENT_SECRET$') { return ($name -replace '_CLIENT_SECRET$', '_CLIENT_ID') }
    "${name}_CLIENT_ID"
}
