#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Access service tokens as an admin uses them in real pwsh, against the built emulator's Access-protected origin, a
# real SecretStore vault and a temporary SQLite ledger: create into the vault (secret + client id metadata), test,
# rotate with a grace window, test both secrets, remove; and a managed Access token cleaned up once expired.
# The in-process twins are tests/integration/Cmdlets/Access/*.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-access-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:loud = Get-TestLoudParameter

    # One application covering app.example.com that admits any valid service token (a policy naming no token, so
    # the tokens can be deleted at the end), served by the emulator's origin on loopback.
    $app = @{ domain = 'app.example.com'; policies = @(@{ decision = 'non_identity'; include = @(@{ any_valid_service_token = @{} }) }) }
    Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path 'access/apps' -Method POST -Body $app | Out-Null
    $script:url = (Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path 'access/origin').result.base_url + 'app.example.com/health'

    function script:Get-VaultValue([string] $Name) {
        $secret = Get-Secret -Name $Name -Vault $script:vault -ErrorAction SilentlyContinue
        if ($secret) { Get-PlainText $secret }
    }
    function script:Test-Secret([string] $ClientId, [string] $Secret) {
        $secure = ConvertTo-SecureString $Secret -AsPlainText -Force
        Test-CfAccessServiceToken -Uri $script:url -AllowInsecure -ClientId $ClientId -ClientSecret $secure
    }
    function script:Get-OriginVisitCount { @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path 'access/origin-requests').result).Count }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item -Path $script:ledger, "$($script:ledger)-wal", "$($script:ledger)-shm" -ErrorAction SilentlyContinue
}

