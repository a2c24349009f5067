#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# The runbook layer's composites side by side (Get-CfTokenInventory, Resolve-CfTokenFailure, Invoke-CfTokenRotation,
# New-CfScopedToken, Revoke-CfToken), in real pwsh against the emulator and a real SecretStore vault:
# - one table of bad input across all of them, each refused with its stable ErrorId, a category, a recommended
#   action, and nothing sent to the emulator or written to the vault. Each composite's own spec covers its own cases
#   in depth; this table holds the ones every composite shares (two ledgers, a bad D1 id, a bad session, a blank or
#   unknown vault, a companion name) so the differences between them show in one place;
# - the seed-004 runbook end to end (provision, inventory, diagnose, rotate, emergency stop) under one leak probe.

BeforeDiscovery {
    $uuid = '0f2b6f0e-1c1d-4d3e-9a4b-5c6d7e8f9a0b'
    $id = '0123456789abcdef0123456789abcdef'
    # <vault> is the test vault, <good> a vaulted API token that exists (so a check that comes after the vault read
    # is reached). Known: a gap found by this sweep, reported, skipped until fixed (the case states the intended result).
    $script:badInput = @(
        # Get-CfTokenInventory
        @{ Command = 'Get-CfTokenInventory'; Case = 'two ledgers'; Parameters = @{ Vault = '<vault>'; LedgerPath = 'x.db'; LedgerDatabaseId = $uuid }; ErrorId = 'ConflictingParameters' }
        @{ Command = 'Get-CfTokenInventory'; Case = 'a D1 id that is not a uuid'; Parameters = @{ Vault = '<vault>'; LedgerDatabaseId = 'ledger' }; ErrorId = 'InvalidId' }
        @{ Command = 'Get-CfTokenInventory'; Case = 'a -Session that is not a session'; Parameters = @{ Vault = '<vault>'; Session = 'nope' }; ErrorId = 'InvalidSession' }
        @{ Command = 'Get-CfTokenInventory'; Case = 'a blank vault'; Parameters = @{ Vault = ' ' }; ErrorId = 'InvalidVaultName' }
        @{ Command = 'Get-CfTokenInventory'; Case = 'an unregistered vault'; Parameters = @{ Vault = 'NoSuchVault' }; ErrorId = 'VaultNotFound'; Category = 'ObjectNotFound' }
        @{ Command = 'Get-CfTokenInventory'; Case = 'a companion name'; Parameters = @{ Vault = '<vault>'; Name = 'X__TOKEN_ID' }; ErrorId = 'InvalidSecretName' }
        @{ Command = 'Get-CfTokenInventory'; Case = 'a blank name'; Parameters = @{ Vault = '<vault>'; Name = ' ' }; ErrorId = 'InvalidSecretName' }
        @{ Command = 'Get-CfTokenInventory'; Case = 'a negative threshold'; Parameters = @{ Vault = '<vault>'; ExpiringWithinDays = -1 }; ErrorId = 'InvalidExpiringWithin' }
        @{ Command = 'Get-CfTokenInventory'; Case = 'a threshold past 100 years'; Parameters = @{ Vault = '<vault>'; ExpiringWithinDays = 40000 }; ErrorId = 'InvalidExpiringWithin' }
        @{ Command = 'Get-CfTokenInventory'; Case = 'a blank ledger path'; Parameters = @{ Vault = '<vault>'; LedgerPath = ' ' }; ErrorId = 'InvalidName' }
        # Resolve-CfTokenFailure
        @{ Command = 'Resolve-CfTokenFailure'; Case = 'a -Session that is not a session'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; Session = 'nope' }; ErrorId = 'InvalidSession' }
        @{ Command = 'Resolve-CfTokenFailure'; Case = 'a blank vault'; Parameters = @{ SecretName = '<good>'; Vault = ' ' }; ErrorId = 'InvalidVaultName' }
        @{ Command = 'Resolve-CfTokenFailure'; Case = 'an unregistered vault'; Parameters = @{ SecretName = '<good>'; Vault = 'NoSuchVault' }; ErrorId = 'VaultNotFound'; Category = 'ObjectNotFound' }
        @{ Command = 'Resolve-CfTokenFailure'; Case = 'a companion name'; Parameters = @{ SecretName = 'X__TOKEN_ID'; Vault = '<vault>' }; ErrorId = 'InvalidSecretName' }
        @{ Command = 'Resolve-CfTokenFailure'; Case = 'a secret name without a vault'; Parameters = @{ SecretName = '<good>' }; ErrorId = 'VaultRequired' }
        @{ Command = 'Resolve-CfTokenFailure'; Case = 'both a secret name and a value'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; Token = '<token>' }; ErrorId = 'ConflictingParameters' }
        @{ Command = 'Resolve-CfTokenFailure'; Case = 'an HTTP method that is none'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; Method = 'FETCH'; Path = '/zones' }; ErrorId = 'InvalidHttpMethod' }
        @{ Command = 'Resolve-CfTokenFailure'; Case = 'a relative request path'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; Path = 'zones' }; ErrorId = 'InvalidRequestPath' }
        @{ Command = 'Resolve-CfTokenFailure'; Case = 'an ftp URL'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; Uri = 'ftp://x/y' }; ErrorId = 'InvalidUri' }
        # Invoke-CfTokenRotation
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'two ledgers'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; LedgerPath = 'x.db'; LedgerDatabaseId = $uuid }; ErrorId = 'ConflictingParameters' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'a D1 id that is not a uuid'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; LedgerDatabaseId = 'ledger' }; ErrorId = 'InvalidId' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'a blank ledger path'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; LedgerPath = ' ' }; ErrorId = 'InvalidName' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'a -Session that is not a session'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; Session = 'nope' }; ErrorId = 'InvalidSession' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'a blank vault'; Parameters = @{ SecretName = '<good>'; Vault = ' ' }; ErrorId = 'InvalidVaultName' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'an unregistered vault'; Parameters = @{ SecretName = '<good>'; Vault = 'NoSuchVault' }; ErrorId = 'VaultNotFound'; Category = 'ObjectNotFound' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'a companion name'; Parameters = @{ SecretName = 'X__TOKEN_ID'; Vault = '<vault>' }; ErrorId = 'VaultCompanionName' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'an empty secret name'; Parameters = @{ SecretName = ''; Vault = '<vault>' }; ErrorId = 'InvalidName' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'a wildcard secret name'; Parameters = @{ SecretName = 'CF_*'; Vault = '<vault>' }; ErrorId = 'InvalidSecretName' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'a secret the vault does not hold'; Parameters = @{ SecretName = 'NOT_THERE'; Vault = '<vault>' }; ErrorId = 'VaultCredentialNotFound'; Category = 'ObjectNotFound' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'a zero grace period'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; GracePeriod = [timespan]::Zero }; ErrorId = 'InvalidGracePeriod' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'a grace period for an API token'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; GracePeriod = [timespan]::FromHours(1) }; ErrorId = 'AccessParameterNotApplicable' }
        @{ Command = 'Invoke-CfTokenRotation'; Case = 'an http Access URL off loopback'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; AccessUri = 'http://example.com/' }; ErrorId = 'InsecureUri'; Category = 'SecurityError' }
        # New-CfScopedToken
        @{ Command = 'New-CfScopedToken'; Case = 'two ledgers'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = '<vault>'; LedgerPath = 'x.db'; LedgerDatabaseId = $uuid }; ErrorId = 'ConflictingParameters' }
        @{ Command = 'New-CfScopedToken'; Case = 'a D1 id that is not a uuid'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = '<vault>'; LedgerDatabaseId = 'ledger' }; ErrorId = 'InvalidId' }
        @{ Command = 'New-CfScopedToken'; Case = 'a -Session that is not a session'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = '<vault>'; Session = 'nope' }; ErrorId = 'InvalidSession' }
        @{ Command = 'New-CfScopedToken'; Case = 'a blank vault'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = ' ' }; ErrorId = 'InvalidVaultName' }
        @{ Command = 'New-CfScopedToken'; Case = 'an unregistered vault'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = 'NoSuchVault' }; ErrorId = 'VaultNotFound'; Category = 'ObjectNotFound' }
        @{ Command = 'New-CfScopedToken'; Case = 'a companion name as secret name'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = '<vault>'; SecretName = 'X__TOKEN_ID' }; ErrorId = 'InvalidSecretName' }
        @{ Command = 'New-CfScopedToken'; Case = 'a secret name with spaces'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = '<vault>'; SecretName = 'bad name!' }; ErrorId = 'InvalidSecretName' }
        @{ Command = 'New-CfScopedToken'; Case = 'a token-shaped description'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = '<vault>'; Description = 'cfut_abcdefghijklmnopqrstuvwxyz0123456789ABCD' }; ErrorId = 'InvalidDescription' }
        @{ Command = 'New-CfScopedToken'; Case = 'a blank token name'; Parameters = @{ Name = ' '; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = '<vault>' }; ErrorId = 'MissingTokenName' }
        @{ Command = 'New-CfScopedToken'; Case = 'a negative -Ttl'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = '<vault>'; Ttl = [timespan]::FromHours(-1) }; ErrorId = 'InvalidTtl' }
        @{ Command = 'New-CfScopedToken'; Case = 'an expiry in the past'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = '<vault>'; ExpiresOn = '<yesterday>' }; ErrorId = 'InvalidExpiry' }
        @{ Command = 'New-CfScopedToken'; Case = '-Ttl and -ExpiresOn'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = '<vault>'; Ttl = [timespan]::FromHours(1); ExpiresOn = '<tomorrow>' }; ErrorId = 'ConflictingParameters' }
        @{ Command = 'New-CfScopedToken'; Case = '-Zone and -AllZones'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; Zone = 'example.com'; AllZones = $true; Vault = '<vault>' }; ErrorId = 'ConflictingParameters' }
        @{ Command = 'New-CfScopedToken'; Case = 'a consumer of no known kind'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'DNS Read'; AllZones = $true; Vault = '<vault>'; Consumer = 'bogus:thing' }; ErrorId = 'InvalidTokenConsumer' }
        @{ Command = 'New-CfScopedToken'; Case = 'an unknown permission group'; Parameters = @{ Name = 'cmp-new'; PermissionGroup = 'No Such Group'; AllZones = $true; Vault = '<vault>' }; ErrorId = 'PermissionGroupNotFound'; Category = 'ObjectNotFound'; ReadsAllowed = $true }
        @{ Command = 'New-CfScopedToken'; Case = 'a template that does not exist'; Parameters = @{ TemplatePath = '/nonexistent/template.psd1'; Vault = '<vault>' }; ErrorId = 'TokenTemplateNotFound'; Category = 'ObjectNotFound' }
        # Revoke-CfToken
        @{ Command = 'Revoke-CfToken'; Case = 'two ledgers'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; LedgerPath = 'x.db'; LedgerDatabaseId = $uuid }; ErrorId = 'ConflictingParameters' }
        @{ Command = 'Revoke-CfToken'; Case = 'a D1 id that is not a uuid'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; LedgerDatabaseId = 'ledger' }; ErrorId = 'InvalidId' }
        @{ Command = 'Revoke-CfToken'; Case = 'a -Session that is not a session'; Parameters = @{ SecretName = '<good>'; Vault = '<vault>'; Session = 'nope' }; ErrorId = 'InvalidSession' }
        @{ Command = 'Revoke-CfToken'; Case = 'a blank vault'; Parameters = @{ SecretName = '<good>'; Vault = ' ' }; ErrorId = 'InvalidVaultName' }
        @{ Command = 'Revoke-CfToken'; Case = 'an unregistered vault'; Parameters = @{ SecretName = '<good>'; Vault = 'NoSuchVault' }; ErrorId = 'VaultNotFound'; Category = 'ObjectNotFound' }
        @{ Command = 'Revoke-CfToken'; Case = 'a companion name'; Parameters = @{ SecretName = 'X__TOKEN_ID'; Vault = '<vault>' }; ErrorId = 'InvalidSecretName' }
        @{ Command = 'Revoke-CfToken'; Case = 'a secret the vault does not hold'; Parameters = @{ SecretName = 'NOT_THERE'; Vault = '<vault>' }; ErrorId = 'VaultCredentialNotFound'; Category = 'ObjectNotFound' }
        @{ Command = 'Revoke-CfToken'; Case = 'a malformed token id'; Parameters = @{ Id = 'abc' }; ErrorId = 'InvalidId' }
        @{ Command = 'Revoke-CfToken'; Case = 'an empty reason'; Parameters = @{ Id = $id; Reason = '' }; ErrorId = 'InvalidReason' }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    foreach ($name in 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_BASE_URL', 'CFMANAGEMENT_LEDGER_D1_DATABASE_ID') {
        [Environment]::SetEnvironmentVariable($name, $null)
    }
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-composites-ledger-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:adminValue = Get-PlainText $script:emulator.Token
    $script:prefix = "CMP$([guid]::NewGuid().ToString('n').Substring(0, 6).ToUpperInvariant())"
    # A vaulted API token that exists, so checks that come after the vault read are reached.
    $script:good = "$($script:prefix)_GOOD"
    $made = New-CfToken -Name $script:good -PermissionGroup 'DNS Read' -AllZones -Confirm:$false -ErrorAction Stop
    Invoke-CfTokenRoll -Id $made.Id -Vault $script:vault -SecretName $script:good -Confirm:$false -ErrorAction Stop | Out-Null

    function Get-VaultNames { @(Get-SecretInfo -Vault $script:vault | ForEach-Object Name | Sort-Object) }
}

