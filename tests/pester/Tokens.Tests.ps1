#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Get-CfToken, Test-CfToken, New-CfToken, Set-CfToken and Remove-CfToken as an admin types them in real pwsh, against
# the built emulator. The same behaviours are covered in process by tests/integration/Cmdlets/{GetCfTokenTests,TestCfTokenTests,
# TokenLifecycleTests,BadInputTests,LifecycleBadInputTests,SecretLeakTests}.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    foreach ($name in 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_BASE_URL') { [Environment]::SetEnvironmentVariable($name, $null) }
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-tokens-ledger-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:adminValue = Get-PlainText $script:emulator.Token

    # The truth, read straight from the emulator's API (not through the module under test).
    $script:bearer = @{ Authentication = 'Bearer'; Token = $script:emulator.Token; AllowUnencryptedAuthentication = $true }
    $script:accountId = (Invoke-RestMethod -Uri "$($script:emulator.BaseUri)accounts" @script:bearer).result[0].id
    $script:adminTokenId = (Invoke-RestMethod -Uri "$($script:emulator.BaseUri)user/tokens/verify" @script:bearer).result.id
    $script:raxxApp = 'f12dbb5cac57d5591a5058874498a6d1'
    $script:unknownId = '0123456789abcdef0123456789abcdef'

    function Get-EmulatorRequest {
        <# The API requests the emulator has received so far (method, path, query, ...), oldest first. #>
        @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path requests).result)
    }

    function Get-RawToken([string] $Id, [string] $Scope = 'User') {
        <# A token as the API itself returns it, or $null when it does not exist. #>
        $uri = if ($Scope -eq 'User') { "$($script:emulator.BaseUri)user/tokens/$Id" } else { "$($script:emulator.BaseUri)accounts/$($script:accountId)/tokens/$Id" }
        try { (Invoke-RestMethod -Uri $uri @script:bearer).result } catch { if ($_.Exception.Response.StatusCode -eq 404) { $null } else { throw } }
    }

    function New-Name([string] $Stem) { "$Stem-$([guid]::NewGuid().ToString('n').Substring(0, 8))" }

    function New-TestToken {
        <# A user token for a test to work on: DNS Read on all zones unless told otherwise. #>
        param([string] $Name, [string[]] $PermissionGroup = @('DNS Read'), [hashtable] $More = @{})
        New-CfToken -Name $Name -PermissionGroup $PermissionGroup -AllZones -Confirm:$false -ErrorAction Stop @More
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'Token commands' {
    BeforeEach {
        # Every spec starts from the seed (Cloudflare allows 50 tokens per user; the specs make more than that in all).
        Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path reset -Method POST | Out-Null
    }

    Describe 'Get-CfToken' {
        It 'lists the user''s tokens as typed objects' {
            $tokens = @(Get-CfToken)
            $tokens.Name | Should -Contain 'admin-manager'
            $tokens.Name | Should -Contain 'workers-deploy'
            $tokens.Name | Should -Not -Contain 'ops-dns'          # another user's token: invisible
            $tokens.Name | Should -Not -Contain 'account-manager'  # account-owned
            $tokens | ForEach-Object { $_.GetType().FullName | Should -Be 'CfManagement.Model.CfToken' }
            $tokens | ForEach-Object { $_.Scope | Should -Be 'User' }
            ($tokens | Where-Object Name -eq 'admin-manager').Id | Should -Be $script:adminTokenId
        }

        It 'shows a table with Name, Id, Scope, Status, ExpiresOn and DaysLeft' {
            $text = Get-CfToken -Name admin-manager, admin-expired | Out-String -Width 200
            $text | Should -Match 'Name\s+Id\s+Scope\s+Status\s+ExpiresOn\s+DaysLeft'
            $text | Should -Match "admin-manager\s+$($script:adminTokenId)\s+User\s+active\s+never"
            $text | Should -Match 'admin-expired\s+[0-9a-f]{32}\s+User\s+expired\s+\d{4}-\d\d-\d\d \d\d:\d\dZ\s+-30'
        }

        It '-Name takes wildcards, case-insensitively' {
            $stem = New-Name 'pt-wild'
            'web', 'api' | ForEach-Object { New-TestToken -Name "$stem-deploy-$_" } | Out-Null
            New-TestToken -Name "$stem-other" | Out-Null
            (Get-CfToken -Name "$($stem.ToUpper())-DEPLOY-*").Name | Sort-Object | Should -Be @("$stem-deploy-api", "$stem-deploy-web")
            (Get-CfToken -Name "$stem-deploy-web", "$stem-o*").Name | Sort-Object | Should -Be @("$stem-deploy-web", "$stem-other")
        }

        It 'a literal -Name that matches nothing is TokenNotFound, and the other names still come back' {
            $found = Get-CfToken -Name 'no-such-token', admin-manager -ErrorVariable errs -ErrorAction SilentlyContinue
            $found.Name | Should -Be 'admin-manager'
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'TokenNotFound,CfManagement.Commands.Tokens.GetCfTokenCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $errs[0].TargetObject | Should -Be 'no-such-token'
            { Get-CfToken -Name 'no-such-token' -ErrorAction Stop } | Should -Throw -ErrorId 'TokenNotFound,CfManagement.Commands.Tokens.GetCfTokenCommand'
            @(Get-CfToken -Name 'no-such-*').Count | Should -Be 0   # a wildcard that matches nothing is not an error
        }

        It '-Id gets one token; an unknown id is TokenNotFound with the fix' {
            (Get-CfToken -Id $script:adminTokenId).Name | Should -Be 'admin-manager'
            $err = { Get-CfToken -Id $script:unknownId -ErrorAction Stop } | Should -Throw -ErrorId 'TokenNotFound,CfManagement.Commands.Tokens.GetCfTokenCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.ErrorDetails.RecommendedAction | Should -Match '-Scope Account'
        }

        It 'binds ids from the pipeline by value and by property name (Id, TokenId), and piped tokens' {
            ($script:adminTokenId | Get-CfToken).Name | Should -Be 'admin-manager'
            ([pscustomobject]@{ Id = $script:adminTokenId } | Get-CfToken).Name | Should -Be 'admin-manager'
            ([pscustomobject]@{ TokenId = $script:adminTokenId } | Get-CfToken).Name | Should -Be 'admin-manager'
            ([pscustomobject]@{ Name = 'admin-manager' } | Get-CfToken).Id | Should -Be $script:adminTokenId
            (Get-CfToken -Name admin-manager | Get-CfToken).Id | Should -Be $script:adminTokenId
            $accountToken = Get-CfToken -Scope Account -Name account-manager
            ([pscustomobject]@{ Id = $accountToken.Id; Scope = 'Account' } | Get-CfToken).Name | Should -Be 'account-manager'
            ($accountToken | Get-CfToken).Scope | Should -Be 'Account'
        }

        It '-Scope Account lists account-owned tokens' {
            $tokens = @(Get-CfToken -Scope Account)
            $tokens.Name | Sort-Object | Should -Be @('account-expired', 'account-manager', 'dashboard-deploy', 'ops-workers')
            $tokens | ForEach-Object { $_.Scope | Should -Be 'Account'; $_.AccountId | Should -Be $script:accountId }
        }

        It 'reads every page (-Scope Account, over 50 tokens), and streams: Select-Object -First stops before the next page' {
            $stem = New-Name 'pt-page'
            1..60 | ForEach-Object { New-CfToken -Name "$stem-$_" -PermissionGroup 'Workers Scripts Read' -Scope Account -Confirm:$false } | Out-Null
            $total = (Invoke-RestMethod -Uri "$($script:emulator.BaseUri)accounts/$($script:accountId)/tokens?per_page=50&include_expired=true" @script:bearer).result_info.total_count
            $total | Should -Be 64   # the 4 seeded account tokens (one expired, which Get-CfToken shows too) and ours
            $listPath = "/client/v4/accounts/$($script:accountId)/tokens"

            $before = (Get-EmulatorRequest).Count
            $all = @(Get-CfToken -Scope Account)
            $all.Count | Should -Be $total
            @($all.Id | Select-Object -Unique).Count | Should -Be $total
            @($all | Where-Object Name -like "$stem-*").Count | Should -Be 60
            $lists = @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object { $_.Method -eq 'GET' -and $_.Path -eq $listPath })
            $lists.Count | Should -Be 2
            $lists[1].Query | Should -Match 'page=2'

            $before = (Get-EmulatorRequest).Count
            @(Get-CfToken -Scope Account | Select-Object -First 3).Count | Should -Be 3
            @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Path -eq $listPath).Count | Should -Be 1
        }

        It 'refuses <Case> before sending anything (<ErrorId>)' -ForEach @(
            @{ Case = 'a short id'; Script = { Get-CfToken -Id 'abc' -ErrorAction Stop }; ErrorId = 'InvalidId' }
            @{ Case = 'an upper-case id'; Script = { Get-CfToken -Id 'C8FED203ED3043CBA015A93AD1616F1F' -ErrorAction Stop }; ErrorId = 'InvalidId' }
            @{ Case = 'a piped path'; Script = { '../../accounts' | Get-CfToken -ErrorAction Stop }; ErrorId = 'InvalidId' }
            @{ Case = 'a blank name'; Script = { Get-CfToken -Name '   ' -ErrorAction Stop }; ErrorId = 'InvalidName' }
            @{ Case = 'a name over 120 characters'; Script = { Get-CfToken -Name ('n' * 121) -ErrorAction Stop }; ErrorId = 'InvalidName' }
            @{ Case = 'an empty id'; Script = { Get-CfToken -Id '' -ErrorAction Stop }; ErrorId = 'ParameterArgumentValidationErrorEmptyStringNotAllowed' }
            @{ Case = 'an unknown scope'; Script = { Get-CfToken -Scope Galaxy -ErrorAction Stop }; ErrorId = 'CannotConvertArgumentNoMessage' }
        ) {
            $before = (Get-EmulatorRequest).Count
            $err = $Script | Should -Throw -ErrorId "$ErrorId,CfManagement.Commands.Tokens.GetCfTokenCommand" -PassThru
            $err.CategoryInfo.Category | Should -BeIn @('InvalidArgument', 'InvalidData')
            (Get-EmulatorRequest).Count | Should -Be $before
        }

        It 'never shows a token value in any stream' {
            $text = Get-OutputText { $script:listed = Get-CfToken -Verbose -Debug; $script:listed | Format-List *; Get-CfToken -Scope Account -Verbose -Debug | Format-List * }
            @($script:listed).Count | Should -Be 5   # the seed's admin user tokens
            $text | Should -Match 'admin-manager'
            $text | Should -Not -Match ([regex]::Escape($script:adminValue.Substring(5)))
        }
    }

    Describe 'Test-CfToken' {
        It 'without arguments verifies the session token' {
            $check = Test-CfToken
            $check.GetType().FullName | Should -Be 'CfManagement.Model.CfTokenVerification'
            $check.Id | Should -Be $script:adminTokenId
            $check.Status | Should -Be 'active'
            $check.IsActive | Should -BeTrue
            $check.Scope | Should -Be 'User'
            $check.DaysLeft | Should -BeNullOrEmpty   # no expiry
        }

        It 'verifies a given SecureString, by parameter, position and pipeline, with days left' {
            $created = New-TestToken -Name (New-Name 'pt-test') -More @{ Ttl = [timespan]'10.01:00:00' }
            foreach ($check in @((Test-CfToken -Token $created.Value), (Test-CfToken $created.Value), ($created.Value | Test-CfToken))) {
                $check.Id | Should -Be $created.Id
                $check.Status | Should -Be 'active'
                $check.DaysLeft | Should -Be 10
            }
            ([pscustomobject]@{ ApiToken = $created.Value } | Test-CfToken).Id | Should -Be $created.Id
        }

        It 'verifies the value New-CfToken returns when piped (binds the credential''s Value)' {
            $created = New-TestToken -Name (New-Name 'pt-pipe')
            ($created | Test-CfToken).Id | Should -Be $created.Id
        }

        It 'verifies an account token (cfat_) on the account endpoint' {
            $created = New-CfToken -Name (New-Name 'pt-acct') -PermissionGroup 'Workers Scripts Read' -Scope Account -Confirm:$false
            $before = (Get-EmulatorRequest).Count
            $check = Test-CfToken -Token $created.Value
            $check.Id | Should -Be $created.Id
            $check.Scope | Should -Be 'Account'
            (Get-EmulatorRequest | Select-Object -Skip $before).Path | Should -Be @("/client/v4/accounts/$($script:accountId)/tokens/verify")
        }

        It 'reports an unknown value as invalid instead of failing' {
            $bogus = ConvertTo-SecureString ('cfut_' + ('q' * 40)) -AsPlainText -Force
            $check = Test-CfToken -Token $bogus -ErrorVariable errs
            $errs.Count | Should -Be 0
            $check.Status | Should -Be 'invalid'
            $check.IsActive | Should -BeFalse
            $check.Id | Should -BeNullOrEmpty
            $check.Message | Should -Match 'Invalid access token'
        }

        It 'reports an expired token as expired and a disabled one as disabled' {
            $short = New-TestToken -Name (New-Name 'pt-short') -More @{ Ttl = [timespan]'0:00:02' }
            $disabled = New-TestToken -Name (New-Name 'pt-off')
            Set-CfToken -Id $disabled.Id -Disable -Confirm:$false
            Start-Sleep -Seconds 3
            $expired = Test-CfToken -Token $short.Value
            $expired.Status | Should -Be 'expired'
            $expired.IsActive | Should -BeFalse
            $expired.DaysLeft | Should -Be 0
            (Test-CfToken -Token $disabled.Value).Status | Should -Be 'disabled'
        }

        It 'shows a table with Id, Status, Scope, ExpiresOn and DaysLeft' {
            $text = Test-CfToken | Out-String -Width 200
            $text | Should -Match 'Id\s+Status\s+Scope\s+ExpiresOn\s+DaysLeft'
            $text | Should -Match "$($script:adminTokenId)\s+active\s+User\s+never"
        }

        It 'never shows a token value in any stream, even for a rejected one' {
            $created = New-TestToken -Name (New-Name 'pt-leak')
            $plain = Get-PlainText $created.Value
            $bogusValue = 'cfut_' + ('z' * 40)
            $bogus = ConvertTo-SecureString $bogusValue -AsPlainText -Force
            $text = Get-OutputText {
                $script:checks = @((Test-CfToken -Verbose -Debug), (Test-CfToken -Token $created.Value -Verbose -Debug), (Test-CfToken -Token $bogus -Verbose -Debug))
                $script:checks | Format-List *
            }
            $script:checks.Status | Should -Be @('active', 'active', 'invalid')
            foreach ($secret in $script:adminValue, $plain, $bogusValue) { $text | Should -Not -Match ([regex]::Escape($secret.Substring(5))) }
        }
    }

    Describe 'New-CfToken' {
        It 'creates a zone-scoped token from permission-group names; the value is a live SecureString' {
            $name = New-Name 'pt-dns'
            $created = New-CfToken -Name $name -PermissionGroup 'DNS Write', 'Zone Read' -Zone raxx.app -Confirm:$false
            $created.GetType().FullName | Should -Be 'CfManagement.Model.CfTokenCredential'
            $created.Value | Should -BeOfType [securestring]
            $created.Name | Should -Be $name
            $created.Destination | Should -BeNullOrEmpty
            (Test-CfToken -Token $created.Value).Status | Should -Be 'active'
            $raw = Get-RawToken $created.Id
            $raw.name | Should -Be $name
            @($raw.policies.permission_groups.name) | Sort-Object | Should -Be @('DNS Write', 'Zone Read')
            @($raw.policies.resources.PSObject.Properties.Name) | Should -Be @("com.cloudflare.api.account.zone.$($script:raxxApp)")
            $raw.expires_on | Should -BeNullOrEmpty
        }

        It '-AllZones grants the group on every zone' {
            $created = New-CfToken -Name (New-Name 'pt-all') -PermissionGroup 'DNS Read' -AllZones -Confirm:$false
            @((Get-RawToken $created.Id).policies.resources.PSObject.Properties.Name) | Should -Be @('com.cloudflare.api.account.zone.*')
        }

        It '-Zone takes zone ids too' {
            $created = New-CfToken -Name (New-Name 'pt-zid') -PermissionGroup 'DNS Read' -Zone $script:raxxApp -Confirm:$false
            @((Get-RawToken $created.Id).policies.resources.PSObject.Properties.Name) | Should -Be @("com.cloudflare.api.account.zone.$($script:raxxApp)")
        }

        It '-Ttl sets the expiry from now; -ExpiresOn sets it exactly; -NotBefore sets the start' {
            $ttl = New-TestToken -Name (New-Name 'pt-ttl') -More @{ Ttl = [timespan]'1.00:00:00' }
            $expires = ([datetimeoffset](Get-RawToken $ttl.Id).expires_on).UtcDateTime
            ($expires - [datetime]::UtcNow).TotalHours | Should -BeGreaterThan 23.9
            ($expires - [datetime]::UtcNow).TotalHours | Should -BeLessOrEqual 24.01
            $ttl.ExpiresOn.UtcDateTime | Should -Be $expires

            $when = [datetime]::new(2031, 6, 1, 12, 0, 0, [DateTimeKind]::Utc)
            $start = [datetime]::new(2031, 5, 1, 8, 30, 0, [DateTimeKind]::Utc)
            $exact = New-TestToken -Name (New-Name 'pt-exp') -More @{ ExpiresOn = $when; NotBefore = $start }
            $raw = Get-RawToken $exact.Id
            ([datetimeoffset]$raw.expires_on).UtcDateTime | Should -Be $when
            ([datetimeoffset]$raw.not_before).UtcDateTime | Should -Be $start
            (Get-CfToken -Id $exact.Id).NotBefore.UtcDateTime | Should -Be $start
        }

        It '-AllowedIp and -DeniedIp become the IP condition, single addresses as /32' {
            $created = New-TestToken -Name (New-Name 'pt-ip') -More @{ AllowedIp = '127.0.0.1', '203.0.113.0/24'; DeniedIp = '203.0.113.8' }
            $token = Get-CfToken -Id $created.Id
            $token.AllowedIp | Should -Be @('127.0.0.1/32', '203.0.113.0/24')
            $token.DeniedIp | Should -Be @('203.0.113.8/32')
            $raw = Get-RawToken $created.Id
            $raw.condition.request_ip.in | Should -Be @('127.0.0.1/32', '203.0.113.0/24')
            $raw.condition.request_ip.not_in | Should -Be @('203.0.113.8/32')
        }

        It 'warns when the new token cannot be verified from here (its IP filter excludes this machine)' {
            $created = New-CfToken -Name (New-Name 'pt-far') -PermissionGroup 'DNS Read' -AllZones -AllowedIp '203.0.113.0/24' -Confirm:$false -WarningVariable warnings -WarningAction SilentlyContinue
            $created.Id | Should -Match '^[0-9a-f]{32}$'
            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -Match "was created but could not be verified \(its IP filter may exclude this machine\)"
        }

        It '-Scope Account creates an account-owned cfat_ token; -AsPlainText returns a string' {
            $created = New-CfToken -Name (New-Name 'pt-plain') -PermissionGroup 'Workers Scripts Read' -Scope Account -AsPlainText -Confirm:$false
            $created.Value | Should -BeOfType [string]
            $created.Value | Should -Match '^cfat_'
            $created.Scope | Should -Be 'Account'
            (Get-RawToken $created.Id -Scope Account).id | Should -Be $created.Id
            ($created | Out-String -Width 200) | Should -Not -Match ([regex]::Escape($created.Value))
        }

        It 'binds Name, PermissionGroup, Zone and Ttl by property name from the pipeline' {
            $names = (New-Name 'pt-bulk-a'), (New-Name 'pt-bulk-b')
            $created = @(
                [pscustomobject]@{ Name = $names[0]; PermissionGroup = 'DNS Read'; Zone = 'raxx.app'; Ttl = [timespan]'2:00:00' }
                [pscustomobject]@{ Name = $names[1]; PermissionGroup = 'Zone Read', 'DNS Read'; Zone = 'raxx.io' }
            ) | New-CfToken -Confirm:$false
            $created.Name | Should -Be $names
            (Get-CfToken -Id $created[0].Id).PermissionGroupNames | Should -Be @('DNS Read')
            $created[0].ExpiresOn | Should -Not -BeNullOrEmpty
            (Get-CfToken -Id $created[1].Id).PermissionGroupNames | Sort-Object | Should -Be @('DNS Read', 'Zone Read')
            $created[1].ExpiresOn | Should -BeNullOrEmpty
        }

        It '-WhatIf creates nothing and sends no write' {
            $name = New-Name 'pt-whatif'
            $before = (Get-EmulatorRequest).Count
            $out = New-CfToken -Name $name -PermissionGroup 'DNS Read' -AllZones -WhatIf
            $out | Should -BeNullOrEmpty
            @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Method -ne 'GET').Count | Should -Be 0
            @(Get-CfToken -Name $name -ErrorAction SilentlyContinue).Count | Should -Be 0
        }

        It 'runs without a prompt (ConfirmImpact Medium) in a non-interactive host' {
            $name = New-Name 'pt-noprompt'
            (New-CfToken -Name $name -PermissionGroup 'DNS Read' -AllZones).Name | Should -Be $name
        }

        It 'shows the credential as a table that says SecureString, never the value' {
            $created = New-TestToken -Name (New-Name 'pt-view')
            $text = $created | Out-String -Width 200
            $text | Should -Match 'Name\s+Id\s+Scope\s+ExpiresOn\s+Value\s+Destination'
            $text | Should -Match "$($created.Name)\s+$($created.Id)\s+User\s+never\s+SecureString\s+\(returned\)"
        }

        It 'never shows the new value in any stream' {
            $name = New-Name 'pt-quiet'
            $text = Get-OutputText { $script:made = New-CfToken -Name $name -PermissionGroup 'DNS Read' -AllZones -Confirm:$false -Verbose -Debug; $script:made | Format-List * }
            $script:made.Name | Should -Be $name   # it ran
            $plain = Get-PlainText $script:made.Value
            $text | Should -Match "POST /client/v4/user/tokens"
            $text | Should -Not -Match ([regex]::Escape($plain.Substring(5)))
            $text | Should -Not -Match ([regex]::Escape($script:adminValue.Substring(5)))
        }

        It 'refuses <Case> before any change (<ErrorId>)' -ForEach @(
            @{ Case = 'a blank name'; Arguments = @{ Name = '  '; PermissionGroup = 'DNS Read'; AllZones = $true }; ErrorId = 'InvalidName'; Local = $true }
            @{ Case = 'an unknown group'; Arguments = @{ Name = 'x'; PermissionGroup = 'No Such Group' }; ErrorId = 'PermissionGroupNotFound'; Local = $true }
            @{ Case = 'a misspelt group'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Wirte'; AllZones = $true }; ErrorId = 'PermissionGroupNotFound'; Local = $true }
            @{ Case = 'a group in several scopes'; Arguments = @{ Name = 'x'; PermissionGroup = 'Workers R2 Storage Write' }; ErrorId = 'PermissionGroupAmbiguous'; Local = $true }
            @{ Case = 'a user group on an account token'; Arguments = @{ Name = 'x'; PermissionGroup = 'API Tokens Write'; Scope = 'Account' }; ErrorId = 'PermissionGroupScopeMismatch'; Local = $true }
            @{ Case = 'a zone group without zones'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Write' }; ErrorId = 'ZoneRequired'; Local = $true }
            @{ Case = '-Zone with -AllZones'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Write'; Zone = 'raxx.app'; AllZones = $true }; ErrorId = 'ConflictingParameters'; Local = $true }
            @{ Case = 'an unknown zone'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Write'; Zone = 'nosuch.example' }; ErrorId = 'ZoneNotFound'; Local = $false }
            @{ Case = 'a zero TTL'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; AllZones = $true; Ttl = [timespan]0 }; ErrorId = 'InvalidTtl'; Local = $true }
            @{ Case = 'a past expiry'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; AllZones = $true; ExpiresOn = [datetime]'2001-01-01' }; ErrorId = 'InvalidExpiry'; Local = $true }
            @{ Case = '-ExpiresOn with -Ttl'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; AllZones = $true; ExpiresOn = [datetime]'2999-01-01'; Ttl = [timespan]'1:00:00' }; ErrorId = 'ConflictingParameters'; Local = $true }
            @{ Case = '-NotBefore after the expiry'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; AllZones = $true; Ttl = [timespan]'1:00:00'; NotBefore = [datetime]'2999-01-01' }; ErrorId = 'InvalidNotBefore'; Local = $true }
            @{ Case = 'an allowed IP that is not one'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; AllZones = $true; AllowedIp = 'not-an-ip' }; ErrorId = 'InvalidCidr'; Local = $true }
            @{ Case = 'a /33'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; AllZones = $true; AllowedIp = '10.0.0.0/33' }; ErrorId = 'InvalidCidr'; Local = $true }
            @{ Case = 'an IPv6 /129'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; AllZones = $true; DeniedIp = '2001:db8::/129' }; ErrorId = 'InvalidCidr'; Local = $true }
        ) {
            Get-CfPermissionGroup -Name 'DNS Read' | Out-Null   # the session's catalogue is cached from here on
            $before = (Get-EmulatorRequest).Count
            $err = { New-CfToken @Arguments -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId,CfManagement.Commands.Tokens.NewCfTokenCommand" -PassThru
            $err.CategoryInfo.Category | Should -BeIn @('InvalidArgument', 'ObjectNotFound')
            $err.ErrorDetails.RecommendedAction | Should -Match '\w'
            $sent = @(Get-EmulatorRequest | Select-Object -Skip $before)
            @($sent | Where-Object Method -ne 'GET').Count | Should -Be 0
            if ($Local) { $sent.Count | Should -Be 0 }
        }

        It 'reports every bad parameter at once' {
            $errs = $null
            New-CfToken -Name '  ' -PermissionGroup 'DNS Read' -AllZones -Ttl 0 -AllowedIp 'nope' -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
            ($errs.FullyQualifiedErrorId | ForEach-Object { $_.Split(',')[0] } | Sort-Object) | Should -Be @('InvalidCidr', 'InvalidName', 'InvalidTtl')
        }
    }

    Describe 'Input refused, never rewritten (issue 7)' {
        It 'refuses <Case> with <ErrorId>, naming <Parameter>, before sending anything' -ForEach @(
            @{ Case = 'an octal IPv4 (010.0.0.1 would be 8.0.0.1)'; Script = { New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -AllowedIp '010.0.0.1' -Confirm:$false -ErrorAction Stop }; ErrorId = 'InvalidCidr'; Parameter = '-AllowedIp' }
            @{ Case = 'a hex IPv4 (0x7f.0.0.1 would be 127.0.0.1)'; Script = { New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -DeniedIp '0x7f.0.0.1' -Confirm:$false -ErrorAction Stop }; ErrorId = 'InvalidCidr'; Parameter = '-DeniedIp' }
            @{ Case = 'an IPv6 zone id'; Script = { Set-CfToken -Id $script:unknownId -AllowedIp 'fe80::1%eth0' -ErrorAction Stop }; ErrorId = 'InvalidCidr'; Parameter = '-AllowedIp' }
            @{ Case = 'an unclosed wildcard range'; Script = { Get-CfToken -Name 'admin-[manager' -ErrorAction Stop }; ErrorId = 'InvalidWildcardPattern'; Parameter = '-Name' }
            @{ Case = 'a lone ['; Script = { Get-CfZone -Name '[' -ErrorAction Stop }; ErrorId = 'InvalidWildcardPattern'; Parameter = '-Name' }
            @{ Case = '-Ttl [timespan]::MaxValue'; Script = { New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -Ttl ([timespan]::MaxValue) -Confirm:$false -ErrorAction Stop }; ErrorId = 'InvalidTtl'; Parameter = '-Ttl' }
            @{ Case = '-ExpiresOn [datetime]::MaxValue'; Script = { New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -ExpiresOn ([datetime]::MaxValue) -Confirm:$false -ErrorAction Stop }; ErrorId = 'InvalidExpiry'; Parameter = '-ExpiresOn' }
            @{ Case = 'a token value with an inner line feed'; Script = { Test-CfToken -Token ("$($script:adminValue.Substring(0, 10))`n$($script:adminValue.Substring(10))" | ConvertTo-SecureString -AsPlainText -Force) -ErrorAction Stop }; ErrorId = 'InvalidTokenValue'; Parameter = '-Token' }
            @{ Case = 'a token value with a space'; Script = { Test-CfTokenHealth -Token ("$($script:adminValue.Substring(0, 10)) $($script:adminValue.Substring(10))" | ConvertTo-SecureString -AsPlainText -Force) -ErrorAction Stop }; ErrorId = 'InvalidTokenValue'; Parameter = '-Token' }
            @{ Case = 'an empty SecureString'; Script = { Test-CfToken -Token ([securestring]::new()) -ErrorAction Stop }; ErrorId = 'MissingApiToken'; Parameter = '-Token' }
            @{ Case = '/dev/null as the ledger'; Script = { Get-CfLedger -LedgerPath '/dev/null' -ErrorAction Stop }; ErrorId = 'InvalidLedgerPath'; Parameter = '-LedgerPath' }
            @{ Case = 'a malformed -OperationId'; Script = { Get-CfLedger -OperationId 'abc' -ErrorAction Stop }; ErrorId = 'InvalidOperationId'; Parameter = '-OperationId' }
            @{ Case = 'a group both added and removed'; Script = { Set-CfToken -Id $script:unknownId -AddPermissionGroup 'DNS Read' -RemovePermissionGroup 'DNS Read' -ErrorAction Stop }; ErrorId = 'ConflictingParameters'; Parameter = '-AddPermissionGroup' }
        ) {
            Get-CfPermissionGroup -Name 'DNS Read' | Out-Null   # the session's catalogue is cached from here on
            $before = (Get-EmulatorRequest).Count
            $err = $Script | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.ErrorDetails.Message | Should -BeLike "*$Parameter*"
            $err.ErrorDetails.RecommendedAction | Should -Match '\w'
            ($err | Out-String) | Should -Not -Match ([regex]::Escape($script:adminValue.Substring(10, 12)))
            (Get-EmulatorRequest).Count | Should -Be $before
        }

        It 'trims the trailing newline of Get-Content -Raw from a token value, and only that' {
            $file = Join-Path ([IO.Path]::GetTempPath()) "cf-token-$([guid]::NewGuid().ToString('n')).txt"
            try {
                Set-Content -Path $file -Value $script:adminValue   # writes a trailing newline
                $value = Get-Content -Path $file -Raw | ConvertTo-SecureString -AsPlainText -Force
                (Test-CfToken -Token $value).Status | Should -Be 'active'
            }
            finally { Remove-Item $file -ErrorAction SilentlyContinue }
        }

        It 'Get-CfLedger -LedgerPath with a typo creates nothing' {
            $typo = Join-Path ([IO.Path]::GetTempPath()) "cf-typo-$([guid]::NewGuid().ToString('n'))/legder.db"
            $err = { Get-CfLedger -LedgerPath $typo -ErrorAction Stop } | Should -Throw -ErrorId 'LedgerNotFound,CfManagement.Commands.Managed.GetCfLedgerCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            Test-Path $typo | Should -BeFalse
            Test-Path (Split-Path $typo) | Should -BeFalse
        }
    }

    Describe 'Set-CfToken' {
        It 'renames, disables and enables, by -Id' {
            $created = New-TestToken -Name (New-Name 'pt-set')
            $newName = New-Name 'pt-renamed'
            Set-CfToken -Id $created.Id -NewName $newName -Disable -Confirm:$false | Should -BeNullOrEmpty   # no -PassThru, no output
            $raw = Get-RawToken $created.Id
            $raw.name | Should -Be $newName
            $raw.status | Should -Be 'disabled'
            (Set-CfToken -Id $created.Id -Enable -PassThru -Confirm:$false).Status | Should -Be 'active'
            (Get-RawToken $created.Id).status | Should -Be 'active'
        }

        It 'sets, extends and clears the expiry, and sets -NotBefore' {
            $created = New-TestToken -Name (New-Name 'pt-expiry')
            $when = [datetime]::new(2032, 1, 2, 3, 4, 0, [DateTimeKind]::Utc)
            (Set-CfToken -Id $created.Id -ExpiresOn $when -PassThru -Confirm:$false).ExpiresOn.UtcDateTime | Should -Be $when
            ([datetimeoffset](Get-RawToken $created.Id).expires_on).UtcDateTime | Should -Be $when

            $updated = Set-CfToken -Id $created.Id -Ttl 2.00:00:00 -PassThru -Confirm:$false
            $updated.DaysLeft | Should -Be 2

            $start = [datetime]::new(2030, 1, 1, 0, 0, 0, [DateTimeKind]::Utc)
            Set-CfToken -Id $created.Id -ClearExpiry -NotBefore $start -Confirm:$false
            $raw = Get-RawToken $created.Id
            $raw.expires_on | Should -BeNullOrEmpty
            ([datetimeoffset]$raw.not_before).UtcDateTime | Should -Be $start
        }

        It 'replaces the IP filters, and an empty list removes one' {
            $created = New-TestToken -Name (New-Name 'pt-ipset') -More @{ AllowedIp = '127.0.0.1' }
            Set-CfToken -Id $created.Id -AllowedIp '127.0.0.0/8', '::1' -DeniedIp '127.0.0.9' -Confirm:$false
            $token = Get-CfToken -Id $created.Id
            $token.AllowedIp | Should -Be @('127.0.0.0/8', '::1/128')
            $token.DeniedIp | Should -Be @('127.0.0.9/32')
            Set-CfToken -Id $created.Id -DeniedIp @() -Confirm:$false
            $token = Get-CfToken -Id $created.Id
            $token.AllowedIp | Should -Be @('127.0.0.0/8', '::1/128')
            $token.DeniedIp.Count | Should -Be 0
        }

        It 'adds a group for a zone and removes another, keeping the rest' {
            $created = New-TestToken -Name (New-Name 'pt-groups') -PermissionGroup 'Zone Read', 'DNS Read'
            Set-CfToken -Id $created.Id -AddPermissionGroup 'DNS Write' -Zone raxx.app -Confirm:$false
            $token = Get-CfToken -Id $created.Id
            $token.PermissionGroupNames | Sort-Object | Should -Be @('DNS Read', 'DNS Write', 'Zone Read')
            ($token.Policies | Where-Object { $_.PermissionGroups.Name -contains 'DNS Write' }).Resources.Keys | Should -Be @("com.cloudflare.api.account.zone.$($script:raxxApp)")

            Set-CfToken -Id $created.Id -RemovePermissionGroup 'Zone Read' -Confirm:$false
            (Get-CfToken -Id $created.Id).PermissionGroupNames | Sort-Object | Should -Be @('DNS Read', 'DNS Write')
        }

        It 'takes piped tokens (by value) and piped ids (by property name)' {
            $stem = New-Name 'pt-pipeset'
            $a = New-TestToken -Name "$stem-a"
            $b = New-TestToken -Name "$stem-b"
            $updated = Get-CfToken -Name "$stem-*" | Set-CfToken -Disable -PassThru -Confirm:$false
            $updated.Status | Should -Be @('disabled', 'disabled')
            (Get-RawToken $a.Id).status | Should -Be 'disabled'
            (Get-RawToken $b.Id).status | Should -Be 'disabled'

            [pscustomobject]@{ Id = $a.Id } | Set-CfToken -Enable -Confirm:$false
            (Get-RawToken $a.Id).status | Should -Be 'active'
            [pscustomobject]@{ TokenId = $b.Id } | Set-CfToken -Enable -Confirm:$false
            (Get-RawToken $b.Id).status | Should -Be 'active'
        }

        It 'names its target exactly with -Name; a name held by two tokens is TokenNameAmbiguous' {
            $name = New-Name 'pt-byname'
            $created = New-TestToken -Name $name
            Set-CfToken -Name $name -Disable -Confirm:$false
            (Get-RawToken $created.Id).status | Should -Be 'disabled'

            New-TestToken -Name $name | Out-Null
            $before = (Get-EmulatorRequest).Count
            $err = { Set-CfToken -Name $name -Enable -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'TokenNameAmbiguous,CfManagement.Commands.Tokens.SetCfTokenCommand' -PassThru
            $err.ErrorDetails.Message | Should -Match "matches 2 tokens"
            @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Method -ne 'GET').Count | Should -Be 0
            (Get-RawToken $created.Id).status | Should -Be 'disabled'
        }

        It '-WhatIf changes nothing' {
            $created = New-TestToken -Name (New-Name 'pt-setwhatif')
            $before = (Get-EmulatorRequest).Count
            Set-CfToken -Id $created.Id -AddPermissionGroup 'DNS Write' -Zone raxx.app -NewName 'should-not-happen' -Disable -WhatIf | Should -BeNullOrEmpty
            @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Method -ne 'GET').Count | Should -Be 0
            $token = Get-CfToken -Id $created.Id
            $token.Name | Should -Be $created.Name
            $token.Status | Should -Be 'active'
            $token.PermissionGroupNames | Should -Be @('DNS Read')
        }

        It 'a token that cannot be seen is TokenNotVisible and nothing is written' {
            $before = (Get-EmulatorRequest).Count
            $err = { Set-CfToken -Id $script:unknownId -Disable -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'TokenNotVisible,CfManagement.Commands.Tokens.SetCfTokenCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Method -ne 'GET').Count | Should -Be 0
        }

        It 'removing the last group is MissingPermissionGroup and changes nothing' {
            $created = New-TestToken -Name (New-Name 'pt-last')
            { Set-CfToken -Id $created.Id -RemovePermissionGroup 'DNS Read' -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'MissingPermissionGroup,CfManagement.Commands.Tokens.SetCfTokenCommand'
            (Get-CfToken -Id $created.Id).PermissionGroupNames | Should -Be @('DNS Read')
        }

        It 'refuses <Case> before sending anything (<ErrorId>)' -ForEach @(
            @{ Case = 'nothing to change'; Arguments = @{}; ErrorId = 'NothingToChange' }
            @{ Case = '-Enable with -Disable'; Arguments = @{ Enable = $true; Disable = $true }; ErrorId = 'ConflictingParameters' }
            @{ Case = '-ClearExpiry with -Ttl'; Arguments = @{ ClearExpiry = $true; Ttl = [timespan]'1:00:00' }; ErrorId = 'ConflictingParameters' }
            @{ Case = '-Zone without -AddPermissionGroup'; Arguments = @{ Zone = 'raxx.app'; NewName = 'y' }; ErrorId = 'ConflictingParameters' }
            @{ Case = 'a new name over 120 characters'; Arguments = @{ NewName = 'n' * 121 }; ErrorId = 'InvalidName' }
            @{ Case = 'an allowed IP out of range'; Arguments = @{ AllowedIp = '300.1.1.1' }; ErrorId = 'InvalidCidr' }
            @{ Case = 'a zero TTL'; Arguments = @{ Ttl = [timespan]0 }; ErrorId = 'InvalidTtl' }
            @{ Case = 'a malformed id'; Arguments = @{ Id = 'not-an-id'; Disable = $true }; ErrorId = 'InvalidId' }
        ) {
            $parameters = @{ Id = $script:unknownId }
            foreach ($key in $Arguments.Keys) { $parameters[$key] = $Arguments[$key] }
            $before = (Get-EmulatorRequest).Count
            $err = { Set-CfToken @parameters -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId,CfManagement.Commands.Tokens.SetCfTokenCommand" -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.ErrorDetails.RecommendedAction | Should -Match '\w'
            (Get-EmulatorRequest).Count | Should -Be $before
        }

        It 'shows the updated token as a table with -PassThru, and no value in any stream' {
            $created = New-TestToken -Name (New-Name 'pt-setview')
            $plain = Get-PlainText $created.Value
            $text = Get-OutputText { $script:updated = Set-CfToken -Id $created.Id -Disable -PassThru -Confirm:$false -Verbose -Debug; $script:updated | Out-String -Width 200 }
            $script:updated.Status | Should -Be 'disabled'   # it ran
            $text | Should -Match "$($created.Name)\s+$($created.Id)\s+User\s+disabled\s+never"
            $text | Should -Not -Match ([regex]::Escape($plain.Substring(5)))
            $text | Should -Not -Match ([regex]::Escape($script:adminValue.Substring(5)))
        }
    }

    Describe 'Remove-CfToken' {
        It 'revokes piped tokens with -Confirm:$false and records each in the session''s ledger' {
            $stem = New-Name 'pt-rm'
            $made = 1..2 | ForEach-Object { New-TestToken -Name "$stem-$_" }
            Get-CfToken -Name "$stem-*" | Remove-CfToken -Confirm:$false | Should -BeNullOrEmpty
            foreach ($m in $made) { Get-RawToken $m.Id | Should -BeNullOrEmpty }
            @(Get-CfToken -Name "$stem-*").Count | Should -Be 0
            (Test-CfToken -Token $made[0].Value).Status | Should -Be 'invalid'
            $revocations = @(Get-CfLedger -LedgerPath $script:ledger | Where-Object { $_.TokenName -like "$stem-*" })
            $revocations.Action | Should -Be @('revoke', 'revoke')
            ($revocations.TokenId | Sort-Object) | Should -Be ($made.Id | Sort-Object)
        }

        It 'takes ids by property name, -Id and -Name' {
            $a = New-TestToken -Name (New-Name 'pt-rm-prop')
            $b = New-TestToken -Name (New-Name 'pt-rm-id')
            $c = New-TestToken -Name (New-Name 'pt-rm-name')
            [pscustomobject]@{ Id = $a.Id } | Remove-CfToken -Confirm:$false
            Remove-CfToken -Id $b.Id -Confirm:$false
            Remove-CfToken -Name $c.Name -Confirm:$false
            foreach ($t in $a, $b, $c) { Get-RawToken $t.Id | Should -BeNullOrEmpty }
        }

        It 'asks for confirmation by default (ConfirmImpact High): a non-interactive host cannot answer, so nothing goes' {
            $created = New-TestToken -Name (New-Name 'pt-rm-ask')
            $before = (Get-EmulatorRequest).Count
            { Remove-CfToken -Id $created.Id -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidOperation,CfManagement.Commands.Tokens.RemoveCfTokenCommand'
            @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Method -eq 'DELETE').Count | Should -Be 0
            (Get-RawToken $created.Id).id | Should -Be $created.Id
            $attribute = (Get-Command Remove-CfToken).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            $attribute.ConfirmImpact | Should -Be 'High'
        }

        It '-WhatIf revokes nothing' {
            $created = New-TestToken -Name (New-Name 'pt-rm-whatif')
            $before = (Get-EmulatorRequest).Count
            Get-CfToken -Id $created.Id | Remove-CfToken -WhatIf
            @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Method -ne 'GET').Count | Should -Be 0
            (Get-CfToken -Id $created.Id).Status | Should -Be 'active'
            (Test-CfToken -Token $created.Value).Status | Should -Be 'active'
        }

        It 'a token the session cannot see is TokenNotVisible, with the reason and the fix; nothing is deleted' {
            $created = New-TestToken -Name (New-Name 'pt-rm-wall')
            $before = (Get-EmulatorRequest).Count
            $err = { Remove-CfToken -Id $script:unknownId -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'TokenNotVisible,CfManagement.Commands.Tokens.RemoveCfTokenCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.ErrorDetails.Message | Should -Match 'belongs to another user'
            $err.ErrorDetails.RecommendedAction | Should -Match '-Scope Account'

            # A user token looked for among the account's tokens is just as invisible.
            $err = { Remove-CfToken -Id $created.Id -Scope Account -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'TokenNotVisible,CfManagement.Commands.Tokens.RemoveCfTokenCommand' -PassThru
            $err.ErrorDetails.Message | Should -Match "account-owned token '$($created.Id)' is not visible"
            $err.ErrorDetails.RecommendedAction | Should -Match '-Scope User'
            @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Method -eq 'DELETE').Count | Should -Be 0
            (Get-RawToken $created.Id).id | Should -Be $created.Id
        }

        It 'an invisible token does not stop the others in the pipeline' {
            $created = New-TestToken -Name (New-Name 'pt-rm-mixed')
            $script:unknownId, $created.Id | ForEach-Object { [pscustomobject]@{ Id = $_ } } |
                Remove-CfToken -Confirm:$false -ErrorVariable errs -ErrorAction SilentlyContinue
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'TokenNotVisible,CfManagement.Commands.Tokens.RemoveCfTokenCommand'
            Get-RawToken $created.Id | Should -BeNullOrEmpty
        }

        It 'refuses <Case> before sending anything (<ErrorId>)' -ForEach @(
            @{ Case = 'a malformed id'; Arguments = @{ Id = 'xyz' }; ErrorId = 'InvalidId' }
            @{ Case = 'a blank name'; Arguments = @{ Name = '  ' }; ErrorId = 'InvalidName' }
            @{ Case = 'a D1 ledger id that is not a uuid'; Arguments = @{ Id = '0123456789abcdef0123456789abcdef'; LedgerDatabaseId = 'ledger' }; ErrorId = 'InvalidId' }
            @{ Case = 'two ledgers'; Arguments = @{ Id = '0123456789abcdef0123456789abcdef'; LedgerPath = 'x.db'; LedgerDatabaseId = '0f2b6f0e-1c1d-4d3e-9a4b-5c6d7e8f9a0b' }; ErrorId = 'ConflictingParameters' }
        ) {
            $before = (Get-EmulatorRequest).Count
            $err = { Remove-CfToken @Arguments -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId,CfManagement.Commands.Tokens.RemoveCfTokenCommand" -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            (Get-EmulatorRequest).Count | Should -Be $before
        }

        It 'says what it revoked with -Verbose and shows no value in any stream' {
            $created = New-TestToken -Name (New-Name 'pt-rm-quiet')
            $plain = Get-PlainText $created.Value
            $text = Get-OutputText { Remove-CfToken -Id $created.Id -Confirm:$false -Verbose -Debug }
            Get-RawToken $created.Id | Should -BeNullOrEmpty   # it ran
            $text | Should -Match "Revoked $($created.Name) \($($created.Id)\)"
            $text | Should -Not -Match ([regex]::Escape($plain.Substring(5)))
            $text | Should -Not -Match ([regex]::Escape($script:adminValue.Substring(5)))
        }
    }

    Describe 'Help' {
        It '<Command> has a synopsis and examples in Get-Help -Full' -ForEach @(
            @{ Command = 'Get-CfToken' }, @{ Command = 'Test-CfToken' }, @{ Command = 'New-CfToken' }, @{ Command = 'Set-CfToken' }, @{ Command = 'Remove-CfToken' }
        ) {
            $help = Get-Help $Command -Full
            $help.Synopsis | Should -Not -Match "^\s*$Command\s*$"
            @($help.Examples.Example).Count | Should -BeGreaterThan 1
            ($help | Out-String) | Should -Match 'Example 1'
        }
    }
}
