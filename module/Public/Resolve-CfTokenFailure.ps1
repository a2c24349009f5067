function Resolve-CfTokenFailure {
    <#
    .SYNOPSIS
        Diagnoses a failing Cloudflare credential the way the runbook does and returns the failure mode (A-D), the
        evidence and the exact command to run next.

    .DESCRIPTION
        Works through the runbook's "How to diagnose" in order, from a vault secret name (-SecretName with -Vault)
        or a value (-Token), and optionally the request that failed (-Method with -Path or -Uri):

        D  the session's own management token fails verify (401, expired, revoked): it cannot roll itself, so the
           verdict is to escalate: roll or replace it in the Cloudflare dashboard.
        C  the vault value is missing (metadata or companions without the value, nothing at all under the name, or
           the REVOKED marker of an emergency stop): roll the token into the vault when Cloudflare still has it (then
           rotate, so the consumers get the new value), else provision a new one.
        B  the value does not verify: 401 (unknown value: rolled elsewhere, so roll it into the vault and rotate it to
           the consumers; or deleted, so re-provision), expired (extend, then rotate), revoked (including "revoked
           (exposed)" by leak scanning: replace) or disabled (enable).
        A  the value verifies but the request needs a permission group the token lacks, or targets a zone/account
           outside the token's resources (or a deny policy): the group is named from the request's method and path.
        None  the token verifies and, with a request, holds what it needs there.

        Evidence lists the facts gathered (statuses, ids, expiry, policies); it never contains a value. The value
        is read from the vault as SecureString and goes only to Test-CfToken. The failing request is evaluated, not
        re-issued: a non-GET could change something, and the token's policies (read with the session's token)
        say what a GET replay would, without using the failing value for anything but verify.

    .PARAMETER SecretName
        The vault secret that holds the failing credential (e.g. CF_WAF_EDIT_RAXX_APP). Needs -Vault. Binds from the
        Name property of Get-CfTokenInventory output.

    .PARAMETER Vault
        The SecretManagement vault that holds -SecretName.

    .PARAMETER Token
        The failing value itself, as a SecureString (instead of -SecretName and -Vault).

    .PARAMETER Method
        The HTTP method of the failing request (GET, POST, PUT, PATCH, DELETE, HEAD); default GET when -Path or -Uri
        is given.

    .PARAMETER Path
        The path of the failing request under the API base, e.g. /zones/<zone id>/dns_records (a leading
        /client/v4 is accepted).

    .PARAMETER Uri
        The full URL of the failing request, e.g. https://api.cloudflare.com/client/v4/zones/<zone id>/dns_records
        (instead of -Path).

    .PARAMETER Session
        The Cloudflare session (Connect-CfAccount -PassThru or Get-CfSession) whose management token reads the
        token's details; default the current one.

    .EXAMPLE
        Resolve-CfTokenFailure -SecretName CF_WAF_EDIT_RAXX_APP -Vault CloudflareVault

        Is the credential itself broken? Mode B (invalid/expired/revoked), C (value missing), D (management token
        broken) or None, with the next command.

    .EXAMPLE
        Resolve-CfTokenFailure -SecretName CF_DNS_EDIT_GETRAXX_COM -Vault CloudflareVault -Method POST -Path /zones/0bdcee38d1da2d021eb6166f0bd6204f/dns_records

        A 403 on a DNS write: mode A names the missing group ('DNS Write') or says the zone is outside the token's
        resources, and gives the Repair-CfToken or New-CfToken command that fixes it.

    .EXAMPLE
        $verdict = Resolve-CfTokenFailure -Token (Get-Secret -Vault CloudflareVault -Name CF_PAGES_DEPLOY) -Uri 'https://api.cloudflare.com/client/v4/accounts/<account id>/pages/projects'
        $verdict.Evidence; $verdict.NextCommand

        Diagnoses a value directly and prints the facts and the command to run.

    .OUTPUTS
        CfManagement.TokenFailureVerdict

    .LINK
        Get-CfTokenInventory

    .LINK
        Test-CfTokenHealth
    #>
    [CmdletBinding()]
    [OutputType('CfManagement.TokenFailureVerdict')]
    param(
        [Parameter(Position = 0, ValueFromPipelineByPropertyName)]
        [Alias('Name', 'Credential')]
        [AllowEmptyString()]
        [string] $SecretName,

        [Parameter(Position = 1, ValueFromPipelineByPropertyName)]
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

        [Parameter()]
        [securestring] $Token,

        [Parameter(ValueFromPipelineByPropertyName)]
        [ArgumentCompleter({ param($c, $p, $w) 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD' | Where-Object { $_ -like "$w*" } })]
        [string] $Method,

        [Parameter(ValueFromPipelineByPropertyName)]
        [AllowEmptyString()]
        [string] $Path,

        [Parameter(ValueFromPipelineByPropertyName)]
        [uri] $Uri,

        [object] $Session
    )

    process {
        # ---- input, all of it before any request -------------------------------------------------------------
        $bound = $PSBoundParameters
        $bad = Test-CfCompositeCommonInput -Session $Session -Bound $bound
        $hasName = $bound.ContainsKey('SecretName')
        $hasToken = $bound.ContainsKey('Token')
        if (-not $bad -and -not $hasName -and -not $hasToken) {
            $bad = New-CfCompositeError -ErrorId 'MissingApiToken' -ParameterName 'SecretName' -Value $null `
                -Message 'Say which credential failed: -SecretName with -Vault, or the value with -Token.' `
                -Fix 'Pass -SecretName CF_WAF_EDIT_RAXX_APP -Vault CloudflareVault, or -Token (Get-Secret ...).'
        }
        if (-not $bad -and $hasName -and $hasToken) {
            $bad = New-CfCompositeError -ErrorId 'ConflictingParameters' -ParameterName 'Token' -Value $SecretName `
                -Message '-SecretName and -Token both name the failing credential.' -Fix 'Pass one of them.'
        }
        if (-not $bad -and $hasToken -and $bound.ContainsKey('Vault')) {
            $bad = New-CfCompositeError -ErrorId 'ConflictingParameters' -ParameterName 'Vault' -Value $Vault `
                -Message '-Vault goes with -SecretName; with -Token it would be ignored.' -Fix 'Drop -Vault, or pass -SecretName instead of -Token.'
        }
        if (-not $bad -and $hasToken -and ($null -eq $Token -or $Token.Length -eq 0)) {
            $bad = New-CfCompositeError -ErrorId 'InvalidTokenValue' -ParameterName 'Token' -Value $null `
                -Message '-Token is empty.' -Fix 'Pass the failing value as a SecureString, e.g. -Token (Get-Secret -Vault V -Name N).'
        }
        if (-not $bad -and $hasName) {
            if ([string]::IsNullOrWhiteSpace($SecretName)) {
                $bad = New-CfCompositeError -ErrorId 'InvalidSecretName' -ParameterName 'SecretName' -Value $SecretName `
                    -Message '-SecretName must not be empty.' -Fix 'Pass the vault secret name of the failing credential, e.g. CF_WAF_EDIT_RAXX_APP.'
            }
            elseif ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($SecretName)) {
                $bad = New-CfCompositeError -ErrorId 'InvalidSecretName' -ParameterName 'SecretName' -Value $SecretName `
                    -Message "-SecretName '$SecretName' has wildcard characters; a diagnosis is about one credential." `
                    -Fix "Pass one name; to check many, pipe Get-CfTokenInventory -Name '$SecretName' into Resolve-CfTokenFailure."
            }
            elseif ($SecretName -match '__(TOKEN_ID|EXPIRES_AT|SCOPES|CLIENT_ID|REVOKED_AT)$') {
                $bad = New-CfCompositeError -ErrorId 'InvalidSecretName' -ParameterName 'SecretName' -Value $SecretName `
                    -Message "-SecretName '$SecretName' is a companion secret, not the credential." -Fix "Pass '$($SecretName -replace '__[A-Z_]+$', '')'."
            }
            elseif (-not $bound.ContainsKey('Vault')) {
                $bad = New-CfCompositeError -ErrorId 'VaultRequired' -ParameterName 'Vault' -Value $SecretName `
                    -Message "-SecretName '$SecretName' needs -Vault: which vault holds it?" -Fix "Add -Vault <name> (Get-SecretVault lists them)."
            }
        }
        $requestPath = $null
        $hasRequest = $bound.ContainsKey('Path') -or $bound.ContainsKey('Uri')
        if (-not $bad -and $bound.ContainsKey('Path') -and $bound.ContainsKey('Uri')) {
            $bad = New-CfCompositeError -ErrorId 'ConflictingParameters' -ParameterName 'Uri' -Value $Uri `
                -Message '-Path and -Uri both name the failing request.' -Fix 'Pass one of them.'
        }
        if (-not $bad -and $bound.ContainsKey('Method') -and -not $hasRequest) {
            $bad = New-CfCompositeError -ErrorId 'MissingRequestPath' -ParameterName 'Method' -Value $Method `
                -Message "-Method $Method says how the failing request was sent but not where." -Fix 'Add -Path /zones/<zone id>/... or -Uri https://api.cloudflare.com/client/v4/...'
        }
        $verb = 'GET'
        if (-not $bad -and $bound.ContainsKey('Method')) {
            $verb = ([string] $Method).Trim().ToUpperInvariant()
            if ($verb -notin @('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD')) {
                $bad = New-CfCompositeError -ErrorId 'InvalidHttpMethod' -ParameterName 'Method' -Value $Method `
                    -Message "-Method '$Method' is not an HTTP method the Cloudflare API uses." -Fix 'Pass GET, POST, PUT, PATCH, DELETE or HEAD.'
            }
        }
        if (-not $bad -and $bound.ContainsKey('Uri')) {
            if ($null -eq $Uri -or -not $Uri.IsAbsoluteUri -or $Uri.Scheme -notin @('https', 'http')) {
                $bad = New-CfCompositeError -ErrorId 'InvalidUri' -ParameterName 'Uri' -Value $Uri `
                    -Message "-Uri '$Uri' is not an absolute http(s) URL." -Fix 'Pass the full URL, e.g. https://api.cloudflare.com/client/v4/zones/<zone id>/dns_records, or use -Path.'
            }
            elseif ($Uri.UserInfo) {
                $bad = New-CfCompositeError -ErrorId 'InvalidUri' -ParameterName 'Uri' -Value $null `
                    -Message '-Uri carries user information (user:password@); a diagnosis needs only the path.' -Fix 'Pass the URL without credentials, or use -Path.'
            }
            else { $requestPath = $Uri.AbsolutePath }
        }
        if (-not $bad -and $bound.ContainsKey('Path')) {
            if ([string]::IsNullOrWhiteSpace($Path) -or -not $Path.StartsWith('/') -or $Path -match '\s' -or $Path -match '://') {
                $bad = New-CfCompositeError -ErrorId 'InvalidRequestPath' -ParameterName 'Path' -Value $Path `
                    -Message "-Path '$Path' is not an API path such as /zones/<zone id>/dns_records." -Fix 'Pass the path that starts with / (the full URL goes to -Uri).'
            }
            else { $requestPath = $Path }
        }
        if (-not $bad -and $hasName) { $bad = Test-CfInventoryVaultInput -Vault $Vault }
        if ($bad) { $PSCmdlet.ThrowTerminatingError($bad) }

        if ($requestPath) {
            $requestPath = ($requestPath -split '\?', 2)[0]
            $requestPath = $requestPath -replace '^/client/v4(?=/)', ''
        }
        $cf = @{}
        if ($bound.ContainsKey('Session')) { $cf.Session = $Session }
        $evidence = [System.Collections.Generic.List[string]]::new()
        $request = if ($requestPath) { "$verb $requestPath" } else { $null }
        $verdict = @{
            Mode = 'None'; Title = $null; NextCommand = $null; TokenId = $null; RequiredPermissionGroup = $null
        }
        $quotedName = if ($hasName) { "'$($SecretName -replace "'", "''")'" } else { $null }
        $quotedVault = if ($hasName) { "'$($Vault -replace "'", "''")'" } else { $null }
        $emit = {
            [pscustomobject]@{
                PSTypeName              = 'CfManagement.TokenFailureVerdict'
                Mode                    = $verdict.Mode
                Title                   = $verdict.Title
                Evidence                = [string[]] $evidence.ToArray()
                NextCommand             = $verdict.NextCommand
                TokenId                 = $verdict.TokenId
                SecretName              = if ($hasName) { $SecretName } else { $null }
                Vault                   = if ($hasName) { $Vault } else { $null }
                Request                 = $request
                RequiredPermissionGroup = $verdict.RequiredPermissionGroup
                CheckedOn               = [DateTimeOffset]::UtcNow
            }
        }

        # ---- D: the management token itself ---------------------------------------------------------------
        Write-Verbose 'Step 1: verify the session''s management token.'
        try {
            $sessionInfo = if ($cf.ContainsKey('Session')) { $Session } else { Get-CfSession -ErrorAction Stop }
            if ($null -eq $sessionInfo) {
                $PSCmdlet.ThrowTerminatingError((New-CfCompositeError -ErrorId 'NotConnected' -ParameterName 'Session' -Value $null -Category InvalidOperation `
                    -Message 'Not connected to Cloudflare: the diagnosis reads the token with a management session.' -Fix 'Run Connect-CfAccount (e.g. -Vault V -SecretName CF_ACCESS_MGMT) first, or pass -Session.'))
            }
            $self = Test-CfToken @cf -ErrorAction Stop
        }
        catch { $PSCmdlet.ThrowTerminatingError($_) }
        $mgmtId = if ($self.Id) { $self.Id } else { $sessionInfo.TokenId }
        if ($self.Status -ne 'active') {
            $verdict.Mode = 'D'
            $verdict.TokenId = $mgmtId
            $evidence.Add("The session's management token$(if ($mgmtId) { " $mgmtId" }) fails verify: status '$($self.Status)'$(if ($self.Message) { " ($($self.Message))" }).")
            if ($sessionInfo.TokenExpiresOn) { $evidence.Add("The session recorded its expiry as $($sessionInfo.TokenExpiresOn.UtcDateTime.ToString('u')) (source: $($sessionInfo.TokenExpiresOnSource)).") }
            $evidence.Add('Every mint, roll and read of other tokens needs this token; it cannot roll itself (that takes API Tokens Write, which is itself).')
            $dashboard = if ([string] $sessionInfo.TokenScope -eq 'Account' -and $sessionInfo.AccountId) { "https://dash.cloudflare.com/$($sessionInfo.AccountId)/api-tokens" } else { 'https://dash.cloudflare.com/profile/api-tokens' }
            $verdict.Title = "Management token invalid ($($self.Status)): escalate to an operator, who rolls or replaces it in the Cloudflare dashboard ($dashboard), stores the new value in the vault and reconnects."
            $verdict.NextCommand = "Start-Process '$dashboard'"
            & $emit
            return
        }
        $evidence.Add("The session's management token$(if ($mgmtId) { " $mgmtId" }) verifies: active.")

        # ---- C: the vault value ----------------------------------------------------------------------------
        $entry = $null
        $value = $null
        if ($hasName) {
            Write-Verbose "Step 2: read '$SecretName' from vault $Vault (metadata, then the value as SecureString)."
            try { $entry = @(Get-CfVaultCredential -Vault $Vault -Name $SecretName -ErrorAction Stop) | Where-Object { $_.Name -eq $SecretName } | Select-Object -First 1 }
            catch {
                # Nothing under that name (neither value nor companion) is a finding (mode C), not a failure.
                if ($_.FullyQualifiedErrorId -notlike 'VaultCredentialNotFound*') { $PSCmdlet.ThrowTerminatingError($_) }
                $entry = $null
            }
            if ($entry -and $entry.TokenId) { $verdict.TokenId = $entry.TokenId }
            $missing = $null
            if (-not $entry) { $missing = "Vault $Vault has no secret '$SecretName', and no companion of it either." }
            elseif ($entry.IsRevoked) {
                $missing = "Vault $Vault holds the REVOKED marker under '$SecretName'$(if ($entry.RevokedOn) { ", written $($entry.RevokedOn.UtcDateTime.ToString('u'))" })$(if ($entry.RevokedReason) { " (reason: $($entry.RevokedReason))" }): the credential was stopped on purpose."
            }
            elseif (-not $entry.HasValue) { $missing = "Vault $Vault has the metadata/companions of '$SecretName' ($($entry.MetadataSource)) but not the value." }
            else {
                $value = Get-Secret -Vault $Vault -Name $SecretName -ErrorAction Ignore
                if ($value -is [System.Management.Automation.PSCredential]) { $value = $value.Password }
                if ($null -eq $value) { $missing = "Get-Secret finds no value for '$SecretName' in vault $Vault." }
                elseif ($value -isnot [securestring]) { $missing = "The value of '$SecretName' in vault $Vault is a $($value.GetType().Name), not a string secret."; $value = $null }
            }
            if ($missing) {
                $evidence.Add($missing)
                $verdict.Mode = 'C'
                $live = $null
                if ($entry -and $entry.TokenId -and $entry.Kind -ne 'AccessServiceToken') {
                    $live = Get-CfToken -Id $entry.TokenId @cf -ErrorAction Ignore
                    if ($null -eq $live -and $sessionInfo.AccountId) { $live = Get-CfToken -Id $entry.TokenId -Scope Account @cf -ErrorAction Ignore }
                }
                if ($live -and $live.Status -eq 'active' -and -not $entry.IsRevoked) {
                    $evidence.Add("Cloudflare still has token $($live.Id) ('$($live.Name)', active$(if ($live.ExpiresOn) { ", expires $($live.ExpiresOn.UtcDateTime.ToString('u'))" })): rolling it restores a value without re-provisioning.")
                    $evidence.Add('A roll kills the value the consumers still hold: the rotation after it hands them the new one.')
                    $verdict.Title = 'Vault value missing (mode C): the token still exists at Cloudflare; roll it straight into the vault, then rotate it to the consumers.'
                    $scopeArg = if ([string] $live.Scope -eq 'Account') { ' -Scope Account' } else { '' }
                    $verdict.NextCommand = "Invoke-CfTokenRoll -Id $($live.Id)$scopeArg -Vault $quotedVault -SecretName $quotedName; Invoke-CfTokenRotation -SecretName $quotedName -Vault $quotedVault"
                }
                else {
                    if ($entry -and $entry.TokenId) {
                        $evidence.Add($(if ($live) { "Cloudflare's token $($entry.TokenId) is '$($live.Status)'." } else { "Cloudflare has no token $($entry.TokenId) visible to this session." }))
                    }
                    $verdict.Title = 'Vault value missing (mode C): re-provision the credential and store it under the same name.'
                    $verdict.NextCommand = New-CfReprovisionCommand -Entry $entry -Live $live -SecretName $SecretName -Vault $Vault
                }
                & $emit
                return
            }
            if ($entry.ExpiresOn) { $evidence.Add("Vault metadata ($($entry.MetadataSource)) says it expires $($entry.ExpiresOn.UtcDateTime.ToString('u')).") }
        }
        else { $value = $Token }

        # ---- B: the value at Cloudflare -----------------------------------------------------------------------
        Write-Verbose 'Step 3: verify the value with Cloudflare.'
        $verification = $null
        try { $verification = Test-CfToken -Token $value @cf -ErrorAction Stop }
        catch {
            if ($_.FullyQualifiedErrorId -notlike 'InvalidTokenValue*') { $PSCmdlet.ThrowTerminatingError($_) }
            $evidence.Add('The value is not token-shaped (Test-CfToken refused it before any request): the vault holds something else.')
        }
        finally { if ($hasName -and $value) { $value.Dispose() } }

        $status = if ($verification) { $verification.Status } else { 'invalid' }
        if ($verification -and $verification.Id) { $verdict.TokenId = $verification.Id }
        $id = $verdict.TokenId
        if ($status -ne 'active') {
            $verdict.Mode = 'B'
            $evidence.Add("Verify: status '$status'$(if ($verification -and $verification.Message) { " ($($verification.Message))" })$(if ($verification -and $verification.ExpiresOn) { ", expires_on $($verification.ExpiresOn.UtcDateTime.ToString('u'))" }).")
            $live = $null
            if ($id) {
                $scopeArgs = @{}
                if ($verification -and $verification.Scope) { $scopeArgs.Scope = $verification.Scope }
                $live = Get-CfToken -Id $id @scopeArgs @cf -ErrorAction Ignore
                if ($null -eq $live -and -not $scopeArgs.Count -and $sessionInfo.AccountId) { $live = Get-CfToken -Id $id -Scope Account @cf -ErrorAction Ignore }
                if ($live) {
                    $evidence.Add("Cloudflare's record of token ${id}: '$($live.Name)', status '$($live.Status)'$(if ($live.ExpiresOn) { ", expires_on $($live.ExpiresOn.UtcDateTime.ToString('u'))" })$(if ($live.LastUsedOn) { ", last used $($live.LastUsedOn.UtcDateTime.ToString('u'))" }).")
                }
                else { $evidence.Add("Cloudflare has no token $id visible to this session: it was deleted.") }
            }
            $scopeArg = if ($live -and [string] $live.Scope -eq 'Account') { ' -Scope Account' } else { '' }
            $rotate = if ($hasName) { "Invoke-CfTokenRotation -SecretName $quotedName -Vault $quotedVault" } else { "Invoke-CfTokenRoll -Id $id$scopeArg" }
            # Invoke-CfTokenRotation starts by verifying the vault's value, so a dead value is first replaced by a roll
            # straight into the vault; the rotation then hands a fresh value to the registered consumers.
            $rollIntoVault = if ($hasName) { "Invoke-CfTokenRoll -Id $id$scopeArg -Vault $quotedVault -SecretName $quotedName; $rotate" } else { $rotate }
            $liveStatus = if ($live) { [string] $live.Status } else { $null }
            if ($status -like 'revoked*' -or $liveStatus -like 'revoked*') {
                $verdict.Title = "Token revoked ($(if ($status -like 'revoked*') { $status } else { $liveStatus })) (mode B): Cloudflare revoked it, e.g. after finding the value exposed; replace it and delete the old one."
                $verdict.NextCommand = (New-CfReprovisionCommand -Entry $entry -Live $live -SecretName $SecretName -Vault $Vault) + "; Remove-CfToken -Id $id$scopeArg"
            }
            elseif ($status -eq 'expired' -or $liveStatus -eq 'expired') {
                $verdict.Title = 'Token expired (mode B): extend its expiry, then rotate so the vault and consumers carry the new expiry and a fresh value.'
                $verdict.NextCommand = "Set-CfToken -Id $id$scopeArg -ExpiresOn (Get-Date).AddDays(90); $rotate"
            }
            elseif ($status -eq 'disabled' -or $liveStatus -eq 'disabled') {
                $verdict.Title = 'Token disabled (mode B): enable it again (or replace it if it was disabled on purpose).'
                $verdict.NextCommand = "Set-CfToken -Id $id$scopeArg -Enable"
            }
            elseif ($live) {
                $verdict.Title = 'Invalid value (mode B, 401): the token exists but the value is not its current one (rolled outside this vault?); roll it into the vault and rotate it to the consumers.'
                $verdict.NextCommand = $rollIntoVault
            }
            else {
                $verdict.Title = 'Invalid value (mode B, 401): Cloudflare does not know this value and the token is gone; re-provision it.'
                $verdict.NextCommand = New-CfReprovisionCommand -Entry $entry -Live $null -SecretName $SecretName -Vault $Vault
            }
            & $emit
            return
        }
        $evidence.Add("Verify: active$(if ($verification.ExpiresOn) { ", expires_on $($verification.ExpiresOn.UtcDateTime.ToString('u'))" } else { ', no expiry' }).")

        # ---- A: the request against the token's policies ---------------------------------------------------------
        if (-not $requestPath) {
            $verdict.Title = 'The token verifies (no failure found). Pass the failing request (-Method and -Path or -Uri) to check its permissions for it.'
            $verdict.NextCommand = "Test-CfTokenHealth -Id $id"
            & $emit
            return
        }
        Write-Verbose "Step 4: check $request against token $id's policies."
        $requirement = Get-CfRequestRequirement -Method $verb -Path $requestPath
        if (-not $requirement) {
            $evidence.Add("No permission group is known for $request (not in the route map).")
            $verdict.Title = 'The token verifies; which permission the request needs is not known here: compare its policies with the endpoint''s documentation.'
            $verdict.NextCommand = "Get-CfToken -Id $id | Select-Object -ExpandProperty Policies"
            & $emit
            return
        }
        $verdict.RequiredPermissionGroup = $requirement.PermissionGroup
        $evidence.Add("$request needs '$($requirement.PermissionGroup)' on the $($requirement.Target.ToLowerInvariant())$(if ($requirement.ZoneId) { " $($requirement.ZoneId)" } elseif ($requirement.AccountId) { " $($requirement.AccountId)" }).")
        $scopeArgs = @{}
        if ($verification.Scope) { $scopeArgs.Scope = $verification.Scope }
        try { $details = Get-CfToken -Id $id @scopeArgs @cf -ErrorAction Stop }
        catch {
            $evidence.Add("The token's policies could not be read with the session's token: $($_.Exception.Message)")
            $verdict.Title = 'The token verifies, but its policies are not readable by this session (needs API Tokens Read on the token''s owner): check them in the dashboard.'
            $verdict.NextCommand = "Start-Process 'https://dash.cloudflare.com/profile/api-tokens'"
            & $emit
            return
        }
        $judged = Get-CfPolicyVerdict -Token $details -Requirement $requirement
        $evidence.Add("Token $id ('$($details.Name)') holds: $(if ($judged.HeldGroups.Count) { $judged.HeldGroups -join ', ' } else { 'no permission groups' }).")
        $scopeArg = if ([string] $details.Scope -eq 'Account') { ' -Scope Account' } else { '' }
        $zoneArg = ''
        $zoneLabel = $requirement.ZoneId
        if ($requirement.ZoneId) {
            $zone = Get-CfZone -Id $requirement.ZoneId @cf -ErrorAction Ignore
            if ($zone) { $zoneLabel = "$($zone.Name) ($($requirement.ZoneId))"; $zoneArg = " -Zone '$($zone.Name)'" } else { $zoneArg = " -Zone $($requirement.ZoneId)" }
        }
        switch ($judged.Verdict) {
            'MissingGroup' {
                $verdict.Mode = 'A'
                $verdict.Title = "403, wrong scope (mode A): the token lacks '$($requirement.PermissionGroup)'."
                $verdict.NextCommand = "Repair-CfToken -Id $id$scopeArg -AddPermissionGroup '$($requirement.PermissionGroup)'$zoneArg"
            }
            'OutsideResources' {
                $verdict.Mode = 'A'
                $what = if ($requirement.Target -eq 'Zone') { "zone $zoneLabel" } else { "account $($requirement.AccountId)" }
                $evidence.Add("It grants '$($requirement.PermissionGroup)' only on: $($judged.GroupResources -join ', ').")
                $verdict.Title = "403, wrong zone (mode A): the request targets $what, outside the token's resources. Use the token for that $($requirement.Target.ToLowerInvariant()), or provision one."
                $newName = if ($hasName) { "$($SecretName)_$($requirement.ZoneId)" } else { "$($details.Name)-$($requirement.ZoneId)" }
                if ($requirement.Target -eq 'Zone') {
                    $destination = if ($hasName) { " -Vault $quotedVault -SecretName '$newName'" } else { '' }
                    $verdict.NextCommand = "New-CfToken -Name '$newName' -PermissionGroup '$($requirement.PermissionGroup)'$zoneArg$destination"
                }
                else {
                    $verdict.NextCommand = "Get-CfToken -Id $id$scopeArg | Select-Object -ExpandProperty Policies"
                }
            }
            'Denied' {
                $verdict.Mode = 'A'
                $verdict.Title = "403 (mode A): a deny policy of the token removes '$($requirement.PermissionGroup)' there."
                $verdict.NextCommand = "Get-CfToken -Id $id$scopeArg | Select-Object -ExpandProperty Policies"
            }
            default {
                $evidence.Add("It grants '$($requirement.PermissionGroup)' on the request's $($requirement.Target.ToLowerInvariant()).")
                if (@($details.AllowedIp).Count -or @($details.DeniedIp).Count) {
                    $evidence.Add("The token is limited by IP (allowed: $(@($details.AllowedIp) -join ', '); denied: $(@($details.DeniedIp) -join ', ')): a request from another address gets 403.")
                }
                $verdict.Title = 'The token verifies and holds what the request needs: nothing to fix in the token (if a 403 persists, escalate: dashboard inspection).'
                $verdict.NextCommand = "Test-CfTokenHealth -Id $id$scopeArg -RequiredPermissionGroup '$($requirement.PermissionGroup)'"
            }
        }
        & $emit
    }
}
