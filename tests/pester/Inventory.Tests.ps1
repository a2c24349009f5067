#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Get-CfTokenInventory as an admin types it, in real pwsh against the built emulator and a real SecretStore vault:
# a small mixed set (API tokens in every state, Access service tokens, consumers), 200 entries in mixed states with
# the right flags per entry (timed, and with one token list + one verify per value, never a GET per entry), sorting
# and an Export-Csv round trip, bad input refused before any request, and no value in any stream or transcript.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-inventory-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:accountId = $script:session.AccountId
    $script:values = [System.Collections.Generic.List[string]]::new()   # every value made here, for the leak checks
    $script:values.Add((Get-PlainText $script:emulator.Token))

    function script:Get-RequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator).Count }

    # One API-token credential in the vault as New-CfToken -Vault writes it (value + metadata); -Metadata overrides.
    function script:Add-VaultToken {
        param([string] $Name, $Token, [hashtable] $Metadata = @{}, [string] $Scopes = 'DNS Read', [Nullable[DateTimeOffset]] $ExpiresOn)
        $meta = @{ TokenId = $Token.Id; TokenName = $Name.ToLowerInvariant(); Scopes = $Scopes; ManagedBy = 'CfManagement' }
        if ($ExpiresOn) { $meta.ExpiresOn = $ExpiresOn.UtcDateTime.ToString('o') } else { $meta.ExpiresOn = 'never' }
        foreach ($k in $Metadata.Keys) { $meta[$k] = $Metadata[$k] }
        Set-Secret -Vault $script:vault -Name $Name -Secret $Token.Value -Metadata $meta
        $script:values.Add((Get-PlainText $Token.Value))
    }
    # A token expiring at -At (the same instant the vault metadata then records), or -Days from now.
    function script:New-EmuToken([string] $Name, [int] $Days, [Nullable[DateTimeOffset]] $At, [string[]] $Group = @('DNS Read')) {
        $expires = if ($At) { $At } else { [DateTimeOffset]::UtcNow.AddDays($Days) }
        New-TestEmulatorToken -Emulator $script:emulator -Name $Name -PermissionGroup $Group -ExpiresOn $expires
    }
    function script:Set-EmuStatus([string] $Id, [string] $Status) {
        $null = Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path "tokens/$Id/status" -Body @{ status = $Status }
    }
    function script:Remove-EmuToken([string] $Id) {
        $null = Invoke-TestCloudflareApi -Emulator $script:emulator -Method DELETE -Path "user/tokens/$Id"
    }
    function script:Get-Flags($Item) { @($Item.Flags | Sort-Object) -join ',' }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'Get-CfTokenInventory: a mixed set on a real SecretStore vault' {
    BeforeAll {
        $soon = [DateTimeOffset]::UtcNow.AddDays(5)
        $far = [DateTimeOffset]::UtcNow.AddDays(60)
        $script:ok = New-EmuToken inv_ok -At $far
        Add-VaultToken INV_OK $script:ok -ExpiresOn $far
        $script:soon = New-EmuToken inv_soon -At $soon
        Add-VaultToken INV_SOON $script:soon -ExpiresOn $soon
        $script:expired = New-EmuToken inv_expired -2
        Add-VaultToken INV_EXPIRED $script:expired -ExpiresOn ([DateTimeOffset]::UtcNow.AddDays(-2))
        $script:exposed = New-EmuToken inv_exposed -At $far
        Set-EmuStatus $script:exposed.Id 'revoked (exposed)'
        Add-VaultToken INV_EXPOSED $script:exposed -ExpiresOn $far
        $script:deleted = New-EmuToken inv_deleted -At $far
        Remove-EmuToken $script:deleted.Id
        Add-VaultToken INV_DELETED $script:deleted -ExpiresOn $far
        $script:disabled = New-EmuToken inv_disabled -At $far
        Set-EmuStatus $script:disabled.Id 'disabled'
        Add-VaultToken INV_DISABLED $script:disabled -ExpiresOn $far
        # Drift: the vault says another expiry, scopes and name than Cloudflare does.
        $script:drift = New-EmuToken inv_drift -At $far
        Add-VaultToken INV_DRIFT $script:drift -ExpiresOn ([DateTimeOffset]::UtcNow.AddDays(10)) -Scopes 'DNS Write, Zone Read' -Metadata @{ TokenName = 'renamed-in-vault' }
        # Value rolled outside the vault: the token is listed, but the vault's value is dead.
        $script:stale = New-EmuToken inv_stale -At $far
        Add-VaultToken INV_STALE $script:stale -ExpiresOn $far
        $rolled = Invoke-TestCloudflareApi -Emulator $script:emulator -Method PUT -Path "user/tokens/$($script:stale.Id)/value" -Body @{}
        $script:values.Add([string] $rolled)
        # The runbook's companions only, and no value (failure mode C).
        $script:novalue = New-EmuToken inv_novalue -At $far
        Set-Secret -Vault $script:vault -Name INV_NOVALUE__TOKEN_ID -Secret $script:novalue.Id
        Set-Secret -Vault $script:vault -Name INV_NOVALUE__EXPIRES_AT -Secret $far.UtcDateTime.ToString('o')
        # An emergency stop: the token deleted, the value overwritten with the REVOKED marker.
        $script:marked = New-EmuToken inv_marked -At $far
        Remove-EmuToken $script:marked.Id
        Add-VaultToken INV_MARKED $script:marked -ExpiresOn $far
        Set-CfVaultCredential -Vault $script:vault -Name INV_MARKED -Revoked -Reason 'leak drill' -Confirm:$false | Out-Null
        # Access service tokens: one delivered by New-CfAccessServiceToken -Vault, one whose token is gone.
        $script:access = New-CfAccessServiceToken -Name inv-access -Vault $script:vault -SecretName INV_ACCESS -Confirm:$false
        Set-Secret -Vault $script:vault -Name INV_ACCESS_GONE -Secret 'not-a-real-client-secret-value' -Metadata @{ ClientId = 'gone.access'; TokenId = '00000000-0000-4000-8000-000000000000'; ExpiresOn = $far.UtcDateTime.ToString('o') }

        Register-CfTokenConsumer -Credential INV_OK -Destination 'external:terraform getraxx.com' -LedgerPath $script:ledger -Confirm:$false | Out-Null
        Register-CfTokenConsumer -Credential INV_OK -Destination 'github:CF_DNS_TOKEN' -LedgerPath $script:ledger -Confirm:$false | Out-Null

        $script:before = Get-RequestCount
        $script:inventory = @(Get-CfTokenInventory -Vault $script:vault -Name 'INV_*' -LedgerPath $script:ledger)
        $script:requests = @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $script:before)
        $script:byName = @{}
        foreach ($i in $script:inventory) { $script:byName[$i.Name] = $i }
    }

    It 'lists every credential once, companions never as credentials' {
        $script:inventory.Name | Sort-Object | Should -Be @('INV_ACCESS', 'INV_ACCESS_GONE', 'INV_DELETED', 'INV_DISABLED', 'INV_DRIFT', 'INV_EXPIRED', 'INV_EXPOSED', 'INV_MARKED', 'INV_NOVALUE', 'INV_OK', 'INV_SOON', 'INV_STALE')
        $script:inventory | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'CfManagement.TokenInventoryItem' }
    }

    It 'flags each entry as its state says' -TestCases @(
        @{ Name = 'INV_OK'; Flags = ''; Status = 'active' }
        @{ Name = 'INV_SOON'; Flags = 'ExpiringSoon'; Status = 'active' }
        @{ Name = 'INV_EXPIRED'; Flags = 'Expired'; Status = 'expired' }
        @{ Name = 'INV_EXPOSED'; Flags = 'Revoked'; Status = 'revoked (exposed)' }
        @{ Name = 'INV_DELETED'; Flags = 'Invalid,MissingAtCloudflare'; Status = 'invalid' }
        @{ Name = 'INV_DISABLED'; Flags = 'Disabled'; Status = 'disabled' }
        @{ Name = 'INV_DRIFT'; Flags = 'Drift'; Status = 'active' }
        @{ Name = 'INV_STALE'; Flags = 'Invalid'; Status = 'invalid' }
        @{ Name = 'INV_NOVALUE'; Flags = 'VaultValueMissing'; Status = 'active' }
        @{ Name = 'INV_MARKED'; Flags = 'MarkedRevoked,MissingAtCloudflare'; Status = 'missing' }
        @{ Name = 'INV_ACCESS'; Flags = ''; Status = 'active' }
        @{ Name = 'INV_ACCESS_GONE'; Flags = 'MissingAtCloudflare'; Status = 'missing' }
    ) {
        param($Name, $Flags, $Status)
        $item = $script:byName[$Name]
        Get-Flags $item | Should -Be $Flags -Because "$Name ($($item.Note); $($item.Drift))"
        $item.Status | Should -Be $Status
        $item.FlagText | Should -Be ($item.Flags -join ', ')
    }

    It 'reports ids, kinds, expiry and drift details from Cloudflare and the vault' {
        $ok = $script:byName['INV_OK']
        $ok.Kind | Should -Be 'ApiToken'
        $ok.TokenId | Should -Be $script:ok.Id
        $ok.Scopes | Should -Be 'DNS Read'
        $ok.DaysLeft | Should -BeIn 59, 60
        $script:byName['INV_SOON'].DaysLeft | Should -BeIn 4, 5
        $script:byName['INV_EXPIRED'].DaysLeft | Should -BeLessThan 0
        $drift = $script:byName['INV_DRIFT'].Drift
        $drift | Should -Match '^expiry: vault '
        $drift | Should -Match "name: vault 'renamed-in-vault', Cloudflare 'inv_drift'"
        $drift | Should -Match "scopes: vault 'DNS Write, Zone Read', Cloudflare 'DNS Read'"
        # Cloudflare's expiry wins over the vault's when both are known.
        $script:byName['INV_DRIFT'].DaysLeft | Should -BeIn 59, 60
        $access = $script:byName['INV_ACCESS']
        $access.Kind | Should -Be 'AccessServiceToken'
        $access.ClientId | Should -Be $script:access.ClientId
        $access.TokenId | Should -Be $script:access.Id
        $access.ExpiresOn | Should -Not -BeNullOrEmpty
    }

    It 'takes LastUsedOn from the token list read before any verify' {
        # The admin-made token was never used before this run; the verify the inventory made is a use, but it comes
        # after the list, so LastUsedOn still says "never".
        $script:byName['INV_OK'].LastUsedOn | Should -BeNullOrEmpty
        $after = @(Get-CfToken -Id $script:ok.Id)[0]
        $after.LastUsedOn | Should -Not -BeNullOrEmpty -Because 'the verify is a use, seen by the next list'
        $again = @(Get-CfTokenInventory -Vault $script:vault -Name INV_OK -SkipVerify -LedgerPath $script:ledger)[0]
        $again.LastUsedOn | Should -Be $after.LastUsedOn
    }

    It 'lists Cloudflare once and verifies each value once, with no GET per entry' {
        $lists = @($script:requests | Where-Object { $_.method -eq 'GET' -and $_.path -match '/tokens$' })
        $lists.Count | Should -BeGreaterOrEqual 1
        @($script:requests | Where-Object { $_.method -eq 'GET' -and $_.path -match '/tokens/[0-9a-f]{32}$' }).Count | Should -Be 0
        # Values verified: every API token entry with a value that is not the REVOKED marker (8 of them).
        @($script:requests | Where-Object { $_.path -match '/tokens/verify$' }).Count | Should -Be 8
        @($script:requests | Where-Object { $_.path -match '/access/service_tokens$' }).Count | Should -Be 1
        @($script:requests | Where-Object { $_.method -ne 'GET' }).Count | Should -Be 0 -Because 'an inventory changes nothing'
    }

    It 'shows the consumers registered in the ledger' {
        $ok = $script:byName['INV_OK']
        $ok.ConsumerCount | Should -Be 2
        $ok.Consumers | Sort-Object | Should -Be @('external:terraform getraxx.com', 'github:CF_DNS_TOKEN')
        $ok.ConsumerText | Should -Match 'github:CF_DNS_TOKEN'
        $script:byName['INV_SOON'].ConsumerCount | Should -Be 0
    }

    It 'has a table view with Name, Kind, DaysLeft, Status, Consumers and Flags' {
        $text = $script:inventory | Sort-Object Name | Format-Table | Out-String -Width 200
        $text | Should -Match 'Name\s+Kind\s+DaysLeft\s+Status\s+Consumers\s+Flags'
        $text | Should -Match 'INV_DELETED\s+ApiToken\s+\d+\s+invalid\s+\d+\s+Invalid, MissingAtCloudflare'
    }

    It 'sorts by DaysLeft and survives an Export-Csv / Import-Csv round trip' {
        $sorted = @($script:inventory | Where-Object { $null -ne $_.DaysLeft } | Sort-Object DaysLeft)
        $sorted[0].Name | Should -Be 'INV_EXPIRED'
        $sorted[1].Name | Should -Be 'INV_SOON'
        $csv = Join-Path $TestDrive 'inventory.csv'
        $script:inventory | Sort-Object Name | Export-Csv -Path $csv -NoTypeInformation
        $back = @(Import-Csv -Path $csv)
        $back.Count | Should -Be $script:inventory.Count
        $row = $back | Where-Object Name -eq 'INV_MARKED'
        $row.FlagText | Should -Be 'MarkedRevoked, MissingAtCloudflare'
        $row.Flags | Should -Be 'MarkedRevoked MissingAtCloudflare' -Because 'Flags exports as the names, not as System.String[]'
        $row.Status | Should -Be 'missing'
        ($back | Where-Object Name -eq 'INV_DRIFT').Drift | Should -Match '^expiry: vault '
        ($back | Where-Object Name -eq 'INV_DELETED').DaysLeft | Should -Be ($script:byName['INV_DELETED'].DaysLeft.ToString())
        Get-Content -Raw $csv | Should -Not -Match 'System\.(String|Object)\[\]'
    }

    It 'puts no value in any stream, view, JSON or transcript with -Verbose -Debug' {
        $probe = Invoke-TestLeakProbe {
            Get-CfTokenInventory -Vault $script:vault -Name 'INV_*' -LedgerPath $script:ledger -Verbose -Debug -WarningAction Continue -InformationAction Continue
        }
        $probe.Errors | Should -BeNullOrEmpty
        @($probe.Objects).Count | Should -Be 12 -Because 'the command ran and its output was captured'
        $probe.Text | Should -Match 'MissingAtCloudflare'
        $probe.Text | Should -Match 'Inventory of '
        Assert-TestNoSecret -Probe $probe -Secret $script:values.ToArray()
    }
}