AfterAll {
    Get-SecretInfo -Vault $script:vault -Name "$($script:prefix)*" -ErrorAction SilentlyContinue | ForEach-Object { Remove-Secret -Vault $script:vault -Name $_.Name -ErrorAction SilentlyContinue }
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'Bad input across the composites: refused before any request' {
    It 'the table covers every composite (40+ cases)' -ForEach @(@{ Table = $script:badInput }) {
        $Table.Count | Should -BeGreaterOrEqual 40
        @(@($Table | Where-Object { -not $_.ContainsKey('Known') }).Count) | Should -BeGreaterOrEqual 40
        @($Table | ForEach-Object { $_.Command } | Sort-Object -Unique) | Should -Be @('Get-CfTokenInventory', 'Invoke-CfTokenRotation', 'New-CfScopedToken', 'Resolve-CfTokenFailure', 'Revoke-CfToken')
        foreach ($command in $Table | ForEach-Object { $_.Command } | Sort-Object -Unique) {
            (Get-Command $command).CommandType | Should -Be 'Function' -Because "$command is a script composite of the module"
        }
    }

    It '<Command>: <Case> is <ErrorId>' -ForEach $script:badInput {
        $case = $_
        if ($case.ContainsKey('Known')) { Set-ItResult -Skipped -Because "known gap, reported: $Known"; return }
        $arguments = @{}
        foreach ($key in $case.Parameters.Keys) {
            $value = $case.Parameters[$key]
            $arguments[$key] = switch ($value) {
                '<vault>' { $script:vault }
                '<good>' { $script:good }
                '<token>' { $script:emulator.Token }
                '<yesterday>' { [datetime]::UtcNow.AddDays(-1) }
                '<tomorrow>' { [datetime]::UtcNow.AddDays(1) }
                default { $value }
            }
        }
        if ((Get-Command $Command).Parameters.ContainsKey('Confirm')) { $arguments.Confirm = $false }
        $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
        $vaultBefore = Get-VaultNames

        $err = { & $Command @arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,$Command" -PassThru

        $expectedCategory = if ($case.ContainsKey('Category')) { $Category } else { 'InvalidArgument' }
        $err.CategoryInfo.Category | Should -Be $expectedCategory
        $err.ErrorDetails.RecommendedAction | Should -Match '\w' -Because 'the error says how to fix it'
        $sent = @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $before)
        if ($case.ContainsKey('ReadsAllowed')) { @($sent | Where-Object Method -ne 'GET') | Should -BeNullOrEmpty }
        else { $sent | Should -BeNullOrEmpty -Because 'bad input is refused before any request' }
        Get-VaultNames | Should -Be $vaultBefore -Because 'nothing is written to the vault'
    }
}

Describe 'The runbook end to end: provision, inventory, diagnose, rotate, emergency stop' {
    It 'each composite succeeds on the same credential, and no value appears in any stream, view or transcript' {
        $name = "$($script:prefix)_E2E"
        $d1 = New-TestD1Database -Emulator $script:emulator -AccountId $script:session.AccountId
        $loud = @{ Verbose = $true; Debug = $true; WarningAction = 'Continue'; InformationAction = 'Continue' }
        $values = [System.Collections.Generic.List[string]]::new()
        $values.Add($script:adminValue)

        $probe = Invoke-TestLeakProbe {
            $script:provisioned = New-CfScopedToken -Name $name -PermissionGroup 'DNS Read' -AllZones -Vault $script:vault -SecretName $name `
                -Consumer 'external:terraform (getraxx.com DNS)' -LedgerDatabaseId $d1 -Confirm:$false @loud
        }
        $script:provisioned | Should -Not -BeNullOrEmpty
        $values.Add((Get-Secret -Vault $script:vault -Name $name -AsPlainText))
        Assert-TestNoSecret -Probe $probe -Secret $values

        $probe = Invoke-TestLeakProbe { $script:inventory = @(Get-CfTokenInventory -Vault $script:vault -Name $name -LedgerDatabaseId $d1 @loud) }
        $script:inventory.Count | Should -Be 1
        $script:inventory[0].Status | Should -Be 'active'
        $script:inventory[0].Consumers | Should -Contain 'external:terraform (getraxx.com DNS)'
        Assert-TestNoSecret -Probe $probe -Secret $values

        $probe = Invoke-TestLeakProbe { $script:verdict = Resolve-CfTokenFailure -SecretName $name -Vault $script:vault -Method GET -Path '/zones' @loud }
        $script:verdict | Should -Not -BeNullOrEmpty
        Assert-TestNoSecret -Probe $probe -Secret $values

        $probe = Invoke-TestLeakProbe { $script:rotation = Invoke-CfTokenRotation -SecretName $name -Vault $script:vault -LedgerDatabaseId $d1 -Confirm:$false @loud }
        "$($script:rotation.State)" | Should -Be 'Completed'
        $script:rotation.ConsumersManual | Should -Contain 'external:terraform (getraxx.com DNS)'
        $values.Add((Get-Secret -Vault $script:vault -Name $name -AsPlainText))
        $values[2] | Should -Not -Be $values[1]
        Assert-TestNoSecret -Probe $probe -Secret $values

        $probe = Invoke-TestLeakProbe { $script:revoked = Revoke-CfToken -SecretName $name -Vault $script:vault -LedgerDatabaseId $d1 -Confirm:$false @loud }
        $script:revoked | Should -Not -BeNullOrEmpty
        (Test-CfToken -Token (ConvertTo-SecureString $values[2] -AsPlainText -Force)).Status | Should -Not -Be 'active'
        Get-Secret -Vault $script:vault -Name $name -AsPlainText | Should -Be 'REVOKED'
        Assert-TestNoSecret -Probe $probe -Secret $values
    }
}
