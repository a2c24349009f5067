#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Token lifecycle specs for real Windows PowerShell 5.1 / pwsh 7 (GitHub Actions). The same behaviours are covered
# in process by tests/unit/Cmdlets/{TokenLifecycleTests,ManagedTokenTests,LifecycleBadInputTests}.cs.

BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $tokenFile = Join-Path ([IO.Path]::GetTempPath()) "cfemu-$([guid]::NewGuid()).txt"
    $port = Get-Random -Minimum 20000 -Maximum 40000
    $script:emulator = Start-Process -FilePath dotnet -PassThru -NoNewWindow -ArgumentList @(
        'run', '--project', (Join-Path $root 'src/CfManagement.Emulator'), '--', '--port', $port, '--token-file', $tokenFile)
    $script:baseUri = "http://127.0.0.1:$port/client/v4/"
    $deadline = (Get-Date).AddSeconds(60)
    while (-not (Test-Path $tokenFile) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 250 }
    $token = Get-Content -Raw $tokenFile | ForEach-Object Trim | ConvertTo-SecureString -AsPlainText -Force
    Remove-Item $tokenFile
    Import-Module (Join-Path $root 'out/CfManagement/CfManagement.psd1') -Force
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-ledger-$([guid]::NewGuid()).db"
    Connect-CfAccount -ApiToken $token -ApiBaseUri $script:baseUri -LedgerPath $script:ledger | Out-Null

    # SecretManagement's contract, in memory, when the real module is absent.
    if (-not (Get-Command Set-Secret -ErrorAction SilentlyContinue)) {
        $global:PesterVault = @{}
        function global:Set-Secret { param($Name, $Secret, $Vault, $Metadata) $global:PesterVault["$Vault/$Name"] = $Secret }
        function global:Get-SecretInfo { param($Name, $Vault) if ($global:PesterVault.ContainsKey("$Vault/$Name")) { [pscustomobject]@{ Name = $Name } } }
        function global:Remove-Secret { param($Name, $Vault) $global:PesterVault.Remove("$Vault/$Name") }
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    if ($script:emulator -and -not $script:emulator.HasExited) { Stop-Process -Id $script:emulator.Id -Force }
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
        $rolled = Get-CfToken -Name pester-roll | Invoke-CfTokenRoll -Vault Pester -Confirm:$false
        $rolled.Destination | Should -Be 'vault:Pester/pester-roll'
        (Test-CfToken -Token $old.Value).Status | Should -Be 'invalid'
    }
}

Describe 'Managed tokens' {
    It 'mints, records and cleans up' {
        $managed = New-CfManagedToken -Name pester-managed -Purpose 'pester' -PermissionGroup 'DNS Read' -AllZones -Ttl 0:00:02 -Vault Pester -Confirm:$false
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
