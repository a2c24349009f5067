#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# -Vault destinations in real pwsh with a real SecretStore vault: the value and its metadata land in the vault,
# SecretManagement's own diagnostics come out of our streams only (so the caller's redirection holds), and a command
# that succeeds leaves nothing in $Error. A small script-module vault (FakeVault) is used only to inject failures:
# a vault that rejects metadata, and one that echoes the value in its verbose output.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-ledger-$([guid]::NewGuid()).db"
    Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger } | Out-Null

    # FakeVault: a companion-only extension vault (TestSupport's Register-TestCompanionVault: files, no metadata
    # support, so SecretManagement refuses metadata and the module falls back to companion secrets NAME__TOKEN_ID, ...).
    # With leak.flag in its folder it writes the value it received in a warning.
    $fake = Register-TestCompanionVault -Name CfFakeVault
    $script:fakeVault = $fake.Name
    $script:fakeData = $fake.Data
    $script:fakeStore = $fake.Root

    function Get-FakeSecretNames { @(Get-ChildItem -Path $script:fakeData -Filter '*.secret' | ForEach-Object BaseName | Sort-Object) }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Unregister-SecretVault -Name $script:fakeVault -ErrorAction SilentlyContinue
    Remove-Item $script:ledger, $script:fakeStore -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'A real SecretStore vault' {
    It 'Invoke-CfTokenRoll -Vault stores the value with metadata and leaves $Error empty' {
        $token = New-CfToken -Name vault-roll -PermissionGroup 'DNS Read' -AllZones -Ttl 2.00:00:00 -Confirm:$false
        $Error.Clear()
        $rolled = Invoke-CfTokenRoll -Id $token.Id -Vault $script:vault -Confirm:$false
        $Error.Count | Should -Be 0 -Because "a successful roll leaves no SecretManagement error behind (got: $($Error | ForEach-Object FullyQualifiedErrorId))"
        $rolled.Destination | Should -Be "vault:$($script:vault)/vault-roll"

        $info = Get-SecretInfo -Vault $script:vault -Name vault-roll
        $info.Metadata['TokenId'] | Should -Be $token.Id
        $info.Metadata['TokenName'] | Should -Be 'vault-roll'
        $info.Metadata['Scopes'] | Should -Be 'DNS Read'
        $info.Metadata['ExpiresOn'] | Should -Match '^\d{4}-\d\d-\d\dT'
        # Both ways: the companions a companion-only tool reads are there too.
        Get-Secret -Vault $script:vault -Name vault-roll__TOKEN_ID -AsPlainText | Should -Be $token.Id
        Get-Secret -Vault $script:vault -Name vault-roll__EXPIRES_AT -AsPlainText | Should -Be $info.Metadata['ExpiresOn']
        Get-Secret -Vault $script:vault -Name vault-roll__SCOPES -AsPlainText | Should -Be 'DNS Read'
        (Test-CfToken -Token (Get-Secret -Vault $script:vault -Name vault-roll)).Status | Should -Be 'active'
    }

    It 'New-CfManagedToken -Vault stores metadata and Remove-CfExpiredManagedToken removes the secret, both leaving $Error empty' {
        $Error.Clear()
        $managed = New-CfManagedToken -Name vault-managed -Purpose 'vault spec' -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -Vault $script:vault -Confirm:$false
        $Error.Count | Should -Be 0 -Because "got: $($Error | ForEach-Object FullyQualifiedErrorId)"
        $info = Get-SecretInfo -Vault $script:vault -Name vault-managed
        $info.Metadata['TokenId'] | Should -Be $managed.TokenId
        $info.Metadata['Purpose'] | Should -Be 'vault spec'
        $info.Metadata['ManagedBy'] | Should -Be 'CfManagement'

        Start-Sleep -Seconds 3
        $Error.Clear()
        (Remove-CfExpiredManagedToken -Name vault-managed -PassThru -Confirm:$false).Name | Should -Be 'vault-managed'
        # Cleanup asks Get-SecretInfo about the companion secrets too; their absence must leave no error either.
        $Error.Count | Should -Be 0 -Because "got: $($Error | ForEach-Object FullyQualifiedErrorId)"
        Get-SecretInfo -Vault $script:vault -Name vault-managed* | Should -BeNullOrEmpty -Because 'the value and its companions are gone'
    }

    It "relays SecretManagement's verbose lines through the command's own verbose stream" {
        $token = New-CfToken -Name vault-verbose -PermissionGroup 'DNS Read' -AllZones -Confirm:$false
        $records = @(Invoke-CfTokenRoll -Id $token.Id -Vault $script:vault -Confirm:$false -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $records.Message | Should -Contain "Set-Secret: Secret vault-verbose was successfully added to vault $($script:vault)."
    }

    It 'prints no SecretManagement line past 4>$null, with -Verbose or $VerbosePreference (host output of a child pwsh)' {
        $env:CFM_CHILD_TOKEN = Get-PlainText $script:emulator.Token
        try {
            $output = (Invoke-ChildPowerShell -Command @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-TestModuleManifest)'
Connect-CfAccount -ApiToken (ConvertTo-SecureString `$env:CFM_CHILD_TOKEN -AsPlainText -Force) -ApiBaseUri '$($script:emulator.BaseUri)' -LedgerPath '$($script:ledger)' | Out-Null
`$token = New-CfToken -Name vault-child -PermissionGroup 'DNS Read' -AllZones -Confirm:`$false
'== -Verbose 4>`$null'
Invoke-CfTokenRoll -Id `$token.Id -Vault '$($script:vault)' -Confirm:`$false -Verbose 4>`$null | Out-Null
'== VerbosePreference 4>`$null'
`$VerbosePreference = 'Continue'
Invoke-CfTokenRoll -Id `$token.Id -Vault '$($script:vault)' -Confirm:`$false 4>`$null | Out-Null
`$VerbosePreference = 'SilentlyContinue'
'== managed -Verbose 4>`$null'
New-CfManagedToken -Name vault-child-managed -Purpose child -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -Vault '$($script:vault)' -Confirm:`$false -Verbose 4>`$null | Out-Null
"== errors `$(`$Error.Count)"
"== stored `$((Get-SecretInfo -Vault '$($script:vault)' -Name vault-child-managed).Name)"
'== done'
"@).Output
        }
        finally { Remove-Item Env:CFM_CHILD_TOKEN -ErrorAction SilentlyContinue }
        $output | Should -Match '== done'
        $output | Should -Match '== errors 0'
        $output | Should -Not -Match 'VERBOSE:|successfully added|Performing the operation|Invoking command'
        $output | Should -Match '== stored vault-child-managed'
    }
}

Describe 'A vault that rejects metadata (FakeVault)' {
    BeforeEach { Remove-Item (Join-Path $script:fakeData 'leak.flag') -ErrorAction SilentlyContinue }

    It 'gets companion secrets instead, the command succeeds, and $Error stays empty' {
        $token = New-CfToken -Name fake-roll -PermissionGroup 'DNS Read' -AllZones -Ttl 1.00:00:00 -Confirm:$false
        $Error.Clear()
        $rolled = Invoke-CfTokenRoll -Id $token.Id -Vault $script:fakeVault -Confirm:$false
        $Error.Count | Should -Be 0 -Because "the rejected metadata write was recovered from (got: $($Error | ForEach-Object FullyQualifiedErrorId))"
        $rolled.Destination | Should -Be "vault:$($script:fakeVault)/fake-roll"
        Get-FakeSecretNames | Should -Be @('fake-roll', 'fake-roll__EXPIRES_AT', 'fake-roll__SCOPES', 'fake-roll__TOKEN_ID')
        Get-Secret -Vault $script:fakeVault -Name fake-roll__TOKEN_ID -AsPlainText | Should -Be $token.Id
    }

    It "relays the vault's verbose lines, says why it fell back, and withholds a line carrying the value" {
        $token = New-CfToken -Name fake-leak -PermissionGroup 'DNS Read' -AllZones -Confirm:$false
        $null = New-Item -ItemType File -Path (Join-Path $script:fakeData 'leak.flag')
        $all = @(Invoke-CfTokenRoll -Id $token.Id -Vault $script:fakeVault -Confirm:$false -Verbose *>&1)
        # By type name: the module's types live in its own load context, so [CfManagement.Model...] does not resolve here.
        $credential = $all | Where-Object { $_.PSObject.TypeNames[0] -eq 'CfManagement.Model.CfTokenCredential' }
        $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $warnings = @($all | Where-Object { $_ -is [System.Management.Automation.WarningRecord] } | ForEach-Object Message)
        $verbose | Should -Contain "Set-Secret: Secret fake-leak was successfully added to vault $($script:fakeVault)."
        $verbose | Should -Contain "Vault '$($script:fakeVault)' does not take metadata; the companion secrets carry it."
        $warnings | Should -Contain 'Set-Secret: (a message from Set-Secret was withheld: it may contain a credential)'
        $credential.Value | Should -BeNullOrEmpty -Because 'a value delivered to a vault is not kept on the returned object'
        $plain = Get-Secret -Vault $script:fakeVault -Name fake-leak -AsPlainText
        ($all | Out-String -Width 400).Contains($plain) | Should -BeFalse
        (Get-Secret -Vault $script:fakeVault -Name fake-leak -AsPlainText) | Should -Be $plain
    }

    It 'New-CfManagedToken and Remove-CfExpiredManagedToken handle the companions, leaving $Error empty' {
        $Error.Clear()
        New-CfManagedToken -Name fake-managed -Purpose 'fake spec' -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -Vault $script:fakeVault -Confirm:$false | Out-Null
        $Error.Count | Should -Be 0 -Because "got: $($Error | ForEach-Object FullyQualifiedErrorId)"
        Get-FakeSecretNames | Should -Contain 'fake-managed__TOKEN_ID'
        Start-Sleep -Seconds 3
        $Error.Clear()
        (Remove-CfExpiredManagedToken -Name fake-managed -PassThru -Confirm:$false).Name | Should -Be 'fake-managed'
        $Error.Count | Should -Be 0 -Because "got: $($Error | ForEach-Object FullyQualifiedErrorId)"
        Get-FakeSecretNames | Where-Object { $_ -like 'fake-managed*' } | Should -BeNullOrEmpty
    }
}
