#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Token lifecycle specs for real Windows PowerShell 5.1 / pwsh 7 (GitHub Actions). The same behaviours are covered
# in process by tests/unit/Cmdlets/{TokenLifecycleTests,ManagedTokenTests,LifecycleBadInputTests}.cs.
# New-CfToken and Invoke-CfTokenRoll moved to Tokens.Tests.ps1 and Roll.Tests.ps1.

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

Describe 'Managed tokens' {
    It 'mints, records and cleans up' {
        $managed = New-CfManagedToken -Name pester-managed -Purpose 'pester' -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -Vault $script:vault -Confirm:$false
        $managed.Value | Should -BeNullOrEmpty
        Start-Sleep -Seconds 4
        (Remove-CfExpiredManagedToken -PassThru).Name | Should -Contain 'pester-managed'
        Get-CfLedger -TokenName pester-managed | Where-Object Action -eq 'revoke' | Should -Not -BeNullOrEmpty
    }
}

Describe 'Health' {
    It 'lists missing groups by name' {
        $health = New-CfToken -Name pester-health -PermissionGroup 'DNS Read' -AllZones -Confirm:$false | Test-CfTokenHealth -RequiredPermissionGroup 'DNS Read', 'Zone Read'
        $health.MissingPermissionGroups | Should -Be @('Zone Read')
        $health.Healthy | Should -BeFalse
    }
}