Describe 'An Access service token from creation to removal' {
    It 'is created into the vault, passes the protected origin, keeps both secrets working during a grace window, then only the new one' {
        $created = New-CfAccessServiceToken -Name pester-ci -Duration 24h -Vault $script:vault -SecretName PESTER_CI -Confirm:$false
        $created.Destination | Should -Be "vault:$($script:vault)/PESTER_CI"
        $created.ClientSecret | Should -BeNullOrEmpty   # it went to the vault, not to the pipeline
        (Get-SecretInfo -Name PESTER_CI -Vault $script:vault).Metadata.ClientId | Should -Be $created.ClientId
        $old = Get-VaultValue PESTER_CI
        $old | Should -Match '^[0-9a-f]{64}$'

        $first = Test-CfAccessServiceToken -Uri $script:url -AllowInsecure -Vault $script:vault -SecretName PESTER_CI
        $first.Outcome | Should -Be 'Authenticated'
        $first.Source | Should -Be "vault:$($script:vault)/PESTER_CI"
        $first.Evidence | Should -Contain 'With the token: Set-Cookie CF_Authorization (value withheld)'

        $rotated = Invoke-CfAccessServiceTokenRotate -Id $created.Id -GracePeriod (New-TimeSpan -Seconds 5) -Vault $script:vault -SecretName PESTER_CI -Confirm:$false
        $new = Get-VaultValue PESTER_CI
        $new | Should -Not -Be $old
        $rotated.PreviousSecretExpiresAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow)

        (Test-Secret $created.ClientId $old).Outcome | Should -Be 'Authenticated'
        (Test-CfAccessServiceToken -Uri $script:url -AllowInsecure -Vault $script:vault -SecretName PESTER_CI).Outcome | Should -Be 'Authenticated'
        [DateTimeOffset]::UtcNow | Should -BeLessThan $rotated.PreviousSecretExpiresAt -Because 'both secrets were tested inside the window'

        $wait = $rotated.PreviousSecretExpiresAt - [DateTimeOffset]::UtcNow + [TimeSpan]::FromMilliseconds(700)
        if ($wait -gt [TimeSpan]::Zero) { Start-Sleep -Milliseconds $wait.TotalMilliseconds }
        $after = Test-Secret $created.ClientId $old
        $after.Outcome | Should -Be 'NotAuthenticated'
        $after.StatusCode | Should -Be 401
        (Test-CfAccessServiceToken -Uri $script:url -AllowInsecure -Vault $script:vault -SecretName PESTER_CI).Outcome | Should -Be 'Authenticated'

        Remove-CfAccessServiceToken -Id $created.Id -Confirm:$false
        Get-CfAccessServiceToken -Name pester-ci -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Test-Secret $created.ClientId $new).Outcome | Should -Be 'NotAuthenticated'
    }

    It 'without a grace period the old secret fails at once' {
        $created = New-CfAccessServiceToken -Name pester-nograce -Duration 24h -Vault $script:vault -SecretName PESTER_NOGRACE -Confirm:$false
        $old = Get-VaultValue PESTER_NOGRACE
        Invoke-CfAccessServiceTokenRotate -Id $created.Id -Vault $script:vault -SecretName PESTER_NOGRACE -Confirm:$false | Out-Null
        (Test-Secret $created.ClientId $old).Outcome | Should -Be 'NotAuthenticated'
        (Test-CfAccessServiceToken -Uri $script:url -AllowInsecure -Vault $script:vault -SecretName PESTER_NOGRACE).Outcome | Should -Be 'Authenticated'
        Remove-CfAccessServiceToken -Id $created.Id -Confirm:$false
    }

    It 'shows no secret in any stream with -Verbose -Debug' {
        $text = Get-OutputText {
            $created = New-CfAccessServiceToken -Name pester-leak -Duration 24h -Vault $script:vault -SecretName PESTER_LEAK -Confirm:$false @script:loud
            Test-CfAccessServiceToken -Uri $script:url -AllowInsecure -Vault $script:vault -SecretName PESTER_LEAK @script:loud | Format-List *
            $script:leakOld = Get-VaultValue PESTER_LEAK
            Invoke-CfAccessServiceTokenRotate -Id $created.Id -GracePeriod (New-TimeSpan -Minutes 5) -Vault $script:vault -SecretName PESTER_LEAK -Confirm:$false @script:loud
            Test-CfAccessServiceToken -Uri $script:url -AllowInsecure -Vault $script:vault -SecretName PESTER_LEAK @script:loud | Format-List *
            Remove-CfAccessServiceToken -Id $created.Id -Confirm:$false @script:loud
        }
        $text | Should -Match 'Authenticated'          # the commands ran and their output is in the text
        $text | Should -Match 'CF_Authorization'
        $secret = Get-VaultValue PESTER_LEAK
        $secret | Should -Match '^[0-9a-f]{64}$'
        $text | Should -Not -Match $secret
        $script:leakOld | Should -Match '^[0-9a-f]{64}$'
        $script:leakOld | Should -Not -Be $secret
        $text | Should -Not -Match $script:leakOld
        $text | Should -Not -Match 'eyJ'                 # nor Access's JWT
    }

    It 'refuses plain http without -AllowInsecure before anything reaches the origin' {
        $before = Get-OriginVisitCount
        $secure = ConvertTo-SecureString ('f' * 64) -AsPlainText -Force
        Test-CfAccessServiceToken -Uri $script:url -ClientId 'x.access' -ClientSecret $secure -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'InsecureUri,*'
        Get-OriginVisitCount | Should -Be $before
    }
}

Describe 'A managed Access service token' {
    It 'is minted into the vault with its purpose, works, and is deleted with its vault secret once expired' {
        $managed = New-CfManagedToken -AccessServiceToken -Name pester-managed -Purpose 'pester smoke' -Ttl (New-TimeSpan -Seconds 3) -Vault $script:vault -Confirm:$false
        $managed.Kind | Should -Be 'AccessServiceToken'
        $managed.State | Should -Be 'Active'
        (Get-SecretInfo -Name pester-managed -Vault $script:vault).Metadata.ClientId | Should -Be $managed.ClientId
        $secret = Get-VaultValue pester-managed
        (Test-CfAccessServiceToken -Uri $script:url -AllowInsecure -Vault $script:vault -SecretName pester-managed).Outcome | Should -Be 'Authenticated'
        (Get-CfManagedToken -Name pester-managed).Purpose | Should -Be 'pester smoke'

        Start-Sleep -Milliseconds 3300
        $removed = Remove-CfExpiredManagedToken -Name pester-managed -PassThru -Confirm:$false
        $removed.State | Should -Be 'Revoked'
        Get-SecretInfo -Name pester-managed -Vault $script:vault | Should -BeNullOrEmpty
        Get-CfAccessServiceToken -Name pester-managed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        (Test-Secret $managed.ClientId $secret).Outcome | Should -Be 'NotAuthenticated'
        (Get-CfManagedToken -Name pester-managed -IncludeRemoved).State | Should -Be 'Revoked'
    }
}
