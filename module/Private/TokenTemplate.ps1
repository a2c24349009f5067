# Token templates of New-CfScopedToken: a .psd1 data file (Import-PowerShellDataFile: no code runs) or a .json object,
# checked completely before any request. Every problem is an ErrorRecord naming the file, the key and the fix:
# TokenTemplateNotFound (no such file) or InvalidTokenTemplate (anything about its contents). The schema is documented
# in New-CfScopedToken's help and shown by docs/templates/zone-dns-edit.psd1 / .json.

# Key => kind of value. 'String', 'StringList' (a string or an array of strings), 'Bool', 'Ttl', 'Date'.
$script:CfTokenTemplateKeys = [ordered]@{
    Name            = 'String'
    PermissionGroup = 'StringList'
    Zone            = 'StringList'
    AllZones        = 'Bool'
    Ttl             = 'Ttl'
    ExpiresOn       = 'Date'
    AllowedIp       = 'StringList'
    DeniedIp        = 'StringList'
    SecretName      = 'String'
    Consumer        = 'StringList'
    Description     = 'String'
}

function New-CfTokenTemplateError {
    param([Parameter(Mandatory = $true)] [string] $Path, [Parameter(Mandatory = $true)] [string] $Problem, [Parameter(Mandatory = $true)] [string] $Fix, [System.Exception] $Inner)
    New-CfCompositeError -ErrorId 'InvalidTokenTemplate' -Category InvalidData -Target $Path -Inner $Inner `
        -Message "Token template '$Path': $Problem" -Fix $Fix
}

function Get-CfTokenTemplateKeySuggestion {
    <# The known key an unknown one most likely meant (PermissionGroups -> PermissionGroup, zones -> Zone), or $null. #>
    param([string] $Key)
    $plain = ($Key -replace '[^A-Za-z]', '').ToLowerInvariant()
    foreach ($known in $script:CfTokenTemplateKeys.Keys) {
        $k = $known.ToLowerInvariant()
        if ($plain -eq $k -or $plain -eq "${k}s" -or $plain.TrimEnd('s') -eq $k -or $plain -eq ($k -replace 'group$', 'groups')) { return $known }
    }
    switch -Regex ($plain) {
        '^(permissions?|groups?|scopes?|policies|policy)$' { return 'PermissionGroup' }
        '^(zones?|zonenames?)$' { return 'Zone' }
        '^(expires|expiry|expiration|expireson|expiresat)$' { return 'ExpiresOn' }
        '^(lifetime|validity|duration|ttldays)$' { return 'Ttl' }
        '^(consumers|destinations?)$' { return 'Consumer' }
        '^(tokenname)$' { return 'Name' }
        '^(secret|vaultname|vaultkey|vaultsecret)$' { return 'SecretName' }
    }
    $null
}

function Read-CfTokenTemplate {
    <#
    Reads and checks a token template; returns a hashtable with the known keys it sets (values normalised: StringList
    as [string[]], Ttl as [TimeSpan], ExpiresOn as [DateTime] UTC, AllZones as [bool]) and Path. Throws nothing:
    returns an ErrorRecord instead (the caller decides how to report it).
    #>
    param([Parameter(Mandatory = $true)] [AllowEmptyString()] [string] $Path)

    if ([string]::IsNullOrWhiteSpace($Path)) {
        return New-CfCompositeError -ErrorId 'TokenTemplateNotFound' -Category ObjectNotFound -Target $Path `
            -Message '-TemplatePath is empty.' -Fix 'Pass the path of a .psd1 or .json token template, e.g. docs/templates/zone-dns-edit.psd1.'
    }
    $resolved = $null
    try { $resolved = @(Resolve-Path -LiteralPath $Path -ErrorAction Stop) } catch { $resolved = $null }
    if (-not $resolved -or $resolved.Count -ne 1 -or -not (Test-Path -LiteralPath $resolved[0].ProviderPath -PathType Leaf)) {
        return New-CfCompositeError -ErrorId 'TokenTemplateNotFound' -Category ObjectNotFound -Target $Path `
            -Message "The token template '$Path' does not exist (or is not a file)." `
            -Fix 'Check the path; sample templates are in docs/templates (zone-dns-edit.psd1, zone-dns-edit.json).'
    }
    $full = $resolved[0].ProviderPath
    $extension = [System.IO.Path]::GetExtension($full).ToLowerInvariant()

    $pairs = [ordered]@{}
    if ($extension -eq '.psd1') {
        try { $data = Import-PowerShellDataFile -LiteralPath $full -ErrorAction Stop }
        catch {
            return New-CfTokenTemplateError -Path $full -Inner $_.Exception -Problem "it is not a valid PowerShell data file: $($_.Exception.Message)" `
                -Fix "Write one hashtable literal of constant values, e.g. @{ Name = 'CF_DNS_EDIT_EXAMPLE_COM'; PermissionGroup = @('DNS Write', 'Zone Read'); Zone = 'example.com' }."
        }
        if ($data -isnot [System.Collections.IDictionary]) {
            return New-CfTokenTemplateError -Path $full -Problem 'it does not hold a hashtable.' -Fix 'Write one hashtable literal: @{ Name = ...; PermissionGroup = ... }.'
        }
        foreach ($key in $data.Keys) { $pairs[[string] $key] = $data[$key] }
    }
    elseif ($extension -eq '.json') {
        try {
            $text = [System.IO.File]::ReadAllText($full)
            $data = $text | ConvertFrom-Json -ErrorAction Stop
        }
        catch {
            return New-CfTokenTemplateError -Path $full -Inner $_.Exception -Problem "it is not valid JSON: $($_.Exception.Message)" `
                -Fix 'Write one JSON object, e.g. { "Name": "CF_DNS_EDIT_EXAMPLE_COM", "PermissionGroup": ["DNS Write", "Zone Read"], "Zone": ["example.com"] }.'
        }
        if ($data -isnot [System.Management.Automation.PSCustomObject]) {
            return New-CfTokenTemplateError -Path $full -Problem 'it does not hold a JSON object ({ ... }).' -Fix 'Write one JSON object: { "Name": ..., "PermissionGroup": [...] }.'
        }
        foreach ($property in $data.PSObject.Properties) {
            if ($pairs.Contains($property.Name)) {
                return New-CfTokenTemplateError -Path $full -Problem "the key '$($property.Name)' appears twice (keys are case-insensitive)." -Fix 'Keep one of them.'
            }
            $pairs[$property.Name] = $property.Value
        }
    }
    else {
        return New-CfTokenTemplateError -Path $full -Problem "'$extension' is not a template format." -Fix 'Use a .psd1 (PowerShell data file) or a .json file.'
    }

    $template = @{ Path = $full }
    foreach ($key in $pairs.Keys) {
        $known = $null
        foreach ($candidate in $script:CfTokenTemplateKeys.Keys) { if ($candidate -eq $key) { $known = $candidate } }   # -eq: case-insensitive
        if (-not $known) {
            $suggestion = Get-CfTokenTemplateKeySuggestion -Key $key
            $fix = if ($suggestion) { "Did you mean '$suggestion'? " } else { '' }
            $fix += "Known keys: $($script:CfTokenTemplateKeys.Keys -join ', ')."
            if ($key -eq 'Vault') { $fix = 'The vault is not part of a template (it differs between environments): pass -Vault to New-CfScopedToken. ' + $fix }
            return New-CfTokenTemplateError -Path $full -Problem "the key '$key' is not part of the token template schema." -Fix $fix
        }
        $value = $pairs[$key]
        $converted = ConvertTo-CfTokenTemplateValue -Path $full -Key $known -Kind $script:CfTokenTemplateKeys[$known] -Value $value
        if ($converted -is [System.Management.Automation.ErrorRecord]) { return $converted }
        $template[$known] = $converted.Value
    }
    $template
}

