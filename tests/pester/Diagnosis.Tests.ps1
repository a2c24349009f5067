#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Resolve-CfTokenFailure as an on-call admin types it, in real pwsh against the built emulator and a real SecretStore
# vault. Every failure mode is first produced for real (the test sends the failing request with the failing value
# and checks Cloudflare's answer: 401, 403), then diagnosed; where the verdict's next command is safe to run here, it
# is run and the request or the diagnosis is repeated to show it was the right fix.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-diagnosis-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:accountId = $script:session.AccountId
    $script:raxx = (Get-CfZone -Name raxx.app).Id
    $script:getraxx = (Get-CfZone -Name getraxx.com).Id
    $script:values = [System.Collections.Generic.List[string]]::new()
    $script:values.Add((Get-PlainText $script:emulator.Token))

    function script:Get-RequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator).Count }
    function script:Add-VaultToken([string] $Name, $Id, [securestring] $Value, [string] $Scopes = 'DNS Read', [string] $TokenName) {
        $meta = @{ TokenId = $Id; TokenName = $(if ($TokenName) { $TokenName } else { $Name.ToLowerInvariant() }); Scopes = $Scopes; ExpiresOn = 'never' }
        Set-Secret -Vault $script:vault -Name $Name -Secret $Value -Metadata $meta
        $script:values.Add((Get-PlainText $Value))
    }
    function script:New-EmuToken([string] $Name, [string[]] $Group = @('DNS Read'), [Nullable[DateTimeOffset]] $ExpiresOn) {
        $p = @{ Emulator = $script:emulator; Name = $Name; PermissionGroup = $Group }
        if ($ExpiresOn) { $p.ExpiresOn = $ExpiresOn }
        $t = New-TestEmulatorToken @p
        $script:values.Add((Get-PlainText $t.Value))
        $t
    }
    # The failing request, sent for real with the failing value (test code: the module never replays it).
    function script:Invoke-AsToken([securestring] $Value, [string] $Method, [string] $Path) {
        $p = @{ Uri = "$($script:emulator.BaseUri)$($Path.TrimStart('/'))"; Method = $Method; Authentication = 'Bearer'; Token = $Value
            AllowUnencryptedAuthentication = $true; SkipHttpErrorCheck = $true }
        if ($Method -ne 'GET') { $p.Body = '{}'; $p.ContentType = 'application/json' }
        $r = Invoke-WebRequest @p
        [int] $r.StatusCode
    }
    function script:Invoke-NextCommand([string] $Command) {
        # The verdict's command as the admin would paste it, without the confirmation prompt a test cannot answer.
        foreach ($statement in ($Command -split '; ')) { Invoke-Expression "$statement -Confirm:`$false" }
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'Resolve-CfTokenFailure: mode B (401, expired, revoked, disabled)' {
    It 'recognises an expired token and says to extend and rotate it' {
        $t = New-EmuToken diag_expired -ExpiresOn ([DateTimeOffset]::UtcNow.AddDays(-1))
        Add-VaultToken DIAG_EXPIRED $t.Id $t.Value
        Invoke-AsToken $t.Value GET "accounts/$($script:accountId)/pages/projects" | Should -Be 401

        $v = Resolve-CfTokenFailure -SecretName DIAG_EXPIRED -Vault $script:vault
        $v.PSObject.TypeNames[0] | Should -Be 'CfManagement.TokenFailureVerdict'
        $v.Mode | Should -Be 'B'
        $v.Title | Should -Match 'expired'
        $v.TokenId | Should -Be $t.Id
        $v.SecretName | Should -Be 'DIAG_EXPIRED'
        $v.Evidence -join "`n" | Should -Match "Verify: status 'expired'"
        $v.NextCommand | Should -Be "Set-CfToken -Id $($t.Id) -ExpiresOn (Get-Date).AddDays(90); Invoke-CfTokenRotation -SecretName 'DIAG_EXPIRED' -Vault '$($script:vault)'"
        Invoke-NextCommand $v.NextCommand
        $script:values.Add((Get-PlainText (Get-Secret -Vault $script:vault -Name DIAG_EXPIRED)))
        $after = Resolve-CfTokenFailure -SecretName DIAG_EXPIRED -Vault $script:vault
        $after.Mode | Should -Be 'None'
        $after.Evidence -join "`n" | Should -Match 'Verify: active, expires_on'
    }

    It 'recognises a token revoked by leak scanning ("revoked (exposed)") and says to replace it' {
        $t = New-EmuToken diag_exposed
        $null = Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path "tokens/$($t.Id)/status" -Body @{ status = 'revoked (exposed)' }
        Add-VaultToken DIAG_EXPOSED $t.Id $t.Value
        Invoke-AsToken $t.Value GET "zones/$($script:raxx)" | Should -Be 401

        $v = Resolve-CfTokenFailure -SecretName DIAG_EXPOSED -Vault $script:vault
        $v.Mode | Should -Be 'B'
        $v.Title | Should -Match 'revoked \(exposed\)'
        $v.NextCommand | Should -Be "New-CfToken -Name 'diag_exposed' -PermissionGroup 'DNS Read' -AllZones -Vault '$($script:vault)' -SecretName 'DIAG_EXPOSED'; Remove-CfToken -Id $($t.Id)"
        Invoke-NextCommand $v.NextCommand
        $script:values.Add((Get-PlainText (Get-Secret -Vault $script:vault -Name DIAG_EXPOSED)))
        $after = Resolve-CfTokenFailure -SecretName DIAG_EXPOSED -Vault $script:vault
        $after.Mode | Should -Be 'None'
        $after.TokenId | Should -Not -Be $t.Id -Because 'a replacement was provisioned'
        @(Get-CfToken -Id $t.Id -ErrorAction SilentlyContinue).Count | Should -Be 0 -Because 'the exposed token was deleted'
    }

    It 'recognises a value rolled outside the vault (401) and says to roll it into the vault and rotate; that fixes it' {
        $t = New-EmuToken diag_stale
        Add-VaultToken DIAG_STALE $t.Id $t.Value
        $script:values.Add([string] (Invoke-TestCloudflareApi -Emulator $script:emulator -Method PUT -Path "user/tokens/$($t.Id)/value" -Body @{}))
        Invoke-AsToken $t.Value GET "zones/$($script:raxx)" | Should -Be 401

        $v = Resolve-CfTokenFailure -SecretName DIAG_STALE -Vault $script:vault
        $v.Mode | Should -Be 'B'
        $v.Title | Should -Match '401'
        $v.TokenId | Should -Be $t.Id -Because 'the id comes from the vault metadata when verify cannot tell it'
        $v.Evidence -join "`n" | Should -Match "Cloudflare's record of token $($t.Id): 'diag_stale', status 'active'"
        $v.NextCommand | Should -Be "Invoke-CfTokenRoll -Id $($t.Id) -Vault '$($script:vault)' -SecretName 'DIAG_STALE'; Invoke-CfTokenRotation -SecretName 'DIAG_STALE' -Vault '$($script:vault)'"
        Invoke-NextCommand $v.NextCommand
        $script:values.Add((Get-PlainText (Get-Secret -Vault $script:vault -Name DIAG_STALE)))
        (Resolve-CfTokenFailure -SecretName DIAG_STALE -Vault $script:vault).Mode | Should -Be 'None'
    }

    It 'recognises a deleted token (401, gone at Cloudflare) and says to re-provision' {
        $t = New-EmuToken diag_deleted
        Add-VaultToken DIAG_DELETED $t.Id $t.Value
        $null = Invoke-TestCloudflareApi -Emulator $script:emulator -Method DELETE -Path "user/tokens/$($t.Id)"
        Invoke-AsToken $t.Value GET "zones/$($script:raxx)" | Should -Be 401

        $v = Resolve-CfTokenFailure -SecretName DIAG_DELETED -Vault $script:vault
        $v.Mode | Should -Be 'B'
        $v.Evidence -join "`n" | Should -Match "no token $($t.Id) visible to this session: it was deleted"
        $v.NextCommand | Should -Be "New-CfToken -Name 'diag_deleted' -PermissionGroup 'DNS Read' -Vault '$($script:vault)' -SecretName 'DIAG_DELETED'"
    }

    It 'recognises a disabled token given by value (-Token) and says to enable it; enabling fixes it' {
        $t = New-EmuToken diag_disabled
        $null = Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path "tokens/$($t.Id)/status" -Body @{ status = 'disabled' }
        Invoke-AsToken $t.Value GET "zones/$($script:raxx)" | Should -Be 401

        $v = Resolve-CfTokenFailure -Token $t.Value
        $v.Mode | Should -Be 'B'
        $v.SecretName | Should -BeNullOrEmpty
        $v.NextCommand | Should -Be "Set-CfToken -Id $($t.Id) -Enable"
        Invoke-NextCommand $v.NextCommand
        Invoke-AsToken $t.Value GET "zones/$($script:raxx)" | Should -Be 200
    }
}

Describe 'Resolve-CfTokenFailure: mode A (403: wrong scope or wrong zone)' {
    It 'names the missing permission group of a 403, and its Repair-CfToken command fixes the request' {
        $t = New-CfToken -Name diag_scope -PermissionGroup 'DNS Read' -AllZones -Confirm:$false
        $script:values.Add((Get-PlainText $t.Value))
        Add-VaultToken DIAG_SCOPE $t.Token.Id $t.Value -TokenName diag_scope
        $path = "/accounts/$($script:accountId)/pages/projects"
        Invoke-AsToken $t.Value GET $path | Should -Be 403

        $before = Get-RequestCount
        $v = Resolve-CfTokenFailure -SecretName DIAG_SCOPE -Vault $script:vault -Method GET -Path $path
        $sent = @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $before)
        $v.Mode | Should -Be 'A'
        $v.RequiredPermissionGroup | Should -Be 'Pages Read'
        $v.Request | Should -Be "GET $path"
        $v.Title | Should -Match "lacks 'Pages Read'"
        $v.Evidence -join "`n" | Should -Match "holds: DNS Read"
        $v.NextCommand | Should -Be "Repair-CfToken -Id $($t.Token.Id) -AddPermissionGroup 'Pages Read'"
        @($sent | Where-Object { $_.path -like '*pages/projects*' }).Count | Should -Be 0 -Because 'the failing request is evaluated, not re-issued'

        Invoke-NextCommand $v.NextCommand
        Invoke-AsToken $t.Value GET $path | Should -Be 200
        (Resolve-CfTokenFailure -SecretName DIAG_SCOPE -Vault $script:vault -Method GET -Path $path).Mode | Should -Be 'None'
    }

    It 'says a request to another zone is outside the token''s resources (-Uri form)' {
        $t = New-CfToken -Name diag_zone -PermissionGroup 'DNS Read' -Zone raxx.app -Confirm:$false
        $script:values.Add((Get-PlainText $t.Value))
        Add-VaultToken DIAG_ZONE $t.Token.Id $t.Value -TokenName diag_zone
        Invoke-AsToken $t.Value GET "zones/$($script:raxx)" | Should -Be 200
        Invoke-AsToken $t.Value GET "zones/$($script:getraxx)" | Should -Be 403

        $v = Resolve-CfTokenFailure -SecretName DIAG_ZONE -Vault $script:vault -Uri "$($script:emulator.BaseUri)zones/$($script:getraxx)"
        $v.Mode | Should -Be 'A'
        $v.Request | Should -Be "GET /zones/$($script:getraxx)"
        $v.Title | Should -Match "wrong zone.*getraxx\.com \($($script:getraxx)\)"
        $v.Evidence -join "`n" | Should -Match "only on: com\.cloudflare\.api\.account\.zone\.$($script:raxx)"
        $v.NextCommand | Should -Be "New-CfToken -Name 'DIAG_ZONE_$($script:getraxx)' -PermissionGroup 'Zone Read' -Zone 'getraxx.com' -Vault '$($script:vault)' -SecretName 'DIAG_ZONE_$($script:getraxx)'"
    }

    It 'evaluates a failing write (POST dns_records) without sending it, and names DNS Write on that zone' {
        $before = Get-RequestCount
        $v = Resolve-CfTokenFailure -SecretName DIAG_ZONE -Vault $script:vault -Method POST -Path "/client/v4/zones/$($script:getraxx)/dns_records"
        $v.Mode | Should -Be 'A'
        $v.RequiredPermissionGroup | Should -Be 'DNS Write'
        $v.NextCommand | Should -Match "^Repair-CfToken -Id [0-9a-f]{32} -AddPermissionGroup 'DNS Write' -Zone 'getraxx\.com'$"
        @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $before | Where-Object { $_.method -ne 'GET' }).Count | Should -Be 0 -Because 'a non-GET is never replayed'
    }

    It 'finds nothing to fix when the token holds what the request needs (mode None)' {
        $v = Resolve-CfTokenFailure -SecretName DIAG_ZONE -Vault $script:vault -Method GET -Path "/zones/$($script:raxx)"
        $v.Mode | Should -Be 'None'
        $v.NextCommand | Should -Match '^Test-CfTokenHealth -Id [0-9a-f]{32} -RequiredPermissionGroup ''Zone Read''$'
    }
}