Describe 'Get-CfTokenInventory: 200 entries in mixed states' {
    BeforeAll {
        # States by index mod 8: 0 healthy, 1 expiring soon, 2 expired, 3 revoked (exposed), 4 deleted at Cloudflare,
        # 5 drift, 6 companions without a value, 7 REVOKED marker with the token deleted.
        $script:expected = @{}
        $far = [DateTimeOffset]::UtcNow.AddDays(60)
        $write = [Diagnostics.Stopwatch]::StartNew()
        for ($i = 0; $i -lt 200; $i++) {
            $name = 'BULK_{0:d3}' -f $i
            $far = [DateTimeOffset]::UtcNow.AddDays(60)
            switch ($i % 8) {
                0 { $t = New-EmuToken $name.ToLowerInvariant() -At $far; Add-VaultToken $name $t -ExpiresOn $far; $script:expected[$name] = '' }
                1 { $at = [DateTimeOffset]::UtcNow.AddDays(3); $t = New-EmuToken $name.ToLowerInvariant() -At $at; Add-VaultToken $name $t -ExpiresOn $at; $script:expected[$name] = 'ExpiringSoon' }
                2 { $at = [DateTimeOffset]::UtcNow.AddDays(-1); $t = New-EmuToken $name.ToLowerInvariant() -At $at; Add-VaultToken $name $t -ExpiresOn $at; $script:expected[$name] = 'Expired' }
                3 { $t = New-EmuToken $name.ToLowerInvariant() -At $far; Set-EmuStatus $t.Id 'revoked (exposed)'; Add-VaultToken $name $t -ExpiresOn $far; $script:expected[$name] = 'Revoked' }
                4 { $t = New-EmuToken $name.ToLowerInvariant() -At $far; Remove-EmuToken $t.Id; Add-VaultToken $name $t -ExpiresOn $far; $script:expected[$name] = 'Invalid,MissingAtCloudflare' }
                5 { $t = New-EmuToken $name.ToLowerInvariant() -At $far; Add-VaultToken $name $t -ExpiresOn ([DateTimeOffset]::UtcNow.AddDays(20)); $script:expected[$name] = 'Drift' }
                6 {
                    $t = New-EmuToken $name.ToLowerInvariant() -At $far
                    Set-Secret -Vault $script:vault -Name "${name}__TOKEN_ID" -Secret $t.Id
                    Set-Secret -Vault $script:vault -Name "${name}__EXPIRES_AT" -Secret $far.UtcDateTime.ToString('o')
                    $script:expected[$name] = 'VaultValueMissing'
                }
                7 {
                    $t = New-EmuToken $name.ToLowerInvariant() -At $far; Remove-EmuToken $t.Id
                    Set-Secret -Vault $script:vault -Name $name -Secret 'REVOKED' -Metadata @{ TokenId = $t.Id; ExpiresOn = $far.UtcDateTime.ToString('o'); Revoked = [DateTimeOffset]::UtcNow.UtcDateTime.ToString('o') }
                    $script:expected[$name] = 'MarkedRevoked,MissingAtCloudflare'
                }
            }
        }
        $write.Stop()
        Write-Host ("Wrote 200 credentials (225 secrets) to the SecretStore vault in {0:n1} s" -f $write.Elapsed.TotalSeconds)
        $script:before = Get-RequestCount
        $run = [Diagnostics.Stopwatch]::StartNew()
        $script:bulk = @(Get-CfTokenInventory -Vault $script:vault -Name 'BULK_*' -LedgerPath $script:ledger)
        $run.Stop()
        $script:bulkSeconds = $run.Elapsed.TotalSeconds
        Write-Host ("Inventory of 200 vault entries: {0:n1} s" -f $script:bulkSeconds)
        $script:bulkRequests = @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $script:before)
    }

    It 'returns 200 items with the right flags per entry' {
        $script:bulk.Count | Should -Be 200
        $wrong = @($script:bulk | Where-Object { (Get-Flags $_) -ne $script:expected[$_.Name] } | ForEach-Object { "$($_.Name): got '$(Get-Flags $_)', expected '$($script:expected[$_.Name])'" })
        $wrong | Should -BeNullOrEmpty
        ($script:bulk | Group-Object { Get-Flags $_ }).Count | Should -Be 8
    }

    It 'finishes in reasonable time with one verify per value and the token list read once' {
        $script:bulkSeconds | Should -BeLessThan 120
        # 25 per state: values verified in states 0-5 = 150; the list is paged (50 per page), never one GET per entry.
        @($script:bulkRequests | Where-Object { $_.path -match '/tokens/verify$' }).Count | Should -Be 150
        @($script:bulkRequests | Where-Object { $_.method -eq 'GET' -and $_.path -match '/tokens/[0-9a-f]{32}$' }).Count | Should -Be 0
        $pages = @($script:bulkRequests | Where-Object { $_.method -eq 'GET' -and $_.path -match '/user/tokens$' }).Count
        $pages | Should -BeLessOrEqual 10
        Write-Host "200 entries: $pages page(s) of the token list, 150 verifies, $($script:bulkRequests.Count) requests in all"
    }

    It 'filters with -Name wildcards and -SkipVerify sends no verify' {
        $before = Get-RequestCount
        $some = @(Get-CfTokenInventory -Vault $script:vault -Name 'BULK_00*' -SkipVerify -LedgerPath $script:ledger)
        $some.Count | Should -Be 10
        @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $before | Where-Object { $_.path -match '/verify$' }).Count | Should -Be 0
        # Without verify a deleted token is still found missing (not in the list), but Invalid cannot be told.
        Get-Flags ($some | Where-Object Name -eq 'BULK_004') | Should -Be 'MissingAtCloudflare'
        ($some | Where-Object Name -eq 'BULK_003').Status | Should -Be 'revoked (exposed)'
    }

    It 'writes progress while it works' {
        Mock -ModuleName CfManagement Write-Progress { }
        $null = Get-CfTokenInventory -Vault $script:vault -Name 'BULK_01*' -SkipVerify -LedgerPath $script:ledger
        Should -Invoke -ModuleName CfManagement Write-Progress -ParameterFilter { $Status -like '1 of 10: BULK_010' } -Times 1 -Exactly
        Should -Invoke -ModuleName CfManagement Write-Progress -ParameterFilter { $Completed } -Times 1 -Exactly
    }
}

