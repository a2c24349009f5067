#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Test-CfTokenHealth and Repair-CfToken as an admin types them in real pwsh, against the built emulator, a real
# SecretStore vault and a temporary SQLite ledger. The in-process twins are tests/integration/Cmdlets/TokenHealthTests.cs
# and RepairCfTokenTests.cs (which also cover the fault-injection and Ctrl+C cases left out here).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-health-$([guid]::NewGuid().ToString('n')).db"
    $script:admin = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:adminValue = Get-PlainText $script:emulator.Token
    $script:loud = Get-TestLoudParameter
    $script:cmd = 'CfManagement.Commands.Tokens'

    function script:Get-RequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator).Count }
    function script:Get-NewRequest([int] $Since) { @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $Since) }
    function script:Get-HostText([scriptblock] $ScriptBlock) {
        $file = Join-Path $TestDrive "host-$([guid]::NewGuid().ToString('n')).txt"
        $minimal = if ($PSVersionTable.PSVersion.Major -ge 7) { @{ UseMinimalHeader = $true } } else { @{} }  # 5.1 has no -UseMinimalHeader
        Start-Transcript -Path $file @minimal | Out-Null
        try { & $ScriptBlock | Out-Null } finally { Stop-Transcript | Out-Null }
        Get-Content -Raw $file
    }
    function script:New-Target([string] $Name, [string[]] $Group, [string] $Ttl) {
        $parameters = @{ Name = $Name; PermissionGroup = $Group; Confirm = $false }
        if (@(Get-CfPermissionGroup -Name $Group -Scope Zone -ErrorAction SilentlyContinue).Count -gt 0) { $parameters.AllZones = $true }
        if ($Ttl) { $parameters.Ttl = [timespan]$Ttl }
        New-CfToken @parameters
    }
}

