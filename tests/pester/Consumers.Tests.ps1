#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# The consumer map (Register-/Get-/Unregister-CfTokenConsumer) in real pwsh against the built emulator, as a user types
# it: a CSV imported through the pipeline, wildcards, unregistering through the pipeline, -WhatIf, bad input with its
# ErrorIds, the table view and completers; on the SQLite ledger of the session and on a D1 ledger in the emulator.
# The in-process twin is tests/integration/Cmdlets/TokenConsumerTests.cs; the engines' contract is in tests/unit/Ledger.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    # Not in $TestDrive: Pester empties that at the end of each Describe, and the session keeps using this file.
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-consumers-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:adminValue = Get-PlainText $script:emulator.Token
    $script:loud = Get-TestLoudParameter

    function script:Get-RequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator).Count }
    function script:Format-Pair { process { "$($_.Credential) -> $($_.Destination)" } }

    $script:csvText = @'
Credential,Destination,Description,ClientIdName
CF_WAF_EDIT_RAXX_APP,external:sre-agent (CI/scripted),Deploy and update WAF rate-limit rules on raxx.app,
CF_WAF_EDIT_RAXX_APP,worker:waf-deployer/CF_API_TOKEN,WAF rule deploy/update/disable,
CF_DNS_EDIT_GETRAXX_COM,external:Terraform,DNS record creation and updates for getraxx.com,
CF_DNS_EDIT_GETRAXX_COM,Pages:raxx-site/Production/CF_DNS_TOKEN,Preview DNS checks,
CI_REGISTRY,secrets-store:default_secrets_store/CI_REGISTRY_CLIENT_SECRET,Registry Access service token,
CI_GATE,github:GATE_SECRET,Access service token for the gate job,GATE_ID
'@
    $script:expected = @(
        'CF_DNS_EDIT_GETRAXX_COM -> external:Terraform'
        'CF_DNS_EDIT_GETRAXX_COM -> pages:raxx-site/production/CF_DNS_TOKEN'
        'CF_WAF_EDIT_RAXX_APP -> external:sre-agent (CI/scripted)'
        'CF_WAF_EDIT_RAXX_APP -> worker:waf-deployer/CF_API_TOKEN'
        'CI_GATE -> github:GATE_SECRET'
        'CI_REGISTRY -> secrets-store:default_secrets_store/CI_REGISTRY_CLIENT_SECRET'
    )
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    foreach ($file in $script:ledger, "$($script:ledger)-wal", "$($script:ledger)-shm") { Remove-Item $file -ErrorAction SilentlyContinue }
}