function ConvertTo-CfTokenTemplateValue {
    <# One template value, checked against its kind; @{ Value = ... } or an InvalidTokenTemplate ErrorRecord. #>
    param([string] $Path, [string] $Key, [string] $Kind, [AllowNull()] [object] $Value)
    if ($null -eq $Value) {
        return New-CfTokenTemplateError -Path $Path -Problem "'$Key' is null." -Fix "Give '$Key' a value, or leave the key out."
    }
    switch ($Kind) {
        'String' {
            if ($Value -isnot [string]) {
                return New-CfTokenTemplateError -Path $Path -Problem "'$Key' must be a string, not $(Get-CfTokenTemplateTypeName $Value)." -Fix "Write $Key = 'text' (psd1) or `"$Key`": `"text`" (JSON)."
            }
            if ([string]::IsNullOrWhiteSpace($Value)) {
                return New-CfTokenTemplateError -Path $Path -Problem "'$Key' is empty." -Fix "Give '$Key' a value, or leave the key out."
            }
            return @{ Value = $Value.Trim() }
        }
        'StringList' {
            $items = @(if ($Value -is [string]) { , $Value } elseif ($Value -is [System.Collections.IList]) { $Value } else { $null })
            if ($Value -isnot [string] -and $Value -isnot [System.Collections.IList]) {
                return New-CfTokenTemplateError -Path $Path -Problem "'$Key' must be a string or a list of strings, not $(Get-CfTokenTemplateTypeName $Value)." `
                    -Fix "Write $Key = @('first', 'second') (psd1) or `"$Key`": [`"first`", `"second`"] (JSON)."
            }
            if ($items.Count -eq 0) {
                return New-CfTokenTemplateError -Path $Path -Problem "'$Key' is an empty list." -Fix "List at least one value, or leave the key out."
            }
            $list = New-Object System.Collections.Generic.List[string]
            for ($i = 0; $i -lt $items.Count; $i++) {
                $item = $items[$i]
                if ($item -isnot [string]) {
                    return New-CfTokenTemplateError -Path $Path -Problem "'$Key' item $($i + 1) must be a string, not $(Get-CfTokenTemplateTypeName $item)." -Fix "Quote every value of '$Key'."
                }
                if ([string]::IsNullOrWhiteSpace($item)) {
                    return New-CfTokenTemplateError -Path $Path -Problem "'$Key' item $($i + 1) is empty." -Fix "Remove the empty value from '$Key'."
                }
                $list.Add($item.Trim())
            }
            return @{ Value = [string[]] $list.ToArray() }
        }
        'Bool' {
            if ($Value -isnot [bool]) {
                return New-CfTokenTemplateError -Path $Path -Problem "'$Key' must be a boolean, not $(Get-CfTokenTemplateTypeName $Value)." -Fix "Write $Key = `$true (psd1) or `"$Key`": true (JSON)."
            }
            return @{ Value = [bool] $Value }
        }
        'Ttl' {
            $span = [TimeSpan]::Zero
            if ($Value -isnot [string] -or -not [TimeSpan]::TryParse($Value, [System.Globalization.CultureInfo]::InvariantCulture, [ref] $span)) {
                return New-CfTokenTemplateError -Path $Path -Problem "'$Key' must be a time span string such as '90.00:00:00' (90 days) or '12:00:00' (12 hours), not $(Get-CfTokenTemplateTypeName $Value) '$Value'." `
                    -Fix "Write $Key = '90.00:00:00' (days.hours:minutes:seconds)."
            }
            if ($span -le [TimeSpan]::Zero) {
                return New-CfTokenTemplateError -Path $Path -Problem "'$Key' is $Value; a token's lifetime must be positive." -Fix "Write a positive span, e.g. $Key = '90.00:00:00'."
            }
            return @{ Value = $span }
        }
        'Date' {
            if ($Value -is [datetime]) { return @{ Value = $Value.ToUniversalTime() } }
            if ($Value -is [DateTimeOffset]) { return @{ Value = $Value.UtcDateTime } }
            $parsed = [DateTimeOffset]::MinValue
            if ($Value -isnot [string] -or -not [DateTimeOffset]::TryParse($Value, [System.Globalization.CultureInfo]::InvariantCulture, [System.Globalization.DateTimeStyles]::AssumeUniversal, [ref] $parsed)) {
                return New-CfTokenTemplateError -Path $Path -Problem "'$Key' must be an ISO-8601 date such as '2027-03-31T00:00:00Z', not $(Get-CfTokenTemplateTypeName $Value) '$Value'." `
                    -Fix "Write $Key = '2027-03-31T00:00:00Z', or use Ttl for a lifetime counted from creation."
            }
            return @{ Value = $parsed.UtcDateTime }
        }
    }
}

function Get-CfTokenTemplateTypeName {
    param([AllowNull()] [object] $Value)
    if ($null -eq $Value) { return 'null' }
    if ($Value -is [bool]) { return 'a boolean' }
    if ($Value -is [int] -or $Value -is [long] -or $Value -is [double] -or $Value -is [decimal]) { return 'a number' }
    if ($Value -is [string]) { return 'a string' }
    if ($Value -is [System.Collections.IDictionary] -or $Value -is [System.Management.Automation.PSCustomObject]) { return 'a table/object' }
    if ($Value -is [System.Collections.IList]) { return 'a list' }
    "a $($Value.GetType().Name)"
}

function Test-CfTokenConsumerSyntax {
    <#
    Null when a consumer destination is in the syntax Register-CfTokenConsumer takes, else an InvalidTokenConsumer
    ErrorRecord. Also returns the kind and the New-CfToken delivery parameters through -Plan (a hashtable) when given.
    #>
    param([AllowEmptyString()] [string] $Destination, [string] $Source = '-Consumer', [hashtable] $Plan)
    $deliver = $null
    $kind = $null
    $why = $null
    # The rules of Register-CfTokenConsumer (TokenConsumerInput), checked here so nothing is created for a consumer
    # that could not then be registered. Kind prefixes are case-insensitive, the names after them are not.
    $value = ([string] $Destination).Trim()
    if ($value -cmatch '^(?i:worker):([a-z0-9_-]+)/([A-Za-z_][A-Za-z0-9_]*)$') { $kind = 'Worker'; $deliver = @{ WorkerScript = $Matches[1]; WorkerSecretName = $Matches[2] } }
    elseif ($value -cmatch '^(?i:secrets-store):([A-Za-z0-9_-]+)/([A-Za-z0-9_-]+)$') { $kind = 'SecretsStore'; $deliver = @{ SecretsStore = $Matches[1]; SecretsStoreSecretName = $Matches[2] } }
    elseif ($value -cmatch '^(?i:pages):([a-z0-9-]+)/(?i:(production|preview))/([A-Za-z_][A-Za-z0-9_]*)$') { $kind = 'Pages'; $deliver = @{ PagesProject = $Matches[1]; PagesEnvironment = $Matches[2].ToLowerInvariant(); PagesSecretName = $Matches[3] } }
    elseif ($value -cmatch '^(?i:github):([A-Za-z_][A-Za-z0-9_]*)$') {
        if ($Matches[1] -match '^(GITHUB_|RUNNER_)') { $why = "names '$($Matches[1])': GitHub Actions does not let a step overwrite GITHUB_* and RUNNER_* variables." }
        else { $kind = 'GitHubEnv'; $deliver = @{ GitHubEnv = $Matches[1] } }
    }
    elseif ($value -cmatch '^(?i:github-output):([A-Za-z_][A-Za-z0-9_]*)$') { $kind = 'GitHubOutput'; $deliver = @{ GitHubOutput = $Matches[1] } }
    elseif ($value -cmatch '^(?i:external):(.*)$') {
        $what = $Matches[1].Trim()
        if ($what.Length -eq 0) { $why = 'has no text after external: (say who or what uses the credential, e.g. external:Terraform).' }
        elseif ($what.Length -gt 200 -or $what -match '[\x00-\x1f\x7f]') { $why = 'is too long or spans lines: the text after external: is one line of at most 200 characters.' }
        else { $kind = 'External' }
    }
    if (-not $kind) {
        if (-not $why) { $why = 'is not a consumer destination.' }
        return New-CfCompositeError -ErrorId 'InvalidTokenConsumer' -Category InvalidArgument -Argument -Target $Destination `
            -Message "$Source '$Destination' $why" `
            -Fix "Use worker:<script>/<BINDING>, secrets-store:<store>/<secret>, pages:<project>/<production|preview>/<NAME>, github:NAME, github-output:NAME, or external:<free text> (e.g. external:Terraform) for a consumer the module cannot push to."
    }
    if ($Plan) { $Plan.Kind = $kind; $Plan.Deliver = $deliver }
    $null
}

function Test-CfTokenTemplateConflict {
    <# Keys of one template that contradict each other; null or an InvalidTokenTemplate ErrorRecord. #>
    param([hashtable] $Template)
    if ($Template.ContainsKey('Ttl') -and $Template.ContainsKey('ExpiresOn')) {
        return New-CfTokenTemplateError -Path $Template.Path -Problem "'Ttl' and 'ExpiresOn' both set the expiry." -Fix 'Keep one of them.'
    }
    if ($Template.ContainsKey('Zone') -and $Template.ContainsKey('AllZones') -and $Template.AllZones) {
        return New-CfTokenTemplateError -Path $Template.Path -Problem "'Zone' and 'AllZones' both say which zones." -Fix "Keep one of them (a zone-scoped token lists its zones in 'Zone')."
    }
    $null
}

function Test-CfScopedTokenDefinition {
    <#
    The merged definition (template keys + parameters) of New-CfScopedToken, checked before any request. Returns the
    New-CfToken delivery parameters its consumers call for (a hashtable, maybe empty), or an ErrorRecord.
    #>
    param([Parameter(Mandatory = $true)] [hashtable] $Definition, [string] $TemplateFile, [string[]] $Consumers = @(), [switch] $SecretFromParameter, [switch] $DescriptionFromParameter)
    if ($TemplateFile) {
        $conflict = Test-CfTokenTemplateConflict -Template $Definition
        if ($conflict) { return $conflict }
    }
    if (-not $Definition.ContainsKey('Name') -or [string]::IsNullOrWhiteSpace([string] $Definition.Name)) {
        if ($TemplateFile) {
            return New-CfTokenTemplateError -Path $TemplateFile -Problem "the key 'Name' is missing (and no -Name was given)." -Fix "Add Name = 'CF_DNS_EDIT_EXAMPLE_COM' to the template, or pass -Name."
        }
        return New-CfCompositeError -ErrorId 'MissingTokenName' -Category InvalidArgument -Argument -Message '-Name is empty.' -Fix 'Pass the token name, e.g. -Name CF_DNS_EDIT_EXAMPLE_COM.'
    }
    if (-not $Definition.ContainsKey('PermissionGroup') -or @($Definition.PermissionGroup | Where-Object { -not [string]::IsNullOrWhiteSpace($_) }).Count -eq 0) {
        if ($TemplateFile) {
            return New-CfTokenTemplateError -Path $TemplateFile -Problem "the key 'PermissionGroup' is missing: a token needs at least one permission group." -Fix "Add PermissionGroup = @('DNS Write', 'Zone Read') to the template (names as Get-CfPermissionGroup lists them)."
        }
        return New-CfCompositeError -ErrorId 'MissingPermissionGroup' -Category InvalidArgument -Argument -Message '-PermissionGroup lists no permission group.' -Fix "Pass names as Get-CfPermissionGroup lists them, e.g. -PermissionGroup 'DNS Write', 'Zone Read'."
    }
    $secret = if ($Definition.ContainsKey('SecretName')) { [string] $Definition.SecretName } else { [string] $Definition.Name }
    if ($secret.Length -gt 127 -or $secret -cnotmatch '^[A-Za-z0-9_][A-Za-z0-9_.-]*$') {
        $message = "The vault secret name '$secret' is not one the consumer map takes: 1 to 127 letters, digits, '_', '-' or '.', starting with a letter, digit or '_'."
        $fix = 'Pass -SecretName (or the template key SecretName) with a name such as CF_DNS_EDIT_EXAMPLE_COM.'
        if ($TemplateFile -and -not $SecretFromParameter) { return New-CfTokenTemplateError -Path $TemplateFile -Problem $message -Fix $fix }
        return New-CfCompositeError -ErrorId 'InvalidSecretName' -Category InvalidArgument -Argument -Target $secret -Message $message -Fix $fix
    }
    if ($secret -match '__(TOKEN_ID|EXPIRES_AT|SCOPES|CLIENT_ID|REVOKED_AT)$') {
        # A companion holds another credential's metadata; tools that read NAME__TOKEN_ID would take a token value for an id.
        $message = "The vault secret name '$secret' is a companion name (metadata of the credential '$($secret -replace '__[A-Z_]+$', '')'), not a credential."
        $fix = "Pass -SecretName (or the template key SecretName) without the __$($Matches[1]) suffix."
        if ($TemplateFile -and -not $SecretFromParameter) { return New-CfTokenTemplateError -Path $TemplateFile -Problem $message -Fix $fix }
        return New-CfCompositeError -ErrorId 'InvalidSecretName' -Category InvalidArgument -Argument -Target $secret -Message $message -Fix $fix
    }
    if ($Definition.ContainsKey('Description')) {
        $text = [string] $Definition.Description
        # The description goes to the consumer map and the ledger, which refuse token-shaped text (SecretGuard's two
        # shapes: a cfut_/cfat_/cfk_ prefix, or a 40+ character run); refused here before the token is minted, unechoed.
        if ($text -cmatch '(?<![A-Za-z0-9])(cfut|cfat|cfk)_[A-Za-z0-9_-]{8,}' -or $text -cmatch '[A-Za-z0-9_-]{40,}') {
            $message = 'The description looks like a token value; it is not shown here and nothing was created.'
            if ($TemplateFile -and -not $DescriptionFromParameter) { return New-CfTokenTemplateError -Path $TemplateFile -Problem $message -Fix 'Describe what the token is for in words; never paste a token value.' }
            return New-CfCompositeError -ErrorId 'InvalidDescription' -Category InvalidArgument -Argument -Message $message -Fix 'Describe what the token is for in words; never paste a token value.'
        }
        if ($text.Length -gt 500 -or $text -match '[\x00-\x08\x0a-\x1f\x7f]') {
            $message = "The description is not one line of at most 500 characters (it is $($text.Length))."
            if ($TemplateFile -and -not $DescriptionFromParameter) { return New-CfTokenTemplateError -Path $TemplateFile -Problem $message -Fix 'Shorten the Description to one line.' }
            return New-CfCompositeError -ErrorId 'InvalidDescription' -Category InvalidArgument -Argument -Message $message -Fix 'Shorten -Description to one line.'
        }
    }
    $deliveries = @{}
    $kinds = @{}
    foreach ($destination in $Consumers) {
        $plan = @{}
        $source = if ($TemplateFile -and $Definition.ContainsKey('Consumer') -and @($Definition.Consumer) -contains $destination) { "Consumer in the template '$TemplateFile'" } else { '-Consumer' }
        $bad = Test-CfTokenConsumerSyntax -Destination $destination -Source $source -Plan $plan
        if ($bad) { return $bad }
        if (-not $plan.Deliver) { continue }
        if ($kinds.ContainsKey($plan.Kind)) {
            return New-CfCompositeError -ErrorId 'InvalidTokenConsumer' -Category InvalidArgument -Argument -Target $destination `
                -Message "Two $($plan.Kind) consumers ('$($kinds[$plan.Kind])' and '$destination'): a new token is delivered to at most one consumer of each kind." `
                -Fix "Provision with one of them, then add the other with Register-CfTokenConsumer -Credential <SecretName> -Destination '$destination' and deliver it with Invoke-CfTokenRotation."
        }
        $kinds[$plan.Kind] = $destination
        foreach ($key in $plan.Deliver.Keys) { $deliveries[$key] = $plan.Deliver[$key] }
    }
    $deliveries
}
