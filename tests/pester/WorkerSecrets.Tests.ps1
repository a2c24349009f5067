#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Get/Set/Remove/Sync-CfWorkerSecret as an admin types them in real pwsh, against the built emulator. Faults, every bad
# input and the leak checks run in process: tests/integration/Cmdlets/Workers/WorkerSecret*Tests.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    foreach ($name in 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_BASE_URL') { [Environment]::SetEnvironmentVariable($name, $null) }
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-wsec-ledger-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:accountId = $script:session.AccountId
    $script:worker = 'api-worker'   # seeded
    $script:dir = Join-Path ([IO.Path]::GetTempPath()) "cf-wsec-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $script:dir | Out-Null

    function Get-SecretName {
        <# The Worker's secret names as the API itself lists them (not through the module under test). #>
        @(Invoke-TestCloudflareApi -Emulator $script:emulator -Path "accounts/$($script:accountId)/workers/scripts/$($script:worker)/secrets").name | Sort-Object
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger, "$($script:ledger)-wal", "$($script:ledger)-shm" -ErrorAction SilentlyContinue
    Remove-Item $script:dir -Recurse -ErrorAction SilentlyContinue
}

Describe 'Worker secret commands' {
    BeforeEach {
        Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path reset -Method POST | Out-Null
        foreach ($s in @(Get-CfWorkerSecret -Script $script:worker)) { Remove-CfWorkerSecret -Script $s.ScriptName -Name $s.Name -Confirm:$false }
    }

    It 'sets secrets from Import-Csv and lists them by name, never by value' {
        $csv = Join-Path $script:dir 'secrets.csv'
        "Name,Value`nDB_PASSWORD,csv-value-1`nAPI_KEY,csv-value-2" | Set-Content $csv
        $results = @(Import-Csv $csv | Set-CfWorkerSecret -Script $script:worker)
        $results.Status | Should -Be @('Applied', 'Applied')
        $results.Target | Should -Be @("worker:$($script:worker)", "worker:$($script:worker)")
        Get-SecretName | Should -Be @('API_KEY', 'DB_PASSWORD')

        $listed = @(Get-CfWorkerSecret -Script $script:worker)
        $listed.Name | Sort-Object | Should -Be @('API_KEY', 'DB_PASSWORD')
        $listed.Type | Select-Object -Unique | Should -Be 'secret_text'
        ($listed | Out-String) | Should -Not -Match 'csv-value'
        ($results | Out-String) | Should -Not -Match 'csv-value'
    }

    It 'applies a .env file with export, comments, quotes and multi-line values, then reports it unchanged' {
        $env = Join-Path $script:dir '.env'
        @(
            '# production secrets'
            'export STRIPE_KEY=sk_test_123'
            "PEM=""-----BEGIN KEY-----\nabc\n-----END KEY-----"""
            "QUOTED='has # hash'"
            ''
            'MULTI="line one'
            'line two"'
        ) -join "`n" | Set-Content $env
        $first = @(Set-CfWorkerSecret -Script $script:worker -Path $env)
        $first.Name | Should -Be @('STRIPE_KEY', 'PEM', 'QUOTED', 'MULTI')
        $first.Status | Select-Object -Unique | Should -Be 'Applied'

        $second = @(Set-CfWorkerSecret -Script $script:worker -Path $env)
        $second.Status | Select-Object -Unique | Should -Be 'Unchanged'
        $second.Count | Should -Be 4
    }

    It 'reports a .env syntax error with the file and line, and sends nothing' {
        $bad = Join-Path $script:dir 'bad.env'
        "A=1`nB=2`nNO_EQUALS_HERE`n" | Set-Content $bad
        $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
        Set-CfWorkerSecret -Script $script:worker -Path $bad -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'SecretFileSyntaxError,*'
        $failed[0].ErrorDetails.Message | Should -BeLike '*bad.env line 3*'
        @(Get-TestEmulatorRequest -Emulator $script:emulator).Count | Should -Be $before
    }

    It 'Sync -WhatIf prints the diff by name only; Sync -Prune twice changes nothing the second time' {
        Set-CfWorkerSecret -Script $script:worker -Secret @{ KEEP = 'same-value'; STALE = 'old'; CHANGE = 'old' } | Out-Null
        $env = Join-Path $script:dir 'sync.env'
        "KEEP=same-value`nCHANGE=new-value`nADDED=added-value`n" | Set-Content $env

        $token = Get-PlainText $script:emulator.Token
        $child = Invoke-ChildPowerShell -Command "Import-Module '$(Get-TestModuleManifest)'; Sync-CfWorkerSecret -Script $($script:worker) -Path '$env' -Prune -LedgerPath '$($script:ledger)' -WhatIf" -Environment @{
            CLOUDFLARE_API_TOKEN = $token; CLOUDFLARE_ACCOUNT_ID = $script:accountId; CLOUDFLARE_API_BASE_URL = "$($script:emulator.BaseUri)"
        }
        $child.ExitCode | Should -Be 0
        $child.Output | Should -Match "Add secret.*worker:$($script:worker)/ADDED"
        $child.Output | Should -Match "Update secret.*worker:$($script:worker)/CHANGE"
        $child.Output | Should -Match "Remove secret.*worker:$($script:worker)/STALE"
        $child.Output | Should -Not -Match 'KEEP'
        $child.Output | Should -Not -Match 'new-value|added-value|same-value'
        Get-SecretName | Should -Be @('CHANGE', 'KEEP', 'STALE')

        $first = @(Sync-CfWorkerSecret -Script $script:worker -Path $env -Prune -Confirm:$false)
        ($first | Where-Object Status -eq 'Applied').Name | Sort-Object | Should -Be @('ADDED', 'CHANGE', 'STALE')
        Get-SecretName | Should -Be @('ADDED', 'CHANGE', 'KEEP')

        $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
        $second = @(Sync-CfWorkerSecret -Script $script:worker -Path $env -Prune -Confirm:$false)
        $second.Status | Select-Object -Unique | Should -Be 'Unchanged'
        @(Get-TestEmulatorRequest -Emulator $script:emulator | Select-Object -Skip $before | Where-Object method -ne 'GET') | Should -BeNullOrEmpty
    }

    It 'removes secrets piped from Get-CfWorkerSecret, and a second removal is WorkerSecretNotFound' {
        Set-CfWorkerSecret -Script $script:worker -Secret @{ TEMP_ONE = 'a'; TEMP_TWO = 'b'; KEEP_ME = 'c' } | Out-Null
        Get-CfWorkerSecret -Script $script:worker -Name TEMP_* | Remove-CfWorkerSecret -Confirm:$false
        Get-SecretName | Should -Be @('KEEP_ME')

        Remove-CfWorkerSecret -Script $script:worker -Name TEMP_ONE -Confirm:$false -ErrorVariable gone -ErrorAction SilentlyContinue
        $gone[0].FullyQualifiedErrorId | Should -BeLike 'WorkerSecretNotFound,*'
        $gone[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-SecretName | Should -Be @('KEEP_ME')
    }

    It 'shows results and secrets in their default table views' {
        $results = Set-CfWorkerSecret -Script $script:worker -Secret @{ VIEW_ME = 'v' }
        $text = $results | Out-String -Width 200
        $text | Should -Match 'Target\s+Name\s+Change\s+Status\s+Reason'
        $text | Should -Match "worker:$($script:worker)\s+VIEW_ME\s+Add\s+Applied"
        $listing = Get-CfWorkerSecret -Script $script:worker | Out-String -Width 200
        $listing | Should -Match 'ScriptName\s+Name\s+Type'
        $listing | Should -Match "$($script:worker)\s+VIEW_ME\s+secret_text"
    }
}
