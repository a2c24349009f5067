#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Get-CfLedger after real actions, in real pwsh against the built emulator: the SQLite ledger at -LedgerPath (and how
# the session, CFMANAGEMENT_LEDGER_PATH and the parameter pick it), and the D1 ledger in the emulator's D1 via
# -LedgerDatabaseId. The in-process twins are tests/integration/Cmdlets/ManagedTokenTests.cs and tests/unit/Ledger.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    # Not in $TestDrive: Pester empties that at the end of each Describe, and the session keeps this file open across them.
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-ledger-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:adminValue = Get-PlainText $script:emulator.Token
    $script:loud = Get-TestLoudParameter

    function script:Get-RequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator).Count }
    function script:Get-NewRequest([int] $Since) { @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $Since) }
    function script:Format-Entry { process { "$($_.Kind):$($_.Action):$($_.Outcome)" } }
}

AfterAll {
    Get-SecretInfo -Vault $script:vault -Name 'lg-*' -ErrorAction SilentlyContinue | ForEach-Object { Remove-Secret -Name $_.Name -Vault $script:vault -ErrorAction SilentlyContinue }
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'Get-CfLedger (SQLite at -LedgerPath)' {
    BeforeAll {
        # Real actions, each recorded by the command that did it.
        $script:start = [DateTime]::UtcNow.AddSeconds(-1)
        $script:managed = New-CfManagedToken -Name lg-dns -Purpose 'nightly DNS sync' -PermissionGroup 'DNS Read' -AllZones -Ttl 2:00:00 -Vault $script:vault -Confirm:$false
        $script:plain = New-CfToken -Name lg-plain -PermissionGroup 'DNS Read' -AllZones -Confirm:$false
        $script:health = Test-CfTokenHealth -Id $script:plain.Id -RequiredPermissionGroup 'Zone Read'
        $script:rolled = Get-CfToken -Id $script:plain.Id | Invoke-CfTokenRoll -Confirm:$false
        Remove-CfToken -Id $script:plain.Id -Confirm:$false
        $script:end = [DateTime]::UtcNow.AddSeconds(1)
    }

    It 'holds every step, oldest first, in the file at -LedgerPath' {
        Test-Path $script:ledger | Should -BeTrue
        @(Get-CfLedger | Format-Entry) | Should -Be @(
            'ManagedToken:mint:Pending', 'ManagedToken:mint:Succeeded', 'ManagedToken:store:Succeeded', 'ManagedToken:activate:Succeeded'
            'HealthCheck:check:Failed', 'Rotation:roll:Succeeded', 'Revocation:revoke:Succeeded')
        $all = @(Get-CfLedger)
        $all[0].GetType().FullName | Should -Be 'CfManagement.Ledger.LedgerEntry'
        ($all.Sequence -join ',') | Should -Be (($all.Sequence | Sort-Object) -join ',')
        $all | ForEach-Object { $_.Timestamp.UtcDateTime | Should -BeGreaterOrEqual $script:start }
        $all | ForEach-Object { $_.Actor | Should -Match '@' }
        ($all | Where-Object Kind -eq ManagedToken).TokenId | Select-Object -Unique | Should -Be $script:managed.TokenId
        ($all | Where-Object Kind -eq ManagedToken).OperationId | Select-Object -Unique | Should -HaveCount 1
    }

    It '-Last N keeps the newest N, still oldest first' {
        @(Get-CfLedger -Last 2 | Format-Entry) | Should -Be @('Rotation:roll:Succeeded', 'Revocation:revoke:Succeeded')
        @(Get-CfLedger -Last 1 -Kind ManagedToken | Format-Entry) | Should -Be @('ManagedToken:activate:Succeeded')
    }

    It '-TokenName matches wildcards case-insensitively; -TokenId binds by property name from the pipeline' {
        @(Get-CfLedger -TokenName 'LG-DNS').Count | Should -Be 4
        @(Get-CfLedger -TokenName 'lg-p*' | Format-Entry) | Should -Be @('HealthCheck:check:Failed', 'Rotation:roll:Succeeded', 'Revocation:revoke:Succeeded')
        Get-CfLedger -TokenName 'nothing*' | Should -BeNullOrEmpty
        # The piped CfManagedToken's TokenId: every step after the mint request (the Pending row predates the id).
        @($script:managed | Get-CfLedger | Format-Entry) | Should -Be @('ManagedToken:mint:Succeeded', 'ManagedToken:store:Succeeded', 'ManagedToken:activate:Succeeded')
        @([pscustomobject]@{ TokenId = $script:plain.Id } | Get-CfLedger | Format-Entry) | Should -Be @('HealthCheck:check:Failed', 'Rotation:roll:Succeeded', 'Revocation:revoke:Succeeded')
    }

    It 'filters by -Kind, -Outcome, -Purpose, -OperationId, -Since and -Until, all combined' {
        @(Get-CfLedger -Kind HealthCheck).TokenId | Should -Be @($script:plain.Id)
        (Get-CfLedger -Kind HealthCheck).Detail | Should -Match '^missing: Zone Read'
        @(Get-CfLedger -Outcome Pending | Format-Entry) | Should -Be @('ManagedToken:mint:Pending')
        @(Get-CfLedger -Outcome Failed | Format-Entry) | Should -Be @('HealthCheck:check:Failed')
        @(Get-CfLedger -Purpose 'nightly DNS sync').Count | Should -Be 4
        Get-CfLedger -Purpose 'nothing' | Should -BeNullOrEmpty
        $operation = (Get-CfLedger -Kind ManagedToken -Last 1).OperationId
        @(Get-CfLedger -OperationId $operation).Count | Should -Be 4
        @(Get-CfLedger -Since $script:start -Until $script:end).Count | Should -Be 7
        Get-CfLedger -Since $script:end | Should -BeNullOrEmpty
        Get-CfLedger -Until $script:start | Should -BeNullOrEmpty
        @(Get-CfLedger -Kind ManagedToken -Outcome Succeeded -TokenName 'lg-*' | Format-Entry) |
            Should -Be @('ManagedToken:mint:Succeeded', 'ManagedToken:store:Succeeded', 'ManagedToken:activate:Succeeded')
    }

    It 'records places, never values' {
        (Get-CfLedger -Kind ManagedToken | Where-Object Action -eq store).Destination | Should -Be "vault:$($script:vault)/lg-dns"
        (Get-CfLedger -Kind Rotation).Destination | Should -Be 'caller'
        $text = Get-CfLedger | Format-List * | Out-String -Width 400
        $text | Should -Not -Match ([regex]::Escape((Get-PlainText (Get-Secret -Name lg-dns -Vault $script:vault))))
        $text | Should -Not -Match ([regex]::Escape((Get-PlainText $script:rolled.Value)))
        $text | Should -Not -Match ([regex]::Escape((Get-PlainText $script:plain.Value)))
        $text | Should -Not -Match ([regex]::Escape($script:adminValue))
    }

    It 'prints a table of timestamp, kind, action, outcome, token, destination and detail' {
        $text = Get-CfLedger -Kind ManagedToken -Last 2 | Out-String -Width 250
        $text | Should -Match 'Timestamp\s+Kind\s+Action\s+Outcome\s+TokenName\s+Destination\s+Detail'
        $text | Should -Match "ManagedToken\s+store\s+Succeeded\s+lg-dns\s+vault:$($script:vault)/lg-dns"
        $text | Should -Match 'ManagedToken\s+activate\s+Succeeded\s+lg-dns'
    }

    It 'a -LedgerPath on the command wins over the session''s; reading one that does not exist is LedgerNotFound and creates nothing' {
        $other = Join-Path $TestDrive 'other.db'
        $missing = $null
        Get-CfLedger -LedgerPath $other -ErrorAction SilentlyContinue -ErrorVariable missing | Should -BeNullOrEmpty
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'LedgerNotFound,*'
        Test-Path $other | Should -BeFalse
        Test-CfTokenHealth -LedgerPath $other | Out-Null
        @(Get-CfLedger -LedgerPath $other | Format-Entry) | Should -Be @('HealthCheck:check:Succeeded')
        @(Get-CfLedger -Kind HealthCheck).Count | Should -Be 1
    }

    It 'uses CFMANAGEMENT_LEDGER_PATH when neither the command nor the session names a file' {
        $fromEnv = Join-Path $TestDrive 'from-env.db'
        $saved = $env:CFMANAGEMENT_LEDGER_PATH
        try {
            $env:CFMANAGEMENT_LEDGER_PATH = $fromEnv
            Connect-TestSession -Emulator $script:emulator | Out-Null
            Test-CfTokenHealth | Out-Null
            @(Get-CfLedger | Format-Entry) | Should -Be @('HealthCheck:check:Succeeded')
        }
        finally {
            $env:CFMANAGEMENT_LEDGER_PATH = $saved
            $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
        }
        Test-Path $fromEnv | Should -BeTrue
        @(Get-CfLedger -LedgerPath $fromEnv).Count | Should -Be 1
        @(Get-CfLedger -Kind HealthCheck).Count | Should -Be 1
    }

    It 'refuses <Case> before reading anything' -TestCases @(
        @{ Case = '-Since after -Until'; Arguments = @{ Since = [DateTime]'2026-02-01'; Until = [DateTime]'2026-01-01' }; ErrorId = 'ConflictingParameters' }
        @{ Case = 'a malformed -TokenId'; Arguments = @{ TokenId = 'lg-dns' }; ErrorId = 'InvalidId' }
        @{ Case = 'a malformed -LedgerDatabaseId'; Arguments = @{ LedgerDatabaseId = 'not-a-uuid' }; ErrorId = 'InvalidId' }
        @{ Case = 'a blank -LedgerPath'; Arguments = @{ LedgerPath = ' ' }; ErrorId = 'InvalidName' }
        @{ Case = 'both -LedgerPath and -LedgerDatabaseId'; Arguments = @{ LedgerPath = 'x.db'; LedgerDatabaseId = '00000000-0000-0000-0000-000000000000' }; ErrorId = 'ConflictingParameters' }
    ) {
        $before = Get-RequestCount
        $thrown = { Get-CfLedger @Arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,CfManagement.Commands.Managed.GetCfLedgerCommand" -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-NewRequest $before | Should -BeNullOrEmpty
    }

    It 'refuses -Last 0 and an unknown -Kind at binding' {
        { Get-CfLedger -Last 0 -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,CfManagement.Commands.Managed.GetCfLedgerCommand'
        { Get-CfLedger -Kind Nonsense -ErrorAction Stop } | Should -Throw -ErrorId 'CannotConvertArgumentNoMessage,CfManagement.Commands.Managed.GetCfLedgerCommand'
    }

    It 'leaks no token value with -Verbose -Debug' {
        $text = & { $DebugPreference = 'Continue'; $script:entries = @(Get-CfLedger @script:loud); $script:entries } *>&1 | Out-String -Width 400
        $script:entries.Count | Should -BeGreaterOrEqual 7
        $text | Should -Match 'lg-dns'
        $text | Should -Not -Match ([regex]::Escape($script:adminValue))
    }
}

Describe 'Get-CfLedger (D1 via -LedgerDatabaseId)' {
    BeforeAll {
        $script:d1 = New-TestD1Database -Emulator $script:emulator -AccountId $script:session.AccountId
        $script:d1Managed = New-CfManagedToken -Name lg-d1 -Purpose 'runbook on many machines' -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 `
            -WorkerScript api-worker -WorkerSecretName LG_D1 -LedgerDatabaseId $script:d1 -Confirm:$false
    }

    It 'records the same flow in D1, and nothing in the session''s SQLite file' {
        @(Get-CfLedger -LedgerDatabaseId $script:d1 -TokenName lg-d1 | Format-Entry) |
            Should -Be @('ManagedToken:mint:Pending', 'ManagedToken:mint:Succeeded', 'ManagedToken:store:Succeeded', 'ManagedToken:activate:Succeeded')
        Get-CfLedger -TokenName lg-d1 | Should -BeNullOrEmpty
        (Get-CfManagedToken -Name lg-d1 -LedgerDatabaseId $script:d1).Destinations | Should -Be @('worker:api-worker/LG_D1')
    }

    It 'really lives in the D1 database: its rows are there, with no value in any column' {
        $rows = Invoke-TestD1Query -Emulator $script:emulator -AccountId $script:session.AccountId -DatabaseId $script:d1 `
            -Sql 'SELECT action, outcome, token_id, destination FROM ledger_entries WHERE token_name = ?1 ORDER BY seq' -Parameters @('lg-d1')
        @($rows | ForEach-Object { "$($_.action):$($_.outcome)" }) | Should -Be @('mint:Pending', 'mint:Succeeded', 'store:Succeeded', 'activate:Succeeded')
        $rows.token_id | Select-Object -Unique | Should -Be $script:d1Managed.TokenId
        $registry = Invoke-TestD1Query -Emulator $script:emulator -AccountId $script:session.AccountId -DatabaseId $script:d1 `
            -Sql 'SELECT state, purpose FROM managed_tokens WHERE token_id = ?1' -Parameters @($script:d1Managed.TokenId)
        "$($registry.state)|$($registry.purpose)" | Should -Be 'Active|runbook on many machines'
        $dump = Invoke-TestD1Query -Emulator $script:emulator -AccountId $script:session.AccountId -DatabaseId $script:d1 -Sql 'SELECT * FROM ledger_entries' |
            ConvertTo-Json -Depth 5
        $dump | Should -Not -Match 'cfut_|cfat_'
    }

    It 'becomes the session''s ledger with Connect-CfAccount -LedgerDatabaseId' {
        try {
            Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerDatabaseId = $script:d1 } | Out-Null
            Test-CfTokenHealth -RequiredPermissionGroup 'DNS Read' | Out-Null
            @(Get-CfLedger -Kind HealthCheck | Format-Entry) | Should -Be @('HealthCheck:check:Succeeded')
            @(Get-CfLedger -Last 2 -Kind ManagedToken | Format-Entry) | Should -Be @('ManagedToken:store:Succeeded', 'ManagedToken:activate:Succeeded')
        }
        finally {
            $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
        }
        @(Get-CfLedger -LedgerDatabaseId $script:d1 -Kind HealthCheck).Count | Should -Be 1
    }

    It 'says LedgerUnavailable for a D1 database that does not exist, and a managed token is then never minted' {
        $missing = '00000000-0000-0000-0000-000000000000'
        $thrown = { Get-CfLedger -LedgerDatabaseId $missing -ErrorAction Stop } | Should -Throw -ErrorId 'LedgerUnavailable,CfManagement.Commands.Managed.GetCfLedgerCommand' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $thrown.ErrorDetails.RecommendedAction | Should -Match 'Nothing was changed'

        $before = Get-RequestCount
        { New-CfManagedToken -Name lg-nowhere -Purpose x -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -LedgerDatabaseId $missing -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'LedgerUnavailable,CfManagement.Commands.Managed.NewCfManagedTokenCommand'
        Get-NewRequest $before | Where-Object { $_.method -eq 'POST' -and $_.path -like '*/tokens' } | Should -BeNullOrEmpty
        Get-CfToken -Name 'lg-nowhere*' | Should -BeNullOrEmpty
    }
}
