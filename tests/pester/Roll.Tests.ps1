#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Invoke-CfTokenRoll as an admin types it in real pwsh, against the built emulator and a real SecretStore vault. The
# same behaviours are covered in process by tests/integration/Cmdlets/{TokenLifecycleTests,LifecycleBadInputTests,
# LifecycleSecretLeakTests}.cs, which also cover what needs fault injection or Ctrl+C (failed writes, rescues).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    foreach ($name in 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_BASE_URL') { [Environment]::SetEnvironmentVariable($name, $null) }
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-roll-ledger-$([guid]::NewGuid().ToString('n')).db"
    Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger } | Out-Null
    $script:adminValue = Get-PlainText $script:emulator.Token
    $script:bearer = @{ Authentication = 'Bearer'; Token = $script:emulator.Token; AllowUnencryptedAuthentication = $true }
    $script:accountId = (Invoke-RestMethod -Uri "$($script:emulator.BaseUri)accounts" @script:bearer).result[0].id
    $script:unknownId = '0123456789abcdef0123456789abcdef'

    function Get-EmulatorRequest { @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path requests).result) }

    function New-Name([string] $Stem) { "$Stem-$([guid]::NewGuid().ToString('n').Substring(0, 8))" }

    function New-TestToken([string] $Name) {
        New-CfToken -Name $Name -PermissionGroup 'DNS Read' -AllZones -Confirm:$false -ErrorAction Stop
    }

    function Get-WorkerSecretName([string] $Script) {
        <# The secret names a Worker script holds, read straight from the emulator's API (values are never returned). #>
        @((Invoke-RestMethod -Uri "$($script:emulator.BaseUri)accounts/$($script:accountId)/workers/scripts/$Script/secrets" @script:bearer).result.name)
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'Invoke-CfTokenRoll' {
    BeforeEach {
        Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path reset -Method POST | Out-Null
    }

    It 'rolls piped tokens: each new value comes back as a live SecureString, each old one stops working' {
        $stem = New-Name 'pt-roll'
        $old = 'web', 'api' | ForEach-Object { New-TestToken -Name "$stem-$_" }
        $rolled = @(Get-CfToken -Name "$stem-*" | Invoke-CfTokenRoll -Confirm:$false)
        $rolled.Count | Should -Be 2
        ($rolled.Id | Sort-Object) | Should -Be ($old.Id | Sort-Object)
        foreach ($credential in $rolled) {
            $credential.GetType().FullName | Should -Be 'CfManagement.Model.CfTokenCredential'
            $credential.Value | Should -BeOfType [securestring]
            $credential.Destination | Should -BeNullOrEmpty
            $check = Test-CfToken -Token $credential.Value
            $check.Status | Should -Be 'active'
            $check.Id | Should -Be $credential.Id
        }
        foreach ($o in $old) { (Test-CfToken -Token $o.Value).Status | Should -Be 'invalid' }
    }

    It 'takes -Id, -Name and ids by property name' {
        $a = New-TestToken -Name (New-Name 'pt-roll-id')
        $b = New-TestToken -Name (New-Name 'pt-roll-name')
        $c = New-TestToken -Name (New-Name 'pt-roll-prop')
        (Invoke-CfTokenRoll -Id $a.Id -Confirm:$false).Id | Should -Be $a.Id
        (Invoke-CfTokenRoll -Name $b.Name -Confirm:$false).Id | Should -Be $b.Id
        ([pscustomobject]@{ Id = $c.Id } | Invoke-CfTokenRoll -Confirm:$false).Id | Should -Be $c.Id
        foreach ($o in $a, $b, $c) { (Test-CfToken -Token $o.Value).Status | Should -Be 'invalid' }
    }

    It '-AsPlainText returns the new value as a string' {
        $old = New-TestToken -Name (New-Name 'pt-roll-plain')
        $rolled = Invoke-CfTokenRoll -Id $old.Id -AsPlainText -Confirm:$false
        $rolled.Value | Should -BeOfType [string]
        $rolled.Value | Should -Match '^cfut_'
        $rolled.Value | Should -Not -Be (Get-PlainText $old.Value)
        (Test-CfToken -Token (ConvertTo-SecureString $rolled.Value -AsPlainText -Force)).Status | Should -Be 'active'
    }

    It '-WhatIf rolls nothing: the old value still works' {
        $old = New-TestToken -Name (New-Name 'pt-roll-whatif')
        $before = (Get-EmulatorRequest).Count
        Get-CfToken -Id $old.Id | Invoke-CfTokenRoll -Vault $script:vault -WhatIf | Should -BeNullOrEmpty
        @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Method -ne 'GET').Count | Should -Be 0
        (Test-CfToken -Token $old.Value).Status | Should -Be 'active'
        Get-SecretInfo -Name $old.Name -Vault $script:vault | Should -BeNullOrEmpty
    }

    It 'asks for confirmation by default (ConfirmImpact High): a non-interactive host cannot answer, so nothing is rolled' {
        $old = New-TestToken -Name (New-Name 'pt-roll-ask')
        { Invoke-CfTokenRoll -Id $old.Id -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidOperation,CfManagement.Commands.Tokens.InvokeCfTokenRollCommand'
        (Test-CfToken -Token $old.Value).Status | Should -Be 'active'
        $attribute = (Get-Command Invoke-CfTokenRoll).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attribute.ConfirmImpact | Should -Be 'High'
    }

    It '-Vault writes the new value into the SecretStore vault with the token''s metadata' {
        $name = New-Name 'pt-roll-vault'
        $old = New-TestToken -Name $name
        $rolled = Get-CfToken -Id $old.Id | Invoke-CfTokenRoll -Vault $script:vault -Confirm:$false
        $rolled.Destination | Should -Be "vault:$($script:vault)/$name"

        $stored = Get-Secret -Name $name -Vault $script:vault
        $stored | Should -BeOfType [securestring]
        $check = Test-CfToken -Token $stored
        $check.Status | Should -Be 'active'
        $check.Id | Should -Be $old.Id
        (Test-CfToken -Token $old.Value).Status | Should -Be 'invalid'

        $metadata = (Get-SecretInfo -Name $name -Vault $script:vault).Metadata
        $metadata['TokenId'] | Should -Be $old.Id
        $metadata['TokenName'] | Should -Be $name
        $metadata['Scopes'] | Should -Be 'DNS Read'
        $metadata['ExpiresOn'] | Should -Be 'never'
        $metadata['ManagedBy'] | Should -Be 'CfManagement'
        ([datetime]::UtcNow - ([datetimeoffset]$metadata['IssuedOn']).UtcDateTime).TotalMinutes | Should -BeLessThan 5
    }

    It '-SecretName names the vault secret' {
        $old = New-TestToken -Name (New-Name 'pt-roll-sn')
        $secretName = New-Name 'cloudflare-ci'
        (Invoke-CfTokenRoll -Id $old.Id -Vault $script:vault -SecretName $secretName -Confirm:$false).Destination | Should -Be "vault:$($script:vault)/$secretName"
        (Test-CfToken -Token (Get-Secret -Name $secretName -Vault $script:vault)).Id | Should -Be $old.Id
        Get-SecretInfo -Name $old.Name -Vault $script:vault | Should -BeNullOrEmpty
    }

    It '-WorkerScript writes the new value as the Worker''s secret, named after the token' {
        $name = New-Name 'pt-roll-edge'
        $binding = $name.ToUpperInvariant().Replace('-', '_')
        $old = New-TestToken -Name $name
        $before = (Get-EmulatorRequest).Count
        $rolled = Invoke-CfTokenRoll -Id $old.Id -WorkerScript api-worker -Confirm:$false
        $rolled.Destination | Should -Be "worker:api-worker/$binding"
        Get-WorkerSecretName api-worker | Should -Be @($binding)
        $put = @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object { $_.Method -eq 'PUT' -and $_.Path -like '*/workers/scripts/api-worker/secrets' })
        $put.Count | Should -Be 1
        ($put[0].Body | ConvertFrom-Json).name | Should -Be $binding
        (Test-CfToken -Token $old.Value).Status | Should -Be 'invalid'
        (Test-CfToken -Token $rolled.Value).Status | Should -Be 'active'
    }

    It '-WorkerSecretName names the Worker secret' {
        $old = New-TestToken -Name (New-Name 'pt-roll-ws')
        (Invoke-CfTokenRoll -Id $old.Id -WorkerScript cron-worker -WorkerSecretName CF_API_TOKEN -Confirm:$false).Destination | Should -Be 'worker:cron-worker/CF_API_TOKEN'
        Get-WorkerSecretName cron-worker | Should -Be @('CF_API_TOKEN')
    }

    It 'records the roll and the store in the session''s ledger' {
        $name = New-Name 'pt-roll-ledger'
        $old = New-TestToken -Name $name
        Invoke-CfTokenRoll -Id $old.Id -Vault $script:vault -Confirm:$false | Out-Null
        $entries = @(Get-CfLedger -LedgerPath $script:ledger -TokenName $name)
        ($entries | Where-Object Action -eq 'roll').Outcome | Should -Be 'Succeeded'
        ($entries | Where-Object Action -eq 'store').Destination | Should -Be "vault:$($script:vault)/$name"
    }

    It 'a token the session cannot see is TokenNotVisible and nothing is rolled' {
        $before = (Get-EmulatorRequest).Count
        $err = { Invoke-CfTokenRoll -Id $script:unknownId -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'TokenNotVisible,CfManagement.Commands.Tokens.InvokeCfTokenRollCommand' -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Method -ne 'GET').Count | Should -Be 0
    }

    It 'refuses <Case> before sending anything (<ErrorId>)' -ForEach @(
        @{ Case = 'a malformed id'; Arguments = @{ Id = 'abc' }; ErrorId = 'InvalidId' }
        @{ Case = 'a Worker script name with spaces'; Arguments = @{ WorkerScript = 'Bad Name!' }; ErrorId = 'InvalidScriptName' }
        @{ Case = 'a binding name starting with a digit'; Arguments = @{ WorkerScript = 'api-worker'; WorkerSecretName = '1abc' }; ErrorId = 'InvalidSecretName' }
        @{ Case = '-WorkerSecretName without -WorkerScript'; Arguments = @{ WorkerSecretName = 'CF_TOKEN' }; ErrorId = 'ConflictingParameters' }
        @{ Case = '-SecretName without -Vault'; Arguments = @{ SecretName = 'stored' }; ErrorId = 'ConflictingParameters' }
        @{ Case = 'a blank -Vault'; Arguments = @{ Vault = ' ' }; ErrorId = 'InvalidName' }
        @{ Case = 'two ledgers'; Arguments = @{ LedgerPath = 'x.db'; LedgerDatabaseId = '0f2b6f0e-1c1d-4d3e-9a4b-5c6d7e8f9a0b' }; ErrorId = 'ConflictingParameters' }
    ) {
        $parameters = @{ Id = $script:unknownId }
        foreach ($key in $Arguments.Keys) { $parameters[$key] = $Arguments[$key] }
        $before = (Get-EmulatorRequest).Count
        $err = { Invoke-CfTokenRoll @parameters -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,CfManagement.Commands.Tokens.InvokeCfTokenRollCommand" -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.ErrorDetails.RecommendedAction | Should -Match '\w'
        (Get-EmulatorRequest).Count | Should -Be $before
    }

    It 'shows the credential as a table with its destination, never the value' {
        $old = New-TestToken -Name (New-Name 'pt-roll-view')
        $rolled = Invoke-CfTokenRoll -Id $old.Id -Vault $script:vault -Confirm:$false
        $text = $rolled | Out-String -Width 200
        $text | Should -Match 'Name\s+Id\s+Scope\s+ExpiresOn\s+Value\s+Destination'
        # The value went to the vault: the object carries none, and the view says so (not 'PlainText').
        $text | Should -Match "$($old.Name)\s+$($old.Id)\s+User\s+never\s+\(delivered\)\s+vault:$($script:vault)/$($old.Name)"
    }

    It 'shows neither the old nor the new value in any stream' {
        $old = New-TestToken -Name (New-Name 'pt-roll-quiet')
        $oldPlain = Get-PlainText $old.Value
        $text = Get-OutputText {
            $script:rolled = @(
                Invoke-CfTokenRoll -Id $old.Id -Confirm:$false -Verbose -Debug
            )
            $script:rolled | Format-List *
            $script:stored = Get-CfToken -Id $old.Id | Invoke-CfTokenRoll -Vault $script:vault -WorkerScript api-worker -Confirm:$false -Verbose -Debug
            $script:stored | Format-List *
        }
        $script:rolled[0].Id | Should -Be $old.Id   # it ran, twice
        $script:stored.Destination | Should -Match '^vault:.*, worker:api-worker/'
        $text | Should -Match 'PUT /client/v4/user/tokens/[0-9a-f]{32}/value'
        # Delivered to a vault and a Worker: the credential carries no value (Export-Clixml would write it as reversible hex on Linux).
        $script:stored.Value | Should -BeNullOrEmpty
        $secretName = ($script:stored.Destination -split ', ')[0] -replace '^vault:[^/]+/', ''
        $storedPlain = Get-Secret -Vault $script:vault -Name $secretName -AsPlainText
        $values = @($oldPlain, (Get-PlainText $script:rolled[0].Value), $storedPlain, $script:adminValue)
        foreach ($value in $values) { $text | Should -Not -Match ([regex]::Escape($value.Substring(5))) }
    }

    It 'has a synopsis and examples in Get-Help -Full' {
        $help = Get-Help Invoke-CfTokenRoll -Full
        $help.Synopsis | Should -Match 'Rolls tokens'
        @($help.Examples.Example).Count | Should -BeGreaterThan 1
    }
}