AfterAll {
    Get-SecretInfo -Vault $script:vault -Name 'hc-*' -ErrorAction SilentlyContinue | ForEach-Object { Remove-Secret -Name $_.Name -Vault $script:vault -ErrorAction SilentlyContinue }
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'Test-CfTokenHealth' {
    It 'finds a token holding every required group healthy, records the check, and leaks nothing' {
        $target = New-Target hc-ok 'DNS Write', 'Zone Read'
        $text = & {
            $DebugPreference = 'Continue'
            $script:health = @(Test-CfTokenHealth -Id $target.Id -RequiredPermissionGroup 'Zone:DNS Write', 'Zone Read' @script:loud)
            $script:health
        } *>&1 | Out-String -Width 400
        $script:health.Count | Should -Be 1
        $h = $script:health[0]
        $h.GetType().FullName | Should -Be 'CfManagement.Model.CfTokenHealth'
        $h.TokenId | Should -Be $target.Id
        $h.TokenName | Should -Be 'hc-ok'
        $h.Status | Should -Be 'active'
        $h.Healthy | Should -BeTrue
        $h.PermissionsKnown | Should -BeTrue
        $h.RequiredPermissionGroups | Sort-Object | Should -Be @('DNS Write', 'Zone Read')
        $h.MissingPermissionGroups | Should -BeNullOrEmpty
        $h.Issues | Should -BeNullOrEmpty
        $h.DaysLeft | Should -BeNullOrEmpty
        $entry = @(Get-CfLedger -Kind HealthCheck -TokenId $target.Id)
        $entry.Count | Should -Be 1
        "$($entry[0].Action):$($entry[0].Outcome)" | Should -Be 'check:Succeeded'
        $text | Should -Match 'hc-ok'
        $text | Should -Match 'HTTP (GET|POST|PUT|DELETE) /client/v4/'  # the -Debug stream was captured
        $text | Should -Not -Match ([regex]::Escape((Get-PlainText $target.Value)))
        $text | Should -Not -Match ([regex]::Escape($script:adminValue))
    }

    It 'lists missing groups by name with the Repair-CfToken command that adds them' {
        $target = New-Target hc-partial 'DNS Read'
        $h = Test-CfTokenHealth -Id $target.Id -RequiredPermissionGroup 'DNS Write', 'Zone Read', 'DNS Read'
        $h.Healthy | Should -BeFalse
        $h.MissingPermissionGroups | Should -Be @('DNS Write', 'Zone Read')
        $h.Recommendations | Where-Object { $_ -like "Repair-CfToken -Id $($target.Id) *" } | Should -Match 'adds: DNS Write, Zone Read$'
        $entry = Get-CfLedger -Kind HealthCheck -TokenId $target.Id
        $entry.Outcome | Should -Be 'Failed'
        $entry.Detail | Should -Match '^missing: DNS Write, Zone Read'
    }

    It 'prints a table of token, scope, status, days left, health and what is missing' {
        $target = New-Target hc-table 'DNS Read' '20.00:00:00'
        $text = Test-CfTokenHealth -Id $target.Id -RequiredPermissionGroup 'DNS Read', 'Zone Read' | Out-String -Width 200
        $text | Should -Match 'TokenName\s+Scope\s+Status\s+DaysLeft\s+Healthy\s+Missing'
        $text | Should -Match 'hc-table\s+User\s+active\s+(19|20)\s+False\s+Zone Read'
    }

    It 'reports expired, disabled and soon-expiring tokens with recommendations, by the -ExpiryWarningDays threshold' {
        $expired = Get-CfToken -Name admin-expired
        $disabled = Get-CfToken -Name admin-disabled
        $soon = New-Target hc-soon 'Zone Read' '10.02:00:00'
        $byName = @{}
        Test-CfTokenHealth -Id $expired.Id, $disabled.Id, $soon.Id -ExpiryWarningDays 14 | ForEach-Object { $byName[$_.TokenName] = $_ }
        $byName.Count | Should -Be 3

        $byName['admin-expired'].Status | Should -Be 'expired'
        $byName['admin-expired'].Healthy | Should -BeFalse
        ($byName['admin-expired'].Recommendations -join "`n") | Should -Match ([regex]::Escape("Set-CfToken -Id $($expired.Id) -ExpiresOn"))
        $byName['admin-disabled'].Recommendations | Should -Contain "Token is disabled: Set-CfToken -Id $($disabled.Id) -Enable"
        $byName['hc-soon'].DaysLeft | Should -Be 10
        ($byName['hc-soon'].Issues -join "`n") | Should -Match 'expires in 10 day\(s\).*warning threshold 14 days'
        ($byName['hc-soon'].Recommendations -join "`n") | Should -Match "(?m)^Roll or replace before $($soon.ExpiresOn.UtcDateTime.ToString('yyyy-MM-dd'))"

        (Test-CfTokenHealth -Id $soon.Id -ExpiryWarningDays 5).Healthy | Should -BeTrue
    }

    It 'checks each token piped from Get-CfToken against a JSON profile, by name pattern and threshold' {
        $a = New-Target hc-json-a 'DNS Write' '20.00:00:00'
        $b = New-Target hc-json-b 'DNS Write', 'Zone Read'
        $profilePath = Join-Path $TestDrive 'health.json'
        Set-Content -Path $profilePath -Value '{ "tokens": {
            "hc-json-*": { "required": ["DNS Write", "Zone Read"], "expiryWarningDays": 14 },
            "other-*":   { "required": ["D1 Read"] } } }'
        $byName = @{}
        Get-CfToken -Name 'hc-json-*' | Test-CfTokenHealth -Profile $profilePath | ForEach-Object { $byName[$_.TokenName] = $_ }
        $byName.Keys | Sort-Object | Should -Be @('hc-json-a', 'hc-json-b')
        $byName['hc-json-a'].MissingPermissionGroups | Should -Be @('Zone Read')
        # 20 days left is outside the profile's 14-day threshold (the default 30 would have warned).
        $byName['hc-json-a'].Issues | Should -Not -Match 'expires in'
        $byName['hc-json-b'].Healthy | Should -BeTrue
        $byName['hc-json-b'].ExtraInfo | Should -Match "Profile entries applied: 'hc-json-\*'"
        @(Get-CfLedger -Kind HealthCheck -TokenName 'hc-json-*').Count | Should -Be 2

        # An explicit -ExpiryWarningDays wins over the profile's.
        ((Get-CfToken -Id $a.Id | Test-CfTokenHealth -Profile $profilePath -ExpiryWarningDays 30).Issues -join "`n") | Should -Match 'expires in \d+ day\(s\).*warning threshold 30 days'
    }

    It 'reads a .psd1 profile as data, and says when no entry matches' {
        $t = New-Target hc-psd 'Zone Read' '10.00:00:00'
        $profilePath = Join-Path $TestDrive 'health.psd1'
        Set-Content -Path $profilePath -Value "@{ Tokens = @{ 'hc-psd*' = @{ Required = @('DNS Write', 'Zone Read'); ExpiryWarningDays = 7 } } }"
        $h = Get-CfToken -Id $t.Id | Test-CfTokenHealth -Profile $profilePath
        $h.MissingPermissionGroups | Should -Be @('DNS Write')
        $h.Issues | Should -Not -Match 'expires in'

        $other = Get-CfToken -Name workers-deploy | Test-CfTokenHealth -Profile $profilePath
        $other.Healthy | Should -BeTrue
        $other.ExtraInfo | Should -Match 'No entry of profile .*health\.psd1 matches ''workers-deploy'''
    }

    It 'refuses a .psd1 profile with code, never running it and sending nothing' {
        $evil = Join-Path $TestDrive 'evil.psd1'
        Set-Content -Path $evil -Value "@{ Tokens = @{ 'hc-*' = @{ Required = @( (Set-Variable -Name CfPwned -Value 1 -Scope Global), 'DNS Write') } } }"
        $before = Get-RequestCount
        $thrown = { Test-CfTokenHealth -Profile $evil -ErrorAction Stop } | Should -Throw -ErrorId "InvalidHealthProfile,$script:cmd.TestCfTokenHealthCommand" -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'InvalidData'
        $thrown.ErrorDetails.Message | Should -Match 'evil\.psd1'
        Get-Variable -Name CfPwned -Scope Global -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-NewRequest $before | Should -BeNullOrEmpty
    }

    It 'checks the session''s own token when given no target' {
        $h = Test-CfTokenHealth -RequiredPermissionGroup 'DNS Write', 'Account API Tokens Write'
        $h.TokenId | Should -Be $script:admin.TokenId
        $h.TokenName | Should -Be 'admin-manager'
        $h.Healthy | Should -BeTrue
    }

    It 'checks a SecureString value (by value from the pipeline): full check when readable, verify-only when not' {
        $own = New-Target hc-own 'DNS Write'
        $full = $own.Value | Test-CfTokenHealth -RequiredPermissionGroup 'DNS Write', 'Zone Read'
        $full.TokenId | Should -Be $own.Id
        $full.PermissionsKnown | Should -BeTrue
        $full.MissingPermissionGroups | Should -Be @('Zone Read')

        # Another user's token without API Tokens Read: the admin cannot see it and it cannot read itself.
        $ops = New-TestEmulatorToken -Emulator $script:emulator -Name hc-ops-readonly -PermissionGroup 'DNS Read' -UserEmail 'ops@example.com' -ExpiresOn ([DateTimeOffset]::UtcNow.AddDays(60))
        $h = Test-CfTokenHealth -Token $ops.Value -RequiredPermissionGroup 'DNS Write'
        $h.TokenId | Should -Be $ops.Id
        $h.Status | Should -Be 'active'
        $h.DaysLeft | Should -Be 60
        $h.PermissionsKnown | Should -BeFalse
        $h.Healthy | Should -BeFalse
        $h.MissingPermissionGroups | Should -BeNullOrEmpty
        $h.ExtraInfo | Should -Match 'Permissions unknown'
        ($h.Recommendations -join "`n") | Should -Match 'API Tokens Read'

        $unknown = ConvertTo-SecureString -String ('cfut_' + ('k' * 40)) -AsPlainText -Force
        $invalid = Test-CfTokenHealth -Token $unknown -RequiredPermissionGroup 'DNS Write'
        $invalid.Status | Should -Be 'invalid'
        $invalid.Healthy | Should -BeFalse
    }

    It 'says TokenNotVisible for another user''s token id' {
        $ops = New-TestEmulatorToken -Emulator $script:emulator -Name hc-ops-hidden -PermissionGroup 'DNS Read' -UserEmail 'ops@example.com'
        $thrown = { Test-CfTokenHealth -Id $ops.Id -RequiredPermissionGroup 'DNS Write' -ErrorAction Stop } |
            Should -Throw -ErrorId "TokenNotVisible,$script:cmd.TestCfTokenHealthCommand" -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses <Case> before reading any token' -TestCases @(
        @{ Case = 'an unknown group'; Arguments = @{ RequiredPermissionGroup = 'DNS Wrte' }; ErrorId = 'PermissionGroupNotFound'; Category = 'ObjectNotFound'; Catalogue = $true }
        @{ Case = 'an unknown group in a profile'; File = @('unknown.json', '{ "tokens": { "hc-*": { "required": ["DNS Wrte"] } } }'); ErrorId = 'PermissionGroupNotFound'; Category = 'ObjectNotFound'; Catalogue = $true }
        @{ Case = 'a broken JSON profile'; File = @('broken.json', '{ "tokens": { "hc-*": { "required": ["DNS Write" } }'); ErrorId = 'InvalidHealthProfile'; Category = 'InvalidData' }
        @{ Case = 'a profile with no entries'; File = @('empty.json', '{ "tokens": {} }'); ErrorId = 'InvalidHealthProfile'; Category = 'InvalidData' }
        @{ Case = 'a negative threshold in a profile'; File = @('negative.json', '{ "tokens": { "hc-*": { "required": ["DNS Write"], "expiryWarningDays": -3 } } }'); ErrorId = 'InvalidHealthProfile'; Category = 'InvalidData' }
        @{ Case = 'a misspelt profile key'; File = @('typo.json', '{ "tokens": { "hc-*": { "requred": ["DNS Write"] } } }'); ErrorId = 'InvalidHealthProfile'; Category = 'InvalidData' }
        @{ Case = 'a .yaml profile'; File = @('health.yaml', 'tokens: {}'); ErrorId = 'InvalidHealthProfile'; Category = 'InvalidData' }
        @{ Case = 'a missing profile file'; Arguments = @{ Profile = 'TestDrive:/nope.json' }; ErrorId = 'InvalidHealthProfile'; Category = 'InvalidData' }
        @{ Case = '-Profile with -RequiredPermissionGroup'; File = @('both.json', '{ "tokens": { "hc-*": { "required": ["DNS Write"] } } }'); Arguments = @{ RequiredPermissionGroup = 'DNS Write' }; ErrorId = 'ConflictingParameters'; Category = 'InvalidArgument' }
        @{ Case = 'an empty group name'; Arguments = @{ RequiredPermissionGroup = '' }; ErrorId = 'InvalidName'; Category = 'InvalidArgument' }
        @{ Case = 'an upper-case id'; Arguments = @{ Id = 'ABCDEF0123456789ABCDEF0123456789'; RequiredPermissionGroup = 'DNS Write' }; ErrorId = 'InvalidId'; Category = 'InvalidArgument' }
        @{ Case = 'a negative -ExpiryWarningDays'; Arguments = @{ ExpiryWarningDays = -1 }; ErrorId = 'ParameterArgumentValidationError'; Category = 'InvalidData' }
    ) {
        $target = Get-CfToken -Name workers-deploy
        $parameters = @{ Id = $target.Id }
        if ($File) {
            $path = Join-Path $TestDrive $File[0]
            Set-Content -Path $path -Value $File[1]
            $parameters.Profile = $path
        }
        if ($Arguments) { foreach ($key in $Arguments.Keys) { $parameters[$key] = $Arguments[$key] } }
        $before = Get-RequestCount
        $checks = @(Get-CfLedger -Kind HealthCheck).Count
        $thrown = { Test-CfTokenHealth @parameters -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,$script:cmd.TestCfTokenHealthCommand" -PassThru
        $thrown.CategoryInfo.Category | Should -Be $Category
        if ($ErrorId -eq 'InvalidHealthProfile' -and $parameters.Profile -like "$TestDrive*") { $thrown.ErrorDetails.Message | Should -Match ([regex]::Escape((Split-Path -Leaf $parameters.Profile))) }
        Get-NewRequest $before | Where-Object { -not ($Catalogue -and $_.path -like '*/permission_groups') } | Should -BeNullOrEmpty
        @(Get-CfLedger -Kind HealthCheck).Count | Should -Be $checks
    }
}

