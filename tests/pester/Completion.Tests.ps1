#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Tab completion as a user gets it in real pwsh (TabExpansion2): zone names from the session, vault names from
# SecretManagement, permission-group names and scopes; quietly nothing, and no error, when there is nothing to ask.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    # A second vault whose name needs quoting on the command line.
    $script:spacedVault = 'Cf Spaced Vault'
    Register-SecretVault -Name $script:spacedVault -ModuleName Microsoft.PowerShell.SecretStore -AllowClobber
    Connect-TestSession -Emulator $script:emulator | Out-Null

    function Get-Completion {
        <# The completion texts for the end of the line, exactly as Tab would insert them. #>
        param([Parameter(Mandatory)] [string] $Line)
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    Unregister-SecretVault -Name $script:spacedVault -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
}

Describe 'Zone names' {
    It '<Line> completes zone names by prefix' -ForEach @(
        @{ Line = "New-CfToken -Name t -PermissionGroup 'DNS Read' -Zone ra" }
        @{ Line = 'Set-CfToken -Id 0123456789abcdef0123456789abcdef -AddPermissionGroup DNS -Zone ra' }
        @{ Line = 'Repair-CfToken -Id 0123456789abcdef0123456789abcdef -AddPermissionGroup DNS -Zone ra' }
        @{ Line = "New-CfManagedToken -Name t -Purpose p -PermissionGroup 'DNS Read' -Ttl 1:00:00 -Zone ra" }
        @{ Line = 'Get-CfZone -Name ra' }
        @{ Line = 'Get-CfZone ra' }
    ) {
        Get-Completion $Line | Should -Be @('raxx.app', 'raxx.io')
    }

    It 'takes a wildcard pattern, and completes the next name of a list' {
        Get-Completion 'New-CfToken -Name t -PermissionGroup DNS -Zone *raxx*' | Should -Be @('getraxx.com', 'raxx.app', 'raxx.io')
        Get-Completion 'New-CfToken -Name t -PermissionGroup DNS -Zone raxx.app, ex' | Should -Be @('example.com')
    }

    It 'completes from the -Session being typed, with no current session' {
        $other = Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri
        # A second connect makes a new current session (the first stays usable); disconnecting wipes only the new one.
        Connect-TestSession -Emulator $script:emulator | Out-Null
        Disconnect-CfAccount
        try {
            Get-CfSession | Should -BeNullOrEmpty
            $other.IsDisposed | Should -BeFalse
            $global:cfCompletionSession = $other
            Get-Completion 'Get-CfZone -Session $cfCompletionSession -Name ex' | Should -Be @('example.com')
        }
        finally {
            Remove-Variable -Name cfCompletionSession -Scope Global -ErrorAction SilentlyContinue
            Disconnect-CfAccount -Session $other
            Connect-TestSession -Emulator $script:emulator | Out-Null
        }
    }

    It 'offers nothing, quietly, when not connected' {
        Disconnect-CfAccount
        try {
            $Error.Clear()
            Get-Completion 'New-CfToken -Name t -PermissionGroup DNS -Zone ra' | Should -BeNullOrEmpty
            $Error.Count | Should -Be 0
        }
        finally { Connect-TestSession -Emulator $script:emulator | Out-Null }
    }
}

