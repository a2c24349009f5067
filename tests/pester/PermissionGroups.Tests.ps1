#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Get-CfPermissionGroup and Get-CfZone as an admin types them in real pwsh, against the built emulator.
# The in-process twins are tests/integration/Cmdlets/PermissionGroupTests.cs and BadInputTests.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:session = Connect-TestSession -Emulator $script:emulator
    $script:adminValue = Get-PlainText $script:emulator.Token
    $script:loud = Get-TestLoudParameter

    function script:Get-RequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator).Count }
    function script:Get-NewRequest([int] $Since) { @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $Since) }
    function script:Get-CatalogueRequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator | Where-Object path -like '*/permission_groups').Count }
    # Seed zone ids (the emulator's fixed ids: see src/CfManagement.Emulator/Seed/SeedIds.cs).
    $script:zones = @{
        'raxx.app' = 'f12dbb5cac57d5591a5058874498a6d1'; 'getraxx.com' = '0bdcee38d1da2d021eb6166f0bd6204f'
        'raxx.io' = 'f3d1b89d86d1aa63a003f2826a8f841c'; 'example.com' = '023e105f4ecef8ad9ca31a8372d0c353'
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
}

Describe 'Get-CfPermissionGroup' {
    It 'lists the whole catalogue sorted by name, fetching it once per session until -Refresh' {
        $before = Get-CatalogueRequestCount
        $all = @(Get-CfPermissionGroup)
        $all.Count | Should -BeGreaterOrEqual 30
        $all[0].GetType().FullName | Should -Be 'CfManagement.Model.CfPermissionGroup'
        ($all.Name -join '|') | Should -BeExactly (($all.Name | Sort-Object) -join '|')
        Get-CfPermissionGroup -Name 'Zone Read' | Out-Null
        (Get-CatalogueRequestCount) - $before | Should -BeLessOrEqual 1
        $cached = Get-CatalogueRequestCount

        Get-CfPermissionGroup -Refresh | Out-Null
        Get-CatalogueRequestCount | Should -Be ($cached + 1)
    }

    It 'filters by -Name wildcards (case-insensitive) and -Scope' {
        $dns = @(Get-CfPermissionGroup -Name 'dns*' -Scope Zone)
        $dns.Name | Should -Be @('DNS Read', 'DNS Write')
        ($dns | Where-Object Name -eq 'DNS Write').Id | Should -Be '4755a26eedb94da69e1066d98aa820be'
        $dns.ScopeNames | Select-Object -Unique | Should -Be 'Zone'
        @(Get-CfPermissionGroup -Name '*API Tokens*' -Scope User).Name | Should -Be @('API Tokens Read', 'API Tokens Write')
        @(Get-CfPermissionGroup -Name '*API Tokens*' -Scope com.cloudflare.api.account).Name | Should -Be @('Account API Tokens Read', 'Account API Tokens Write')
        Get-CfPermissionGroup -Name 'Nothing*' | Should -BeNullOrEmpty
    }

    It 'looks groups up by -Id' {
        (Get-CfPermissionGroup -Id c8fed203ed3043cba015a93ad1616f1f).Name | Should -Be 'Zone Read'
        @(Get-CfPermissionGroup -Id c8fed203ed3043cba015a93ad1616f1f, 4755a26eedb94da69e1066d98aa820be).Name | Should -Be @('Zone Read', 'DNS Write')
    }

    It 'binds names by value and Name or Id by property name from the pipeline' {
        @('DNS Read', 'Zone Read' | Get-CfPermissionGroup).Name | Should -Be @('DNS Read', 'Zone Read')
        ([pscustomobject]@{ Name = 'DNS Write' } | Get-CfPermissionGroup).Id | Should -Be '4755a26eedb94da69e1066d98aa820be'
        ([pscustomobject]@{ Id = 'c8fed203ed3043cba015a93ad1616f1f' } | Get-CfPermissionGroup).Name | Should -Be 'Zone Read'
    }

    It 'says PermissionGroupNotFound for an unknown name, with suggestions' {
        $thrown = { Get-CfPermissionGroup -Name 'DNS Wirte' -ErrorAction Stop } |
            Should -Throw -ErrorId 'PermissionGroupNotFound,CfManagement.Commands.PermissionGroups.GetCfPermissionGroupCommand' -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $thrown.TargetObject | Should -Be 'DNS Wirte'
        $thrown.ErrorDetails.Message | Should -Match "no permission group named 'DNS Wirte' exists.*Did you mean: .*'DNS Write'"
        $thrown.ErrorDetails.RecommendedAction | Should -Match 'Get-CfPermissionGroup'
    }

    It 'says PermissionGroupNotFound for an unknown id and for a name outside -Scope, and carries on with the rest' {
        $errors = $null
        $found = @(Get-CfPermissionGroup -Name 'Zone Read', 'D1 Read', 'DNS Read' -Scope Zone -ErrorVariable errors -ErrorAction SilentlyContinue)
        $found.Name | Should -Be @('Zone Read', 'DNS Read')
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'PermissionGroupNotFound,CfManagement.Commands.PermissionGroups.GetCfPermissionGroupCommand'
        $errors[0].ErrorDetails.Message | Should -Match "'D1 Read' in scope Zone"

        { Get-CfPermissionGroup -Id 00000000000000000000000000000000 -ErrorAction Stop } |
            Should -Throw -ErrorId 'PermissionGroupNotFound,CfManagement.Commands.PermissionGroups.GetCfPermissionGroupCommand'
    }

    It 'returns both groups of a name that exists in several scopes and warns, until -Scope narrows it' {
        $warnings = $null
        $both = @(Get-CfPermissionGroup -Name 'Workers R2 Storage Write' -WarningVariable warnings -WarningAction SilentlyContinue)
        $both.Count | Should -Be 2
        $both.Id | Select-Object -Unique | Should -HaveCount 2
        $warnings.Count | Should -Be 1
        "$warnings" | Should -Match "'Workers R2 Storage Write' names 2 permission groups in different scopes .*use -Scope or the id"

        $one = @(Get-CfPermissionGroup -Name 'Workers R2 Storage Write' -Scope R2Bucket -WarningVariable warnings)
        $one.Count | Should -Be 1
        $one[0].ScopeNames | Should -Be 'R2Bucket'
        $warnings | Should -BeNullOrEmpty
    }

    It 'prints a table of name, id and scopes' {
        $text = Get-CfPermissionGroup -Name 'DNS Write' | Out-String -Width 200
        $text | Should -Match 'Name\s+Id\s+Scopes'
        $text | Should -Match 'DNS Write\s+4755a26eedb94da69e1066d98aa820be\s+Zone'
    }

    It 'completes -Name and -Scope from the live catalogue' {
        $line = "Get-CfPermissionGroup -Name 'DNS"
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain "'DNS Write'"
        $names | Should -Contain "'DNS Read'"
        $line = 'Get-CfPermissionGroup -Scope R'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('R2Bucket')
    }

    It 'refuses <Case> before sending any request' -TestCases @(
        @{ Case = 'an unknown -Scope'; Arguments = @{ Scope = 'Galaxy' }; ErrorId = 'InvalidPermissionScope' }
        @{ Case = 'a malformed -Id'; Arguments = @{ Id = 'not-an-id' }; ErrorId = 'InvalidId' }
        @{ Case = 'an upper-case -Id'; Arguments = @{ Id = 'C8FED203ED3043CBA015A93AD1616F1F' }; ErrorId = 'InvalidId' }
        @{ Case = 'a -Name over 200 characters'; Arguments = @{ Name = 'n' * 201 }; ErrorId = 'InvalidName' }
        @{ Case = 'a blank -Name'; Arguments = @{ Name = ' ' }; ErrorId = 'InvalidName' }
    ) {
        $before = Get-RequestCount
        $thrown = { Get-CfPermissionGroup @Arguments -Refresh -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,CfManagement.Commands.PermissionGroups.GetCfPermissionGroupCommand" -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-NewRequest $before | Should -BeNullOrEmpty
    }

    It 'leaks no token value with -Verbose -Debug' {
        $text = & { $DebugPreference = 'Continue'; $script:groups = @(Get-CfPermissionGroup -Name 'DNS*' -Refresh @script:loud); $script:groups } *>&1 | Out-String -Width 400
        $script:groups.Count | Should -BeGreaterOrEqual 2
        $text | Should -Match 'DNS Write'
        $text | Should -Match 'HTTP (GET|POST|PUT|DELETE) /client/v4/'  # the -Debug stream was captured
        $text | Should -Not -Match ([regex]::Escape($script:adminValue))
    }

    It 'gives a token without token-read access a clear permission error' {
        $weak = New-TestEmulatorToken -Emulator $script:emulator -Name pg-weak -PermissionGroup 'DNS Read'
        try {
            Connect-CfAccount -ApiToken $weak.Value -ApiBaseUri $script:emulator.BaseUri | Out-Null
            $thrown = { Get-CfPermissionGroup -ErrorAction Stop } | Should -Throw -PassThru
            $thrown.FullyQualifiedErrorId | Should -BeLike 'ApiPermissionDenied,*'
            $thrown.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $thrown.ErrorDetails.Message | Should -Match '9109'
            $thrown.ErrorDetails.RecommendedAction | Should -Match 'API Tokens Read'
        }
        finally {
            $script:session = Connect-TestSession -Emulator $script:emulator
        }
    }
}

Describe 'Get-CfZone' {
    It 'lists every zone of the account' {
        $all = @(Get-CfZone)
        $all.Name | Sort-Object | Should -Be @('example.com', 'getraxx.com', 'raxx.app', 'raxx.io')
        $all[0].GetType().FullName | Should -Be 'CfManagement.Model.CfZone'
        foreach ($zone in $all) { $zone.Id | Should -Be $script:zones[$zone.Name] }
    }

    It 'filters by -Name wildcards, case-insensitively, and by exact name' {
        @(Get-CfZone -Name 'RAXX.*').Name | Sort-Object | Should -Be @('raxx.app', 'raxx.io')
        @(Get-CfZone -Name '*raxx*', 'example.com').Name | Sort-Object | Should -Be @('example.com', 'getraxx.com', 'raxx.app', 'raxx.io')
        (Get-CfZone -Name Example.COM).Id | Should -Be $script:zones['example.com']
        Get-CfZone -Name 'nothing*' | Should -BeNullOrEmpty
    }

    It 'gets zones by -Id' {
        (Get-CfZone -Id $script:zones['raxx.io']).Name | Should -Be 'raxx.io'
        @(Get-CfZone -Id $script:zones['raxx.io'], $script:zones['raxx.app']).Name | Should -Be @('raxx.io', 'raxx.app')
    }

    It 'binds names by value, and Name or ZoneId by property name, from the pipeline' {
        @('raxx.app', 'getraxx.com' | Get-CfZone).Id | Should -Be @($script:zones['raxx.app'], $script:zones['getraxx.com'])
        ([pscustomobject]@{ ZoneId = $script:zones['example.com'] } | Get-CfZone).Name | Should -Be 'example.com'
        ([pscustomobject]@{ Name = 'raxx.io' } | Get-CfZone).Id | Should -Be $script:zones['raxx.io']
        (Get-CfZone -Name raxx.app | Get-CfZone).Id | Should -Be $script:zones['raxx.app']
    }

    It 'says ZoneNotFound for an unknown exact name or id (Cloudflare answers 400 7003 for the id), and carries on with the rest' {
        $errors = $null
        $found = @(Get-CfZone -Name 'raxx.app', 'nope.example' -ErrorVariable errors -ErrorAction SilentlyContinue)
        $found.Name | Should -Be @('raxx.app')
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'ZoneNotFound,CfManagement.Commands.Tokens.GetCfZoneCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errors[0].TargetObject | Should -Be 'nope.example'

        $thrown = { Get-CfZone -Id 0123456789abcdef0123456789abcdef -ErrorAction Stop } |
            Should -Throw -ErrorId 'ZoneNotFound,CfManagement.Commands.Tokens.GetCfZoneCommand' -PassThru
        $thrown.TargetObject | Should -Be '0123456789abcdef0123456789abcdef'
        $thrown.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $thrown.ErrorDetails.Message | Should -Be "No zone with id '0123456789abcdef0123456789abcdef' is visible to this session."
    }

    It 'prints a table of name, id, status and account' {
        $text = Get-CfZone -Name raxx.app | Out-String -Width 200
        $text | Should -Match 'Name\s+Id\s+Status\s+AccountName'
        $text | Should -Match "raxx\.app\s+$($script:zones['raxx.app'])\s+active"
    }

    It 'refuses <Case> before sending any request' -TestCases @(
        @{ Case = 'a malformed -Id'; Arguments = @{ Id = 'raxx.app' }; ErrorId = 'InvalidId' }
        @{ Case = 'a -Name over 253 characters'; Arguments = @{ Name = ('a' * 250) + '.com' }; ErrorId = 'InvalidName' }
    ) {
        $before = Get-RequestCount
        $thrown = { Get-CfZone @Arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,CfManagement.Commands.Tokens.GetCfZoneCommand" -PassThru
        $thrown.CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-NewRequest $before | Should -BeNullOrEmpty
    }

    It 'leaks no token value with -Verbose -Debug' {
        $text = & { $DebugPreference = 'Continue'; $script:found = @(Get-CfZone -Name 'raxx*' @script:loud); $script:found } *>&1 | Out-String -Width 400
        $script:found.Count | Should -Be 2
        $text | Should -Match 'raxx\.app'
        $text | Should -Match 'HTTP (GET|POST|PUT|DELETE) /client/v4/'  # the -Debug stream was captured
        $text | Should -Not -Match ([regex]::Escape($script:adminValue))
    }
}
