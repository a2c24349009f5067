# Private helpers of Revoke-CfToken and New-CfScopedToken (module/Public). Names carry "CfProvision"/"CfRevoke" so
# they cannot collide with other composites' helpers in the one generated psm1. None of them reads a secret value
# into a string: the one value read (Test-CfRevokeValueAlive) stays a SecureString on its way to Test-CfToken.

function Test-CfRevocationReason {
    <# Null when -Reason is usable (the same rule as the binary Remove-Cf*Token -Reason: one line, 1-500 characters). #>
    param([AllowNull()] [AllowEmptyString()] [string] $Reason)
    if ([string]::IsNullOrWhiteSpace($Reason)) {
        return New-CfCompositeError -ErrorId 'InvalidReason' -Category InvalidArgument -Argument -Target $Reason `
            -Message '-Reason must not be empty.' -Fix "Say why, e.g. -Reason 'suspected compromise', or omit -Reason for the default."
    }
    if ($Reason.Length -gt 500) {
        return New-CfCompositeError -ErrorId 'InvalidReason' -Category InvalidArgument -Argument -Target ($Reason.Substring(0, 40) + '...') `
            -Message "-Reason is $($Reason.Length) characters long; the ledger keeps at most 500." -Fix 'Shorten it; put the details in your incident ticket and its id in -Reason.'
    }
    if ($Reason -match '(?<![A-Za-z0-9])(cfut|cfat|cfk)_[A-Za-z0-9_-]{8,}' -or $Reason -match '[A-Za-z0-9_-]{40,}') {
        # Not echoed: it may be the very credential, pasted by mistake.
        return New-CfCompositeError -ErrorId 'InvalidReason' -Category InvalidArgument -Argument `
            -Message '-Reason looks like it contains a credential (a cfut_/cfat_/cfk_ prefix or a run of 40 or more token characters); it would be stored in the ledger and the vault metadata in clear.' `
            -Fix "Describe the incident instead, e.g. -Reason 'exposed in a build log, INC-1234'."
    }
    if ($Reason -match '[\x00-\x1f\x7f]') {
        return New-CfCompositeError -ErrorId 'InvalidReason' -Category InvalidArgument -Argument `
            -Message '-Reason contains a control character (a line break, tab or NUL).' -Fix 'Pass one line of text.'
    }
    $null
}

function Test-CfRevokeSecretName {
    <# Null when a vault secret name / vault name pair can name one credential precisely. #>
    param([AllowNull()] [AllowEmptyString()] [string] $Name, [AllowNull()] [AllowEmptyString()] [string] $Vault)
    if ([string]::IsNullOrWhiteSpace($Vault)) {
        return New-CfCompositeError -ErrorId 'InvalidVaultName' -Category InvalidArgument -Argument -Target $Vault `
            -Message '-Vault must name a SecretManagement vault.' -Fix 'Pass the vault name shown by Get-SecretVault.'
    }
    if ([string]::IsNullOrWhiteSpace($Name)) {
        return New-CfCompositeError -ErrorId 'InvalidSecretName' -Category InvalidArgument -Argument -Target $Name `
            -Message '-SecretName must not be empty.' -Fix 'Pass the vault secret name of the credential, e.g. CF_WAF_EDIT_RAXX_APP.'
    }
    if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($Name)) {
        return New-CfCompositeError -ErrorId 'InvalidSecretName' -Category InvalidArgument -Argument -Target $Name `
            -Message "-SecretName '$Name' contains wildcard characters; a revocation names its credential exactly." `
            -Fix "List the matches first: Get-CfVaultCredential -Vault '$Vault' -Name '$Name' | Revoke-CfToken -WhatIf."
    }
    if ($Name -match '__(TOKEN_ID|EXPIRES_AT|SCOPES|CLIENT_ID|REVOKED_AT)$') {
        return New-CfCompositeError -ErrorId 'InvalidSecretName' -Category InvalidArgument -Argument -Target $Name `
            -Message "-SecretName '$Name' is a companion secret (metadata of another secret), not a credential." `
            -Fix "Name the credential itself: '$($Name -replace '__[A-Z_]+$', '')'."
    }
    $null
}

function Get-CfRevokeVaultCredential {
    <#
    The CfVaultCredential named -Name in -Vault (metadata only, never the value), or every credential in the vault with
    -All. A missing one is VaultCredentialNotFound (written through -Cmdlet); a failing vault passes its error on.
    #>
    param([Parameter(Mandatory = $true)] [System.Management.Automation.PSCmdlet] $Cmdlet, [Parameter(Mandatory = $true)] [string] $Vault, [string] $Name, [switch] $All)
    try {
        if ($All) { return @(Get-CfVaultCredential -Vault $Vault -ErrorAction Stop) }
        $found = @(Get-CfVaultCredential -Vault $Vault -Name ([System.Management.Automation.WildcardPattern]::Escape($Name)) -ErrorAction Stop |
                Where-Object { $_.Name -eq $Name })
    }
    catch {
        $Cmdlet.WriteError($_)
        return
    }
    if ($found.Count -eq 0) {
        $Cmdlet.WriteError((New-CfCompositeError -ErrorId 'VaultCredentialNotFound' -Category ObjectNotFound -Target $Name `
                    -Message "Vault '$Vault' has no credential named '$Name'; nothing was changed." `
                    -Fix "List the vault's credentials with Get-CfVaultCredential -Vault '$Vault', or revoke by token id: Revoke-CfToken -Id <id>."))
        return
    }
    $found[0]
}

function Resolve-CfRevokeKind {
    <# ApiToken or AccessServiceToken: from the vault credential's Kind, else from the shape of the id; $null for neither. #>
    param([object] $Credential, [string] $TokenId)
    if ($Credential) {
        if ($Credential.Kind -eq 'AccessServiceToken' -or $Credential.Kind -eq 'ApiToken') { return [string] $Credential.Kind }
        $TokenId = $Credential.TokenId
    }
    if ($TokenId -cmatch '^[0-9a-f]{32}$') { return 'ApiToken' }
    if ($TokenId -match '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$') { return 'AccessServiceToken' }
    $null
}

function Test-CfRevokeValueAlive {
    <#
    True when the vault still holds a value for the credential that Cloudflare verifies as a live token (so a 404 on
    delete meant "another user's token", not "already gone"). The value stays a SecureString from Get-Secret to
    Test-CfToken; SecretManagement's own streams are suppressed so nothing it says reaches the host.
    #>
    param([object] $Credential, [object] $Session)
    if (-not $Credential -or -not $Credential.HasValue -or $Credential.IsRevoked) { return $false }
    try {
        $value = Get-Secret -Vault $Credential.Vault -Name $Credential.Name -ErrorAction Stop -Verbose:$false 3>$null 4>$null 5>$null 6>$null
    }
    catch { return $false }
    if ($value -isnot [securestring]) { return $false }   # not a token value (a hashtable, bytes, ...)
    $test = @{ Token = $value; ErrorAction = 'SilentlyContinue' }
    if ($Session) { $test.Session = $Session }
    $verdict = Test-CfToken @test
    [bool] ($verdict -and $verdict.Status -and $verdict.Status -ne 'invalid')
}

function Get-CfRevokeNextStep {
    <# The NextStep text of a TokenRevocation: which consumers to update and how to provision the replacement. #>
    param([Parameter(Mandatory = $true)] [object] $Item, [object[]] $Consumers = @())
    $parts = @()
    if (@($Consumers).Count -gt 0) {
        $parts += "Update the $(@($Consumers).Count) consumer(s) in ConsumersToUpdate ($((@($Consumers) | ForEach-Object { $_.Destination }) -join ', ')): they now hold a dead credential."
    }
    if ($Item.Kind -eq 'AccessServiceToken') {
        $name = if ($Item.SecretName) { $Item.SecretName } else { '<name>' }
        $parts += "Issue a replacement with New-CfAccessServiceToken -Name $name -Vault $(if ($Item.Vault) { $Item.Vault } else { '<vault>' })."
    }
    else {
        $scopes = if ($Item.Credential -and $Item.Credential.Scopes) { " (it had: $($Item.Credential.Scopes))" } else { '' }
        $secret = if ($Item.SecretName) { " -Vault '$($Item.Vault)' -SecretName '$($Item.SecretName)'" } else { ' -Vault <vault>' }
        $consumerText = if (@($Consumers).Count -gt 0) { ' -Consumer ' + ((@($Consumers) | ForEach-Object { "'$($_.Destination)'" }) -join ',') } else { '' }
        $parts += "Provision a replacement$scopes with New-CfScopedToken -TemplatePath <template>$secret$consumerText."
    }
    $parts -join ' '
}
