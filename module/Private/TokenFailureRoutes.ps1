# Helpers of Resolve-CfTokenFailure (failure mode A): which permission group a Cloudflare API request needs and on
# which resource, and whether a token's policies grant it there. Pure functions over the request and the token's
# metadata (Get-CfToken output): no request, no secret.

function Get-CfRequestRequirement {
    <#
    .SYNOPSIS
        The permission group (name as Cloudflare spells it, and scope) and resource an API request needs, or $null
        when the path is not in the map. GET/HEAD need the "... Read" group, other methods the "... Write" group.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory)] [string] $Method, [Parameter(Mandatory)] [string] $Path)

    $read = $Method -in @('GET', 'HEAD')
    $access = if ($read) { 'Read' } else { 'Write' }
    $p = ($Path -split '\?', 2)[0].TrimEnd('/')
    $p = $p -replace '^/client/v4', ''
    $hex = '[0-9a-fA-F]{32}'

    # Most specific first. Each: pattern, the base of the group name ("DNS" -> "DNS Read"/"DNS Write"), scope of the
    # resource the request targets, and optional fixed group name when read and write do not differ.
    $map = @(
        @{ Pattern = '^/user/tokens(/.*)?$'; Base = 'API Tokens'; Target = 'User' }
        @{ Pattern = "^/accounts/(?<account>$hex)/tokens(/.*)?$"; Base = 'Account API Tokens'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)/workers/scripts/[^/]+/tails(/.*)?$"; Fixed = 'Workers Tail Read'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)/pages/projects/[^/]+/deployments/[^/]+/tails(/.*)?$"; Fixed = 'Pages Read'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)/workers/kv(/.*)?$"; Base = 'Workers KV Storage'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)/workers(/.*)?$"; Base = 'Workers Scripts'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)/pages(/.*)?$"; Base = 'Pages'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)/d1(/.*)?$"; Base = 'D1'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)/r2(/.*)?$"; Base = 'Workers R2 Storage'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)/secrets_store(/.*)?$"; Base = 'Secrets Store'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)/access/service_tokens(/.*)?$"; Base = 'Access: Service Tokens'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)/access/(apps|policies|groups)(/.*)?$"; Base = 'Access: Apps and Policies'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)/cfd_tunnel(/.*)?$"; Base = 'Cloudflare Tunnel'; Target = 'Account' }
        @{ Pattern = "^/accounts/(?<account>$hex)$"; Base = 'Account Settings'; Target = 'Account' }
        @{ Pattern = "^/zones/(?<zone>$hex)/dns_records(/.*)?$"; Base = 'DNS'; Target = 'Zone' }
        @{ Pattern = "^/zones/(?<zone>$hex)/(rulesets|waf)(/.*)?$"; Base = 'Zone WAF'; Target = 'Zone' }
        @{ Pattern = "^/zones/(?<zone>$hex)/(firewall|rate_limits)(/.*)?$"; Base = 'Firewall Services'; Target = 'Zone' }
        @{ Pattern = "^/zones/(?<zone>$hex)/bot_management(/.*)?$"; Base = 'Bot Management'; Target = 'Zone' }
        @{ Pattern = "^/zones/(?<zone>$hex)/settings(/.*)?$"; Base = 'Zone Settings'; Target = 'Zone' }
        @{ Pattern = "^/zones/(?<zone>$hex)/(ssl|custom_certificates|origin_tls_client_auth|acm)(/.*)?$"; Base = 'SSL and Certificates'; Target = 'Zone' }
        @{ Pattern = "^/zones/(?<zone>$hex)/purge_cache$"; Fixed = 'Cache Purge'; Target = 'Zone' }
        @{ Pattern = "^/zones/(?<zone>$hex)/logs(/.*)?$"; Base = 'Logs'; Target = 'Zone' }
        @{ Pattern = "^/zones/(?<zone>$hex)/workers/routes(/.*)?$"; Base = 'Workers Routes'; Target = 'Zone' }
        # GET /zones/{id} answers any token holding some zone-level group on the zone (it makes the zone visible).
        @{ Pattern = "^/zones/(?<zone>$hex)$"; Base = 'Zone'; Target = 'Zone'; AnyZoneGroupReads = $true }
    )
    foreach ($entry in $map) {
        $m = [regex]::Match($p, $entry.Pattern)
        if (-not $m.Success) { continue }
        $group = if ($entry.ContainsKey('Fixed')) { $entry.Fixed } else { "$($entry.Base) $access" }
        $scope = switch ($entry.Target) { 'User' { 'com.cloudflare.api.user' } 'Account' { 'com.cloudflare.api.account' } default { 'com.cloudflare.api.account.zone' } }
        return @{
            PermissionGroup   = $group
            Scope             = $scope
            Target            = $entry.Target
            AccountId         = if ($m.Groups['account'].Success) { $m.Groups['account'].Value } else { $null }
            ZoneId            = if ($m.Groups['zone'].Success) { $m.Groups['zone'].Value } else { $null }
            AnyZoneGroupReads = ($read -and $entry.ContainsKey('AnyZoneGroupReads'))
            Route             = $entry.Pattern
        }
    }
    $null
}

