#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Default output of every command, as a user sees it in real pwsh: a table whose header carries the expected columns
# and fits a 120-column console (CfManagement.format.ps1xml). The one exception is a single session, a list by default.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-ledger-$([guid]::NewGuid()).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }

    function Get-TableHeader {
        <# The column labels of the first table in the formatted text; fails when the text is not a table. #>
        param([Parameter(Mandatory)] [AllowEmptyString()] [string] $Text)
        $lines = $Text -split '\r?\n'
        for ($i = 0; $i -lt $lines.Count - 1; $i++) {
            # A table header is a line of labels over a line of dashes under each label.
            if ($lines[$i].Trim() -and $lines[$i + 1] -match '^\s*-+(\s+-+)*\s*$') {
                return @($lines[$i].Trim() -split '\s+')
            }
        }
        throw "Not a table:`n$Text"
    }

    function Assert-Table {
        param([Parameter(Mandatory)] $InputObject, [Parameter(Mandatory)] [string[]] $Column)
        # 120 columns: what a maximised or CI console shows; every column must fit without being dropped or wrapped.
        $text = $InputObject | Out-String -Width 120
        $text | Should -Not -Match '(?m)^\w+\s+: ' -Because 'the default view is a table, not a list'
        Get-TableHeader -Text $text | Should -Be $Column
        # The rows' content is checked untruncated (a long vault path is cut with … at 120 columns).
        $InputObject | Out-String -Width 250
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'Default table views' {
    It 'Connect-CfAccount and Get-CfSession: the session as a table row by default' {
        foreach ($text in @(($script:session | Out-String -Width 120), (Get-CfSession | Out-String -Width 120))) {
            Get-TableHeader -Text $text | Should -Be 'Scope', 'TokenId', 'Status', 'ExpiresOn', 'DaysLeft', 'AccountName', 'ApiHost'
            $text | Should -Match "User\s+$($script:session.TokenId)\s+active\s"
            $text | Should -Match "127\.0\.0\.1:$($script:emulator.Port)"
        }
    }

    It 'keeps the detailed session list for Format-List' {
        $text = Get-CfSession | Format-List | Out-String -Width 120
        $text | Should -Match '(?m)^ApiBaseUri\s+: http://127\.0\.0\.1'
        $text | Should -Match '(?m)^ConnectedOn\s+: '
    }

    It 'Get-CfToken: tokens with expiry and days left' {
        $text = Assert-Table -InputObject (Get-CfToken) -Column 'Name', 'Id', 'Scope', 'Status', 'ExpiresOn', 'DaysLeft'
        $text | Should -Match 'admin-manager'
    }

    It 'Test-CfToken: the verification' {
        Assert-Table -InputObject (Test-CfToken) -Column 'Id', 'Status', 'Scope', 'ExpiresOn', 'DaysLeft' | Should -Match 'active'
    }

    It 'Get-CfPermissionGroup: name, id and scopes' {
        Assert-Table -InputObject (Get-CfPermissionGroup -Name 'DNS*') -Column 'Name', 'Id', 'Scopes' | Should -Match 'DNS Write'
    }

    It 'Get-CfZone: zones as a table, not a list, for one zone as for many' {
        $columns = 'Name', 'Id', 'Status', 'AccountName'
        Assert-Table -InputObject (Get-CfZone) -Column $columns | Should -Match 'raxx\.app'
        Assert-Table -InputObject (Get-CfZone -Name example.com) -Column $columns | Should -Match 'example\.com'
    }

    Context 'token changes' {
        BeforeAll {
            $script:created = New-CfToken -Name fmt-tok -PermissionGroup 'DNS Read' -AllZones -Ttl 3.00:00:00 -Confirm:$false
        }

        It 'New-CfToken: the credential row never shows the value, even with -AsPlainText' {
            $columns = 'Name', 'Id', 'Scope', 'ExpiresOn', 'Value', 'Destination'
            Assert-Table -InputObject $script:created -Column $columns | Should -Match '(?m)fmt-tok .* SecureString +\(returned\)'
            $plain = New-CfToken -Name fmt-plain -PermissionGroup 'DNS Read' -AllZones -AsPlainText -Confirm:$false
            $text = Assert-Table -InputObject $plain -Column $columns
            $text | Should -Match 'PlainText'
            $text.Contains($plain.Value) | Should -BeFalse
        }

        It 'Set-CfToken -PassThru: the token, with days left' {
            $updated = Set-CfToken -Id $script:created.Id -NewName fmt-tok2 -PassThru -Confirm:$false
            $text = Assert-Table -InputObject $updated -Column 'Name', 'Id', 'Scope', 'Status', 'ExpiresOn', 'DaysLeft'
            $text | Should -Match '(?m)^fmt-tok2 .* 3$'
        }

        It 'Invoke-CfTokenRoll -Vault: the credential with where it went' {
            $rolled = Invoke-CfTokenRoll -Id $script:created.Id -Vault $script:vault -SecretName fmt-rol -Confirm:$false
            Assert-Table -InputObject $rolled -Column 'Name', 'Id', 'Scope', 'ExpiresOn', 'Value', 'Destination' |
                Should -Match "vault:$($script:vault)/fmt-rol"
        }

        It 'Test-CfTokenHealth: health with the missing groups' {
            $health = Get-CfToken -Id $script:created.Id | Test-CfTokenHealth -RequiredPermissionGroup 'DNS Read', 'Zone Read'
            Assert-Table -InputObject $health -Column 'TokenName', 'Scope', 'Status', 'DaysLeft', 'Healthy', 'Missing' | Should -Match 'Zone Read'
        }

        It 'Repair-CfToken -PassThru: the repaired token; -Reissue: the replacement credential' {
            $repaired = Get-CfToken -Id $script:created.Id | Repair-CfToken -AddPermissionGroup 'Zone Read' -AllZones -PassThru -Confirm:$false
            Assert-Table -InputObject $repaired -Column 'Name', 'Id', 'Scope', 'Status', 'ExpiresOn', 'DaysLeft' | Out-Null
            $reissued = Get-CfToken -Id $script:created.Id | Repair-CfToken -RequiredPermissionGroup 'Account Settings Read' -Reissue -Confirm:$false
            Assert-Table -InputObject $reissued -Column 'Name', 'Id', 'Scope', 'ExpiresOn', 'Value', 'Destination' | Should -Match 'reissued'
        }

        It 'Remove-CfToken writes nothing to the output' {
            $doomed = New-CfToken -Name fmt-doomed -PermissionGroup 'DNS Read' -AllZones -Confirm:$false
            Remove-CfToken -Id $doomed.Id -Confirm:$false | Should -BeNullOrEmpty
        }
    }

    Context 'managed tokens and the ledger' {
        It 'New-CfManagedToken and Get-CfManagedToken: purpose, state, expiry and where it went' {
            $columns = 'Name', 'Purpose', 'State', 'Cloudflare', 'ExpiresOn', 'Destinations'
            $managed = New-CfManagedToken -Name fmt-managed -Purpose 'format spec' -PermissionGroup 'DNS Read' -AllZones -Ttl 2.00:00:00 -Vault $script:vault -Confirm:$false
            Assert-Table -InputObject $managed -Column $columns | Should -Match '(?m)^fmt-managed .* vault:'
            Assert-Table -InputObject (Get-CfManagedToken -Name fmt-managed) -Column $columns | Should -Match 'format spec'
        }

        It 'Remove-CfExpiredManagedToken -PassThru: what was cleaned up' {
            New-CfManagedToken -Name fmt-short -Purpose 'format spec' -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -Confirm:$false | Out-Null
            Start-Sleep -Seconds 3
            $removed = Remove-CfExpiredManagedToken -Name fmt-short -PassThru -Confirm:$false
            Assert-Table -InputObject $removed -Column 'Name', 'Purpose', 'State', 'Cloudflare', 'ExpiresOn', 'Destinations' |
                Should -Match 'fmt-short'
        }

        It 'Get-CfLedger: the entries' {
            Assert-Table -InputObject (Get-CfLedger -Last 5) -Column 'Timestamp', 'Kind', 'Action', 'Outcome', 'TokenName', 'Destination', 'Detail' |
                Out-Null
        }
    }

    It 'Disconnect-CfAccount writes nothing to the output' {
        Disconnect-CfAccount | Should -BeNullOrEmpty
        $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    }
}