Describe 'Repair-CfToken' {
    BeforeAll {
        # A manager token of the admin (a Super Administrator), as a runbook would hold: it may edit the admin's tokens.
        $manager = New-TestEmulatorToken -Emulator $script:emulator -Name hc-manager -PermissionGroup 'API Tokens Read', 'API Tokens Write', 'User Details Read', 'DNS Read', 'Zone Read', 'D1 Read', 'Workers Scripts Read'
        $script:managerValue = Get-PlainText $manager.Value
        # Connecting replaces (and disposes) the runspace's session, so the manager is the current session here.
        $script:managerToken = $manager.Value
        $script:mgr = Connect-CfAccount -ApiToken $manager.Value -ApiBaseUri $script:emulator.BaseUri -LedgerPath $script:ledger
        function script:Get-Groups([string] $Id, [string] $Scope = 'User') { @((Get-CfToken -Id $Id -Scope $Scope).PermissionGroupNames | Sort-Object) }
    }

    It 'adds the missing groups through a manager token, keeping the others, and records the repair' {
        $t = New-Target hc-fix 'DNS Read', 'Workers Scripts Read'
        $repaired = Repair-CfToken -Id $t.Id -AddPermissionGroup 'Zone Read', 'D1 Read' -AllZones -Confirm:$false -PassThru
        $repaired.Id | Should -Be $t.Id
        $repaired.PermissionGroupNames | Sort-Object | Should -Be @('D1 Read', 'DNS Read', 'Workers Scripts Read', 'Zone Read')
        Get-Groups $t.Id | Should -Be @('D1 Read', 'DNS Read', 'Workers Scripts Read', 'Zone Read')
        (Test-CfToken -Token $t.Value).Status | Should -Be 'active'
        $entry = @(Get-CfLedger -Kind Repair -TokenId $t.Id)
        $entry.Count | Should -Be 1
        "$($entry[0].Action):$($entry[0].Outcome)" | Should -Be 'update:Succeeded'
        $entry[0].Detail | Should -Match 'Zone Read'
    }

    It 'with -RequiredPermissionGroup adds only what is missing, and a second run changes nothing' {
        $t = New-Target hc-ensure 'D1 Read'
        Repair-CfToken $t.Id -RequiredPermissionGroup 'D1 Read', 'Workers Scripts Read' -Confirm:$false | Should -BeNullOrEmpty
        Get-Groups $t.Id | Should -Be @('D1 Read', 'Workers Scripts Read')

        $before = Get-RequestCount
        $text = Repair-CfToken -Id $t.Id -RequiredPermissionGroup 'D1 Read', 'Workers Scripts Read' -Confirm:$false -Verbose 4>&1 | Out-String
        $text | Should -Match 'nothing to repair'
        Get-NewRequest $before | Where-Object method -ne 'GET' | Should -BeNullOrEmpty
    }

    It 'warns when -AddPermissionGroup names groups the token already holds' {
        $t = New-Target hc-held 'D1 Read'
        $warnings = Repair-CfToken -Id $t.Id -AddPermissionGroup 'D1 Read' -Confirm:$false 3>&1
        "$warnings" | Should -Match "already holds D1 Read: nothing to repair"
    }

    It 'repairs tokens piped by value from Get-CfToken and by property name (Id)' {
        $a = New-Target hc-pipe-a 'DNS Read'
        $b = New-Target hc-pipe-b 'DNS Read'
        Get-CfToken -Id $a.Id | Repair-CfToken -AddPermissionGroup 'D1 Read' -Confirm:$false
        [pscustomobject]@{ TokenId = $b.Id } | Repair-CfToken -AddPermissionGroup 'D1 Read' -Confirm:$false
        Get-Groups $a.Id | Should -Be @('D1 Read', 'DNS Read')
        Get-Groups $b.Id | Should -Be @('D1 Read', 'DNS Read')
    }

    It '-WhatIf changes nothing, in place or by reissue' {
        $t = New-Target hc-whatif 'DNS Read'
        $before = Get-RequestCount
        $ledgerBefore = @(Get-CfLedger -Kind Repair).Count
        $text = Get-HostText {
            Repair-CfToken -Id $t.Id -AddPermissionGroup 'D1 Read' -WhatIf
            Repair-CfToken -Id $t.Id -AddPermissionGroup 'D1 Read' -Reissue -Vault $script:vault -SecretName hc-whatif -WhatIf
        }
        $text | Should -Match "What if: Performing the operation `"Repair: add D1 Read, keeping its 1 existing permission group\(s\)`" on target `"hc-whatif \($($t.Id), user-owned\)`""
        $text | Should -Match "What if: Performing the operation `"Reissue: create 'hc-whatif-reissued' .*vault:$($script:vault)/hc-whatif.*then revoke the old token`""
        Get-NewRequest $before | Where-Object method -ne 'GET' | Should -BeNullOrEmpty
        Get-Groups $t.Id | Should -Be @('DNS Read')
        Get-CfToken -Name 'hc-whatif-reissued*' | Should -BeNullOrEmpty
        Get-SecretInfo -Name hc-whatif -Vault $script:vault | Should -BeNullOrEmpty
        @(Get-CfLedger -Kind Repair).Count | Should -Be $ledgerBefore
    }

    It '-Reissue of a visible token mints a replacement into the vault and revokes the old one, leaking nothing' {
        $old = New-Target hc-deploy 'Workers Scripts Read'
        $text = & {
            $DebugPreference = 'Continue'
            $script:credential = @(Repair-CfToken -Id $old.Id -RequiredPermissionGroup 'D1 Read' -Reissue -Vault $script:vault -Confirm:$false @script:loud)
            $script:credential
        } *>&1 | Out-String -Width 400
        $script:credential.Count | Should -Be 1
        $c = $script:credential[0]
        $c.Name | Should -Be 'hc-deploy-reissued'
        $c.Value | Should -BeNullOrEmpty -Because 'the value went to the vault; the returned object carries none'
        $c.Destination | Should -Be "vault:$($script:vault)/hc-deploy"
        $table = $c | Out-String -Width 200
        $table | Should -Match 'Name\s+Id\s+Scope\s+ExpiresOn\s+Value\s+Destination'
        $table | Should -Match "hc-deploy-reissued\s+$($c.Id)\s+User\s+never\s+\(delivered\)\s+vault:$($script:vault)/hc-deploy"
        Get-Groups $c.Id | Should -Be @('D1 Read', 'Workers Scripts Read')
        $stored = Get-Secret -Name hc-deploy -Vault $script:vault
        (Get-SecretInfo -Name hc-deploy -Vault $script:vault).Metadata.ReplacesTokenId | Should -Be $old.Id
        (Test-CfToken -Token $stored).Status | Should -Be 'active'
        (Test-CfToken -Token $stored).Id | Should -Be $c.Id
        (Test-CfToken -Token $old.Value).Status | Should -Be 'invalid'
        @(Get-CfLedger -Kind Repair -OperationId (Get-CfLedger -Kind Repair -TokenId $c.Id)[0].OperationId | ForEach-Object { "$($_.Action):$($_.Outcome)" }) |
            Should -Be @('reissue:Pending', 'reissue:Succeeded', 'store:Succeeded', 'revoke:Succeeded')
        $text | Should -Match 'hc-deploy-reissued'
        $text | Should -Match 'HTTP (GET|POST|PUT|DELETE) /client/v4/'  # the -Debug stream was captured
        foreach ($secret in (Get-PlainText $stored), (Get-PlainText $old.Value), $script:managerValue) {
            $text | Should -Not -Match ([regex]::Escape($secret))
        }
    }

    Context 'behind the visibility wall' {
        BeforeAll {
            # ops@example.com (not a Super Administrator) may manage account tokens but sees only those it created.
            $ops = New-TestEmulatorToken -Emulator $script:emulator -Name hc-ops-manager -UserEmail 'ops@example.com' -PermissionGroup `
                'Account API Tokens Read', 'Account API Tokens Write', 'API Tokens Read', 'API Tokens Write', 'Workers Scripts Read', 'Workers Scripts Write', 'D1 Read'
            $script:opsToken = $ops.Value
            $script:opsValue = Get-PlainText $ops.Value
            $script:dash = New-TestEmulatorToken -Emulator $script:emulator -Name hc-dash -Owner Account -PermissionGroup 'Workers Scripts Read'
            # The old token as read by a session that can see it (the admin, a Super Administrator)...
            Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger } | Out-Null
            $script:old = Get-CfToken -Id $script:dash.Id -Scope Account
            # ...repaired by a manager that cannot.
            Connect-CfAccount -ApiToken $script:opsToken -ApiBaseUri $script:emulator.BaseUri -LedgerPath $script:ledger | Out-Null
        }

        AfterAll {
            Connect-CfAccount -ApiToken $script:managerToken -ApiBaseUri $script:emulator.BaseUri -LedgerPath $script:ledger | Out-Null
        }

        It 'names the wall and -Reissue when the manager cannot see the token, changing nothing' {
            $before = Get-RequestCount
            $thrown = { Repair-CfToken -Id $script:dash.Id -Scope Account -AddPermissionGroup 'D1 Read' -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId "TokenNotVisible,$script:cmd.RepairCfTokenCommand" -PassThru
            $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $thrown.ErrorDetails.Message | Should -Match 'visibility wall'
            $thrown.ErrorDetails.RecommendedAction | Should -Match '-Reissue'

            $noTemplate = { Repair-CfToken -Id $script:dash.Id -Scope Account -AddPermissionGroup 'D1 Read' -Reissue -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId "TokenNotVisible,$script:cmd.RepairCfTokenCommand" -PassThru
            $noTemplate.ErrorDetails.Message | Should -Match 'cannot read'
            Get-NewRequest $before | Where-Object method -ne 'GET' | Should -BeNullOrEmpty
            (Test-CfToken -Token $script:dash.Value).Status | Should -Be 'active'
        }

        It '-Reissue with the token piped from a session that sees it delivers a replacement to the vault and leaves revocation to the owner' {
            $warnings = $null
            $c = $script:old | Repair-CfToken -RequiredPermissionGroup 'D1 Read' -Reissue -Vault $script:vault -SecretName hc-dash-token -Confirm:$false -WarningVariable warnings
            $c.Name | Should -Be 'hc-dash-reissued'
            $c.Scope | Should -Be 'Account'
            $c.Destination | Should -Be "vault:$($script:vault)/hc-dash-token"
            Get-Groups $c.Id Account | Should -Be @('D1 Read', 'Workers Scripts Read')
            $stored = Get-Secret -Name hc-dash-token -Vault $script:vault
            (Test-CfToken -Token $stored).Status | Should -Be 'active'
            (Test-CfToken -Token $stored).Id | Should -Be $c.Id
            # The old token is still there and working: the manager may not delete what it cannot see.
            (Test-CfToken -Token $script:dash.Value).Status | Should -Be 'active'
            "$warnings" | Should -Match 'NOT revoked.*owner must revoke'
            $revoke = Get-CfLedger -Kind Repair -TokenId $script:dash.Id | Where-Object Action -eq revoke
            $revoke.Outcome | Should -Be 'Skipped'
            $revoke.ErrorId | Should -Be 'TokenNotVisible'
            Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger } | Out-Null
            Get-Groups $script:dash.Id Account | Should -Be @('Workers Scripts Read')
        }
    }

    It 'refuses <Case> before any change' -TestCases @(
        @{ Case = 'no groups'; Arguments = @{}; ErrorId = 'MissingPermissionGroup' }
        @{ Case = 'both -AddPermissionGroup and -RequiredPermissionGroup'; Arguments = @{ AddPermissionGroup = 'D1 Read'; RequiredPermissionGroup = 'D1 Read' }; ErrorId = 'ConflictingParameters' }
        @{ Case = '-Vault without -Reissue'; Arguments = @{ AddPermissionGroup = 'D1 Read'; Vault = 'CfPester' }; ErrorId = 'ConflictingParameters' }
        @{ Case = '-Zone with -AllZones'; Arguments = @{ AddPermissionGroup = 'DNS Read'; Zone = 'example.com'; AllZones = $true }; ErrorId = 'ConflictingParameters' }
        @{ Case = 'a bad Worker script name'; Arguments = @{ AddPermissionGroup = 'D1 Read'; Reissue = $true; WorkerScript = 'Bad Name' }; ErrorId = 'InvalidScriptName' }
        @{ Case = 'an over-long -NewName'; Arguments = @{ AddPermissionGroup = 'D1 Read'; Reissue = $true; NewName = 'n' * 121 }; ErrorId = 'InvalidName' }
        @{ Case = 'an unknown group'; Arguments = @{ AddPermissionGroup = 'D1 Raed' }; ErrorId = 'PermissionGroupNotFound'; Category = 'ObjectNotFound' }
        @{ Case = 'a zone group without zones'; Arguments = @{ AddPermissionGroup = 'DNS Write' }; ErrorId = 'ZoneRequired' }
    ) {
        $t = Get-CfToken -Name workers-deploy
        $groups = Get-Groups $t.Id
        $before = Get-RequestCount
        $thrown = { Repair-CfToken -Id $t.Id @Arguments -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,$script:cmd.RepairCfTokenCommand" -PassThru
        $thrown.CategoryInfo.Category | Should -Be $(if ($Category) { $Category } else { 'InvalidArgument' })
        Get-NewRequest $before | Where-Object method -ne 'GET' | Should -BeNullOrEmpty
        Get-Groups $t.Id | Should -Be $groups
    }
}