Describe 'Argument completion' {
    It 'completes -Vault with the registered vaults, for both composites, and -Method with HTTP methods' {
        foreach ($line in 'Get-CfTokenInventory -Vault CfP', 'Resolve-CfTokenFailure -SecretName X -Vault CfP') {
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $completions.CompletionText | Should -Contain 'CfPester' -Because $line
        }
        $line = 'Resolve-CfTokenFailure -Method PA'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('PATCH')
    }
}

Describe 'Get-CfTokenInventory refuses bad input before any request' {
    It 'refuses <Case> with <ErrorId>' -TestCases @(
        @{ Case = 'an empty -Vault'; Parameters = @{ Vault = '' }; ErrorId = 'InvalidVaultName' }
        @{ Case = 'an unregistered vault'; Parameters = @{ Vault = 'NoSuchVault' }; ErrorId = 'VaultNotFound' }
        @{ Case = 'a negative -ExpiringWithinDays'; Parameters = @{ Vault = 'CfPester'; ExpiringWithinDays = -1 }; ErrorId = 'InvalidExpiringWithin' }
        @{ Case = 'an empty -Name'; Parameters = @{ Vault = 'CfPester'; Name = @('') }; ErrorId = 'InvalidSecretName' }
        @{ Case = 'a companion as -Name'; Parameters = @{ Vault = 'CfPester'; Name = @('CF_X__TOKEN_ID') }; ErrorId = 'InvalidSecretName' }
        @{ Case = 'both ledgers'; Parameters = @{ Vault = 'CfPester'; LedgerPath = 'x.db'; LedgerDatabaseId = '0f2b0c1e-1111-4222-8333-444455556666' }; ErrorId = 'ConflictingParameters' }
        @{ Case = 'a malformed D1 id'; Parameters = @{ Vault = 'CfPester'; LedgerDatabaseId = 'not-a-uuid' }; ErrorId = 'InvalidId' }
        @{ Case = 'a -Session that is not a session'; Parameters = @{ Vault = 'CfPester'; Session = 'nope' }; ErrorId = 'InvalidSession' }
    ) {
        param($Case, $Parameters, $ErrorId)
        $before = Get-RequestCount
        $err = $null
        try { Get-CfTokenInventory @Parameters -ErrorAction Stop | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
        $err.CategoryInfo.Category | Should -BeIn 'InvalidArgument', 'ObjectNotFound'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        Get-RequestCount | Should -Be $before -Because 'bad input is refused before any request'
    }
}
