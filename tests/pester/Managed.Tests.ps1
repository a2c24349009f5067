#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# New-CfManagedToken, Get-CfManagedToken and Remove-CfExpiredManagedToken as an admin types them in real pwsh, against
# the built emulator, a real SecretStore vault and a temporary SQLite ledger (a D1 ledger for the orphan case).
# The in-process twins are tests/integration/Cmdlets/ManagedTokenTests.cs and LifecycleBadInputTests.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-managed-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:adminValue = Get-PlainText $script:emulator.Token
    $script:loud = Get-TestLoudParameter

    function script:Get-RequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator).Count }
    function script:Get-NewRequest([int] $Since) { @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $Since) }
    function script:Get-VaultValue([string] $Name) {
        $secret = Get-Secret -Name $Name -Vault $script:vault -ErrorAction SilentlyContinue
        if ($secret) { Get-PlainText $secret }
    }
    function script:Get-WorkerSecretName([string] $Script) {
        @(Invoke-TestCloudflareApi -Emulator $script:emulator -Path "accounts/$($script:session.AccountId)/workers/scripts/$Script/secrets") | ForEach-Object name
    }
    function script:Get-HostText([scriptblock] $ScriptBlock) {
        # -WhatIf writes to the host, not to a stream: a transcript is how a user would capture it.
        $file = Join-Path $TestDrive "host-$([guid]::NewGuid().ToString('n')).txt"
        $minimal = if ($PSVersionTable.PSVersion.Major -ge 7) { @{ UseMinimalHeader = $true } } else { @{} }  # 5.1 has no -UseMinimalHeader
        Start-Transcript -Path $file @minimal | Out-Null
        try { & $ScriptBlock | Out-Null } finally { Stop-Transcript | Out-Null }
        Get-Content -Raw $file
    }
}