Describe 'Consumer map on the SQLite ledger' {
    BeforeAll {
        $script:csv = Join-Path $TestDrive 'consumers.csv'
        Set-Content -Path $script:csv -Value $script:csvText
    }

    It '-WhatIf on a CSV import writes nothing' {
        $before = Get-RequestCount
        Import-Csv $script:csv | Register-CfTokenConsumer -WhatIf | Should -BeNullOrEmpty
        Get-CfTokenConsumer | Should -BeNullOrEmpty
        Get-RequestCount | Should -Be $before
    }

    It 'registers a CSV through the pipeline and sends nothing to Cloudflare' {
        $before = Get-RequestCount
        $registered = @(Import-Csv $script:csv | Register-CfTokenConsumer)
        $registered | Should -HaveCount 6
        $registered[0].GetType().FullName | Should -Be 'CfManagement.Model.CfTokenConsumer'
        Get-RequestCount | Should -Be $before
        @(Get-CfTokenConsumer | Format-Pair) | Should -Be $script:expected
    }

    It 'splits each destination into Kind, Target, SecretName, Environment and ClientIdName' {
        $pages = Get-CfTokenConsumer CF_DNS_EDIT_GETRAXX_COM -Kind Pages
        $pages.Kind | Should -Be 'Pages'
        $pages.Target | Should -Be 'raxx-site'
        $pages.Environment | Should -Be 'production'
        $pages.SecretName | Should -Be 'CF_DNS_TOKEN'
        (Get-CfTokenConsumer CI_REGISTRY).ClientIdName | Should -Be 'CI_REGISTRY_CLIENT_ID'
        (Get-CfTokenConsumer CI_GATE).ClientIdName | Should -Be 'GATE_ID'
        $terraform = Get-CfTokenConsumer CF_DNS* -Kind External
        $terraform.Target | Should -BeNullOrEmpty
        $terraform.SecretName | Should -BeNullOrEmpty
        $terraform.Description | Should -Be 'DNS record creation and updates for getraxx.com'
        $terraform.RegisteredBy | Should -Match '@'
        "$terraform" | Should -Be 'CF_DNS_EDIT_GETRAXX_COM -> external:Terraform'
    }

    It 'gets by wildcard (case-insensitive), several names, -Kind and -Destination, sorted' {
        @(Get-CfTokenConsumer 'cf_waf*' | Format-Pair) | Should -Be $script:expected[2, 3]
        @(Get-CfTokenConsumer CI_*, 'CF_DNS*' | Format-Pair) | Should -Be ($script:expected[0, 1, 4, 5])
        @(Get-CfTokenConsumer -Kind External, GitHubEnv | Format-Pair) | Should -Be $script:expected[0, 2, 4]
        @(Get-CfTokenConsumer -Destination 'worker:*' | Format-Pair) | Should -Be $script:expected[3]
        Get-CfTokenConsumer NOT_REGISTERED | Should -BeNullOrEmpty
        @([pscustomobject]@{ Name = 'CI_GATE' } | Get-CfTokenConsumer | Format-Pair) | Should -Be $script:expected[4]
    }

    It 'shows a table of Credential, Kind, Target, SecretName and Description' {
        $text = Get-CfTokenConsumer CF_WAF* | Out-String -Width 200
        $text | Should -Match 'Credential\s+Kind\s+Target\s+SecretName\s+Description'
        $text | Should -Match 'CF_WAF_EDIT_RAXX_APP\s+Worker\s+waf-deployer\s+CF_API_TOKEN\s+WAF rule deploy/update/disable'
        $text | Should -Match 'CF_WAF_EDIT_RAXX_APP\s+External\s+sre-agent \(CI/scripted\)'
    }

    It 'completes -Credential from the registered consumers and -Kind from the enum' {
        $line = 'Get-CfTokenConsumer -Credential CF_W'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('CF_WAF_EDIT_RAXX_APP')
        $line = 'Unregister-CfTokenConsumer -Credential ci'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('CI_GATE', 'CI_REGISTRY')
        $line = 'Get-CfTokenConsumer -Kind Git'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('GitHubEnv', 'GitHubOutput')
    }

    It 'registering again updates the entry and keeps when it was first registered' {
        $first = Get-CfTokenConsumer CI_GATE
        $again = Register-CfTokenConsumer ci_gate github:GATE_SECRET -Description 'gate job, updated'
        $again.RegisteredOn | Should -Be $first.RegisteredOn
        $again.Credential | Should -Be 'CI_GATE'
        (Get-CfTokenConsumer CI_GATE).Description | Should -Be 'gate job, updated'
        @(Get-CfTokenConsumer) | Should -HaveCount 6
    }

    It 'unregisters through the pipeline from Get-CfTokenConsumer; -WhatIf removes nothing' {
        Get-CfTokenConsumer CF_WAF* | Unregister-CfTokenConsumer -WhatIf
        @(Get-CfTokenConsumer CF_WAF*) | Should -HaveCount 2
        $removed = @(Get-CfTokenConsumer CF_WAF* | Unregister-CfTokenConsumer -Confirm:$false -PassThru)
        @($removed | Format-Pair) | Should -Be $script:expected[2, 3]
        Get-CfTokenConsumer CF_WAF* | Should -BeNullOrEmpty
        @(Get-CfTokenConsumer) | Should -HaveCount 4
    }

    It 'says TokenConsumerNotFound (ObjectNotFound) for a consumer that is not registered, and changes nothing' {
        Unregister-CfTokenConsumer CF_WAF_EDIT_RAXX_APP 'worker:waf-deployer/CF_API_TOKEN' -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'TokenConsumerNotFound,*'
        $failed[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        @(Get-CfTokenConsumer) | Should -HaveCount 4
    }

    It 'refuses <Case> with <ErrorId> naming <Parameter>, before anything is written' -TestCases @(
        @{ Case = 'a destination without a kind'; Script = { Register-CfTokenConsumer CF_X CF_API_TOKEN }; ErrorId = 'InvalidConsumerDestination'; Parameter = '-Destination' }
        @{ Case = 'a Worker destination without a binding'; Script = { Register-CfTokenConsumer CF_X worker:api }; ErrorId = 'InvalidConsumerDestination'; Parameter = '-Destination' }
        @{ Case = 'a Pages environment that does not exist'; Script = { Register-CfTokenConsumer CF_X pages:site/staging/CF_X }; ErrorId = 'InvalidConsumerDestination'; Parameter = '-Destination' }
        @{ Case = 'a reserved GitHub variable'; Script = { Register-CfTokenConsumer CF_X github:GITHUB_TOKEN }; ErrorId = 'InvalidConsumerDestination'; Parameter = '-Destination' }
        @{ Case = 'a vault as a consumer'; Script = { Register-CfTokenConsumer CF_X vault:Ops/CF_X }; ErrorId = 'InvalidConsumerDestination'; Parameter = '-Destination' }
        @{ Case = 'an empty external consumer'; Script = { Register-CfTokenConsumer CF_X 'external: ' }; ErrorId = 'InvalidConsumerDestination'; Parameter = '-Destination' }
        @{ Case = 'a credential with a space'; Script = { Register-CfTokenConsumer 'CF X' external:x }; ErrorId = 'InvalidConsumerCredential'; Parameter = '-Credential' }
        @{ Case = 'a companion as the credential'; Script = { Register-CfTokenConsumer CF_X__TOKEN_ID external:x }; ErrorId = 'ConsumerCredentialIsCompanion'; Parameter = '-Credential' }
        @{ Case = 'a two-line description'; Script = { Register-CfTokenConsumer CF_X external:x -Description "a`nb" }; ErrorId = 'InvalidConsumerDescription'; Parameter = '-Description' }
        @{ Case = 'a client id name on an external consumer'; Script = { Register-CfTokenConsumer CF_X external:x -ClientIdName CF_X_ID }; ErrorId = 'ConflictingParameters'; Parameter = '-ClientIdName' }
        @{ Case = 'an unclosed wildcard range'; Script = { Get-CfTokenConsumer 'CF_[X' }; ErrorId = 'InvalidWildcardPattern'; Parameter = '-Credential' }
        @{ Case = 'an unknown destination kind on Unregister'; Script = { Unregister-CfTokenConsumer CF_X ftp:x -Confirm:$false }; ErrorId = 'InvalidConsumerDestination'; Parameter = '-Destination' }
    ) {
        $before = @(Get-CfTokenConsumer | Format-Pair)
        $requests = Get-RequestCount
        $ErrorActionPreference = 'Continue'
        $all = @(& $Script 2>&1)
        $failed = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failed[0].ErrorDetails.Message | Should -BeLike "*$Parameter*"
        $failed[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        @(Get-CfTokenConsumer | Format-Pair) | Should -Be $before
        Get-RequestCount | Should -Be $requests
    }

    It 'refuses a token value pasted as a description (ConsumerLooksLikeSecret) and never echoes it, with -Verbose -Debug and a transcript' {
        $transcript = Join-Path $TestDrive 'consumers-transcript.txt'
        Start-Transcript -Path $transcript -Force | Out-Null
        try {
            # First a registration that succeeds, loud, so the capture below is known to hold real output.
            $ok = Register-CfTokenConsumer CF_LEAK_CHECK 'worker:api/CF_LEAK_CHECK' -Description 'leak check' @script:loud -WarningAction Continue -InformationAction Continue *>&1 | Out-String -Width 400
            $refused = Register-CfTokenConsumer CF_LEAK_CHECK external:x -Description "pasted $script:adminValue" @script:loud -WarningAction Continue -InformationAction Continue -ErrorVariable failed -ErrorAction SilentlyContinue *>&1 | Out-String -Width 400
        }
        finally {
            Stop-Transcript | Out-Null
        }
        $ok | Should -Match 'CF_LEAK_CHECK'
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ConsumerLooksLikeSecret,*'
        $failed[0].TargetObject | Should -BeNullOrEmpty
        $captured = $ok + $refused + ($failed | Out-String -Width 400) + (Get-Content $transcript -Raw)
        $captured | Should -Not -Match ([regex]::Escape($script:adminValue))
        $captured | Should -Not -Match ([regex]::Escape($script:adminValue.Substring(8, 20)))
        (Get-CfTokenConsumer CF_LEAK_CHECK).Destination | Should -Be 'worker:api/CF_LEAK_CHECK'
        Unregister-CfTokenConsumer CF_LEAK_CHECK worker:api/CF_LEAK_CHECK -Confirm:$false
    }
}

Describe 'Consumer map: leak probe' {
    It 'shows no token value in any stream, view, JSON or transcript, for successes and for pasted values (<Parameter>)' -TestCases @(
        @{ Parameter = 'Description'; Bad = { param($v, $loud) Register-CfTokenConsumer CF_PROBE external:probe -Description "pasted $v" @loud -WarningAction Continue -InformationAction Continue } }
        @{ Parameter = 'Destination'; Bad = { param($v, $loud) Register-CfTokenConsumer CF_PROBE "worker:probe/$v" @loud -WarningAction Continue -InformationAction Continue } }
        @{ Parameter = 'Credential'; Bad = { param($v, $loud) Register-CfTokenConsumer $v external:probe @loud -WarningAction Continue -InformationAction Continue } }
        @{ Parameter = 'ClientIdName'; Bad = { param($v, $loud) Register-CfTokenConsumer CF_PROBE worker:probe/CF_PROBE -ClientIdName $v @loud -WarningAction Continue -InformationAction Continue } }
    ) {
        $value = $script:adminValue
        $loud = $script:loud
        # The refusal is a non-terminating error: the block goes on to unregister, as a script would.
        $ErrorActionPreference = 'Continue'
        $probe = Invoke-TestLeakProbe {
            Register-CfTokenConsumer CF_PROBE worker:probe/CF_PROBE -Description 'probe' @loud -WarningAction Continue -InformationAction Continue
            Get-CfTokenConsumer CF_PROBE @loud
            & $Bad $value $loud
            Get-CfTokenConsumer CF_PROBE | Unregister-CfTokenConsumer -Confirm:$false -PassThru @loud
        }
        # The successes really happened (three consumers out: the registration, the Get and the -PassThru), and the paste was refused.
        @($probe.Objects | Where-Object { $_.PSObject.TypeNames[0] -eq 'CfManagement.Model.CfTokenConsumer' }) | Should -HaveCount 3
        $probe.Errors | Should -HaveCount 1
        $probe.Errors[0].FullyQualifiedErrorId | Should -BeLike 'ConsumerLooksLikeSecret,*'
        $probe.Errors[0].ErrorDetails.Message | Should -BeLike "*-$Parameter*"
        $probe.Text | Should -Match 'worker:probe/CF_PROBE'
        $probe.Transcript | Should -Match 'PowerShell transcript start'
        Assert-TestNoSecret -Probe $probe -Secret $value, $value.Substring(6, 24)
        Get-CfTokenConsumer CF_PROBE | Should -BeNullOrEmpty
    }
}

Describe 'Consumer map on a D1 ledger (-LedgerDatabaseId)' {
    BeforeAll {
        $script:d1 = New-TestD1Database -Emulator $script:emulator -AccountId $script:session.AccountId
        $script:csv = Join-Path $TestDrive 'consumers.csv'
        Set-Content -Path $script:csv -Value $script:csvText
        $script:sqliteBefore = @(Get-CfTokenConsumer | Format-Pair)
    }

    It '-WhatIf writes nothing to D1' {
        Import-Csv $script:csv | Register-CfTokenConsumer -LedgerDatabaseId $script:d1 -WhatIf
        Get-CfTokenConsumer -LedgerDatabaseId $script:d1 | Should -BeNullOrEmpty
    }

    It 'registers the CSV in the D1 database, and nothing in the session''s SQLite file' {
        @(Import-Csv $script:csv | Register-CfTokenConsumer -LedgerDatabaseId $script:d1) | Should -HaveCount 6
        @(Get-CfTokenConsumer -LedgerDatabaseId $script:d1 | Format-Pair) | Should -Be $script:expected
        @(Get-CfTokenConsumer | Format-Pair) | Should -Be $script:sqliteBefore
    }

    It 'really lives in D1: the token_consumers rows hold names and places only' {
        $rows = Invoke-TestD1Query -Emulator $script:emulator -AccountId $script:session.AccountId -DatabaseId $script:d1 `
            -Sql 'SELECT credential, destination, kind, client_id_name FROM token_consumers ORDER BY credential, destination'
        $rows | Should -HaveCount 6
        @($rows | ForEach-Object { "$($_.credential)|$($_.kind)" }) | Should -Contain 'CI_REGISTRY|SecretsStore'
        ($rows | Where-Object credential -eq 'CI_GATE').client_id_name | Should -Be 'GATE_ID'
        $dump = Invoke-TestD1Query -Emulator $script:emulator -AccountId $script:session.AccountId -DatabaseId $script:d1 -Sql 'SELECT * FROM token_consumers' |
            ConvertTo-Json -Depth 5
        $dump | Should -Not -Match ([regex]::Escape($script:adminValue))
    }

    It 'gets by wildcard and unregisters through the pipeline' {
        @(Get-CfTokenConsumer 'CF_DNS*' -LedgerDatabaseId $script:d1 | Format-Pair) | Should -Be $script:expected[0, 1]
        Get-CfTokenConsumer 'CF_DNS*' -LedgerDatabaseId $script:d1 | Unregister-CfTokenConsumer -LedgerDatabaseId $script:d1 -WhatIf
        @(Get-CfTokenConsumer -LedgerDatabaseId $script:d1) | Should -HaveCount 6
        Get-CfTokenConsumer 'CF_DNS*' -LedgerDatabaseId $script:d1 | Unregister-CfTokenConsumer -LedgerDatabaseId $script:d1 -Confirm:$false
        @(Get-CfTokenConsumer -LedgerDatabaseId $script:d1 | Format-Pair) | Should -Be $script:expected[2..5]
    }

    It 'becomes the session''s consumer map with Connect-CfAccount -LedgerDatabaseId' {
        $d1Session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerDatabaseId = $script:d1 }
        try {
            @(Get-CfTokenConsumer -Session $d1Session | Format-Pair) | Should -Be $script:expected[2..5]
            $line = 'Get-CfTokenConsumer -Credential CI_R'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('CI_REGISTRY')
        }
        finally {
            # Back to the SQLite session for anything after this block.
            $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
        }
    }

    It 'says LedgerUnavailable for a D1 database that does not exist' {
        { Get-CfTokenConsumer -LedgerDatabaseId ([guid]::NewGuid().ToString()) -ErrorAction Stop } |
            Should -Throw -ErrorId 'LedgerUnavailable*'
    }
}
