#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Connect-CfAccount, Get-CfSession, Disconnect-CfAccount as a user types them in real pwsh, against the built emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
}

Describe 'Connect-CfAccount' {
    It 'verifies a user token and adopts the only account' {
        $session = Connect-TestSession -Emulator $script:emulator
        $session.TokenScope | Should -Be 'User'
        $session.TokenStatus | Should -Be 'active'
        $session.AccountId | Should -Match '^[0-9a-f]{32}$'
        Get-CfSession | Should -Be $session
    }

    It 'refuses a non-http base URI before sending anything' {
        { Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri 'ftp://example' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidApiBaseUri,CfManagement.Commands.Session.ConnectCfAccountCommand'
    }
}
