#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Token lifecycle specs for real Windows PowerShell 5.1 / pwsh 7 (GitHub Actions). The same behaviours are covered
# in process by tests/unit/Cmdlets/{TokenLifecycleTests,ManagedTokenTests,LifecycleBadInputTests}.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-ledger-$([guid]::NewGuid()).db"
    Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger } | Out-Null
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'New-CfToken' {
    It 'creates a zone-scoped token from names and returns a SecureString' {
        $new = New-CfToken -Name pester-dns -PermissionGroup 'DNS Write' -Zone raxx.app -Ttl 1:00:00 -Confirm:$false
        $new.Value | Should -BeOfType [securestring]
        (Get-CfToken -Id $new.Id).PermissionGroupNames | Should -Contain 'DNS Write'
        Test-CfToken -Token $new.Value | ForEach-Object Status | Should -Be 'active'
    }

    It 'refuses a zone group without zones before sending anything' {
        { New-CfToken -Name x -PermissionGroup 'DNS Write' -ErrorAction Stop } | Should -Throw -ErrorId 'ZoneRequired,CfManagement.Commands.Tokens.NewCfTokenCommand'
    }
}

Describe 'Invoke-CfTokenRoll' {
    It 'rolls piped tokens straight into a vault' {
        $old = New-CfToken -Name pester-roll -PermissionGroup 'DNS Read' -AllZones -Confirm:$false
        $rolled = Get-CfToken -Name pester-roll | Invoke-CfTokenRoll -Vault $script:vault -Confirm:$false
        $rolled.Destination | Should -Be "vault:$($script:vault)/pester-roll"
        (Test-CfToken -Token $old.Value).Status | Should -Be 'invalid'
    }
}