function Test-CfResourceCoverage {
    <#
    .SYNOPSIS
        Whether a policy's resources cover the request's target, by Cloudflare's rule: a zone by its own key, by
        "zone.*", or by an account key whose nested object lists the zone or "zone.*"; an account by its key or
        "account.*"; a user by a user key.
    #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory)] [AllowNull()] $Resources, [Parameter(Mandatory)] [hashtable] $Requirement)

    if ($null -eq $Resources) { return $false }
    foreach ($key in @($Resources.Keys)) {
        $value = [string] $Resources[$key]
        switch ($Requirement.Target) {
            'Zone' {
                if ($key -eq "com.cloudflare.api.account.zone.$($Requirement.ZoneId)" -or $key -eq 'com.cloudflare.api.account.zone.*') { return $true }
                if ($key -like 'com.cloudflare.api.account.*' -and $key -notlike 'com.cloudflare.api.account.zone.*' -and $value.TrimStart().StartsWith('{')) {
                    $nested = $null
                    try { $nested = $value | ConvertFrom-Json -ErrorAction Stop } catch { $nested = $null }
                    if ($null -ne $nested) {
                        $names = @($nested.PSObject.Properties.Name)
                        if ($names -contains 'com.cloudflare.api.account.zone.*' -or $names -contains "com.cloudflare.api.account.zone.$($Requirement.ZoneId)") { return $true }
                    }
                }
            }
            'Account' {
                if ($key -eq "com.cloudflare.api.account.$($Requirement.AccountId)" -or $key -eq 'com.cloudflare.api.account.*') { return $true }
            }
            default {
                if ($key -like 'com.cloudflare.api.user.*') { return $true }
            }
        }
    }
    $false
}

function Test-CfPermissionGroupMatch {
    <# Whether a held group satisfies a required one: the same name, or the "... Write" group of a "... Read" requirement. #>
    [CmdletBinding()]
    [OutputType([bool])]
    param([Parameter(Mandatory)] [string] $Held, [Parameter(Mandatory)] [string] $Required)
    if ($Held -eq $Required) { return $true }
    if ($Required -like '* Read') { return $Held -eq ($Required.Substring(0, $Required.Length - 4) + 'Write') }
    $false
}