AfterAll {
    Get-SecretInfo -Vault $script:vault -Name 'pm-*' -ErrorAction SilentlyContinue | ForEach-Object { Remove-Secret -Name $_.Name -Vault $script:vault -ErrorAction SilentlyContinue }
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'New-CfManagedToken' {
    It 'mints into the vault with metadata, returns no value, records mint/store/activate, and leaks nothing' {
        $text = & {
            $DebugPreference = 'Continue'
            $script:managed = New-CfManagedToken -Name pm-vault -Purpose 'nightly DNS sync' -PermissionGroup 'DNS Write' -Zone raxx.app `
                -Ttl 8:00:00 -Vault $script:vault -Confirm:$false @script:loud
            $script:managed
        } *>&1 | Out-String -Width 400

        $script:managed.GetType().FullName | Should -Be 'CfManagement.Model.CfManagedToken'
        $script:managed.Name | Should -Be 'pm-vault'
        $script:managed.TokenId | Should -Match '^[0-9a-f]{32}$'
        $script:managed.Purpose | Should -Be 'nightly DNS sync'
        $script:managed.State | Should -Be 'Active'
        $script:managed.Value | Should -BeNullOrEmpty
        $script:managed.Destinations | Should -Be @("vault:$($script:vault)/pm-vault")
        $script:managed.ExpiresOn.UtcDateTime | Should -BeGreaterThan ([DateTime]::UtcNow.AddHours(7.9))
        $script:managed.ExpiresOn.UtcDateTime | Should -BeLessThan ([DateTime]::UtcNow.AddHours(8.1))
        $table = $script:managed | Out-String -Width 200
        $table | Should -Match 'Name\s+Purpose\s+State\s+Cloudflare\s+ExpiresOn\s+Destinations'
        $table | Should -Match "pm-vault\s+nightly DNS sync\s+Active\s+active\s+\S.*vault:$($script:vault)/pm-vault"

        $stored = Get-VaultValue pm-vault
        $stored | Should -Not -BeNullOrEmpty
        (Test-CfToken -Token (Get-Secret -Name pm-vault -Vault $script:vault)).Status | Should -Be 'active'
        $metadata = (Get-SecretInfo -Name pm-vault -Vault $script:vault).Metadata
        $metadata.TokenId | Should -Be $script:managed.TokenId
        $metadata.TokenName | Should -Be 'pm-vault'
        $metadata.Purpose | Should -Be 'nightly DNS sync'
        $metadata.ManagedBy | Should -Be 'CfManagement'
        $metadata.Scopes | Should -Be 'DNS Write'

        (Get-CfToken -Id $script:managed.TokenId).PermissionGroupNames | Should -Be @('DNS Write')
        @(Get-CfLedger -TokenName pm-vault -Kind ManagedToken | ForEach-Object { "$($_.Action):$($_.Outcome)" }) |
            Should -Be @('mint:Pending', 'mint:Succeeded', 'store:Succeeded', 'activate:Succeeded')
        (Get-CfLedger -TokenName pm-vault | Where-Object Action -eq store).Destination | Should -Be "vault:$($script:vault)/pm-vault"

        $text | Should -Match 'pm-vault'
        $text | Should -Match 'HTTP (GET|POST|PUT|DELETE) /client/v4/'  # the -Debug stream was captured
        $text | Should -Not -Match ([regex]::Escape($stored))
        $text | Should -Not -Match ([regex]::Escape($script:adminValue))
        (Get-CfLedger | Out-String -Width 400) | Should -Not -Match ([regex]::Escape($stored))
    }

    It 'mints into a Worker secret' {
        $managed = New-CfManagedToken -Name pm-worker -Purpose 'cron deploys' -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 `
            -WorkerScript cron-worker -WorkerSecretName PM_DNS_TOKEN -Confirm:$false
        $managed.Value | Should -BeNullOrEmpty
        $managed.Destinations | Should -Be @('worker:cron-worker/PM_DNS_TOKEN')
        Get-WorkerSecretName cron-worker | Should -Contain 'PM_DNS_TOKEN'
        @(Get-CfLedger -TokenName pm-worker | Where-Object Action -eq store).Destination | Should -Be @('worker:cron-worker/PM_DNS_TOKEN')
    }

    It 'hands the value back as a SecureString when there is no destination, as plain text only with -AsPlainText' {
        $managed = New-CfManagedToken -Name pm-caller -Purpose 'ad hoc' -PermissionGroup 'Zone Read' -AllZones -Ttl 0:30:00 -Confirm:$false
        $managed.Value | Should -BeOfType [securestring]
        $managed.Destinations | Should -Be @('caller')
        (Test-CfToken -Token $managed.Value).Status | Should -Be 'active'
        (Out-String -InputObject $managed -Width 400) | Should -Not -Match ([regex]::Escape((Get-PlainText $managed.Value)))

        $plain = New-CfManagedToken -Name pm-plain -Purpose 'ad hoc' -PermissionGroup 'Zone Read' -AllZones -Ttl 0:30:00 -AsPlainText -Confirm:$false
        $plain.Value | Should -BeOfType [string]
        (Test-CfToken -Token (ConvertTo-SecureString -String $plain.Value -AsPlainText -Force)).Status | Should -Be 'active'
    }

    It 'binds Name, Purpose, PermissionGroup, Zone, Ttl and Vault by property name, one token per piped object' {
        $rows = @(
            [pscustomobject]@{ Name = 'pm-pipe-a'; Purpose = 'from csv a'; PermissionGroup = 'DNS Read'; Zone = 'raxx.io'; Ttl = '2:00:00'; Vault = $script:vault }
            [pscustomobject]@{ Name = 'pm-pipe-b'; Purpose = 'from csv b'; PermissionGroup = @('DNS Read', 'Zone Read'); Zone = 'example.com'; Ttl = [timespan]'3:00:00'; Vault = $script:vault }
        )
        $made = @($rows | New-CfManagedToken -Confirm:$false)
        $made.Name | Should -Be @('pm-pipe-a', 'pm-pipe-b')
        $made.Purpose | Should -Be @('from csv a', 'from csv b')
        (Get-CfToken -Id $made[1].TokenId).PermissionGroupNames | Sort-Object | Should -Be @('DNS Read', 'Zone Read')
        (Get-CfToken -Id $made[0].TokenId).Policies.Resources.Keys | Should -Contain 'com.cloudflare.api.account.zone.f3d1b89d86d1aa63a003f2826a8f841c'
        Get-VaultValue pm-pipe-a | Should -Not -BeNullOrEmpty
        Get-VaultValue pm-pipe-b | Should -Not -BeNullOrEmpty
    }

    It '-WhatIf mints nothing, stores nothing and records nothing' {
        $before = Get-RequestCount
        $ledgerBefore = @(Get-CfLedger).Count
        $host_ = Get-HostText { New-CfManagedToken -Name pm-whatif -Purpose 'dry run' -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -Vault $script:vault -WhatIf }
        $host_ | Should -Match "What if: Performing the operation `"Mint and store in vault:$($script:vault)/pm-whatif`" on target `"managed token 'pm-whatif' for 'dry run', expiring "
        Get-NewRequest $before | Where-Object method -ne 'GET' | Should -BeNullOrEmpty
        Get-CfToken -Name 'pm-whatif*' | Should -BeNullOrEmpty
        Get-SecretInfo -Name pm-whatif -Vault $script:vault | Should -BeNullOrEmpty
        @(Get-CfLedger).Count | Should -Be $ledgerBefore
    }

    It 'refuses <Case> before sending any request' -TestCases @(
        @{ Case = 'a blank purpose'; Arguments = @{ Purpose = '   ' }; ErrorId = 'InvalidPurpose' }
        @{ Case = 'a purpose over 200 characters'; Arguments = @{ Purpose = 'x' * 201 }; ErrorId = 'InvalidPurpose' }
        @{ Case = '-Zone with -AllZones'; Arguments = @{ Zone = 'raxx.app'; AllZones = $true }; ErrorId = 'ConflictingParameters' }
        @{ Case = 'a negative -Ttl'; Arguments = @{ Ttl = [timespan]'-1:00:00' }; ErrorId = 'InvalidTtl' }
        @{ Case = 'a bad -AllowedIp'; Arguments = @{ AllowedIp = '300.1.1.1/8' }; ErrorId = 'InvalidCidr' }
        @{ Case = 'a bad -WorkerSecretName'; Arguments = @{ WorkerScript = 'api-worker'; WorkerSecretName = 'no spaces allowed' }; ErrorId = 'InvalidSecretName' }
        @{ Case = 'a token name over 120 characters'; Arguments = @{ Name = 'pm-' + ('n' * 118) }; ErrorId = 'InvalidName' }
    ) {
        $parameters = @{ Name = 'pm-refused'; Purpose = 'refused'; PermissionGroup = 'DNS Read'; AllZones = $true; Ttl = [timespan]'1:00:00'; Confirm = $false }
        if ($Arguments.ContainsKey('Zone')) { $parameters.Remove('AllZones') }
        foreach ($key in $Arguments.Keys) { $parameters[$key] = $Arguments[$key] }
        $before = Get-RequestCount
        $thrown = { New-CfManagedToken @parameters -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,CfManagement.Commands.Managed.NewCfManagedTokenCommand" -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-NewRequest $before | Should -BeNullOrEmpty
        Get-CfManagedToken -Name pm-refused -IncludeRemoved | Should -BeNullOrEmpty
    }

    It 'refuses an unknown permission group with suggestions, reading only the catalogue' {
        $before = Get-RequestCount
        $thrown = { New-CfManagedToken -Name pm-unknown -Purpose x -PermissionGroup 'DNS Wrte' -AllZones -Ttl 1:00:00 -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'PermissionGroupNotFound,CfManagement.Commands.Managed.NewCfManagedTokenCommand' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $thrown.ErrorDetails.Message | Should -Match "Did you mean: .*'DNS Write'"
        Get-NewRequest $before | Where-Object method -ne 'GET' | Should -BeNullOrEmpty
    }
}

Describe 'Get-CfManagedToken' {
    BeforeAll {
        $script:listLedger = Join-Path $TestDrive 'list.db'
        $script:listA = New-CfManagedToken -Name pm-list-dns -Purpose 'nightly DNS sync' -PermissionGroup 'DNS Read' -AllZones -Ttl 4:00:00 `
            -Vault $script:vault -LedgerPath $script:listLedger -Confirm:$false
        $script:listB = New-CfManagedToken -Name pm-list-deploy -Purpose 'worker deploys' -PermissionGroup 'Workers Scripts Read' -Ttl 2:00:00 `
            -WorkerScript api-worker -WorkerSecretName PM_LIST -LedgerPath $script:listLedger -Confirm:$false
    }

    It 'joins the ledger''s purpose and destinations with Cloudflare''s status and expiry' {
        $all = @(Get-CfManagedToken -LedgerPath $script:listLedger | Sort-Object Name)
        $all.Name | Should -Be @('pm-list-deploy', 'pm-list-dns')
        $all.Purpose | Should -Be @('worker deploys', 'nightly DNS sync')
        $all[0].Destinations | Should -Be @('worker:api-worker/PM_LIST')
        $all[1].Destinations | Should -Be @("vault:$($script:vault)/pm-list-dns")
        $all.State | Should -Be @('Active', 'Active')
        $all.CloudflareStatus | Should -Be @('active', 'active')
        $all[1].ExpiresOn | Should -Be (Get-CfToken -Id $script:listA.TokenId).ExpiresOn
        $all | ForEach-Object { $_.Value | Should -BeNullOrEmpty }
    }

    It 'filters by -Name and -Purpose wildcards, case-insensitively' {
        (Get-CfManagedToken -Name 'PM-LIST-D*S' -LedgerPath $script:listLedger).Name | Should -Be 'pm-list-dns'
        (Get-CfManagedToken -Purpose '*deploy*' -LedgerPath $script:listLedger).Name | Should -Be 'pm-list-deploy'
        Get-CfManagedToken -Name 'nothing-*' -LedgerPath $script:listLedger | Should -BeNullOrEmpty
        Get-CfManagedToken -LedgerPath $script:listLedger -Expired | Should -BeNullOrEmpty
    }

    It 'shows Cloudflare''s view: a token revoked behind the ledger''s back is "missing"' {
        Remove-CfToken -Id $script:listB.TokenId -Confirm:$false
        (Get-CfManagedToken -Name pm-list-deploy -LedgerPath $script:listLedger).CloudflareStatus | Should -Be 'missing'
    }

    It 'prints a table of name, purpose, state, Cloudflare status, expiry and destinations' {
        $text = Get-CfManagedToken -Name pm-list-dns -LedgerPath $script:listLedger | Out-String -Width 200
        $text | Should -Match 'Name\s+Purpose\s+State\s+Cloudflare\s+ExpiresOn\s+Destinations'
        $text | Should -Match "pm-list-dns\s+nightly DNS sync\s+Active\s+active\s+\S.*vault:$($script:vault)/pm-list-dns"
    }

    It 'refuses -LedgerPath with -LedgerDatabaseId before reading anything' {
        $before = Get-RequestCount
        { Get-CfManagedToken -LedgerPath $script:listLedger -LedgerDatabaseId 00000000-0000-0000-0000-000000000000 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ConflictingParameters,CfManagement.Commands.Managed.GetCfManagedTokenCommand'
        Get-NewRequest $before | Should -BeNullOrEmpty
    }
}

Describe 'Remove-CfExpiredManagedToken' {
    BeforeAll {
        $script:cleanLedger = Join-Path $TestDrive 'cleanup.db'
        $common = @{ PermissionGroup = 'DNS Read'; AllZones = $true; Vault = $script:vault; LedgerPath = $script:cleanLedger; Confirm = $false }
        $script:short = New-CfManagedToken -Name pm-short -Purpose 'expires soon' -Ttl 0:00:02 @common
        $script:short2 = New-CfManagedToken -Name pm-short2 -Purpose 'expires soon' -Ttl 0:00:02 @common
        $script:long = New-CfManagedToken -Name pm-long -Purpose 'stays' -Ttl 8:00:00 @common
        $script:shortValue = Get-VaultValue pm-short
        Start-Sleep -Seconds 3
    }

    It 'lists the expired ones with Get-CfManagedToken -Expired' {
        @(Get-CfManagedToken -Expired -LedgerPath $script:cleanLedger).Name | Sort-Object | Should -Be @('pm-short', 'pm-short2')
    }

    It '-WhatIf names what would go and where it is stored, and changes nothing' {
        $before = Get-RequestCount
        $host_ = Get-HostText { Remove-CfExpiredManagedToken -Name pm-short -LedgerPath $script:cleanLedger -WhatIf }
        $host_ | Should -Match "What if: .*pm-short \($($script:short.TokenId)\), expired .*stored in: vault:$($script:vault)/pm-short"
        Get-NewRequest $before | Where-Object method -ne 'GET' | Should -BeNullOrEmpty
        Get-CfToken -Id $script:short.TokenId | Should -Not -BeNullOrEmpty
        Get-VaultValue pm-short | Should -Be $script:shortValue
        Get-CfLedger -Kind Cleanup -LedgerPath $script:cleanLedger | Should -BeNullOrEmpty
    }

    It '-PassThru revokes the expired token, removes its vault secret, records each step, and leaks nothing' {
        $text = & {
            $DebugPreference = 'Continue'
            $script:removed = @(Remove-CfExpiredManagedToken -Name pm-short -PassThru -Confirm:$false -LedgerPath $script:cleanLedger @script:loud)
            $script:removed
        } *>&1 | Out-String -Width 400

        $script:removed.Count | Should -Be 1
        $script:removed[0].Name | Should -Be 'pm-short'
        $script:removed[0].State | Should -Be 'Revoked'
        { Get-CfToken -Id $script:short.TokenId -ErrorAction Stop } | Should -Throw -ErrorId 'TokenNotFound,CfManagement.Commands.Tokens.GetCfTokenCommand'
        (Test-CfToken -Token (ConvertTo-SecureString $script:shortValue -AsPlainText -Force)).Status | Should -Not -Be 'active'
        Get-SecretInfo -Name pm-short -Vault $script:vault | Should -BeNullOrEmpty
        Get-CfToken -Id $script:long.TokenId | Should -Not -BeNullOrEmpty
        Get-VaultValue pm-long | Should -Not -BeNullOrEmpty
        @(Get-CfLedger -Kind Cleanup -TokenName pm-short -LedgerPath $script:cleanLedger | ForEach-Object { "$($_.Action):$($_.Outcome)" }) |
            Should -Be @('revoke:Succeeded', 'unstore:Succeeded', 'complete:Succeeded')
        (Get-CfManagedToken -Name pm-short -IncludeRemoved -LedgerPath $script:cleanLedger).State | Should -Be 'Revoked'
        Get-CfManagedToken -Name pm-short -LedgerPath $script:cleanLedger | Should -BeNullOrEmpty

        $text | Should -Match 'managed token\(s\) to clean up'
        $text | Should -Match 'HTTP (GET|POST|PUT|DELETE) /client/v4/'  # the -Debug stream was captured
        $text | Should -Not -Match ([regex]::Escape($script:shortValue))
        $text | Should -Not -Match ([regex]::Escape($script:adminValue))
    }

    It 'without -PassThru writes nothing to the pipeline but still cleans up' {
        $output = Remove-CfExpiredManagedToken -LedgerPath $script:cleanLedger
        $output | Should -BeNullOrEmpty
        { Get-CfToken -Id $script:short2.TokenId -ErrorAction Stop } | Should -Throw -ErrorId 'TokenNotFound,CfManagement.Commands.Tokens.GetCfTokenCommand'
        Get-SecretInfo -Name pm-short2 -Vault $script:vault | Should -BeNullOrEmpty
        (Get-CfManagedToken -Name pm-short2 -IncludeRemoved -LedgerPath $script:cleanLedger).State | Should -Be 'Revoked'
    }

    It 'is idempotent: a second run finds nothing and sends no DELETE' {
        $before = Get-RequestCount
        Remove-CfExpiredManagedToken -PassThru -Confirm:$false -LedgerPath $script:cleanLedger | Should -BeNullOrEmpty
        Get-NewRequest $before | Where-Object method -eq 'DELETE' | Should -BeNullOrEmpty
        (Get-CfManagedToken -LedgerPath $script:cleanLedger).Name | Should -Be 'pm-long'
    }

    It '-IncludeOrphaned finishes a flow that died between mint and activate (D1 ledger)' {
        $d1 = New-TestD1Database -Emulator $script:emulator -AccountId $script:session.AccountId
        $orphan = New-CfManagedToken -Name pm-orphan -Purpose 'died midway' -PermissionGroup 'DNS Read' -AllZones -Ttl 8:00:00 `
            -WorkerScript api-worker -WorkerSecretName PM_ORPHAN -LedgerDatabaseId $d1 -Confirm:$false
        # What a killed process leaves: the registry row still Pending, two hours old, with a live token and its secret.
        Invoke-TestD1Query -Emulator $script:emulator -AccountId $script:session.AccountId -DatabaseId $d1 `
            -Sql 'UPDATE managed_tokens SET state = ?1, created_on = ?2 WHERE token_id = ?3' `
            -Parameters @('Pending', [DateTimeOffset]::UtcNow.AddHours(-2).ToString('o'), $orphan.TokenId) | Out-Null
        (Get-CfManagedToken -Name pm-orphan -LedgerDatabaseId $d1).State | Should -Be 'Pending'

        Remove-CfExpiredManagedToken -PassThru -LedgerDatabaseId $d1 | Should -BeNullOrEmpty
        Get-CfToken -Id $orphan.TokenId | Should -Not -BeNullOrEmpty

        $removed = @(Remove-CfExpiredManagedToken -IncludeOrphaned -PassThru -LedgerDatabaseId $d1)
        $removed.Name | Should -Be @('pm-orphan')
        $removed[0].State | Should -Be 'Revoked'
        { Get-CfToken -Id $orphan.TokenId -ErrorAction Stop } | Should -Throw -ErrorId 'TokenNotFound,CfManagement.Commands.Tokens.GetCfTokenCommand'
        Get-WorkerSecretName api-worker | Should -Not -Contain 'PM_ORPHAN'
        (Get-CfManagedToken -Name pm-orphan -IncludeRemoved -LedgerDatabaseId $d1).State | Should -Be 'Revoked'
    }

    It 'refuses an -OrphanAgeMinutes out of range before sending anything' {
        $before = Get-RequestCount
        { Remove-CfExpiredManagedToken -IncludeOrphaned -OrphanAgeMinutes -1 -LedgerPath $script:cleanLedger -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,CfManagement.Commands.Managed.RemoveCfExpiredManagedTokenCommand'
        Get-NewRequest $before | Should -BeNullOrEmpty
    }
}