Describe 'Resolve-CfTokenFailure: mode C (vault value missing)' {
    It 'recognises companions without a value while the token lives; its roll + rotation restores it' {
        $t = New-EmuToken diag_novalue
        Set-Secret -Vault $script:vault -Name DIAG_NOVALUE__TOKEN_ID -Secret $t.Id
        $err = $null
        try { Get-Secret -Vault $script:vault -Name DIAG_NOVALUE -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty -Because 'the vault really has no value'

        $v = Resolve-CfTokenFailure -SecretName DIAG_NOVALUE -Vault $script:vault
        $v.Mode | Should -Be 'C'
        $v.TokenId | Should -Be $t.Id
        $v.Evidence -join "`n" | Should -Match 'but not the value'
        $v.NextCommand | Should -Be "Invoke-CfTokenRoll -Id $($t.Id) -Vault '$($script:vault)' -SecretName 'DIAG_NOVALUE'; Invoke-CfTokenRotation -SecretName 'DIAG_NOVALUE' -Vault '$($script:vault)'"
        Invoke-NextCommand $v.NextCommand
        $after = Resolve-CfTokenFailure -SecretName DIAG_NOVALUE -Vault $script:vault
        $after.Mode | Should -Be 'None'
        $script:values.Add((Get-PlainText (Get-Secret -Vault $script:vault -Name DIAG_NOVALUE)))
    }

    It 'recognises a name with nothing in the vault and says to provision it' {
        $v = Resolve-CfTokenFailure -SecretName DIAG_NOTHING -Vault $script:vault
        $v.Mode | Should -Be 'C'
        $v.Evidence -join "`n" | Should -Match "no secret 'DIAG_NOTHING'"
        $v.NextCommand | Should -Be "New-CfToken -Name 'DIAG_NOTHING' -PermissionGroup '<permission group>' -Vault '$($script:vault)' -SecretName 'DIAG_NOTHING'"
    }

    It 'recognises the REVOKED marker of an emergency stop' {
        $t = New-EmuToken diag_marked
        $null = Invoke-TestCloudflareApi -Emulator $script:emulator -Method DELETE -Path "user/tokens/$($t.Id)"
        Add-VaultToken DIAG_MARKED $t.Id $t.Value -Scopes 'DNS Read, Zone Read'
        Set-CfVaultCredential -Vault $script:vault -Name DIAG_MARKED -Revoked -Reason drill -Confirm:$false | Out-Null
        $v = Resolve-CfTokenFailure -SecretName DIAG_MARKED -Vault $script:vault
        $v.Mode | Should -Be 'C'
        $v.Evidence -join "`n" | Should -Match 'REVOKED marker.*reason: drill'
        $v.NextCommand | Should -Be "New-CfToken -Name 'diag_marked' -PermissionGroup 'DNS Read','Zone Read' -Vault '$($script:vault)' -SecretName 'DIAG_MARKED'"
    }
}

Describe 'Resolve-CfTokenFailure: mode D (the management token itself)' {
    It 'escalates when the session''s management token was deleted (401), before looking at the credential' -TestCases @(
        @{ How = 'deleted' }
        @{ How = 'revoked (exposed)' }
    ) {
        param($How)
        $t = New-EmuToken "diag-mgmt-$($How -replace '\W', '')" -Group 'API Tokens Write', 'API Tokens Read', 'Zone Read'
        try {
            Connect-CfAccount -ApiToken $t.Value -ApiBaseUri $script:emulator.BaseUri -LedgerPath $script:ledger | Out-Null
            if ($How -eq 'deleted') { $null = Invoke-TestCloudflareApi -Emulator $script:emulator -Method DELETE -Path "user/tokens/$($t.Id)" }
            else { $null = Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path "tokens/$($t.Id)/status" -Body @{ status = $How } }
            $err = $null
            try { Get-CfToken -ErrorAction Stop | Out-Null } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty -Because 'every call of the management session fails now'
            $err.Exception.Message | Should -Match '401|Invalid access token|9109'

            $v = Resolve-CfTokenFailure -SecretName DIAG_ZONE -Vault $script:vault
            $v.Mode | Should -Be 'D'
            $v.TokenId | Should -Be $t.Id
            $v.Title | Should -Match 'escalate'
            $v.NextCommand | Should -Be "Start-Process 'https://dash.cloudflare.com/profile/api-tokens'"
            $v.Evidence -join "`n" | Should -Match 'cannot roll itself'
        }
        finally {
            $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
        }
    }
}

Describe 'Resolve-CfTokenFailure: pipeline, view and leaks' {
    It 'takes Get-CfTokenInventory output by property name' {
        $verdicts = @(Get-CfTokenInventory -Vault $script:vault -Name 'DIAG_*' -LedgerPath $script:ledger -WarningAction SilentlyContinue |
            Where-Object { $_.Flags -contains 'Invalid' } | Resolve-CfTokenFailure)
        $verdicts.Count | Should -BeGreaterOrEqual 1
        $verdicts.SecretName | Should -Contain 'DIAG_DELETED'
        $verdicts | ForEach-Object { $_.Mode | Should -Be 'B' }
    }

    It 'shows Mode, Title, Evidence and NextCommand in its default view' {
        $text = Resolve-CfTokenFailure -SecretName DIAG_DELETED -Vault $script:vault | Out-String -Width 300
        $text | Should -Match 'Mode\s+: B'
        $text | Should -Match 'NextCommand\s+: New-CfToken'
        $text | Should -Match 'Evidence\s+: The session'
    }

    It 'puts no value in any stream, view, JSON or transcript with -Verbose -Debug' {
        $t = New-EmuToken diag_leak_by_value
        $probe = Invoke-TestLeakProbe {
            foreach ($name in 'DIAG_EXPIRED', 'DIAG_EXPOSED', 'DIAG_DELETED', 'DIAG_SCOPE', 'DIAG_ZONE', 'DIAG_NOVALUE', 'DIAG_MARKED', 'DIAG_NOTHING') {
                Resolve-CfTokenFailure -SecretName $name -Vault $script:vault -Method GET -Path "/zones/$($script:getraxx)" -Verbose -Debug -WarningAction Continue -InformationAction Continue
            }
            Resolve-CfTokenFailure -Token $t.Value -Uri "$($script:emulator.BaseUri)accounts/$($script:accountId)/pages/projects" -Verbose -Debug -WarningAction Continue -InformationAction Continue
        }
        $probe.Errors | Should -BeNullOrEmpty
        @($probe.Objects).Count | Should -Be 9 -Because 'every diagnosis ran and its verdict was captured'
        @($probe.Objects.Mode | Sort-Object -Unique) | Should -Be @('A', 'B', 'C', 'None')
        $probe.Text | Should -Match 'Step 3: verify the value'
        $script:values.Count | Should -BeGreaterThan 10
        Assert-TestNoSecret -Probe $probe -Secret $script:values.ToArray()
    }
}

Describe 'Resolve-CfTokenFailure refuses bad input before any request' {
    BeforeAll { $script:nonEmpty = ConvertTo-SecureString 'abc' -AsPlainText -Force }
    It 'refuses <Case> with <ErrorId>' -TestCases @(
        @{ Case = 'no credential at all'; Parameters = @{}; ErrorId = 'MissingApiToken' }
        @{ Case = '-SecretName and -Token'; Parameters = @{ SecretName = 'X'; Vault = 'CfPester'; Token = 'nonEmpty' }; ErrorId = 'ConflictingParameters' }
        @{ Case = '-Token with -Vault'; Parameters = @{ Token = 'nonEmpty'; Vault = 'CfPester' }; ErrorId = 'ConflictingParameters' }
        @{ Case = 'an empty -Token'; Parameters = @{ Token = 'empty' }; ErrorId = 'InvalidTokenValue' }
        @{ Case = 'an empty -SecretName'; Parameters = @{ SecretName = ' '; Vault = 'CfPester' }; ErrorId = 'InvalidSecretName' }
        @{ Case = 'a wildcard -SecretName'; Parameters = @{ SecretName = 'CF_*'; Vault = 'CfPester' }; ErrorId = 'InvalidSecretName' }
        @{ Case = 'a companion as -SecretName'; Parameters = @{ SecretName = 'CF_X__EXPIRES_AT'; Vault = 'CfPester' }; ErrorId = 'InvalidSecretName' }
        @{ Case = '-SecretName without -Vault'; Parameters = @{ SecretName = 'CF_X' }; ErrorId = 'VaultRequired' }
        @{ Case = 'an unregistered vault'; Parameters = @{ SecretName = 'CF_X'; Vault = 'NoSuchVault' }; ErrorId = 'VaultNotFound' }
        @{ Case = 'an empty -Vault'; Parameters = @{ SecretName = 'CF_X'; Vault = '' }; ErrorId = 'InvalidVaultName' }
        @{ Case = '-Method without a path'; Parameters = @{ SecretName = 'CF_X'; Vault = 'CfPester'; Method = 'GET' }; ErrorId = 'MissingRequestPath' }
        @{ Case = 'an unknown -Method'; Parameters = @{ SecretName = 'CF_X'; Vault = 'CfPester'; Method = 'FETCH'; Path = '/zones' }; ErrorId = 'InvalidHttpMethod' }
        @{ Case = '-Path and -Uri'; Parameters = @{ SecretName = 'CF_X'; Vault = 'CfPester'; Path = '/zones'; Uri = 'https://api.cloudflare.com/client/v4/zones' }; ErrorId = 'ConflictingParameters' }
        @{ Case = 'a relative -Uri'; Parameters = @{ SecretName = 'CF_X'; Vault = 'CfPester'; Uri = 'zones/abc' }; ErrorId = 'InvalidUri' }
        @{ Case = 'a -Uri with credentials'; Parameters = @{ SecretName = 'CF_X'; Vault = 'CfPester'; Uri = 'https://user:pw@api.cloudflare.com/client/v4/zones' }; ErrorId = 'InvalidUri' }
        @{ Case = 'a -Path without a leading slash'; Parameters = @{ SecretName = 'CF_X'; Vault = 'CfPester'; Path = 'zones/abc' }; ErrorId = 'InvalidRequestPath' }
        @{ Case = 'a full URL as -Path'; Parameters = @{ SecretName = 'CF_X'; Vault = 'CfPester'; Path = '/https://api.cloudflare.com/client/v4/zones' }; ErrorId = 'InvalidRequestPath' }
        @{ Case = 'a -Session that is not a session'; Parameters = @{ SecretName = 'CF_X'; Vault = 'CfPester'; Session = 42 }; ErrorId = 'InvalidSession' }
    ) {
        param($Case, $Parameters, $ErrorId)
        $p = @{} + $Parameters
        if ($p['Token'] -eq 'nonEmpty') { $p.Token = $script:nonEmpty }
        elseif ($p['Token'] -eq 'empty') { $p.Token = [securestring]::new() }
        $before = Get-RequestCount
        $err = $null
        try { Resolve-CfTokenFailure @p -ErrorAction Stop | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $err.CategoryInfo.Category | Should -BeIn 'InvalidArgument', 'ObjectNotFound'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Get-RequestCount | Should -Be $before -Because 'bad input is refused before any request'
    }
}
