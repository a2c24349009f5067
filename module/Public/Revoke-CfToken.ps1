function Revoke-CfToken {
    <#
    .SYNOPSIS
        Emergency stop: deletes a vaulted credential at Cloudflare at once, marks its vault value REVOKED (or removes it),
        and lists the consumers that now need a new credential.

    .DESCRIPTION
        Revoke-CfToken is the runbook's emergency stop for a credential suspected of compromise. For each vault secret
        named by -SecretName (or piped from Get-CfVaultCredential) it:

        1. reads the credential's metadata with Get-CfVaultCredential (token id and kind: API token or Access service
           token; never the value);
        2. deletes it at Cloudflare at once: Remove-CfToken for an API token, Remove-CfAccessServiceToken for an Access
           service token (both record a Revocation entry with -Reason in the ledger);
        3. overwrites the vault value with the marker text REVOKED, keeping its metadata and adding when and why
           (Set-CfVaultCredential -Revoked -Reason), or removes the secret and its companions with -RemoveSecret
           (Remove-CfVaultCredential);
        4. lists the consumers registered for the credential (Get-CfTokenConsumer -Credential <SecretName>): every one of
           them now holds a dead value and needs a replacement (provision it with New-CfScopedToken).

        With -Id instead of -SecretName the token is deleted by id (a 32-hex id is an API token, a UUID an Access
        service token) and no vault is touched, unless -Vault (every credential in that vault whose token id is this
        one) or -Vault and -SecretName (that secret, which must carry this token id) are given as well.

        A token that is already gone at Cloudflare (deleted outside, e.g. in the dashboard) still gets its vault value
        marked and is reported with Status AlreadyGone, not as an error; the ledger records the attempt (Skipped). For
        an API token, Cloudflare answers the same 404 for a token of another user; so when the vault still holds a value
        that verifies as active (Test-CfToken), the token is alive: that is the error TokenStillActive and the vault is
        not touched. When Cloudflare refuses the deletion (e.g. 403: the management token lacks 'API Tokens Write'),
        its error is passed on unchanged and the vault is not touched either: a vault marked REVOKED must mean the
        credential is dead.

        ConfirmImpact is High: the command asks before each credential unless -Confirm:$false is given, and a
        non-interactive host (a runbook, a CI step) cannot answer, so nothing is deleted there without
        -Confirm:$false. -WhatIf prints what would be revoked and changes nothing. Errors are non-terminating per
        credential. No secret value is read into any output stream; the only value read is compared by Cloudflare's
        verify endpoint, as a SecureString, in the AlreadyGone check above.

    .PARAMETER SecretName
        The vault secret name of the credential (e.g. CF_WAF_EDIT_RAXX_APP), exactly (no wildcards: an emergency stop
        names its target precisely). Binds from the Name (or SecretName) property of piped objects:
        Get-CfVaultCredential output, or rows of Import-Csv. With -Id it names the one vault secret that holds that
        token (it must carry the same token id).

    .PARAMETER Vault
        The SecretManagement vault that holds the credential. Binds from the Vault property of Get-CfVaultCredential
        output. With -Id alone it is searched for every credential carrying that token id.

    .PARAMETER Id
        The Cloudflare id of the token to delete: 32 hexadecimal characters for an API token, a UUID for an Access
        service token. Binds from the Id property of piped objects that have no Name property (e.g. rows of
        Import-Csv with an Id column). A piped CfToken or CfAccessServiceToken has a Name, which binds -SecretName
        instead; pass their ids: Revoke-CfToken -Id (Get-CfToken -Name 'ci-*').Id.

    .PARAMETER Reason
        Why the credential is revoked, e.g. 'suspected compromise, INC-1234'. Written to the ledger entry and to the
        vault secret's RevokedReason. One line, at most 500 characters. Default: 'emergency stop (Revoke-CfToken)'.

    .PARAMETER RemoveSecret
        Remove the vault secret and its companions (Remove-CfVaultCredential) instead of overwriting the value with
        the REVOKED marker. The marker is the default because it keeps the metadata, so inventory and diagnosis still
        show the credential as revoked.

    .PARAMETER LedgerPath
        The SQLite ledger file for the revocation record and the consumer map, passed to every command called.

    .PARAMETER LedgerDatabaseId
        A Cloudflare D1 database id for the ledger instead of the SQLite file, passed to every command called.

    .PARAMETER Session
        The session (from Connect-CfAccount) to use instead of the current one, passed to every Cloudflare command called.

    .PARAMETER WhatIf
        Shows which credentials would be revoked, one line each (name, vault, kind, token id, vault action), and deletes, marks and records nothing.

    .PARAMETER Confirm
        Asks before revoking each credential; on by default (ConfirmImpact High). A non-interactive host cannot answer, so runbooks and CI steps must pass -Confirm:$false.

    .EXAMPLE
        Revoke-CfToken -SecretName CF_WAF_EDIT_RAXX_APP -Vault Prod -Reason 'token pasted in a public issue' -Confirm:$false

        Deletes the token at Cloudflare, overwrites the vault value with REVOKED, and returns a TokenRevocation whose
        ConsumersToUpdate lists every registered consumer of CF_WAF_EDIT_RAXX_APP and whose NextStep says how to
        provision the replacement.

    .EXAMPLE
        Get-CfVaultCredential -Vault Prod -Name 'CF_*_RAXX_APP' | Revoke-CfToken -Reason 'raxx.app compromise' -WhatIf

        Shows which credentials would be revoked, one line each, and changes nothing. Drop -WhatIf (and add
        -Confirm:$false in a runbook) to revoke them all.

    .EXAMPLE
        Revoke-CfToken -Id 6f4a364c8edccc31e365efdd12ec5adf -Vault Prod -RemoveSecret -Confirm:$false |
            Select-Object -ExpandProperty ConsumersToUpdate

        Deletes the token by id, removes every secret in vault Prod that carries that token id (with its companions),
        and lists the consumers to update.

    .INPUTS
        CfManagement.Model.CfVaultCredential, or other objects with Name (or SecretName) and Vault properties, by
        property name; objects with an Id property and no Name.

    .OUTPUTS
        CfManagement.TokenRevocation: SecretName, Vault, TokenId, Kind, TokenName, Status (Revoked or AlreadyGone),
        RevokedAtCloudflare, VaultAction (Marked, Removed or None), ConsumersToUpdate (CfTokenConsumer objects),
        Reason, RevokedOn, NextStep.

    .NOTES
        ErrorIds (before any request): InvalidSecretName, InvalidId, InvalidReason, VaultRequired,
        ConflictingParameters. Then: VaultCredentialNotFound, VaultCredentialWithoutTokenId, VaultCredentialMismatch,
        TokenStillActive, VaultUpdateFailed, and the errors of the commands called (e.g. ApiPermissionDenied from
        Remove-CfToken), unchanged (with their ErrorId; the command name after the comma is Revoke-CfToken's).
        An AlreadyGone credential writes no error, but the TokenNotVisible / AccessServiceTokenNotFound that the
        inner Remove command raised (and Revoke-CfToken handled) stays in $Error and in -ErrorVariable, as handled
        errors do in PowerShell.

    .LINK
        New-CfScopedToken

    .LINK
        Remove-CfToken

    .LINK
        Get-CfTokenConsumer
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High', DefaultParameterSetName = 'Vault')]
    [OutputType('CfManagement.TokenRevocation')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Vault', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'Id')]
        [Alias('Name')]
        [ArgumentCompleter({
                param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
                if (-not $fakeBoundParameters.Contains('Vault')) { return }
                $word = ([string] $wordToComplete).Trim("'", '"')
                @(Get-CfVaultCredential -Vault $fakeBoundParameters['Vault'] -ErrorAction Ignore 3>$null 4>$null 5>$null 6>$null) |
                    Where-Object { $_.Name -like "$word*" } | Sort-Object Name |
                    ForEach-Object { [System.Management.Automation.CompletionResult]::new("'$($_.Name)'", $_.Name, 'ParameterValue', "$($_.Kind) $($_.TokenId)") }
            })]
        [string[]] $SecretName,

        [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'Vault', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'Id')]
        [ArgumentCompleter({
                param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
                $word = ([string] $wordToComplete).Trim("'", '"')
                if (Get-Command -Name Get-SecretVault -ErrorAction Ignore) {
                    @(Get-SecretVault -ErrorAction Ignore) | Where-Object { $_.Name -like "$word*" } | Sort-Object Name |
                        ForEach-Object { [System.Management.Automation.CompletionResult]::new("'$($_.Name)'", $_.Name, 'ParameterValue', $_.ModuleName) }
                }
            })]
        [string] $Vault,

        [Parameter(Mandatory = $true, ParameterSetName = 'Id', ValueFromPipelineByPropertyName = $true)]
        [string[]] $Id,

        [string] $Reason = 'emergency stop (Revoke-CfToken)',

        [switch] $RemoveSecret,

        [string] $LedgerPath,

        [string] $LedgerDatabaseId,

        [object] $Session
    )

    begin {
        # Refused before anything is read or sent: the parameters that do not come from the pipeline.
        $bad = Test-CfCompositeCommonInput -Session $Session -LedgerPath $LedgerPath -LedgerDatabaseId $LedgerDatabaseId -Bound $PSBoundParameters
        if ($bad) { $PSCmdlet.ThrowTerminatingError($bad) }
        $reasonError = Test-CfRevocationReason -Reason $Reason
        if ($reasonError) { $PSCmdlet.ThrowTerminatingError($reasonError) }

        $ledger = @{}
        if ($PSBoundParameters.ContainsKey('LedgerPath')) { $ledger.LedgerPath = $LedgerPath }
        if ($PSBoundParameters.ContainsKey('LedgerDatabaseId')) { $ledger.LedgerDatabaseId = $LedgerDatabaseId }
        $cloudflare = @{}
        if ($PSBoundParameters.ContainsKey('Session')) { $cloudflare.Session = $Session }
    }

    process {
        # 1. What to revoke: one item per credential (vault secret, or a bare token id).
        $items = New-Object System.Collections.Generic.List[object]
        if ($PSCmdlet.ParameterSetName -eq 'Vault') {
            foreach ($name in $SecretName) {
                $bad = Test-CfRevokeSecretName -Name $name -Vault $Vault
                if ($bad) { $PSCmdlet.WriteError($bad); continue }
                $credential = Get-CfRevokeVaultCredential -Cmdlet $PSCmdlet -Vault $Vault -Name $name
                if (-not $credential) { continue }
                if (-not $credential.TokenId) {
                    $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'VaultCredentialWithoutTokenId' -Category InvalidData -Target $name `
                                -Message "The vault secret '$name' in vault '$Vault' carries no token id (no TokenId metadata and no $($name)__TOKEN_ID companion), so the token to delete is unknown; nothing was changed." `
                                -Fix "Find the token (Get-CfToken, Get-CfAccessServiceToken) and run Revoke-CfToken -Id <id> -Vault '$Vault' -SecretName '$name'."))
                    continue
                }
                $items.Add([pscustomobject]@{ SecretName = $name; Vault = $Vault; TokenId = $credential.TokenId; Kind = (Resolve-CfRevokeKind -Credential $credential); Credential = $credential })
            }
        }
        else {
            if ($PSBoundParameters.ContainsKey('SecretName') -and -not $PSBoundParameters.ContainsKey('Vault')) {
                $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'VaultRequired' -Category InvalidArgument -Target ($SecretName -join ', ') -Argument `
                            -Message '-SecretName names a vault secret, but no -Vault says which vault.' -Fix "Add -Vault <vault>, or drop -SecretName to delete the token only."))
                return
            }
            if ($PSBoundParameters.ContainsKey('SecretName') -and (@($SecretName).Count -ne 1 -or @($Id).Count -ne 1)) {
                $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'ConflictingParameters' -Category InvalidArgument -Target ($SecretName -join ', ') -Argument `
                            -Message "With -Id, -SecretName names the one vault secret of that one token; got $(@($Id).Count) id(s) and $(@($SecretName).Count) secret name(s)." `
                            -Fix 'Revoke one id per call with -SecretName, or pass -Vault alone to find the secrets by token id.'))
                return
            }
            foreach ($tokenId in $Id) {
                $kind = Resolve-CfRevokeKind -TokenId $tokenId
                if (-not $kind) {
                    $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'InvalidId' -Category InvalidArgument -Target $tokenId -Argument `
                                -Message "-Id '$tokenId' is neither an API token id (32 hexadecimal characters) nor an Access service token id (a UUID)." `
                                -Fix 'Pass the Id shown by Get-CfToken or Get-CfAccessServiceToken (not a client id or a token value).'))
                    continue
                }
                if (-not $PSBoundParameters.ContainsKey('Vault')) {
                    $items.Add([pscustomobject]@{ SecretName = $null; Vault = $null; TokenId = $tokenId; Kind = $kind; Credential = $null })
                    continue
                }
                if ($PSBoundParameters.ContainsKey('SecretName')) {
                    $name = @($SecretName)[0]
                    $bad = Test-CfRevokeSecretName -Name $name -Vault $Vault
                    if ($bad) { $PSCmdlet.WriteError($bad); continue }
                    $credential = Get-CfRevokeVaultCredential -Cmdlet $PSCmdlet -Vault $Vault -Name $name
                    if (-not $credential) { continue }
                    if ($credential.TokenId -and $credential.TokenId -ne $tokenId) {
                        $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'VaultCredentialMismatch' -Category InvalidArgument -Target $name -Argument `
                                    -Message "The vault secret '$name' in vault '$Vault' holds token $($credential.TokenId), not $tokenId; nothing was changed (marking it would break a credential that was not revoked)." `
                                    -Fix "Check the id, or revoke that secret by name: Revoke-CfToken -SecretName '$name' -Vault '$Vault'."))
                        continue
                    }
                    $items.Add([pscustomobject]@{ SecretName = $name; Vault = $Vault; TokenId = $tokenId; Kind = $kind; Credential = $credential })
                    continue
                }
                $found = @(Get-CfRevokeVaultCredential -Cmdlet $PSCmdlet -Vault $Vault -All | Where-Object { $_.TokenId -eq $tokenId })
                if ($found.Count -eq 0) {
                    Write-Warning "No credential in vault '$Vault' carries token id $tokenId; only the token is revoked."
                    $items.Add([pscustomobject]@{ SecretName = $null; Vault = $null; TokenId = $tokenId; Kind = $kind; Credential = $null })
                }
                foreach ($credential in $found) {
                    $items.Add([pscustomobject]@{ SecretName = $credential.Name; Vault = $Vault; TokenId = $tokenId; Kind = $kind; Credential = $credential })
                }
            }
        }

        # 2. Revoke each: Cloudflare first, then the vault, then the consumer list. One prompt per credential.
        $revokedIds = @{}
        foreach ($item in $items) {
            $kindText = if ($item.Kind -eq 'AccessServiceToken') { 'Access service token' } else { 'API token' }
            $vaultText = if (-not $item.SecretName) { '' } elseif ($RemoveSecret) { "; then remove the secret from vault '$($item.Vault)'" } else { "; then overwrite the value in vault '$($item.Vault)' with REVOKED" }
            $target = if ($item.SecretName) { "$($item.SecretName) in vault '$($item.Vault)' ($kindText $($item.TokenId))" } else { "$kindText $($item.TokenId)" }
            if (-not $PSCmdlet.ShouldProcess($target, "Revoke: delete at Cloudflare (it stops working at once)$vaultText")) { continue }

            $status = 'Revoked'
            $deletedNow = $false
            if ($revokedIds.ContainsKey($item.TokenId)) {
                # A second vault secret holding the same token: it was deleted a moment ago.
                $status = $revokedIds[$item.TokenId]
            }
            else {
                try {
                    if ($item.Kind -eq 'AccessServiceToken') {
                        $null = Remove-CfAccessServiceToken -Id $item.TokenId -Reason $Reason -Confirm:$false -ErrorAction Stop @ledger @cloudflare
                    }
                    else {
                        $null = Remove-CfToken -Id $item.TokenId -Reason $Reason -Confirm:$false -ErrorAction Stop @ledger @cloudflare
                    }
                    $deletedNow = $true
                }
                catch {
                    $failure = $_
                    $gone = $failure.FullyQualifiedErrorId -like 'TokenNotVisible,*' -or $failure.FullyQualifiedErrorId -like 'AccessServiceTokenNotFound,*'
                    if (-not $gone) {
                        # Cloudflare refused (403, 401, ...): its error as it is; the vault keeps the (live) value.
                        $PSCmdlet.WriteError($failure)
                        continue
                    }
                    if ($item.Kind -ne 'AccessServiceToken' -and (Test-CfRevokeValueAlive -Credential $item.Credential @cloudflare)) {
                        $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'TokenStillActive' -Category PermissionDenied -Target $item.TokenId -Inner $failure.Exception `
                                    -Message "Cloudflare did not find token $($item.TokenId) for this session, but the value in vault '$($item.Vault)' ($($item.SecretName)) still verifies as active: the token exists and belongs to another user. Nothing was changed in the vault." `
                                    -Fix "Revoke it with a session of the user who owns it (Connect-CfAccount with that user's management token), or in that user's dashboard (My Profile > API Tokens), then run Revoke-CfToken again."))
                        continue
                    }
                    $status = 'AlreadyGone'
                    Write-Verbose "Token $($item.TokenId) is already gone at Cloudflare (deleted outside); the vault is still updated."
                }
                $revokedIds[$item.TokenId] = $status
            }

            $vaultAction = 'None'
            if ($item.SecretName) {
                try {
                    if ($RemoveSecret) {
                        $null = Remove-CfVaultCredential -Vault $item.Vault -Name $item.SecretName -Confirm:$false -ErrorAction Stop
                        $vaultAction = 'Removed'
                    }
                    elseif ($item.Credential -and $item.Credential.IsRevoked) {
                        Write-Verbose "The value of $($item.SecretName) in vault '$($item.Vault)' is already the REVOKED marker (since $($item.Credential.RevokedOn)); left as it is."
                    }
                    else {
                        $null = Set-CfVaultCredential -Vault $item.Vault -Name $item.SecretName -Revoked -Reason $Reason -Confirm:$false -ErrorAction Stop
                        $vaultAction = 'Marked'
                    }
                }
                catch {
                    $verb = if ($RemoveSecret) { 'removed' } else { 'marked REVOKED' }
                    $fix = if ($RemoveSecret) { "Remove-CfVaultCredential -Vault '$($item.Vault)' -Name '$($item.SecretName)'" } else { "Set-CfVaultCredential -Vault '$($item.Vault)' -Name '$($item.SecretName)' -Revoked -Reason '$Reason'" }
                    $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'VaultUpdateFailed' -Category WriteError -Target $item.SecretName -Inner $_.Exception `
                                -Message "Token $($item.TokenId) is revoked at Cloudflare, but the vault secret '$($item.SecretName)' in vault '$($item.Vault)' could not be $($verb): $($_.Exception.Message)" `
                                -Fix "Fix the vault and run: $fix"))
                }
            }

            $consumers = @()
            if ($item.SecretName) {
                try {
                    $consumers = @(Get-CfTokenConsumer -Credential $item.SecretName -ErrorAction Stop @ledger @cloudflare)
                }
                catch {
                    Write-Warning "The consumers of $($item.SecretName) could not be read from the ledger ($($_.Exception.Message)); find them with Get-CfTokenConsumer -Credential '$($item.SecretName)'."
                }
            }

            $credential = $item.Credential
            $tokenName = if ($credential -and $credential.TokenName) { [string] $credential.TokenName } else { $null }
            [pscustomobject]@{
                PSTypeName          = 'CfManagement.TokenRevocation'
                SecretName          = $item.SecretName
                Vault               = $item.Vault
                TokenId             = $item.TokenId
                Kind                = $item.Kind
                TokenName           = $tokenName
                Status              = $status
                RevokedAtCloudflare = $deletedNow
                VaultAction         = $vaultAction
                ConsumersToUpdate   = $consumers
                Reason              = $Reason
                RevokedOn           = [DateTimeOffset]::UtcNow
                NextStep            = (Get-CfRevokeNextStep -Item $item -Consumers $consumers)
            }
        }
    }
}
