#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Pester 5 specs, run by build.ps1 in real Windows PowerShell 5.1 and pwsh 7 (GitHub Actions matrix). Each
# behaviour here is also covered by the in-process xunit suite (tests/unit/Cmdlets), which runs everywhere.

BeforeAll {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $tokenFile = Join-Path ([IO.Path]::GetTempPath()) "cfemu-$([guid]::NewGuid()).txt"
    $port = Get-Random -Minimum 20000 -Maximum 40000
    $script:emulator = Start-Process -FilePath dotnet -PassThru -NoNewWindow -ArgumentList @(
        'run', '--project', (Join-Path $root 'src/CfManagement.Emulator'), '--', '--port', $port, '--token-file', $tokenFile)
    $script:baseUri = "http://127.0.0.1:$port/client/v4/"
    $deadline = (Get-Date).AddSeconds(60)
    while (-not (Test-Path $tokenFile) -and (Get-Date) -lt $deadline) { Start-Sleep -Milliseconds 250 }
    $script:token = Get-Content -Raw $tokenFile | ForEach-Object Trim | ConvertTo-SecureString -AsPlainText -Force
    Remove-Item $tokenFile
    Import-Module (Join-Path $root 'out/CfManagement/CfManagement.psd1') -Force
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    if ($script:emulator -and -not $script:emulator.HasExited) { Stop-Process -Id $script:emulator.Id -Force }
}

Describe 'Connect-CfAccount' {
    It 'verifies a user token and adopts the only account' {
        $session = Connect-CfAccount -ApiToken $script:token -ApiBaseUri $script:baseUri
        $session.TokenScope | Should -Be 'User'
        $session.TokenStatus | Should -Be 'active'
        $session.AccountId | Should -Match '^[0-9a-f]{32}$'
        Get-CfSession | Should -Be $session
    }

    It 'refuses a non-http base URI before sending anything' {
        { Connect-CfAccount -ApiToken $script:token -ApiBaseUri 'ftp://example' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidApiBaseUri,CfManagement.Commands.Session.ConnectCfAccountCommand'
    }
}

Describe 'Get-CfToken' {
    BeforeAll { Connect-CfAccount -ApiToken $script:token -ApiBaseUri $script:baseUri | Out-Null }

    It 'lists typed tokens and filters by wildcard' {
        $tokens = Get-CfToken -Name 'admin-*'
        $tokens | Should -Not -BeNullOrEmpty
        $tokens[0].PSObject.TypeNames[0] | Should -Be 'CfManagement.Model.CfToken'
    }

    It 'pipes into itself by value' {
        (Get-CfToken -Name admin-manager | Get-CfToken).Name | Should -Be 'admin-manager'
    }

    It 'rejects a malformed id with InvalidId' {
        { Get-CfToken -Id 'abc' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidId,CfManagement.Commands.Tokens.GetCfTokenCommand'
    }

    It 'never shows the token value, even with -Verbose -Debug' {
        $plain = [Net.NetworkCredential]::new('', $script:token).Password
        $all = Get-CfToken -Verbose -Debug 4>&1 5>&1 | Out-String
        $all | Should -Not -Match ([regex]::Escape($plain.Substring(5)))
    }
}

Describe 'Get-CfPermissionGroup' {
    BeforeAll { Connect-CfAccount -ApiToken $script:token -ApiBaseUri $script:baseUri | Out-Null }

    It 'resolves a documented name to its id' {
        (Get-CfPermissionGroup -Name 'DNS Write' -Scope Zone).Id | Should -Be '4755a26eedb94da69e1066d98aa820be'
    }

    It 'reports an unknown name with PermissionGroupNotFound' {
        { Get-CfPermissionGroup -Name 'DNS Wirte' -ErrorAction Stop } |
            Should -Throw -ErrorId 'PermissionGroupNotFound,CfManagement.Commands.PermissionGroups.GetCfPermissionGroupCommand'
    }
}
