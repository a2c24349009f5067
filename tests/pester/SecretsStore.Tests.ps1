#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Secrets Store as an admin uses it in real pwsh, against the built emulator: list the store, set secrets one by one
# and from a CSV, list and remove them, and mint a managed token into secrets-store:<store>/<name>. Faults, bad input
# and leaks are covered in process by tests/integration/Cmdlets/SecretsStore{DestinationTests,BadInputTests,
# SecretLeakTests}.cs; the emulator's contract by tests/unit/Emulator/SecretsStoreTests.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    foreach ($name in 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_BASE_URL') { [Environment]::SetEnvironmentVariable($name, $null) }
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-store-ledger-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:store = 'default_secrets_store'

    function Get-StoreRequestBody {
        <# Every body the emulator logged for Secrets Store calls (values are blanked there; the test proves it). #>
        @(Get-TestEmulatorRequest -Emulator $script:emulator | Where-Object path -like '*secrets_store*' | ForEach-Object body) -join "`n"
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'Secrets Store' {
    BeforeEach {
        Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path reset -Method POST | Out-Null
    }

    It 'lists the account''s store' {
        $stores = @(Get-CfSecretsStore)
        $stores.Count | Should -Be 1
        $stores[0].Name | Should -Be $script:store
        $stores[0].Id | Should -Match '^[0-9a-f]{32}$'
        (Get-CfSecretsStore -Name 'default_*').Id | Should -Be $stores[0].Id
        (Get-CfSecretsStore -Name $stores[0].Id).Name | Should -Be $script:store
        (Get-CfSecretsStore | Out-String) | Should -Match 'default_secrets_store'
    }

    It 'completes store names and scopes' {
        foreach ($line in 'Get-CfSecretsStoreSecret -Store def', 'New-CfManagedToken -SecretsStore def', 'Get-CfSecretsStore ') {
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'default_secrets_store'
        }
        $line = 'Set-CfSecretsStoreSecret -Scope ai'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('ai_gateway')
    }

    It 'sets, lists, updates and removes secrets; values are never shown' {
        $value = ConvertTo-SecureString 'pester-VALUE-5e6f7a8b' -AsPlainText -Force
        $shown = Get-OutputText {
            Set-CfSecretsStoreSecret -Store $script:store -Name STRIPE_KEY -Value $value -Scope workers, ai_gateway -Comment 'billing' -PassThru -Verbose -Confirm:$false
        }
        $shown | Should -Match 'STRIPE_KEY'
        $shown | Should -Not -Match 'pester-VALUE'

        $secret = Get-CfSecretsStoreSecret -Store $script:store -Name STRIPE_KEY
        $secret.Name | Should -Be 'STRIPE_KEY'
        $secret.Store | Should -Be $script:store
        $secret.Status | Should -Be 'active'
        $secret.Scopes | Should -Be @('workers', 'ai_gateway')
        $secret.Comment | Should -Be 'billing'
        $secret.PSObject.Properties.Name | Should -Not -Contain 'Value'

        # A second set updates in place (same id): safe to repeat.
        Set-CfSecretsStoreSecret -Store $script:store -Name STRIPE_KEY -Value $value -Comment 'billing v2' -Confirm:$false
        $again = Get-CfSecretsStoreSecret -Store $script:store -Name STRIPE_KEY
        $again.Id | Should -Be $secret.Id
        $again.Comment | Should -Be 'billing v2'

        # -WhatIf changes nothing.
        Set-CfSecretsStoreSecret -Store $script:store -Name OTHER -Value $value -WhatIf
        Get-CfSecretsStoreSecret -Store $script:store -Name OTHER -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        Remove-CfSecretsStoreSecret -Store $script:store -Name STRIPE_KEY -Confirm:$false
        Get-CfSecretsStoreSecret -Store $script:store | Should -BeNullOrEmpty
        # Removing it again is safe and distinct: ObjectNotFound with its own ErrorId, nothing changed.
        Remove-CfSecretsStoreSecret -Store $script:store -Name STRIPE_KEY -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable gone
        $gone.Count | Should -Be 1
        $gone[0].FullyQualifiedErrorId | Should -BeLike 'SecretsStoreSecretNotFound,*'
        $gone[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'

        Get-StoreRequestBody | Should -Not -Match 'pester-VALUE'
    }

    It 'loads secrets from a CSV file and removes them through the pipeline' {
        $csv = Join-Path $TestDrive 'secrets.csv'
        @(
            [pscustomobject]@{ Name = 'CSV_ONE'; Value = 'csv-VALUE-one-1a2b' }
            [pscustomobject]@{ Name = 'CSV_TWO'; Value = 'csv-VALUE-two-3c4d' }
            [pscustomobject]@{ Name = 'CSV_THREE'; Value = 'csv-VALUE-three-5e6f' }
        ) | Export-Csv -Path $csv -NoTypeInformation

        $set = @(Import-Csv $csv | Set-CfSecretsStoreSecret -Store $script:store -Scope workers -PassThru -Confirm:$false)
        $set.Count | Should -Be 3
        (Get-CfSecretsStoreSecret -Store $script:store -Name 'CSV_*').Name | Sort-Object | Should -Be @('CSV_ONE', 'CSV_THREE', 'CSV_TWO')
        ($set | Out-String) | Should -Not -Match 'csv-VALUE'

        Get-CfSecretsStoreSecret -Store $script:store -Name 'CSV_T*' | Remove-CfSecretsStoreSecret -Confirm:$false
        (Get-CfSecretsStoreSecret -Store $script:store).Name | Should -Be @('CSV_ONE')
        Get-StoreRequestBody | Should -Not -Match 'csv-VALUE'
    }

    It 'refuses bad input before sending anything' {
        $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
        $value = ConvertTo-SecureString 'x' -AsPlainText -Force
        Set-CfSecretsStoreSecret -Store $script:store -Name 'has space' -Value $value -ErrorAction SilentlyContinue -ErrorVariable bad
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSecretName,*'
        Set-CfSecretsStoreSecret -Store $script:store -Name OK -Value $value -Scope pages -ErrorAction SilentlyContinue -ErrorVariable bad
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSecretsStoreScope,*'
        New-CfManagedToken -Name x -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -SecretsStore 'not a store' -ErrorAction SilentlyContinue -ErrorVariable bad
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSecretsStoreName,*'
        @(Get-TestEmulatorRequest -Emulator $script:emulator).Count | Should -Be $before
    }

    It 'mints a managed token into a secrets-store destination, rolls it there and cleans it up' {
        $token = New-CfManagedToken -Name ci-deploy -Purpose 'deploy from CI' -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:03 -SecretsStore $script:store -Confirm:$false
        $token.Destinations | Should -Be @("secrets-store:$($script:store)/CI_DEPLOY")
        $token.Value | Should -BeNullOrEmpty    # delivered, so not handed back

        $secret = Get-CfSecretsStoreSecret -Store $script:store -Name CI_DEPLOY
        $secret.Scopes | Should -Be @('workers')
        $secret.Comment | Should -Match $token.TokenId
        (Get-CfManagedToken -Name ci-deploy).State | Should -Be 'Active'
        Get-CfLedger -TokenId $token.TokenId | Where-Object { $_.Action -eq 'store' -and $_.Outcome -eq 'Succeeded' } | Should -Not -BeNullOrEmpty

        # Rolling it writes the new value into the same secret.
        $before = $secret.Modified
        Start-Sleep -Milliseconds 1100
        Invoke-CfTokenRoll -Id $token.TokenId -SecretsStore $script:store -SecretsStoreSecretName CI_DEPLOY -Confirm:$false | Out-Null
        (Get-CfSecretsStoreSecret -Store $script:store -Name CI_DEPLOY).Modified | Should -BeGreaterThan $before

        # Expired: the cleanup revokes the token and removes the secret it was stored in.
        Start-Sleep -Seconds 3
        Remove-CfExpiredManagedToken -Confirm:$false
        Get-CfSecretsStoreSecret -Store $script:store -Name CI_DEPLOY -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'rolls a mint back when the store refuses the value' {
        # A session that does not retry 5xx itself, so the three delivery attempts are quick.
        $fast = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger; MaxRetryCount = 0 }
        Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path faults -Method POST -Body @{ kind = 'Status'; statusCode = 500; times = -1; method = 'POST'; pathContains = 'secrets_store' } | Out-Null
        try {
            New-CfManagedToken -Session $fast -Name ci-broken -Purpose 'fails' -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -SecretsStore $script:store -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed
        }
        finally {
            Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path faults -Method DELETE | Out-Null
            Disconnect-CfAccount -Session $fast
            $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
        }
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ManagedTokenRolledBack,*'
        Get-CfToken -Name ci-broken -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-CfSecretsStoreSecret -Store $script:store -Name CI_BROKEN -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
