function Get-CfTokenInventory {
    <#
    .SYNOPSIS
        Lists every Cloudflare credential kept in a SecretManagement vault with its live status, expiry, last use,
        consumers and the flags that need attention.

    .DESCRIPTION
        The runbook's inventory table as objects. For each credential in the vault that follows the convention
        (Get-CfVaultCredential: value plus metadata or NAME__TOKEN_ID / NAME__EXPIRES_AT / NAME__SCOPES companions,
        and NAME__CLIENT_ID for Access service tokens) it reports the token id, scopes, expiry and days left, the
        live status, when Cloudflare last saw it used, the consumers registered in the ledger
        (Get-CfTokenConsumer), and flags:

        ExpiringSoon (expires within -ExpiringWithinDays), Expired, Revoked (Cloudflare status "revoked", including
        "revoked (exposed)" set by leak scanning), Disabled, MissingAtCloudflare (the token id is gone and the value
        no longer verifies), Drift (the vault's metadata says another expiry, name, scopes or token id than
        Cloudflare does), VaultValueMissing (metadata or companions without the value), MarkedRevoked (the value was
        replaced by the REVOKED marker of an emergency stop), Invalid (Cloudflare rejects the value: 401),
        NoMetadata (neither metadata nor companions say which token the value is).

        Cost: Cloudflare's tokens are listed ONCE per run (user tokens, and account-owned ones when the session has
        an account) and joined by id; Access service tokens are listed once too. The live status needs one verify
        per API-token value (GET .../tokens/verify with that value): Cloudflare has no batch verify, and the list
        cannot say whether the value in the vault is the current one, so that call per entry is unavoidable;
        -SkipVerify leaves it out and takes the status from the list instead. LastUsedOn is read from the list
        BEFORE any verify, because a verify is itself a use. Access service tokens are never verified by value
        (Cloudflare has no verify endpoint for them; Test-CfAccessServiceToken checks one against a protected
        application): their status comes from the list (enabled, expires_at) and LastUsedOn from last_seen_at when
        Cloudflare sends it.

        Values are read from the vault as SecureString and go only to Test-CfToken; no value is ever written to any
        stream. Output objects (CfManagement.TokenInventoryItem) sort and export: Flags is a string[] and FlagText
        the same flags as one string (Export-Csv writes FlagText and ConsumerText readably; arrays become type names
        there).

    .PARAMETER Vault
        The SecretManagement vault to inventory (as Get-SecretVault lists it).

    .PARAMETER Name
        Only the credentials with these vault names (wildcards allowed), e.g. 'CF_*_RAXX_APP'.

    .PARAMETER ExpiringWithinDays
        Credentials expiring within this many days (0-36500; default 14) are flagged ExpiringSoon.

    .PARAMETER SkipVerify
        Do not verify each value with Cloudflare: the status comes from the token list (one request per page),
        and Invalid cannot be detected.

    .PARAMETER LedgerPath
        The SQLite ledger whose consumer map is read (default: the per-user ledger). Passed to Get-CfTokenConsumer.

    .PARAMETER LedgerDatabaseId
        The D1 database that holds the ledger (instead of -LedgerPath). Passed to Get-CfTokenConsumer.

    .PARAMETER Session
        The Cloudflare session to use (Connect-CfAccount -PassThru or Get-CfSession); default the current one.

    .EXAMPLE
        Get-CfTokenInventory -Vault CloudflareVault

        The whole inventory as a table: name, kind, days left, status, flags and the number of consumers.

    .EXAMPLE
        Get-CfTokenInventory -Vault CloudflareVault -ExpiringWithinDays 30 | Where-Object Flags | Sort-Object DaysLeft | Format-List Name, TokenId, ExpiresOn, Status, FlagText, Consumers

        What needs attention in the next 30 days, soonest first, with the consumers that will need the new value.

    .EXAMPLE
        Get-CfTokenInventory -Vault CloudflareVault | Export-Csv -NoTypeInformation -Path ./inventory.csv

        A nightly export (Flags as FlagText, consumers as ConsumerText).

    .EXAMPLE
        Get-CfTokenInventory -Vault CloudflareVault | Where-Object { $_.Flags -contains 'Invalid' } | Resolve-CfTokenFailure

        Diagnoses every credential whose value Cloudflare rejects (the Name and Vault properties bind to
        Resolve-CfTokenFailure).

    .OUTPUTS
        CfManagement.TokenInventoryItem

    .LINK
        Resolve-CfTokenFailure

    .LINK
        Get-CfVaultCredential
    #>
    [CmdletBinding()]
    [OutputType('CfManagement.TokenInventoryItem')]
    param(
        [Parameter(Mandatory, Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [Alias('VaultName')]
        [ArgumentCompleter({
            param($commandName, $parameterName, $wordToComplete)
            # Inline: a completer runs outside the module's scope, where its private helpers are not visible.
            if (Get-Command -Name Get-SecretVault -ErrorAction Ignore) {
                Get-SecretVault -ErrorAction Ignore | Where-Object { $_.Name -like "$wordToComplete*" } | ForEach-Object {
                    $text = if ($_.Name -match '\s') { "'$($_.Name)'" } else { $_.Name }
                    [System.Management.Automation.CompletionResult]::new($text, $_.Name, 'ParameterValue', $_.Name)
                }
            }
        })]
        [AllowEmptyString()]
        [string] $Vault,

        [Parameter(Position = 1)]
        [SupportsWildcards()]
        [AllowEmptyCollection()]
        [string[]] $Name,

        [int] $ExpiringWithinDays = 14,

        [switch] $SkipVerify,

        [string] $LedgerPath,

        [string] $LedgerDatabaseId,

        [object] $Session
    )

    begin {
        $bad = Test-CfCompositeCommonInput -Session $Session -LedgerPath $LedgerPath -LedgerDatabaseId $LedgerDatabaseId -Bound $PSBoundParameters
        if (-not $bad -and ($ExpiringWithinDays -lt 0 -or $ExpiringWithinDays -gt 36500)) {
            $bad = New-CfCompositeError -ErrorId 'InvalidExpiringWithin' -ParameterName 'ExpiringWithinDays' -Value $ExpiringWithinDays `
                -Message "-ExpiringWithinDays must be between 0 and 36500; it was $ExpiringWithinDays." `
                -Fix 'Pass the number of days ahead to warn about, e.g. -ExpiringWithinDays 14.'
        }
        if (-not $bad -and $PSBoundParameters.ContainsKey('Name')) {
            foreach ($n in @($Name)) {
                if ([string]::IsNullOrWhiteSpace($n)) {
                    $bad = New-CfCompositeError -ErrorId 'InvalidSecretName' -ParameterName 'Name' -Value $n `
                        -Message '-Name must not contain an empty or white-space name.' -Fix "Pass vault secret names or patterns, e.g. -Name 'CF_*'."
                    break
                }
                if (-not [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($n) -and $n -match '__(TOKEN_ID|EXPIRES_AT|SCOPES|CLIENT_ID|REVOKED_AT)$') {
                    $bad = New-CfCompositeError -ErrorId 'InvalidSecretName' -ParameterName 'Name' -Value $n `
                        -Message "-Name '$n' is a companion secret, not a credential." -Fix "Pass the credential's own name: '$($n -replace '__[A-Z_]+$', '')'."
                    break
                }
            }
        }
        if ($bad) { $PSCmdlet.ThrowTerminatingError($bad) }

        $cf = @{}
        if ($PSBoundParameters.ContainsKey('Session')) { $cf.Session = $Session }
        $ledger = @{}
        if ($PSBoundParameters.ContainsKey('LedgerPath')) { $ledger.LedgerPath = $LedgerPath }
        if ($PSBoundParameters.ContainsKey('LedgerDatabaseId')) { $ledger.LedgerDatabaseId = $LedgerDatabaseId }
    }

    process {
        $badVault = Test-CfInventoryVaultInput -Vault $Vault
        if ($badVault) { $PSCmdlet.ThrowTerminatingError($badVault) }

        $started = [System.Diagnostics.Stopwatch]::StartNew()
        $activity = "Token inventory of vault $Vault"
        Write-Progress -Activity $activity -Status 'Reading the vault' -PercentComplete 0

        # 1. The vault: names and metadata only (Get-CfVaultCredential never reads a value).
        $readVault = @{ Vault = $Vault }
        if ($PSBoundParameters.ContainsKey('Name')) { $readVault.Name = $Name }
        try {
            $credentials = @(Get-CfVaultCredential @readVault -ErrorAction Stop)
        }
        catch {
            Write-Progress -Activity $activity -Completed
            $PSCmdlet.ThrowTerminatingError($_)
        }
        Write-Verbose "Vault ${Vault}: $($credentials.Count) credential(s) follow the convention."
        if ($credentials.Count -eq 0) {
            Write-Progress -Activity $activity -Completed
            return
        }

        # 2. Cloudflare, once: the token list(s) and, when needed, the Access service tokens. Listed before any
        #    verify, so LastUsedOn is what it was before this inventory used the values.
        Write-Progress -Activity $activity -Status 'Listing Cloudflare tokens' -PercentComplete 1
        $sessionInfo = $null
        try { $sessionInfo = if ($cf.ContainsKey('Session')) { $Session } else { Get-CfSession -ErrorAction Stop } }
        catch { Write-Progress -Activity $activity -Completed; $PSCmdlet.ThrowTerminatingError($_) }
        if ($null -eq $sessionInfo) {
            Write-Progress -Activity $activity -Completed
            $PSCmdlet.ThrowTerminatingError((New-CfCompositeError -ErrorId 'NotConnected' -ParameterName 'Session' -Value $null -Category InvalidOperation `
                -Message 'Not connected to Cloudflare.' -Fix 'Run Connect-CfAccount (or pass -Session) first.'))
        }

        $byId = @{}
        $listed = @{}          # scope -> $true when that list was read completely
        $scopes = @([string] $sessionInfo.TokenScope)
        if ($sessionInfo.AccountId -and $scopes -notcontains 'Account') { $scopes += 'Account' }
        $apiCount = @($credentials | Where-Object { $_.Kind -ne 'AccessServiceToken' }).Count
        if ($apiCount -gt 0) {
            foreach ($scope in $scopes) {
                try {
                    foreach ($t in @(Get-CfToken -Scope $scope @cf -ErrorAction Stop)) { $byId[$t.Id] = $t }
                    $listed[$scope] = $true
                }
                catch {
                    if ($scope -eq [string] $sessionInfo.TokenScope) {
                        Write-Progress -Activity $activity -Completed
                        $PSCmdlet.ThrowTerminatingError($_)
                    }
                    Write-Verbose "Account-owned tokens are not listed ($($_.Exception.Message)): entries among them are judged by verify alone."
                }
            }
        }
        $accessById = @{}
        $accessListed = $false
        if (@($credentials | Where-Object { $_.Kind -eq 'AccessServiceToken' }).Count -gt 0) {
            try {
                foreach ($a in @(Get-CfAccessServiceToken @cf -ErrorAction Stop)) { $accessById[$a.Id] = $a; $accessById["client:$($a.ClientId)"] = $a }
                $accessListed = $true
            }
            catch {
                Write-Warning "Access service tokens could not be listed, so their status is unknown: $($_.Exception.Message)"
            }
        }

        # 3. The consumer map, once.
        $consumers = @{}
        try {
            foreach ($c in @(Get-CfTokenConsumer @ledger @cf -ErrorAction Stop)) {
                if (-not $consumers.ContainsKey($c.Credential)) { $consumers[$c.Credential] = [System.Collections.Generic.List[string]]::new() }
                $consumers[$c.Credential].Add([string] $c.Destination)
            }
        }
        catch {
            Write-Warning "The consumer map could not be read, so Consumers is empty: $($_.Exception.Message)"
        }

        # 4. One entry at a time: verify the value (API tokens), join, flag.
        $now = [DateTimeOffset]::UtcNow
        $soon = $now.AddDays($ExpiringWithinDays)
        $verified = 0
        $progressStep = [Math]::Max(1, [int] [Math]::Floor($credentials.Count / 100))
        for ($i = 0; $i -lt $credentials.Count; $i++) {
            $entry = $credentials[$i]
            if ($i % $progressStep -eq 0) {
                Write-Progress -Activity $activity -Status "$($i + 1) of $($credentials.Count): $($entry.Name)" -PercentComplete ([int] (5 + 95 * $i / $credentials.Count))
            }
            $flags = [System.Collections.Generic.List[string]]::new()
            $notes = [System.Collections.Generic.List[string]]::new()
            $status = 'unknown'
            $lastUsed = $null
            $cfExpires = $null
            $cfKnown = $false
            $tokenId = $entry.TokenId

            if ($entry.IsRevoked) { $flags.Add('MarkedRevoked') }
            elseif (-not $entry.HasValue) { $flags.Add('VaultValueMissing') }
            if ($entry.MetadataSource -eq 'None') { $flags.Add('NoMetadata') }

            if ($entry.Kind -eq 'AccessServiceToken') {
                $access = $null
                if ($entry.TokenId -and $accessById.ContainsKey($entry.TokenId)) { $access = $accessById[$entry.TokenId] }
                elseif ($entry.ClientId -and $accessById.ContainsKey("client:$($entry.ClientId)")) { $access = $accessById["client:$($entry.ClientId)"] }
                if ($access) {
                    $cfKnown = $true
                    $tokenId = $access.Id
                    $cfExpires = $access.ExpiresAt
                    $lastUsed = $access.LastSeenAt
                    $status = if ($access.Enabled -eq $false) { 'disabled' } elseif ($cfExpires -and $cfExpires -le $now) { 'expired' } else { 'active' }
                    if ($entry.ClientId -and $entry.ClientId -ne $access.ClientId) { $notes.Add("client id: vault $($entry.ClientId), Cloudflare $($access.ClientId)") }
                    if ($entry.TokenId -and $entry.TokenId -ne $access.Id) { $notes.Add("token id: vault $($entry.TokenId), Cloudflare $($access.Id)") }
                }
                elseif ($accessListed -and ($entry.TokenId -or $entry.ClientId)) {
                    $status = 'missing'
                    $flags.Add('MissingAtCloudflare')
                }
            }
            else {
                $cfToken = if ($tokenId -and $byId.ContainsKey($tokenId)) { $byId[$tokenId] } else { $null }
                if ($cfToken) { $lastUsed = $cfToken.LastUsedOn }
                $verification = $null
                $canVerify = $entry.Kind -eq 'ApiToken' -and $entry.HasValue -and -not $entry.IsRevoked -and -not $SkipVerify
                if ($canVerify) {
                    $value = Get-Secret -Vault $Vault -Name $entry.Name -ErrorAction Ignore
                    if ($value -is [System.Management.Automation.PSCredential]) { $value = $value.Password }
                    if ($null -eq $value) {
                        if (-not $flags.Contains('VaultValueMissing')) { $flags.Add('VaultValueMissing') }
                    }
                    elseif ($value -isnot [securestring]) {
                        $notes.Add("the vault value is a $($value.GetType().Name), not a string secret")
                        $flags.Add('Invalid')
                        $status = 'invalid'
                    }
                    else {
                        try {
                            $verification = Test-CfToken -Token $value @cf -ErrorAction Stop
                            $verified++
                        }
                        catch {
                            if ($_.FullyQualifiedErrorId -like 'InvalidTokenValue*') {
                                # Refused before any request (e.g. white space inside the value): the error names no value.
                                $notes.Add('the vault value is not token-shaped (Test-CfToken refused it before any request)')
                                $flags.Add('Invalid')
                                $status = 'invalid'
                            }
                            else {
                                # Cloudflare could not be asked (after the client's retries): say so and go on with the rest.
                                $PSCmdlet.WriteError($_)
                                $notes.Add('not verified: the verify request failed')
                            }
                        }
                        finally {
                            $value.Dispose()
                        }
                    }
                }
                if ($verification) {
                    $status = $verification.Status
                    if ($verification.Id) {
                        if (-not $tokenId) { $tokenId = $verification.Id }
                        elseif ($verification.Id -ne $tokenId) { $notes.Add("token id: vault $tokenId, the value verifies as $($verification.Id)") }
                        if (-not $cfToken -and $byId.ContainsKey($verification.Id)) { $cfToken = $byId[$verification.Id]; $lastUsed = $cfToken.LastUsedOn }
                    }
                    if ($status -eq 'invalid') { $flags.Add('Invalid') }
                }
                if ($cfToken) {
                    $cfKnown = $true
                    $cfExpires = $cfToken.ExpiresOn
                    if (-not $verification) { $status = $cfToken.Status }
                    if ($entry.TokenName -and $entry.TokenName -ne $cfToken.Name) { $notes.Add("name: vault '$($entry.TokenName)', Cloudflare '$($cfToken.Name)'") }
                    if ($entry.Scopes) {
                        $vaultScopes = ConvertTo-CfScopeSet $entry.Scopes
                        $cloudScopes = ConvertTo-CfScopeSet $cfToken.PermissionGroupNames
                        if (($vaultScopes -join '|') -ne ($cloudScopes -join '|')) { $notes.Add("scopes: vault '$($vaultScopes -join ', ')', Cloudflare '$($cloudScopes -join ', ')'") }
                    }
                }
                elseif ($verification -and $verification.Status -ne 'invalid') {
                    $cfKnown = $true
                    $cfExpires = $verification.ExpiresOn
                }
                elseif ($tokenId -and $listed.Count -gt 0 -and ($status -eq 'invalid' -or -not $verification)) {
                    # Not in any list read, and the value (when verified) is unknown to Cloudflare.
                    $everyScope = $listed.Count -eq $scopes.Count
                    if ($everyScope -or $status -eq 'invalid') { $flags.Add('MissingAtCloudflare'); if ($status -eq 'unknown') { $status = 'missing' } }
                }
            }

            # Expiry: Cloudflare's when known, else the vault's; drift when both are known and differ.
            $expires = if ($cfKnown) { $cfExpires } else { $entry.ExpiresOn }
            if ($cfKnown -and $entry.MetadataSource -ne 'None') {
                $vaultExpires = $entry.ExpiresOn
                $differ = if ($null -eq $vaultExpires -and $null -eq $cfExpires) { $false }
                elseif ($null -eq $vaultExpires -or $null -eq $cfExpires) { $true }
                else { [Math]::Abs(($vaultExpires - $cfExpires).TotalSeconds) -gt 60 }
                if ($differ) {
                    $v = if ($vaultExpires) { $vaultExpires.UtcDateTime.ToString('u') } else { 'never' }
                    $c = if ($cfExpires) { $cfExpires.UtcDateTime.ToString('u') } else { 'never' }
                    $notes.Insert(0, "expiry: vault $v, Cloudflare $c")
                }
            }
            $driftNotes = @($notes | Where-Object { $_ -match '^(expiry|name|scopes|token id|client id):' })
            $otherNotes = @($notes | Where-Object { $_ -notmatch '^(expiry|name|scopes|token id|client id):' })
            if ($driftNotes.Count -gt 0) { $flags.Add('Drift') }

            $daysLeft = $null
            if ($expires) { $daysLeft = [int] [Math]::Floor(($expires - $now).TotalDays) }
            if ($status -eq 'expired' -or ($expires -and $expires -le $now)) { $flags.Add('Expired') }
            elseif ($expires -and $expires -le $soon) { $flags.Add('ExpiringSoon') }
            if ($status -like 'revoked*') { $flags.Add('Revoked') }
            if ($status -eq 'disabled') { $flags.Add('Disabled') }

            [string[]] $used = @()
            if ($consumers.ContainsKey($entry.Name)) { $used = $consumers[$entry.Name].ToArray() }
            $flagArray = [string[]] $flags.ToArray()
            # Wrapped so Export-Csv writes the names ("Expired Revoked") instead of "System.String[]"; the property
            # still reads as a string[] (-contains, Sort-Object, .Count).
            $flagValue = [psobject]::new($flagArray)
            $consumerValue = [psobject]::new($used)
            [pscustomobject]@{
                PSTypeName     = 'CfManagement.TokenInventoryItem'
                Name           = $entry.Name
                Vault          = $Vault
                Kind           = [string] $entry.Kind
                TokenId        = $tokenId
                ClientId       = $entry.ClientId
                TokenName      = $entry.TokenName
                Scopes         = $entry.Scopes
                ExpiresOn      = $expires
                DaysLeft       = $daysLeft
                Status         = $status
                LastUsedOn     = $lastUsed
                Consumers      = $consumerValue
                ConsumerCount  = $used.Count
                ConsumerText   = $used -join '; '
                Flags          = $flagValue
                FlagText       = $flagArray -join ', '
                Drift          = $driftNotes -join '; '
                Note           = $otherNotes -join '; '
                MetadataSource = [string] $entry.MetadataSource
                CheckedOn      = $now
            }
        }
        Write-Progress -Activity $activity -Completed
        Write-Verbose ("Inventory of {0}: {1} credential(s), {2} verify request(s), {3:n1} s." -f $Vault, $credentials.Count, $verified, $started.Elapsed.TotalSeconds)
    }
}
