function New-CfScopedToken {
    <#
    .SYNOPSIS
        Provisions a zone-scoped API token from a template (psd1/JSON) or parameters: creates it, stores value and
        companions in a vault, delivers it to its consumers and registers them; returns metadata only.

    .DESCRIPTION
        New-CfScopedToken is the runbook's "Provisioning a new zone-scoped token" procedure as one command:

        1. the template (-TemplatePath, a .psd1 or .json file) or the parameters are checked completely before any
           request: an unknown key, a missing Name or PermissionGroup, a value of the wrong type, a bad consumer
           destination is refused with InvalidTokenTemplate (or TokenTemplateNotFound, InvalidTokenConsumer), naming
           the key and the fix;
        2. New-CfToken resolves the permission-group and zone NAMES (unknown ones are its own errors, e.g.
           PermissionGroupNotFound or ZoneNotFound, before anything is created), creates the token, writes the value
           to -Vault as -SecretName with its metadata and companion secrets (NAME__TOKEN_ID, NAME__EXPIRES_AT,
           NAME__SCOPES), and delivers it to the consumers the module can push to (worker:, secrets-store:, pages:,
           github:, github-output:) in the same issuance sequence: if any delivery fails, the new token is withdrawn
           and nothing is left half-provisioned;
        3. each consumer is registered in the consumer map (Register-CfTokenConsumer -Credential <SecretName>), so
           Invoke-CfTokenRotation and Revoke-CfToken know where the credential lives.

        The output is a CfManagement.ScopedToken: the token's metadata, where it is stored and its consumers. Never
        the value: it exists only in the vault and the consumers.

        If a consumer cannot be registered after the token is stored (e.g. the ledger is unreachable), the token is
        kept, because it is stored, delivered and usable, and deleting it would only add a second failure; the error
        ConsumerRegistrationFailed names the exact Register-CfTokenConsumer command to run by hand.

        TEMPLATE SCHEMA (keys are case-insensitive; any other key is refused):
          Name            string, required (or -Name): the Cloudflare token name, e.g. CF_DNS_EDIT_GETRAXX_COM.
          PermissionGroup string or list, required: permission-group names as New-CfToken takes them
                          ('DNS Write', 'Zone Read'; 'Zone:Name' when a name exists in several scopes; or 32-hex ids).
          Zone            string or list: zone names (or ids) the zone-level groups apply to.
          AllZones        boolean: every zone of the account instead of Zone.
          Ttl             string: lifetime from now, as a time span 'days.hours:minutes:seconds' ('90.00:00:00').
          ExpiresOn       string: an ISO-8601 expiry ('2027-03-31T00:00:00Z'); not together with Ttl.
          AllowedIp       string or list: CIDRs the token may be used from.
          DeniedIp        string or list: CIDRs the token may not be used from.
          SecretName      string: the vault secret name (default: Name).
          Consumer        string or list: consumer destinations (worker:<script>/<binding>, secrets-store:<store>/<secret>,
                          pages:<project>/<environment>/<NAME>, github:NAME, github-output:NAME, external:<text>).
                          At most one consumer of each pushable kind (one New-CfToken delivers to one of each);
                          any number of external: ones.
          Description     string: what the token is for; shown by -WhatIf, registered with the consumers, and returned.
                          Cloudflare API tokens have no description field, so it is not sent to Cloudflare.
        The vault is not a template key (it differs between environments): pass -Vault. Parameters given with
        -TemplatePath win over the template's keys (-Name, -Zone, -Ttl, -ExpiresOn, -SecretName, -Description); -Zone
        replaces the template's Zone/AllZones, -Ttl or -ExpiresOn replaces its Ttl/ExpiresOn; -Consumer adds to its
        Consumer list. Samples: docs/templates/zone-dns-edit.psd1 and docs/templates/zone-dns-edit.json.

        -WhatIf prints the whole plan (token, groups, zones, expiry, vault secret, consumers), resolves the group and
        zone names through New-CfToken -WhatIf so a typo shows up, and creates, stores and registers nothing.

    .PARAMETER TemplatePath
        The token template: a .psd1 data file (read with Import-PowerShellDataFile, no code runs) or a .json file.
        Binds from the FullName property of piped files (Get-ChildItem templates/*.psd1 | New-CfScopedToken ...).

    .PARAMETER Name
        The token name. Required without -TemplatePath; with it, replaces the template's Name (one template, many tokens).

    .PARAMETER PermissionGroup
        Permission-group names (or ids) when no template is used, e.g. 'DNS Write', 'Zone Read'.

    .PARAMETER Zone
        Zone names (or ids) the zone-level permission groups apply to, e.g. getraxx.com. With -TemplatePath it
        replaces the template's Zone and AllZones.

    .PARAMETER AllZones
        Apply the zone-level groups to every zone of the account (without a template).

    .PARAMETER Ttl
        The token's lifetime from now (e.g. (New-TimeSpan -Days 90) or '90.00:00:00'). Replaces the template's expiry.

    .PARAMETER ExpiresOn
        The token's expiry date. Replaces the template's expiry; not together with -Ttl.

    .PARAMETER Description
        What the token is for. Registered with each consumer and returned; not sent to Cloudflare.

    .PARAMETER Vault
        The SecretManagement vault that receives the value, its metadata and companions.

    .PARAMETER SecretName
        The vault secret name. Default: the template's SecretName, else the token name.

    .PARAMETER Consumer
        Consumer destinations to deliver to and register (added to the template's Consumer list); see the schema.

    .PARAMETER LedgerPath
        The SQLite ledger file for the issuance record and the consumer map, passed to every command called.

    .PARAMETER LedgerDatabaseId
        A Cloudflare D1 database id for the ledger instead of the SQLite file, passed to every command called.

    .PARAMETER Session
        The session (from Connect-CfAccount) to use instead of the current one, passed to every command called.

    .PARAMETER WhatIf
        Shows the plan (token, permission groups, zones, expiry, vault secret, consumers) after resolving the permission-group and zone names, and creates, stores and registers nothing.

    .PARAMETER Confirm
        Asks before creating the token (ConfirmImpact Medium). Runbooks and CI steps pass -Confirm:$false.

    .EXAMPLE
        New-CfScopedToken -TemplatePath ./docs/templates/zone-dns-edit.psd1 -Name CF_DNS_EDIT_GETRAXX_COM -Zone getraxx.com -Vault Prod -Consumer 'external:Terraform' -Confirm:$false

        Creates a DNS-edit token for getraxx.com from the sample template, stores it in vault Prod as
        CF_DNS_EDIT_GETRAXX_COM with its companions, and registers Terraform as its consumer.

    .EXAMPLE
        New-CfScopedToken -Name CF_WAF_EDIT_RAXX_APP -PermissionGroup 'Zone WAF Write', 'Zone Read' -Zone raxx.app -Ttl 90.00:00:00 -Vault Prod -Consumer 'worker:waf-bot/CF_API_TOKEN' -WhatIf

        Prints the plan (token, groups, zone, expiry, vault secret, the Worker secret it would be delivered to) after
        resolving the names, and changes nothing. Drop -WhatIf to provision it.

    .EXAMPLE
        Get-ChildItem ./templates/*.json | New-CfScopedToken -Vault Prod -Confirm:$false | Format-Table

        Provisions one token per template file in a folder.

    .INPUTS
        System.String (TemplatePath, or FullName of a file; Name, PermissionGroup and Zone by property name).

    .OUTPUTS
        CfManagement.ScopedToken: Name, TokenId, Status, PermissionGroups, Zones, ExpiresOn, Vault, SecretName,
        Consumers (the registered CfTokenConsumer objects), Description, Template.

    .NOTES
        ErrorIds before any request: TokenTemplateNotFound, InvalidTokenTemplate, InvalidTokenConsumer,
        ConflictingParameters, MissingTokenName, MissingPermissionGroup, InvalidSecretName, InvalidDescription. Then New-CfToken's own (PermissionGroupNotFound,
        ZoneNotFound, VaultNotFound, ...), and ConsumerRegistrationFailed after the token is stored.

    .LINK
        Revoke-CfToken

    .LINK
        New-CfToken

    .LINK
        Register-CfTokenConsumer
    #>
    [CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'Medium', DefaultParameterSetName = 'Parameters')]
    [OutputType('CfManagement.ScopedToken')]
    param(
        [Parameter(Mandatory = $true, ParameterSetName = 'Template', ValueFromPipeline = $true, ValueFromPipelineByPropertyName = $true)]
        [Alias('FullName', 'Path')]
        [string] $TemplatePath,

        [Parameter(Mandatory = $true, Position = 0, ParameterSetName = 'Parameters', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'Template')]
        [string] $Name,

        [Parameter(Mandatory = $true, Position = 1, ParameterSetName = 'Parameters', ValueFromPipelineByPropertyName = $true)]
        [ArgumentCompleter({
                param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
                $word = ([string] $wordToComplete).Trim("'", '"')
                @(Get-CfPermissionGroup -ErrorAction Ignore 3>$null 4>$null 5>$null 6>$null) | Where-Object { $_.Name -like "$word*" } |
                    Select-Object -ExpandProperty Name -Unique | Sort-Object |
                    ForEach-Object { [System.Management.Automation.CompletionResult]::new("'$_'", $_, 'ParameterValue', $_) }
            })]
        [string[]] $PermissionGroup,

        [Parameter(ParameterSetName = 'Parameters', ValueFromPipelineByPropertyName = $true)]
        [Parameter(ParameterSetName = 'Template')]
        [ArgumentCompleter({
                param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
                $word = ([string] $wordToComplete).Trim("'", '"')
                @(Get-CfZone -ErrorAction Ignore 3>$null 4>$null 5>$null 6>$null) | Where-Object { $_.Name -like "$word*" } | Sort-Object Name |
                    ForEach-Object { [System.Management.Automation.CompletionResult]::new($_.Name, $_.Name, 'ParameterValue', $_.Id) }
            })]
        [string[]] $Zone,

        [Parameter(ParameterSetName = 'Parameters')]
        [switch] $AllZones,

        [TimeSpan] $Ttl,

        [DateTime] $ExpiresOn,

        [string] $Description,

        [Parameter(Mandatory = $true)]
        [ArgumentCompleter({
                param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
                $word = ([string] $wordToComplete).Trim("'", '"')
                if (Get-Command -Name Get-SecretVault -ErrorAction Ignore) {
                    @(Get-SecretVault -ErrorAction Ignore) | Where-Object { $_.Name -like "$word*" } | Sort-Object Name |
                        ForEach-Object { [System.Management.Automation.CompletionResult]::new("'$($_.Name)'", $_.Name, 'ParameterValue', $_.ModuleName) }
                }
            })]
        [string] $Vault,

        [string] $SecretName,

        [string[]] $Consumer,

        [string] $LedgerPath,

        [string] $LedgerDatabaseId,

        [object] $Session
    )

    begin {
        # Refused before anything is read or sent: what the composite passes on to the cmdlets it calls.
        $bad = Test-CfCompositeCommonInput -Session $Session -LedgerPath $LedgerPath -LedgerDatabaseId $LedgerDatabaseId -Bound $PSBoundParameters
        if ($bad) { $PSCmdlet.ThrowTerminatingError($bad) }
        $ledger = @{}
        if ($PSBoundParameters.ContainsKey('LedgerPath')) { $ledger.LedgerPath = $LedgerPath }
        if ($PSBoundParameters.ContainsKey('LedgerDatabaseId')) { $ledger.LedgerDatabaseId = $LedgerDatabaseId }
        $cloudflare = @{}
        if ($PSBoundParameters.ContainsKey('Session')) { $cloudflare.Session = $Session }
        $activity = 'Provisioning a scoped token'
    }

    process {
        # 1. The definition: template keys, then the parameters that override them. Nothing is sent yet.
        Write-Progress -Activity $activity -Status 'Checking the template' -PercentComplete 5
        if ($PSBoundParameters.ContainsKey('Ttl') -and $PSBoundParameters.ContainsKey('ExpiresOn')) {
            $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'ConflictingParameters' -Category InvalidArgument -Argument -Target $Ttl `
                        -Message '-Ttl and -ExpiresOn both set the expiry.' -Fix 'Pass one of them.'))
            return
        }
        if ($PSBoundParameters.ContainsKey('Zone') -and $AllZones) {
            $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'ConflictingParameters' -Category InvalidArgument -Argument -Target ($Zone -join ', ') `
                        -Message '-Zone and -AllZones both say which zones.' -Fix 'Pass one of them.'))
            return
        }
        $definition = @{}
        $templateFile = $null
        if ($PSCmdlet.ParameterSetName -eq 'Template') {
            $read = Read-CfTokenTemplate -Path $TemplatePath
            if ($read -is [System.Management.Automation.ErrorRecord]) { Write-Progress -Activity $activity -Completed; $PSCmdlet.WriteError($read); return }
            $definition = $read
            $templateFile = $read.Path
        }
        else {
            $definition.PermissionGroup = [string[]] $PermissionGroup
            if ($AllZones) { $definition.AllZones = $true }
        }
        if ($PSBoundParameters.ContainsKey('Name')) { $definition.Name = $Name }
        if ($PSBoundParameters.ContainsKey('Zone')) { $definition.Zone = [string[]] $Zone; $definition.Remove('AllZones') }
        if ($PSBoundParameters.ContainsKey('Ttl') -or $PSBoundParameters.ContainsKey('ExpiresOn')) { $definition.Remove('Ttl'); $definition.Remove('ExpiresOn') }
        if ($PSBoundParameters.ContainsKey('Ttl')) { $definition.Ttl = $Ttl }
        if ($PSBoundParameters.ContainsKey('ExpiresOn')) { $definition.ExpiresOn = $ExpiresOn }
        if ($PSBoundParameters.ContainsKey('Description')) { $definition.Description = $Description }
        if ($PSBoundParameters.ContainsKey('SecretName')) { $definition.SecretName = $SecretName }
        $consumers = @()
        if ($definition.ContainsKey('Consumer')) { $consumers += @($definition.Consumer) }
        if ($PSBoundParameters.ContainsKey('Consumer')) { $consumers += @($Consumer) }

        $problem = Test-CfScopedTokenDefinition -Definition $definition -TemplateFile $templateFile -Consumers $consumers -SecretFromParameter:($PSBoundParameters.ContainsKey('SecretName')) -DescriptionFromParameter:($PSBoundParameters.ContainsKey('Description'))
        if ($problem -is [System.Management.Automation.ErrorRecord]) { Write-Progress -Activity $activity -Completed; $PSCmdlet.WriteError($problem); return }
        $deliveries = $problem   # the New-CfToken delivery parameters the consumers call for

        $tokenName = [string] $definition.Name
        $secret = if ($definition.ContainsKey('SecretName')) { [string] $definition.SecretName } else { $tokenName }

        # 2. The plan, as -WhatIf shows it and -Confirm asks about it.
        $zoneText = if ($definition.ContainsKey('AllZones') -and $definition.AllZones) { 'all zones' } elseif ($definition.ContainsKey('Zone')) { "zone(s) $(@($definition.Zone) -join ', ')" } else { 'no zone restriction' }
        $expiryText = if ($definition.ContainsKey('Ttl')) { "expires in $($definition.Ttl)" } elseif ($definition.ContainsKey('ExpiresOn')) { "expires $(([DateTime] $definition.ExpiresOn).ToUniversalTime().ToString('u'))" } else { 'no expiry' }
        $consumerText = if ($consumers.Count -gt 0) { "; deliver to and register consumer(s) $($consumers -join ', ')" } else { '' }
        $plan = "Create API token '$tokenName' with $(@($definition.PermissionGroup) -join ', ') on $zoneText ($expiryText); store value, metadata and companions in vault '$Vault' as '$secret'$consumerText"
        if ($definition.ContainsKey('Description')) { $plan += " [$($definition.Description)]" }

        if ([string]::IsNullOrWhiteSpace($Vault)) {
            $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'InvalidVaultName' -ParameterName 'Vault' -Target $Vault `
                        -Message '-Vault must name a SecretManagement vault.' -Fix 'Pass a vault name shown by Get-SecretVault.'))
            return
        }
        # An unregistered vault is refused now: found only at the store, it would cost a create and a withdrawal.
        if ((Get-Command -Name Get-SecretVault -ErrorAction Ignore) -and -not (Get-SecretVault -Name $Vault -ErrorAction Ignore)) {
            $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'VaultNotFound' -Category ObjectNotFound -Target $Vault `
                        -Message "There is no SecretManagement vault named '$Vault'; nothing was created." -Fix 'Pass a vault name shown by Get-SecretVault, or register one with Register-SecretVault.'))
            return
        }

        $create = @{ Name = $tokenName; PermissionGroup = [string[]] $definition.PermissionGroup; Vault = $Vault; SecretName = $secret }
        if ($definition.ContainsKey('Zone')) { $create.Zone = [string[]] $definition.Zone }
        if ($definition.ContainsKey('AllZones') -and $definition.AllZones) { $create.AllZones = $true }
        if ($definition.ContainsKey('Ttl')) { $create.Ttl = [TimeSpan] $definition.Ttl }
        if ($definition.ContainsKey('ExpiresOn')) { $create.ExpiresOn = [DateTime] $definition.ExpiresOn }
        if ($definition.ContainsKey('AllowedIp')) { $create.AllowedIp = [string[]] $definition.AllowedIp }
        if ($definition.ContainsKey('DeniedIp')) { $create.DeniedIp = [string[]] $definition.DeniedIp }
        foreach ($key in $deliveries.Keys) { $create[$key] = $deliveries[$key] }

        if (-not $PSCmdlet.ShouldProcess("$tokenName (vault '$Vault', secret '$secret')", $plan)) {
            if ($WhatIfPreference) {
                # Resolve the names as the real run would, so -WhatIf shows an unknown group or zone; nothing is created.
                Write-Progress -Activity $activity -Status 'Resolving permission groups and zones' -PercentComplete 30
                New-CfToken @create @ledger @cloudflare -WhatIf
            }
            Write-Progress -Activity $activity -Completed
            return
        }

        # 3. Create, store and deliver: one New-CfToken (one issuance sequence, withdrawn on a failed delivery).
        Write-Progress -Activity $activity -Status "Creating '$tokenName' and storing it in vault '$Vault'" -PercentComplete 30
        try {
            $created = New-CfToken @create @ledger @cloudflare -Confirm:$false -ErrorAction Stop
        }
        catch {
            Write-Progress -Activity $activity -Completed
            $PSCmdlet.WriteError($_)
            return
        }
        $credential = @($created)[0]
        $token = if ($credential.PSObject.Properties['Token'] -and $credential.Token) { $credential.Token } else { $credential }
        $tokenId = if ($credential.PSObject.Properties['Id']) { [string] $credential.Id } else { [string] $credential.TokenId }

        # 4. Register the consumers. The token is stored and usable: a failure here keeps it and says what to do.
        $registered = @()   # a plain array: @() over a List[object] of module objects fails in PowerShell's binder
        $index = 0
        foreach ($destination in $consumers) {
            $index++
            Write-Progress -Activity $activity -Status "Registering consumer $destination" -PercentComplete (60 + [int] (35 * $index / [Math]::Max(1, $consumers.Count)))
            $register = @{ Credential = $secret; Destination = $destination }
            if ($definition.ContainsKey('Description')) { $register.Description = [string] $definition.Description }
            try {
                $result = Register-CfTokenConsumer @register @ledger @cloudflare -Confirm:$false -ErrorAction Stop
                foreach ($r in @($result)) { if ($null -ne $r) { $registered += $r } }
            }
            catch {
                $byHand = "Register-CfTokenConsumer -Credential '$secret' -Destination '$destination'"
                if ($definition.ContainsKey('Description')) { $byHand += " -Description '$(([string] $definition.Description).Replace("'", "''"))'" }
                $PSCmdlet.WriteError((New-CfCompositeError -ErrorId 'ConsumerRegistrationFailed' -Category WriteError -Target $destination -Inner $_.Exception `
                            -Message "Token '$tokenName' ($tokenId) is created and stored in vault '$Vault' as '$secret'$(if ($deliveries.Count -gt 0) { ' and delivered' }), but the consumer '$destination' could not be registered: $($_.Exception.Message). The token is kept (it is stored and usable)." `
                            -Fix "Register it by hand: $byHand"))
            }
        }
        if ($consumers.Count -gt 0 -and $registered.Count -eq 0) {
            # Register-CfTokenConsumer may write nothing; read back what the map now holds for this credential.
            try { $registered = @(Get-CfTokenConsumer -Credential $secret @ledger @cloudflare -ErrorAction Stop) } catch { $registered = @() }
        }
        Write-Progress -Activity $activity -Completed

        $groups = if ($token.PSObject.Properties['PermissionGroupNames']) { [string[]] @($token.PermissionGroupNames) } else { [string[]] @($definition.PermissionGroup) }
        $status = if ($token.PSObject.Properties['Status']) { [string] $token.Status } else { $null }
        $expires = if ($credential.PSObject.Properties['ExpiresOn']) { $credential.ExpiresOn } else { $null }
        [pscustomobject]@{
            PSTypeName       = 'CfManagement.ScopedToken'
            Name             = $tokenName
            TokenId          = $tokenId
            Status           = $status
            PermissionGroups = $groups
            Zones            = $(if ($definition.ContainsKey('AllZones') -and $definition.AllZones) { [string[]] @('*') } elseif ($definition.ContainsKey('Zone')) { [string[]] $definition.Zone } else { [string[]] @() })
            ExpiresOn        = $expires
            Vault            = $Vault
            SecretName       = $secret
            Consumers        = [object[]] $registered
            Description      = $(if ($definition.ContainsKey('Description')) { [string] $definition.Description } else { $null })
            Template         = $templateFile
        }
    }
}