function Get-CfPolicyVerdict {
    <#
    .SYNOPSIS
        Judges a token's policies (Get-CfToken output) against a requirement from Get-CfRequestRequirement:
        Granted, MissingGroup (no allow policy grants the group anywhere), OutsideResources (the group is granted, but
        not on the request's zone/account) or Denied (a deny policy removes it there). Returns a hashtable with the
        verdict and the facts behind it (group names held, resource keys the group covers).
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param([Parameter(Mandatory)] $Token, [Parameter(Mandatory)] [hashtable] $Requirement)

    $required = $Requirement.PermissionGroup
    $allow = @($Token.Policies | Where-Object { $_.Effect -eq 'allow' })
    $deny = @($Token.Policies | Where-Object { $_.Effect -eq 'deny' })
    $held = @($allow | ForEach-Object { $_.PermissionGroups } | ForEach-Object { $_.Name } | Where-Object { $_ } | Select-Object -Unique)

    $grants = {
        param($policy)
        if ($Requirement.AnyZoneGroupReads) {
            # Zone visibility: any zone-level group held on the zone.
            return [bool](@($policy.Resources.Keys) -match '^com\.cloudflare\.api\.account\.(zone\.|[0-9a-f*])')
        }
        [bool](@($policy.PermissionGroups | Where-Object { $_.Name -and (Test-CfPermissionGroupMatch -Held $_.Name -Required $required) }).Count)
    }
    $withGroup = @($allow | Where-Object { & $grants $_ })
    $covered = @($withGroup | Where-Object { Test-CfResourceCoverage -Resources $_.Resources -Requirement $Requirement })
    $denied = @($deny | Where-Object { (& $grants $_) -and (Test-CfResourceCoverage -Resources $_.Resources -Requirement $Requirement) })
    $resources = @($withGroup | ForEach-Object { @($_.Resources.Keys) } | Select-Object -Unique)

    $verdict = if ($denied.Count -gt 0) { 'Denied' }
    elseif ($covered.Count -gt 0) { 'Granted' }
    elseif ($withGroup.Count -gt 0) { 'OutsideResources' }
    else { 'MissingGroup' }
    @{ Verdict = $verdict; HeldGroups = $held; GroupResources = $resources }
}

function New-CfReprovisionCommand {
    <#
    .SYNOPSIS
        The New-CfToken line that re-provisions a credential (failure modes B and C): the name, permission groups and
        zones from Cloudflare's record when there is one, else from the vault's metadata, and the same vault name.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([AllowNull()] $Entry, [AllowNull()] $Live, [AllowNull()] [string] $SecretName, [AllowNull()] [string] $Vault)

    $quote = { param($s) "'" + ([string] $s -replace "'", "''") + "'" }
    $name = if ($Live) { $Live.Name } elseif ($Entry -and $Entry.TokenName) { $Entry.TokenName } elseif ($SecretName) { $SecretName } else { '<token name>' }
    $groups = @()
    if ($Live) { $groups = @($Live.PermissionGroupNames) }
    elseif ($Entry -and $Entry.Scopes) { $groups = ConvertTo-CfScopeSet $Entry.Scopes }
    $groupText = if ($groups.Count) { ($groups | ForEach-Object { & $quote $_ }) -join ',' } else { "'<permission group>'" }
    $zoneText = ''
    if ($Live) {
        $keys = @($Live.Policies | Where-Object { $_.Effect -eq 'allow' } | ForEach-Object { @($_.Resources.Keys) })
        $zones = @($keys | Where-Object { $_ -match '^com\.cloudflare\.api\.account\.zone\.[0-9a-f]{32}$' } | ForEach-Object { $_.Substring('com.cloudflare.api.account.zone.'.Length) } | Select-Object -Unique)
        if ($keys -contains 'com.cloudflare.api.account.zone.*') { $zoneText = ' -AllZones' }
        elseif ($zones.Count) { $zoneText = ' -Zone ' + ($zones -join ',') }
    }
    $destination = if ($SecretName -and $Vault) { " -Vault $(& $quote $Vault) -SecretName $(& $quote $SecretName)" } else { '' }
    "New-CfToken -Name $(& $quote $name) -PermissionGroup $groupText$zoneText$destination"
}
