#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# New-CfToken with a destination, in real pwsh against the emulator and a real SecretStore vault: the value lands in
# the vault with its metadata and works, only the token's metadata comes back, a vault that cannot take it leaves no
# token behind, bad destination input is refused before any request, and no value shows anywhere with -Verbose -Debug.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-ledger-$([guid]::NewGuid()).db"
    Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger } | Out-Null

    function Get-RequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator).Count }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'New-CfToken -Vault (a real SecretStore vault)' {
    It 'stores a working value with metadata and returns the token metadata only' {
        $Error.Clear()
        $token = New-CfToken -Name x -PermissionGroup 'DNS Read' -Zone example.com -Vault $script:vault -SecretName X -Confirm:$false
        $Error.Count | Should -Be 0 -Because "got: $($Error | ForEach-Object FullyQualifiedErrorId)"

        $token.PSObject.TypeNames[0] | Should -Be 'CfManagement.Model.CfToken'
        $token.PSObject.Properties['Value'] | Should -BeNullOrEmpty
        $token.Name | Should -Be 'x'

        $value = Get-Secret -Vault $script:vault -Name X
        $value | Should -BeOfType ([securestring])
        $check = Test-CfToken -Token $value
        $check.Status | Should -Be 'active'
        $check.Id | Should -Be $token.Id

        $info = Get-SecretInfo -Vault $script:vault -Name X
        $info.Metadata['TokenId'] | Should -Be $token.Id
        $info.Metadata['TokenName'] | Should -Be 'x'
        $info.Metadata['Scopes'] | Should -Be 'DNS Read'
        $info.Metadata['ExpiresOn'] | Should -Be 'never'
        $info.Metadata['IssuedOn'] | Should -Match '^\d{4}-\d\d-\d\dT'
        $info.Metadata['ManagedBy'] | Should -Be 'CfManagement'

        @(Get-CfLedger -TokenName x | ForEach-Object { "$($_.Kind):$($_.Action):$($_.Outcome)" }) |
            Should -Be @('Creation:create:Pending', 'Creation:create:Succeeded', 'Creation:store:Succeeded')
    }

    It 'deletes the token again when the vault cannot take the value, and stores nothing' {
        $before = @(Get-CfToken -Name 'no-vault*').Count
        $err = $null
        $result = New-CfToken -Name no-vault -PermissionGroup 'DNS Read' -Zone example.com -Vault NoSuchVault -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'DestinationWriteFailed,*'
        $err[0].ErrorDetails.Message | Should -Match 'was deleted'
        @(Get-CfToken -Name 'no-vault*').Count | Should -Be $before
        Get-SecretInfo -Vault $script:vault -Name no-vault | Should -BeNullOrEmpty
        (Get-CfLedger -TokenName no-vault -Last 1).Action | Should -Be 'rollback'
    }

    It 'refuses bad destination input before any request: <Case>' -ForEach @(
        @{ Case = '-SecretName without -Vault'; Extra = @{ SecretName = 'X2' }; ErrorId = 'ConflictingParameters' }
        @{ Case = '-AsPlainText with a destination'; Extra = @{ Vault = 'CfPester'; AsPlainText = $true }; ErrorId = 'ConflictingParameters' }
        @{ Case = 'a blank -SecretName'; Extra = @{ Vault = 'CfPester'; SecretName = ' ' }; ErrorId = 'InvalidSecretName' }
        @{ Case = 'a bad -WorkerSecretName'; Extra = @{ WorkerScript = 'api-worker'; WorkerSecretName = 'not-a-binding' }; ErrorId = 'InvalidSecretName' }
        @{ Case = 'a bad -PagesEnvironment'; Extra = @{ PagesProject = 'docs'; PagesEnvironment = 'staging' }; ErrorId = 'InvalidPagesEnvironment' }
        @{ Case = '-GitHubEnv outside Actions'; Extra = @{ GitHubEnv = 'CF_TOKEN' }; ErrorId = 'GitHubActionsRequired' }
    ) {
        $saved = $env:GITHUB_ACTIONS
        $env:GITHUB_ACTIONS = $null
        try {
            $before = Get-RequestCount
            $err = $null
            New-CfToken -Name refused -PermissionGroup 'DNS Read' -Zone example.com @Extra -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
            $err.Count | Should -BeGreaterThan 0
            $err[0].FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $err[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            Get-RequestCount | Should -Be $before
        }
        finally { $env:GITHUB_ACTIONS = $saved }
    }

    It 'shows the value nowhere with -Verbose -Debug, a transcript and every stream captured' {
        $probe = Invoke-TestLeakProbe {
            New-CfToken -Name leak-probe -PermissionGroup 'DNS Read' -Zone example.com -Vault $script:vault -SecretName LEAK_PROBE -Confirm:$false `
                -Verbose -Debug -WarningAction Continue -InformationAction Continue
        }
        $probe.Errors | Should -BeNullOrEmpty
        @($probe.Objects).Count | Should -Be 1
        $probe.Objects[0].Name | Should -Be 'leak-probe'
        @($probe.Records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        $value = Get-PlainText (Get-Secret -Vault $script:vault -Name LEAK_PROBE)
        (Test-CfToken -Token (Get-Secret -Vault $script:vault -Name LEAK_PROBE)).Status | Should -Be 'active'
        Assert-TestNoSecret -Probe $probe -Secret $value
    }
}

Describe 'GitHub Actions destinations in a simulated Actions step (GITHUB_ENV / GITHUB_OUTPUT at temp files)' {
    BeforeAll {
        $app = @{ domain = 'gha.example.com'; policies = @(@{ decision = 'non_identity'; include = @(@{ any_valid_service_token = @{} }) }) }
        Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path 'access/apps' -Method POST -Body $app | Out-Null
        $script:url = (Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path 'access/origin').result.base_url + 'gha.example.com/health'

        # Everything a heredoc entry of the runner's file format holds, last entry per name last.
        function script:Get-GitHubEntry([string] $Path) {
            $text = Get-Content -Raw -Path $Path
            if (-not $text) { return @() }
            @([regex]::Matches($text, '(?ms)^([A-Za-z_][A-Za-z0-9_]*)<<(\S+)\r?\n(.*?)\r?\n\2\r?\n') |
                ForEach-Object { [pscustomobject]@{ Name = $_.Groups[1].Value; Delimiter = $_.Groups[2].Value; Value = $_.Groups[3].Value } })
        }
    }

    BeforeEach {
        $script:saved = @{ GITHUB_ACTIONS = $env:GITHUB_ACTIONS; GITHUB_ENV = $env:GITHUB_ENV; GITHUB_OUTPUT = $env:GITHUB_OUTPUT }
        $script:envFile = Join-Path ([IO.Path]::GetTempPath()) "gha-env-$([guid]::NewGuid().ToString('n'))"
        $script:outputFile = Join-Path ([IO.Path]::GetTempPath()) "gha-out-$([guid]::NewGuid().ToString('n'))"
        Set-Content -Path $script:envFile -Value '' -NoNewline
        Set-Content -Path $script:outputFile -Value '' -NoNewline
        $env:GITHUB_ACTIONS = 'true'; $env:GITHUB_ENV = $script:envFile; $env:GITHUB_OUTPUT = $script:outputFile
        # The runner reads ::add-mask:: from the process's stdout: capture it.
        $script:stdout = [IO.StringWriter]::new()
        $script:originalOut = [Console]::Out
        [Console]::SetOut($script:stdout)
    }

    AfterEach {
        [Console]::SetOut($script:originalOut)
        foreach ($name in $script:saved.Keys) { [Environment]::SetEnvironmentVariable($name, $script:saved[$name]) }
        Remove-Item $script:envFile, $script:outputFile -ErrorAction SilentlyContinue
    }

    It 'New-CfToken -GitHubEnv masks the value on stdout, appends it to GITHUB_ENV, and returns metadata only' {
        $token = New-CfToken -Name gha-pester -PermissionGroup 'DNS Read' -Zone example.com -Ttl 1:00:00 -GitHubEnv CF_API_TOKEN -Confirm:$false
        $token.PSObject.TypeNames[0] | Should -Be 'CfManagement.Model.CfToken'
        $entry = @(Get-GitHubEntry $script:envFile)
        $entry.Count | Should -Be 1
        $entry[0].Name | Should -Be 'CF_API_TOKEN'
        $entry[0].Delimiter | Should -Match '^ghadelimiter_[0-9a-f-]{36}$'
        $script:stdout.ToString() | Should -BeLike "*::add-mask::$($entry[0].Value)*"
        (Test-CfToken -Token (ConvertTo-SecureString $entry[0].Value -AsPlainText -Force)).Id | Should -Be $token.Id
    }

    It 'New-CfAccessServiceToken -GitHubOutput writes the client secret only, and it authenticates' {
        $created = New-CfAccessServiceToken -Name gha-pester-access -Duration 1h -GitHubOutput ACCESS_SECRET -Confirm:$false
        $created.Destination | Should -Be 'github-output:ACCESS_SECRET'
        $entries = @(Get-GitHubEntry $script:outputFile)
        $entries.Name | Should -Be @('ACCESS_SECRET')   # no ACCESS_SECRET_CLIENT_ID: the client id is not written
        (Get-Content -Raw $script:outputFile) | Should -Not -Match ([regex]::Escape($created.ClientId))
        $script:stdout.ToString() | Should -BeLike "*::add-mask::$($entries[0].Value)*"
        $check = Test-CfAccessServiceToken -Uri $script:url -AllowInsecure -ClientId $created.ClientId -ClientSecret (ConvertTo-SecureString $entries[0].Value -AsPlainText -Force)
        $check.Outcome | Should -Be 'Authenticated'
        Remove-CfAccessServiceToken -Id $created.Id -Confirm:$false
    }

    It 'Invoke-CfAccessServiceTokenRotate -GitHubEnv hands the new secret on, with no value in any stream or the transcript' {
        $created = New-CfAccessServiceToken -Name gha-pester-rotate -Duration 1h -Confirm:$false
        $probe = Invoke-TestLeakProbe {
            Invoke-CfAccessServiceTokenRotate -Id $created.Id -GitHubEnv ROTATED_SECRET -Confirm:$false -Verbose -Debug -WarningAction Continue -InformationAction Continue
        }
        $probe.Errors | Should -BeNullOrEmpty
        @($probe.Objects).Count | Should -Be 1
        $entry = @(Get-GitHubEntry $script:envFile)
        $entry.Name | Should -Be @('ROTATED_SECRET')
        (Test-CfAccessServiceToken -Uri $script:url -AllowInsecure -ClientId $created.ClientId -ClientSecret (ConvertTo-SecureString $entry[0].Value -AsPlainText -Force)).Outcome |
            Should -Be 'Authenticated'
        Assert-TestNoSecret -Probe $probe -Secret $entry[0].Value
        Remove-CfAccessServiceToken -Id $created.Id -Confirm:$false
    }
}