Describe 'Vault names' {
    It '<Line> completes registered vaults' -ForEach @(
        @{ Line = 'Invoke-CfTokenRoll -Id 0123456789abcdef0123456789abcdef -Vault Cf' }
        @{ Line = "New-CfManagedToken -Name t -Purpose p -PermissionGroup 'DNS Read' -AllZones -Vault Cf" }
        @{ Line = 'Repair-CfToken -Id 0123456789abcdef0123456789abcdef -Reissue -Vault Cf' }
    ) {
        $Error.Clear()
        # Sorted by name: the space sorts first.
        Get-Completion $Line | Should -Be @("'$($script:spacedVault)'", $script:vault)
        $Error.Count | Should -Be 0
    }

    It 'narrows by prefix and quotes names with spaces' {
        Get-Completion 'Invoke-CfTokenRoll -Id 0123456789abcdef0123456789abcdef -Vault "Cf Sp' | Should -Be @("'$($script:spacedVault)'")
        Get-Completion 'Invoke-CfTokenRoll -Id 0123456789abcdef0123456789abcdef -Vault *Pest*' | Should -Be @($script:vault)
    }

    It 'offers nothing, and no error, when SecretManagement is not installed (child pwsh without it on PSModulePath)' {
        $output = (Invoke-ChildPowerShell -Command @"
`$env:PSModulePath = Join-Path `$PSHOME 'Modules'
Import-Module '$(Get-TestModuleManifest)'
`$line = 'Invoke-CfTokenRoll -Id 0123456789abcdef0123456789abcdef -Vault '
`$matches_ = (TabExpansion2 -inputScript `$line -cursorColumn `$line.Length).CompletionMatches
"== secretmanagement `$([bool](Get-Module -ListAvailable Microsoft.PowerShell.SecretManagement))"
"== completions `$(`$matches_.Count)"
"== errors `$(`$Error.Count)"
"@).Output
        $output | Should -Match '== secretmanagement False'
        $output | Should -Match '== completions 0'
        $output | Should -Match '== errors 0'
    }
}

Describe 'Permission groups and scopes (existing completers)' {
    It 'completes permission-group names, quoted, narrowed by -Scope' {
        Get-Completion 'Get-CfPermissionGroup -Name DNS' | Should -Be @("'DNS Read'", "'DNS Write'")
        Get-Completion "New-CfToken -Name t -PermissionGroup 'DNS W" | Should -Be @("'DNS Write'")
        Get-Completion 'Get-CfPermissionGroup -Scope User -Name DNS' | Should -BeNullOrEmpty
    }

    It 'completes -Scope with the short scope names' {
        Get-Completion 'Get-CfPermissionGroup -Scope ' | Should -Be @('User', 'Account', 'Zone', 'R2Bucket')
        Get-Completion 'Get-CfPermissionGroup -Scope Z' | Should -Be @('Zone')
    }
}

Describe 'Live tail (Start-CfTail)' {
    It 'completes -Status with ok, error and canceled, also as the next item of a list' {
        Get-Completion 'Start-CfTail -Script api -Status ' | Should -Be @('ok', 'error', 'canceled')
        Get-Completion 'Start-CfTail -Script api -Status c' | Should -Be @('canceled')
        Get-Completion 'Start-CfTail -Script api -Status ok, E' | Should -Be @('error')
    }

    It 'completes -Method with the HTTP methods' {
        Get-Completion 'Start-CfTail -Script api -Method P' | Should -Be @('POST', 'PUT', 'PATCH')
        Get-Completion 'Start-CfTail -Script api -Method g' | Should -Be @('GET')
    }

    It 'completes -Environment with production and preview' {
        Get-Completion 'Start-CfTail -PagesProject docs -Environment ' | Should -Be @('production', 'preview')
        Get-Completion 'Start-CfTail -PagesProject docs -Environment pre' | Should -Be @('preview')
    }

    It 'completes -Backpressure from its enum' {
        @(Get-Completion 'Start-CfTail -Script api -Backpressure ' | Sort-Object) | Should -Be @('Block', 'Drop')
        Get-Completion 'Start-CfTail -Script api -Backpressure b' | Should -Be @('Block')
    }

    It 'completes -PagesProject with the account''s Pages projects' {
        New-CfPagesProject -Name tail-completion-site | Out-Null
        try {
            Get-Completion 'Start-CfTail -PagesProject tail-comp' | Should -Be @('tail-completion-site')
        }
        finally { Remove-CfPagesProject -Name tail-completion-site -Confirm:$false }
    }
}
