function Invoke-CfTokenRotation {
    <#
    .SYNOPSIS
        Rotates vaulted Cloudflare credentials in stages (verify, roll, distribute, validate), recording each stage in the
        ledger so that a rerun after any failure resumes where it stopped and never rolls twice by accident.

    .DESCRIPTION
        Invoke-CfTokenRotation is the runbook's staged rotation for API tokens and Access service tokens kept in a
        SecretManagement vault by the CfManagement convention (value + metadata or NAME__TOKEN_ID companions; see
        Get-CfVaultCredential). For each credential:

        1. Verify: the current value from the vault verifies (Test-CfToken; for an Access service token,
           Test-CfAccessServiceToken against -AccessUri when given) and the session's management token can see the
           target (Get-CfToken -Id / Get-CfAccessServiceToken -Id). A token the session cannot see fails here, before any
           roll.
        2. Roll: Invoke-CfTokenRoll (Invoke-CfAccessServiceTokenRotate, with -GracePeriod) issues the new value and the
           binary cmdlet writes it to the vault with its metadata and companions; the value never passes through script.
        3. Distribute: the new value, read from the vault as a SecureString, goes to every consumer registered with
           Register-CfTokenConsumer: Worker secrets (Set-CfWorkerSecret), Secrets Store secrets (Set-CfSecretsStoreSecret),
           Pages secrets (Set-CfPagesSecret), the GitHub Actions env or output file (Set-CfGitHubActionsVariable). For an
           Access service token the client id goes beside the secret under the consumer's ClientIdName. External consumers
           are listed in the result as needing a manual update (not a failure).
        4. Validate: the new value verifies and each consumer holds it (the Worker, Pages and Secrets Store listings show
           the secret; an Access service token is checked against -AccessUri when given).

        Every stage, and every consumer of stages 3 and 4, is recorded with Checkpoint-CfTokenRotation (ledger entries of
        kind Rotation, one operation id per rotation; Get-CfTokenRotation shows them). A rerun continues an incomplete
        rotation from its last completed stage. When a roll was started but not recorded as done, the rerun decides from
        evidence instead of rolling again: a vault value issued after the roll started is the rolled one (done); a roll
        the ledger recorded whose value still verifies in the vault was stored (done); no roll recorded and the vault
        value still verifies means no roll happened (roll now); a value rescued in $CfRescuedCredentials for the token
        (a roll whose vault write failed) is stored with Save-CfRescuedCredential (no second roll); otherwise it rolls
        again with a warning that the lost value is dead.

        -WhatIf prints the plan (stages, consumers, whether it resumes) and changes nothing. ConfirmImpact is High
        because the roll kills the old value at once: pass -Confirm:$false in automation. The output is one
        CfManagement.TokenRotationResult per credential. Values never appear in any output stream.

    .PARAMETER SecretName
        The vault secret names of the credentials to rotate (no wildcards). Name (Get-CfVaultCredential output) binds to it
        by property name.

    .PARAMETER Vault
        The SecretManagement vault that holds the credentials; binds by property name from Get-CfVaultCredential.

    .PARAMETER GracePeriod
        Access service tokens only: how long the previous client secret keeps working after the rotate (passed to
        Invoke-CfAccessServiceTokenRotate). Must be positive; refused for an API token (a roll kills the old value at once).

    .PARAMETER AccessUri
        Access service tokens only: an Access-protected URL to verify the current and the new client secret against
        (Test-CfAccessServiceToken). https, or http on a loopback address (a test origin). Without it an Access service
        token's secret cannot be verified and only its client id and visibility are checked.

    .PARAMETER LedgerPath
        The SQLite ledger for the checkpoints, the consumer map and the cmdlets this calls; default the session's.

    .PARAMETER LedgerDatabaseId
        The D1 database holding the ledger instead of a SQLite file.

    .PARAMETER Session
        The CfManagement session (Connect-CfAccount) to use instead of the current one; passed to every cmdlet called.

    .PARAMETER WhatIf
        Prints the plan and changes nothing.

    .PARAMETER Confirm
        Asks before rotating each credential (the default for this High-impact command in an interactive session).

    .EXAMPLE
        Invoke-CfTokenRotation -SecretName CF_WAF_EDIT_RAXX_APP -Vault Ops -Confirm:$false

        Rotates one API token: verifies the vault value, rolls it into the vault, pushes it to its registered consumers
        and validates them. Run the same line again after a failure to resume.

    .EXAMPLE
        Get-CfVaultCredential -Vault Ops | Where-Object DaysLeft -lt 14 | Invoke-CfTokenRotation -WhatIf

        Shows the plan for every credential that expires within two weeks: the stages and the consumers that would be
        updated, and whether an interrupted rotation would be resumed.

    .EXAMPLE
        Invoke-CfTokenRotation -SecretName CI_GATE -Vault Ops -GracePeriod 1:00:00 -AccessUri https://app.example.com/health -Confirm:$false

        Rotates an Access service token, keeping the old client secret working for an hour, and checks the old and new
        secrets against the protected URL.

    .EXAMPLE
        Get-CfTokenRotation -Incomplete | Invoke-CfTokenRotation -Confirm:$false

        Resumes every rotation that stopped halfway (SecretName and Vault bind by property name).

    .OUTPUTS
        CfManagement.TokenRotationResult
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
    [OutputType('CfManagement.TokenRotationResult')]
    param(
        [Parameter(Mandatory = $true, Position = 0, ValueFromPipelineByPropertyName = $true)]
        [Alias('Name')]
        [AllowEmptyString()]
        [ArgumentCompleter({
                param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
                if ($fakeBoundParameters.Vault) {
                    Get-CfVaultCredential -Vault $fakeBoundParameters.Vault -ErrorAction SilentlyContinue |
                        Where-Object { $_.Name -like "$wordToComplete*" } | ForEach-Object { $_.Name }
                }
            })]
        [string[]] $SecretName,

        [Parameter(Mandatory = $true, ValueFromPipelineByPropertyName = $true)]
        [AllowEmptyString()]
        [ArgumentCompleter({
                param($commandName, $parameterName, $wordToComplete)
                Get-SecretVault -ErrorAction SilentlyContinue | Where-Object { $_.Name -like "$wordToComplete*" } | ForEach-Object { $_.Name }
            })]
        [string] $Vault,

        [timespan] $GracePeriod,

        [uri] $AccessUri,

        [string] $LedgerPath,

        [string] $LedgerDatabaseId,

        [object] $Session
    )

    begin {
        # Parameters that do not come from the pipeline are checked once, before anything is read or sent.
        $bad = Test-CfCompositeCommonInput -Session $Session -LedgerPath $LedgerPath -LedgerDatabaseId $LedgerDatabaseId -Bound $PSBoundParameters
        if ($bad) { $PSCmdlet.ThrowTerminatingError($bad) }
        if ($PSBoundParameters.ContainsKey('GracePeriod') -and $GracePeriod -le [timespan]::Zero) {
            $PSCmdlet.ThrowTerminatingError((New-CfCompositeError -ErrorId 'InvalidGracePeriod' -Target $GracePeriod `
                        -Message "-GracePeriod $GracePeriod is not a positive time span." -Fix 'Pass a positive duration such as 1:00:00 (one hour), or omit it.'))
        }
        $allowInsecure = $false
        if ($PSBoundParameters.ContainsKey('AccessUri')) {
            if (-not $AccessUri -or -not $AccessUri.IsAbsoluteUri -or ($AccessUri.Scheme -ne 'https' -and $AccessUri.Scheme -ne 'http') -or $AccessUri.UserInfo) {
                $PSCmdlet.ThrowTerminatingError((New-CfCompositeError -ErrorId 'InvalidUri' -Target "$AccessUri" `
                            -Message "-AccessUri '$AccessUri' is not an absolute https:// URL without user information." -Fix 'Pass the Access-protected URL, e.g. https://app.example.com/health.'))
            }
            if ($AccessUri.Scheme -eq 'http') {
                if (-not $AccessUri.IsLoopback) {
                    $PSCmdlet.ThrowTerminatingError((New-CfCompositeError -ErrorId 'InsecureUri' -Category SecurityError -Target "$AccessUri" `
                                -Message "-AccessUri '$AccessUri' is plain http: the client secret would travel unencrypted." -Fix 'Use the https:// URL (http is accepted only for a test origin on a loopback address).'))
                }
                $allowInsecure = $true
            }
        }

        # What every nested call gets: the session, and the ledger for the cmdlets that keep one.
        $sessionArgs = @{}
        if ($PSBoundParameters.ContainsKey('Session')) { $sessionArgs.Session = $Session }
        $ledgerArgs = @{}
        if ($PSBoundParameters.ContainsKey('LedgerPath')) { $ledgerArgs.LedgerPath = $LedgerPath }
        if ($PSBoundParameters.ContainsKey('LedgerDatabaseId')) { $ledgerArgs.LedgerDatabaseId = $LedgerDatabaseId }
        $stageNames = @('Verify', 'Roll', 'Distribute', 'Validate')
        $progressId = 4711
    }

    process {
        if ([string]::IsNullOrWhiteSpace($Vault)) {
            $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'InvalidVaultName' -ParameterName 'Vault' -Target $Vault -Message '-Vault must not be empty.' -Fix 'Pass a vault name from Get-SecretVault.'))
            return
        }
        foreach ($name in $SecretName) {
            if ([string]::IsNullOrWhiteSpace($name)) {
                $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'InvalidName' -Target $name -Message '-SecretName must not be empty or white space.' -Fix 'Pass the vault secret name of the credential, e.g. CF_WAF_EDIT_RAXX_APP.'))
                continue
            }
            if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($name)) {
                $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'InvalidSecretName' -Target $name `
                            -Message "-SecretName '$name' contains wildcard characters; a rotation names each credential exactly." -Fix "List them first: Get-CfVaultCredential -Vault $Vault -Name '$name' | Invoke-CfTokenRotation."))
                continue
            }
            if ($name -like '*__*') {
                $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'VaultCompanionName' -Target $name `
                            -Message "-SecretName '$name' is a companion secret (NAME__TOKEN_ID, NAME__EXPIRES_AT ...), not a credential." -Fix 'Pass the credential name itself (the part before __).'))
                continue
            }

            # --- What is there: the vault credential, its consumers, an incomplete rotation -----------------------
            try {
                $credential = Get-CfVaultCredential -Vault $Vault -Name $name -ErrorAction Stop | Where-Object { $_.Name -eq $name } | Select-Object -First 1
            }
            catch {
                $PSCmdlet.WriteError($_)
                continue
            }
            if (-not $credential) {
                $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'VaultCredentialNotFound' -Category ObjectNotFound -Target $name `
                            -Message "Vault '$Vault' has no credential '$name'." -Fix "List the vault's credentials with Get-CfVaultCredential -Vault $Vault."))
                continue
            }
            $kind = "$($credential.Kind)"
            $tokenId = $credential.TokenId
            if ($kind -notin 'ApiToken', 'AccessServiceToken' -or -not $tokenId) {
                $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'RotationKindUnknown' -Category InvalidData -Target $name `
                            -Message "'$name' in vault '$Vault' does not say which Cloudflare token it is (no TokenId in its metadata or a ${name}__TOKEN_ID companion), so it cannot be rolled." `
                            -Fix "Add the metadata (Set-SecretInfo -Name $name -Vault $Vault -Metadata @{ TokenId = '<id>' }) or the ${name}__TOKEN_ID companion, then retry."))
                continue
            }
            if ($credential.IsRevoked) {
                $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'CredentialRevoked' -Category InvalidOperation -Target $name `
                            -Message "'$name' in vault '$Vault' was revoked$(if ($credential.RevokedOn) { " on $($credential.RevokedOn.UtcDateTime.ToString('u'))" }); a revoked credential is replaced, not rotated." `
                            -Fix 'Provision a replacement (New-CfScopedToken), or remove the entry (Remove-CfVaultCredential).'))
                continue
            }
            $isAccess = $kind -eq 'AccessServiceToken'
            if (-not $isAccess -and ($PSBoundParameters.ContainsKey('GracePeriod') -or $PSBoundParameters.ContainsKey('AccessUri'))) {
                $which = if ($PSBoundParameters.ContainsKey('GracePeriod')) { 'GracePeriod' } else { 'AccessUri' }
                $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'AccessParameterNotApplicable' -Target $name `
                            -Message "-$which applies to Access service tokens, but '$name' is an API token (a roll kills its old value at once)." -Fix "Omit -$which for API tokens."))
                continue
            }
            try {
                $escaped = [System.Management.Automation.WildcardPattern]::Escape($name)
                $consumers = @(Get-CfTokenConsumer -Credential $escaped @ledgerArgs @sessionArgs -ErrorAction Stop | Where-Object { $_.Credential -eq $name })
                $open = Get-CfTokenRotation -SecretName $escaped -Vault $Vault -Incomplete @ledgerArgs @sessionArgs -ErrorAction Stop |
                    Where-Object { $_.SecretName -eq $name } | Select-Object -Last 1
            }
            catch {
                $PSCmdlet.WriteError($_)
                continue
            }
            $manual = @($consumers | Where-Object { "$($_.Kind)" -eq 'External' } | ForEach-Object { $_.Destination })
            $pushable = @($consumers | Where-Object { "$($_.Kind)" -ne 'External' })

            # --- The plan (all that -WhatIf shows) -----------------------------------------------------------------
            $what = if ($isAccess) { 'Access service token' } else { 'API token' }
            $from = if ($open) { [int]$open.Stage } else { 0 }
            $steps = @()
            if ($from -lt 1) { $steps += '1 Verify the vault value and that the session can see the token' }
            if ($from -lt 2) {
                $fate = if ($isAccess -and $PSBoundParameters.ContainsKey('GracePeriod')) { "the old secret keeps working for $GracePeriod" } else { 'the old value stops working at once' }
                $steps += "2 Roll ($fate) and store the new value in vault:$Vault/$name"
            }
            if ($from -lt 3) {
                $targets = if ($pushable.Count) { ($pushable | ForEach-Object { $_.Destination }) -join ', ' } else { 'no registered consumers' }
                $steps += "3 Distribute to $targets$(if ($manual.Count) { "; manual update: $($manual -join ', ')" })"
            }
            $steps += '4 Validate the new value and every consumer'
            $resumeText = if ($open) { "Resume rotation $($open.Id) after stage $($open.Stage) ($($open.State)$(if ($open.LastErrorId) { ": $($open.LastErrorId)" })): " } else { 'Rotate: ' }
            if (-not $PSCmdlet.ShouldProcess("$what '$name' ($tokenId) in vault '$Vault'", $resumeText + ($steps -join '; '))) { continue }

            # --- The rotation record: a new one, or the one to resume ------------------------------------------------
            $checkpoint = @{ Confirm = $false; WhatIf = $false; ErrorAction = 'Stop' }
            $resumed = [bool]$open
            try {
                $rotation = if ($open) { $open } else {
                    Checkpoint-CfTokenRotation -New -SecretName $name -Vault $Vault -Kind $kind -TokenId $tokenId @checkpoint @ledgerArgs @sessionArgs
                }
            }
            catch {
                $PSCmdlet.WriteError($_)
                continue
            }
            $rotationId = $rotation.Id
            if ($resumed) { Write-Verbose "Resuming rotation $rotationId of '$name' after its last completed stage ($($rotation.Stage))." }
            # Which stage is under way, and whether its failure is recorded (so an unexpected error is recorded too).
            $progressState = @{ Stage = $null; FailureRecorded = $false }
            $record = {
                param([string] $Stage, [string] $Status, [string] $Consumer, $ErrorRecord, [string] $Detail, [string] $ErrorId)
                if (-not $Consumer) {
                    $progressState.Stage = $Stage
                    if ($Status -eq 'Failed') { $progressState.FailureRecorded = $true }
                }
                $arguments = @{ Id = $rotationId; Stage = $Stage; Status = $Status; TokenId = $tokenId }
                if ($Consumer) { $arguments.Consumer = $Consumer }
                if ($ErrorRecord) { $arguments.ErrorId = Get-CfRotationErrorId $ErrorRecord; $arguments.Detail = Get-CfRotationDetail $ErrorRecord }
                if ($ErrorId) { $arguments.ErrorId = $ErrorId }
                if ($Detail) { $arguments.Detail = $Detail }
                try {
                    $null = Checkpoint-CfTokenRotation @arguments @checkpoint @ledgerArgs @sessionArgs
                }
                catch {
                    # A message the ledger's guard refuses (shaped like a credential) is dropped, never the checkpoint itself.
                    if ((Get-CfRotationErrorId $_) -ne 'RotationTextLooksLikeSecret' -or -not $arguments.ContainsKey('Detail')) { throw }
                    $arguments.Remove('Detail')
                    $null = Checkpoint-CfTokenRotation @arguments @checkpoint @ledgerArgs @sessionArgs
                }
            }
            $updated = New-Object System.Collections.Generic.List[string]
            $failedConsumers = New-Object System.Collections.Generic.List[string]
            $failure = $null
            $stage = [int]$rotation.Stage
            $progress = { param([int] $Index, [string] $Text) Write-Progress -Id $progressId -Activity "Rotating $name ($what)" -Status "Stage $Index of 4: $($stageNames[$Index - 1])" -CurrentOperation $Text -PercentComplete ([int](($Index - 1) * 25)) }

            # Reads the vault value and says whether it is a live value of this token (Access: only with -AccessUri).
            $testVaultValue = {
                if ($isAccess) {
                    if (-not $AccessUri) { return $null }
                    $test = Test-CfAccessServiceToken -Uri $AccessUri -AllowInsecure:$allowInsecure -Vault $Vault -SecretName $name -ErrorAction Stop
                    return [bool]$test.Passed
                }
                $value = Get-Secret -Vault $Vault -Name $name -ErrorAction Stop
                if (-not ($value -is [securestring])) { return $false }
                $verification = Test-CfToken -Token $value @sessionArgs -ErrorAction Stop
                return ($verification.IsActive -and (-not $verification.Id -or $verification.Id -eq $tokenId))
            }

            try {
                # --- 1. Verify ---------------------------------------------------------------------------------------
                if ($stage -lt 1) {
                    & $progress 1 'The vault value verifies and the session can see the token'
                    & $record 'Verify' 'Started'
                    try {
                        if ($isAccess) { $null = Get-CfAccessServiceToken -Id $tokenId @sessionArgs -ErrorAction Stop }
                        else { $null = Get-CfToken -Id $tokenId @sessionArgs -ErrorAction Stop }
                        if (-not $credential.HasValue) {
                            throw (New-CfCompositeError -ErrorId 'VaultValueMissing' -Category ObjectNotFound -Target $name `
                                    -Message "Vault '$Vault' has metadata for '$name' but no value: there is nothing to verify or roll from (runbook failure mode C)." `
                                    -Fix 'Restore the value, or re-provision the credential (New-CfScopedToken).')
                        }
                        $live = & $testVaultValue
                        if ($live -eq $false) {
                            throw (New-CfCompositeError -ErrorId 'CurrentValueInvalid' -Category AuthenticationError -Target $name `
                                    -Message "The value of '$name' in vault '$Vault' does not verify as token $tokenId (invalid, expired, or another token's value), so nothing was rolled." `
                                    -Fix "Diagnose it with Resolve-CfTokenFailure -SecretName $name -Vault $Vault; if the token is fine and only the vault copy is stale, roll it with Invoke-CfTokenRoll -Id $tokenId -Vault $Vault -SecretName $name.")
                        }
                        if ($null -eq $live) { Write-Warning "The client secret of '$name' was not verified (pass -AccessUri with an Access-protected URL to verify it)." }
                    }
                    catch {
                        $failure = if ($_.Exception -is [System.Management.Automation.RuntimeException] -and $_.TargetObject -is [System.Management.Automation.ErrorRecord]) { $_.TargetObject } else { $_ }
                        & $record 'Verify' 'Failed' -ErrorRecord $failure
                        throw $failure
                    }
                    & $record 'Verify' 'Completed'
                    $stage = 1
                }

                # --- 2. Roll -----------------------------------------------------------------------------------------
                if ($stage -lt 2) {
                    & $progress 2 'Issue the new value and store it in the vault'
                    $doRoll = $true
                    if ($rotation.RollStartedOn) {
                        # A roll was started before: decide from evidence, never roll twice by accident.
                        $since = $rotation.RollStartedOn
                        $now = Get-CfVaultCredential -Vault $Vault -Name $escaped -ErrorAction Stop | Where-Object { $_.Name -eq $name } | Select-Object -First 1
                        $landed = @(Get-CfLedger -Kind Rotation -TokenId $tokenId -Since $since.UtcDateTime @ledgerArgs @sessionArgs -ErrorAction Stop |
                                Where-Object { $_.Action -in 'roll', 'rotate' -and "$($_.Outcome)" -eq 'Succeeded' }).Count -gt 0
                        $rescued = $null
                        $rescuedList = Get-Variable -Name CfRescuedCredentials -Scope Global -ValueOnly -ErrorAction Ignore
                        # foreach, not @(): pwsh 7.6 fails to wrap a List[object] in an array ('Argument types do not match').
                        if ($null -ne $rescuedList) { foreach ($item in $rescuedList) { if ($null -ne $item -and "$($item.Id)" -eq $tokenId) { $rescued = $item } } }
                        if ($now -and $now.IssuedOn -and $now.IssuedOn -gt $since) {
                            Write-Verbose "The vault value of '$name' was issued at $($now.IssuedOn.UtcDateTime.ToString('o')), after the roll started: the roll landed and was stored."
                            & $record 'Roll' 'Completed' -Detail 'evidence: the vault value was issued after the roll started'
                            $doRoll = $false
                        }
                        elseif ($landed -and $now -and $now.HasValue -and ((& $testVaultValue) -eq $true)) {
                            Write-Verbose "The ledger records a roll of $tokenId since the roll started and the vault value verifies: it is the rolled value."
                            & $record 'Roll' 'Completed' -Detail 'evidence: a roll was recorded and the vault value verifies'
                            $doRoll = $false
                        }
                        elseif ($rescued) {
                            Write-Verbose "The roll landed but its vault write failed; storing the value rescued in `$CfRescuedCredentials (no second roll)."
                            try {
                                $null = Save-CfRescuedCredential -TokenId $tokenId -Vault $Vault -SecretName $name -Confirm:$false -WhatIf:$false @ledgerArgs @sessionArgs -ErrorAction Stop
                            }
                            catch {
                                & $record 'Roll' 'Failed' -ErrorRecord $_
                                throw
                            }
                            & $record 'Roll' 'Completed' -Detail 'the rescued value was stored in the vault; no second roll'
                            $doRoll = $false
                        }
                        elseif (-not $landed -and (-not $isAccess -or $AccessUri) -and $now -and $now.HasValue -and ((& $testVaultValue) -eq $true)) {
                            Write-Verbose 'No roll was recorded and the vault value still verifies: the earlier roll did not happen; rolling now.'
                        }
                        elseif (-not $landed -and $isAccess -and -not $AccessUri) {
                            Write-Verbose 'No rotate of the Access service token was recorded since the roll stage started: it did not happen; rotating now.'
                        }
                        else {
                            Write-Warning ("The roll of '$name' ($tokenId) started at $($since.UtcDateTime.ToString('u')) but neither the vault nor this session holds its value: " +
                                'Cloudflare may have issued a value that was lost, and the old value is dead. Rolling again: it is the only way to a working value.')
                        }
                    }
                    if ($doRoll) {
                        & $record 'Roll' 'Started'
                        $rollErrors = $null
                        if ($isAccess) {
                            $rotate = @{ Id = $tokenId; Vault = $Vault; SecretName = $name }
                            if ($PSBoundParameters.ContainsKey('GracePeriod')) { $rotate.GracePeriod = $GracePeriod }
                            $null = Invoke-CfAccessServiceTokenRotate @rotate -Confirm:$false -WhatIf:$false @ledgerArgs @sessionArgs -ErrorAction SilentlyContinue -ErrorVariable rollErrors
                        }
                        else {
                            $null = Invoke-CfTokenRoll -Id $tokenId -Vault $Vault -SecretName $name -Confirm:$false -WhatIf:$false @ledgerArgs @sessionArgs -ErrorAction SilentlyContinue -ErrorVariable rollErrors
                        }
                        if ($rollErrors) {
                            $failure = $rollErrors[0]
                            $kept = $failure.TargetObject
                            $hasValue = $kept -and (($kept.PSObject.Properties['Value'] -and $kept.Value -is [securestring]) -or ($kept.PSObject.Properties['ClientSecret'] -and $kept.ClientSecret -is [securestring]))
                            if ($hasValue) {
                                # Rolled, but the vault write failed: keep the value for the rerun (Save-CfRescuedCredential), never drop it.
                                if (-not (Get-Variable -Name CfRescuedCredentials -Scope Global -ErrorAction Ignore) -or $null -eq $global:CfRescuedCredentials) {
                                    $global:CfRescuedCredentials = [System.Collections.Generic.List[object]]::new()
                                }
                                if (-not ($global:CfRescuedCredentials -contains $kept)) { $global:CfRescuedCredentials.Add($kept) }
                                & $record 'Roll' 'Failed' -ErrorRecord $failure -Detail 'rolled, but the vault write failed; the new value is kept in $CfRescuedCredentials of this session: rerun to store it (no second roll)'
                            }
                            else {
                                & $record 'Roll' 'Failed' -ErrorRecord $failure
                            }
                            throw $failure
                        }
                        & $record 'Roll' 'Completed'
                    }
                    $stage = 2
                }

                # --- 3. Distribute -----------------------------------------------------------------------------------
                if ($stage -lt 3) {
                    & $progress 3 "Push the new value to $($consumers.Count) consumer(s)"
                    & $record 'Distribute' 'Started'
                    $done = @{}
                    foreach ($previous in @($rotation.Consumers)) {
                        if ("$($previous.Distribute)" -in 'Completed', 'Skipped') { $done[$previous.Destination] = $true }
                    }
                    $value = $null
                    $clientId = $null
                    if ($pushable.Count) {
                        $value = Get-Secret -Vault $Vault -Name $name -ErrorAction Stop
                        if ($isAccess) {
                            $current = Get-CfVaultCredential -Vault $Vault -Name $escaped -ErrorAction Stop | Where-Object { $_.Name -eq $name } | Select-Object -First 1
                            $clientId = $current.ClientId
                        }
                    }
                    $index = 0
                    foreach ($consumer in $consumers) {
                        $index++
                        $destination = $consumer.Destination
                        Write-Progress -Id ($progressId + 1) -ParentId $progressId -Activity 'Distribute' -Status $destination -PercentComplete ([int](100 * ($index - 1) / [Math]::Max(1, $consumers.Count)))
                        if ("$($consumer.Kind)" -eq 'External') {
                            & $record 'Distribute' 'Skipped' -Consumer $destination -Detail 'external consumer: needs a manual update'
                            continue
                        }
                        if ($done.ContainsKey($destination)) { $updated.Add($destination); continue }
                        try {
                            $pairs = @(, @($consumer.SecretName, $value))
                            if ($isAccess) {
                                if (-not $clientId) { throw (New-CfCompositeError -ErrorId 'VaultClientIdMissing' -Category InvalidData -Target $name -Message "The vault has no client id for '$name' (ClientId metadata or ${name}__CLIENT_ID)." -Fix 'Rotate with Invoke-CfAccessServiceTokenRotate -Vault, which writes it, then resume.') }
                                $pairs += , @((Get-CfRotationClientIdName $consumer), (ConvertTo-SecureString -String $clientId -AsPlainText -Force))
                            }
                            foreach ($pair in $pairs) {
                                switch ("$($consumer.Kind)") {
                                    'Worker' { $null = Set-CfWorkerSecret -Script $consumer.Target -Name $pair[0] -Value $pair[1] -Confirm:$false -WhatIf:$false @ledgerArgs @sessionArgs -ErrorAction Stop }
                                    'SecretsStore' { $null = Set-CfSecretsStoreSecret -Store $consumer.Target -Name $pair[0] -Value $pair[1] -Confirm:$false -WhatIf:$false @sessionArgs -ErrorAction Stop }
                                    'Pages' { $null = Set-CfPagesSecret -Project $consumer.Target -Environment $consumer.Environment -Name $pair[0] -Value $pair[1] -Confirm:$false -WhatIf:$false @ledgerArgs @sessionArgs -ErrorAction Stop }
                                    'GitHubEnv' { Set-CfGitHubActionsVariable -GitHubEnv $pair[0] -Value $pair[1] -Confirm:$false -WhatIf:$false -ErrorAction Stop }
                                    'GitHubOutput' { Set-CfGitHubActionsVariable -GitHubOutput $pair[0] -Value $pair[1] -Confirm:$false -WhatIf:$false -ErrorAction Stop }
                                    default { throw (New-CfCompositeError -ErrorId 'ConsumerKindUnknown' -Category NotImplemented -Target $destination -Message "Consumer '$destination' is of a kind this rotation cannot write ($($consumer.Kind))." -Fix 'Update it by hand, or register it as external:<text>.') }
                                }
                            }
                            & $record 'Distribute' 'Completed' -Consumer $destination
                            $updated.Add($destination)
                        }
                        catch {
                            $consumerError = if ($_.Exception -is [System.Management.Automation.RuntimeException] -and $_.TargetObject -is [System.Management.Automation.ErrorRecord]) { $_.TargetObject } else { $_ }
                            & $record 'Distribute' 'Failed' -Consumer $destination -ErrorRecord $consumerError
                            $failedConsumers.Add($destination)
                            $PSCmdlet.WriteError($consumerError)
                        }
                    }
                    Write-Progress -Id ($progressId + 1) -ParentId $progressId -Activity 'Distribute' -Completed
                    if ($failedConsumers.Count) {
                        # Each consumer's own error was written above; this is the summary.
                        $failure = New-CfCompositeError -ErrorId 'ConsumerUpdateFailed' -Category WriteError -Target $name `
                            -Message "The new value of '$name' is in vault '$Vault', but $($failedConsumers.Count) consumer(s) could not be updated: $($failedConsumers -join ', ')." `
                            -Fix "Fix them (the errors above say why) and run Invoke-CfTokenRotation -SecretName $name -Vault $Vault again: it resumes at the distribution, without another roll."
                        & $record 'Distribute' 'Failed' -ErrorRecord $failure
                        throw $failure
                    }
                    & $record 'Distribute' 'Completed'
                    $stage = 3
                }
                else {
                    foreach ($previous in @($rotation.Consumers)) {
                        if ("$($previous.Distribute)" -eq 'Completed') { $updated.Add($previous.Destination) }
                    }
                }

                # --- 4. Validate -------------------------------------------------------------------------------------
                & $progress 4 'The new value verifies and every consumer holds it'
                & $record 'Validate' 'Started'
                $live = & $testVaultValue
                if ($live -eq $false) {
                    $failure = New-CfCompositeError -ErrorId 'NewValueInvalid' -Category AuthenticationError -Target $name `
                        -Message "The new value of '$name' in vault '$Vault' does not verify as token $tokenId." -Fix "Check the token (Get-CfToken -Id $tokenId) and the vault, then run Invoke-CfTokenRotation again."
                    & $record 'Validate' 'Failed' -ErrorRecord $failure
                    throw $failure
                }
                $notHeld = New-Object System.Collections.Generic.List[string]
                foreach ($consumer in $consumers) {
                    $destination = $consumer.Destination
                    $names = @($consumer.SecretName)
                    if ($isAccess) { $names += Get-CfRotationClientIdName $consumer }
                    $listed = $null
                    try {
                        switch ("$($consumer.Kind)") {
                            'Worker' { $listed = @(Get-CfWorkerSecret -Script $consumer.Target @sessionArgs -ErrorAction Stop | ForEach-Object { $_.Name }) }
                            'SecretsStore' { $listed = @(Get-CfSecretsStoreSecret -Store $consumer.Target @sessionArgs -ErrorAction Stop | ForEach-Object { $_.Name }) }
                            'Pages' { $listed = @(Get-CfPagesSecret -Project $consumer.Target -Environment $consumer.Environment @sessionArgs -ErrorAction Stop | ForEach-Object { $_.Name }) }
                            'External' { & $record 'Validate' 'Skipped' -Consumer $destination -Detail 'external consumer: check it by hand' }
                            default { & $record 'Validate' 'Completed' -Consumer $destination -Detail 'written to the GitHub Actions file; later steps of the job read it' }
                        }
                    }
                    catch {
                        & $record 'Validate' 'Failed' -Consumer $destination -ErrorRecord $_
                        $notHeld.Add($destination)
                        $PSCmdlet.WriteError($_)
                        continue
                    }
                    if ($null -eq $listed) { continue }
                    $missing = @($names | Where-Object { $listed -notcontains $_ })
                    if ($missing.Count) {
                        & $record 'Validate' 'Failed' -Consumer $destination -ErrorId 'ConsumerSecretMissing' -Detail "not listed: $($missing -join ', ')"
                        $notHeld.Add($destination)
                    }
                    else {
                        & $record 'Validate' 'Completed' -Consumer $destination
                    }
                }
                if ($notHeld.Count) {
                    $failure = New-CfCompositeError -ErrorId 'ConsumerValidationFailed' -Category InvalidResult -Target $name `
                        -Message "$($notHeld.Count) consumer(s) of '$name' do not hold the new value: $($notHeld -join ', ')." `
                        -Fix "Check them, then run Invoke-CfTokenRotation -SecretName $name -Vault $Vault again (it resumes at validation)."
                    & $record 'Validate' 'Failed' -ErrorRecord $failure
                    throw $failure
                }
                & $record 'Validate' 'Completed'
                $stage = 4
            }
            catch {
                $reported = if ($_.Exception -is [System.Management.Automation.RuntimeException] -and $_.TargetObject -is [System.Management.Automation.ErrorRecord]) { $_.TargetObject } else { $_ }
                if ($progressState.Stage -and -not $progressState.FailureRecorded) {
                    # An error no stage handled (the API or the vault failed mid-stage): record it, so the rotation reads Failed.
                    try { & $record $progressState.Stage 'Failed' -ErrorRecord $reported } catch { Write-Warning "The failure of stage $($progressState.Stage) could not be recorded in the ledger: $($_.Exception.Message)" }
                }
                $PSCmdlet.WriteError($reported)
            }
            finally {
                Write-Progress -Id $progressId -Activity "Rotating $name ($what)" -Completed
            }

            # --- The result: what the ledger says now ----------------------------------------------------------------
            $final = Get-CfTokenRotation -Id $rotationId @ledgerArgs @sessionArgs -ErrorAction SilentlyContinue | Select-Object -First 1
            $doneStages = @($stageNames | Select-Object -First $stage)
            [pscustomobject]@{
                PSTypeName       = 'CfManagement.TokenRotationResult'
                SecretName       = $name
                Vault            = $Vault
                Kind             = $kind
                TokenId          = $tokenId
                RotationId       = $rotationId
                StagesDone       = $doneStages
                ConsumersUpdated = @($updated | Select-Object -Unique)
                ConsumersManual  = $manual
                ConsumersFailed  = $failedConsumers.ToArray()
                Resumed          = $resumed
                Rolls            = $(if ($final) { $final.Rolls } else { 0 })
                State            = $(if ($final) { "$($final.State)" } elseif ($stage -ge 4) { 'Completed' } else { 'Failed' })
            }
        }
    }
}
