#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Invoke-CfTokenRotation as an operator types it, in real pwsh against the built emulator, a real SecretStore vault and
# a temporary SQLite ledger: the happy path for an API token (Worker, Secrets Store, Pages, GitHub env and an external
# consumer) and for an Access service token; a run interrupted at every stage (API fault, vault fault, consumer fault,
# a killed process) and resumed to a consistent end with exactly one roll; -WhatIf; the leak assertion; bad input.
# Rolls are counted from the emulator's request log (PUT .../tokens/{id}/value, minus the ones a fault answered) and
# from the ledger (Get-CfTokenRotation's Rolls).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    foreach ($name in 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_BASE_URL') { [Environment]::SetEnvironmentVariable($name, $null) }
    $script:vault = Initialize-TestVault
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-rotation-$([guid]::NewGuid().ToString('n')).db"
    $script:accountId = (Invoke-TestCloudflareApi -Emulator $script:emulator -Path accounts)[0].id
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ AccountId = $script:accountId; LedgerPath = $script:ledger }
    $script:loud = Get-TestLoudParameter
    $script:work = (New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "cf-rotation-$([guid]::NewGuid().ToString('n'))")).FullName

    # Consumers: one Worker, the account's Secrets Store, one Pages project, a GitHub Actions env file.
    $null = Send-TestWorkerUpload -Emulator $script:emulator -AccountId $script:accountId -Name rot-worker
    New-CfPagesProject -Name rot-site -Confirm:$false | Out-Null
    $script:store = 'default_secrets_store'
    $script:githubEnv = Join-Path $script:work 'github_env'
    $null = New-Item -ItemType File -Path $script:githubEnv
    $env:GITHUB_ACTIONS = 'true'
    $env:GITHUB_ENV = $script:githubEnv

    # An Access application the emulator's origin protects, for -AccessUri.
    $app = @{ domain = 'rot.example.com'; policies = @(@{ decision = 'non_identity'; include = @(@{ any_valid_service_token = @{} }) }) }
    Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path 'access/apps' -Method POST -Body $app | Out-Null
    $script:accessUrl = (Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path 'access/origin').result.base_url + 'rot.example.com/health'

    # FakeVault: a companion-only extension vault (TestSupport's Register-TestCompanionVault) that fails every
    # Set-Secret while fail-write.flag holds '*' (the vault that breaks right after a roll) and hangs on hang.flag.
    $fake = Register-TestCompanionVault -Name CfRotFakeVault
    $script:fakeVault = $fake.Name
    $script:fakeData = $fake.Data
    $script:fakeStore = $fake.Root

    function script:New-VaultedToken {
        <# An API token whose value is in the vault with metadata (or companions), as Invoke-CfTokenRoll -Vault stores it. #>
        param([string] $Name, [string] $Vault = $script:vault)
        $token = New-CfToken -Name $Name -PermissionGroup 'DNS Read' -AllZones -Ttl 30.00:00:00 -Confirm:$false
        $null = Invoke-CfTokenRoll -Id $token.Id -Vault $Vault -SecretName $Name -Confirm:$false
        $token.Id
    }
    function script:Get-VaultPlain([string] $Name, [string] $Vault = $script:vault) { Get-PlainText (Get-Secret -Vault $Vault -Name $Name) }
    function script:Get-RequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator).Count }
    function script:Get-RollRequestCount([string] $TokenId, [int] $Skip = 0) {
        @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $Skip | Where-Object { $_.method -eq 'PUT' -and $_.path -like "*/tokens/$TokenId/value" }).Count
    }
    function script:Add-Fault([hashtable] $Rule) { Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path faults -Method POST -Body $Rule | Out-Null }
    function script:Get-FaultHits { @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path faults).result | ForEach-Object { $_.hits }) | Measure-Object -Sum | ForEach-Object Sum }
    function script:Clear-Fault { Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path faults -Method DELETE | Out-Null }
    function script:Test-Live([string] $Name, [string] $Vault = $script:vault) { (Test-CfToken -Token (Get-Secret -Vault $Vault -Name $Name)).Status -eq 'active' }
}

AfterAll {
    Remove-Item Env:GITHUB_ACTIONS, Env:GITHUB_ENV -ErrorAction SilentlyContinue
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Unregister-SecretVault -Name $script:fakeVault -ErrorAction SilentlyContinue
    Remove-Item -Path $script:ledger, "$($script:ledger)-wal", "$($script:ledger)-shm", $script:work, $script:fakeStore -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-CfTokenRotation: the happy path' {
    It 'rotates an API token into the vault and pushes it to a Worker, the Secrets Store, Pages and the GitHub env file; an external consumer is listed as manual' {
        $id = New-VaultedToken -Name ROT_API
        foreach ($destination in 'worker:rot-worker/ROT_API', "secrets-store:$($script:store)/ROT_API", 'pages:rot-site/production/ROT_API', 'github:ROT_API', 'external:terraform') {
            Register-CfTokenConsumer -Credential ROT_API -Destination $destination -Confirm:$false | Out-Null
        }
        $old = Get-VaultPlain ROT_API
        $skip = Get-RequestCount

        $result = Invoke-CfTokenRotation -SecretName ROT_API -Vault $script:vault -Confirm:$false

        $result.PSObject.TypeNames[0] | Should -Be 'CfManagement.TokenRotationResult'
        $result.State | Should -Be 'Completed'
        $result.StagesDone | Should -Be @('Verify', 'Roll', 'Distribute', 'Validate')
        $result.Resumed | Should -BeFalse
        $result.Rolls | Should -Be 1
        $result.Kind | Should -Be 'ApiToken'
        $result.TokenId | Should -Be $id
        @($result.ConsumersUpdated).Count | Should -Be 4
        $result.ConsumersManual | Should -Be @('external:terraform')
        Get-RollRequestCount $id -Skip $skip | Should -Be 1

        $new = Get-VaultPlain ROT_API
        $new | Should -Not -Be $old
        Test-Live ROT_API | Should -BeTrue
        (Get-CfWorkerSecret -Script rot-worker).Name | Should -Contain ROT_API
        (Get-CfSecretsStoreSecret -Store $script:store).Name | Should -Contain ROT_API
        (Get-CfPagesSecret -Project rot-site).Name | Should -Contain ROT_API
        $githubText = Get-Content -Raw $script:githubEnv
        $githubText | Should -Match 'ROT_API<<ghadelimiter_'
        $githubText.Contains($new) | Should -BeTrue -Because 'the GitHub env file carries the new value to later steps'

        $rotation = Get-CfTokenRotation -Id $result.RotationId
        $rotation.State | Should -Be 'Completed'
        $rotation.Stage | Should -Be 'Validate'
        ($rotation.Consumers | Where-Object Destination -eq 'external:terraform').Distribute | Should -Be 'Skipped'
        (Get-CfTokenRotation -SecretName ROT_API -Incomplete) | Should -BeNullOrEmpty
        ($result | Format-Table | Out-String -Width 300) | Should -Match 'ROT_API\s+ApiToken\s+Completed'
    }

    It 'rotates an Access service token: client secret into the vault, secret and client id into the Worker, verified at the protected URL' {
        $created = New-CfAccessServiceToken -Name rot-access -Duration 24h -Vault $script:vault -SecretName ROT_ACCESS -Confirm:$false
        Register-CfTokenConsumer -Credential ROT_ACCESS -Destination 'worker:rot-worker/ROT_ACCESS_CLIENT_SECRET' -Confirm:$false | Out-Null
        $old = Get-VaultPlain ROT_ACCESS
        $skip = Get-RequestCount

        $result = Invoke-CfTokenRotation -SecretName ROT_ACCESS -Vault $script:vault -AccessUri $script:accessUrl -GracePeriod 0:00:30 -Confirm:$false

        $result.State | Should -Be 'Completed'
        $result.Kind | Should -Be 'AccessServiceToken'
        $result.Rolls | Should -Be 1
        @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $skip | Where-Object { $_.method -eq 'POST' -and $_.path -like "*/service_tokens/$($created.Id)/rotate" }).Count | Should -Be 1
        Get-VaultPlain ROT_ACCESS | Should -Not -Be $old
        (Test-CfAccessServiceToken -Uri $script:accessUrl -AllowInsecure -Vault $script:vault -SecretName ROT_ACCESS).Outcome | Should -Be 'Authenticated'
        $workerSecrets = (Get-CfWorkerSecret -Script rot-worker).Name
        $workerSecrets | Should -Contain 'ROT_ACCESS_CLIENT_SECRET'
        $workerSecrets | Should -Contain 'ROT_ACCESS_CLIENT_ID'
    }

    It 'takes Get-CfVaultCredential output from the pipeline and -WhatIf changes nothing' {
        $id = New-VaultedToken -Name ROT_WHATIF
        Register-CfTokenConsumer -Credential ROT_WHATIF -Destination 'worker:rot-worker/ROT_WHATIF' -Confirm:$false | Out-Null
        $old = Get-VaultPlain ROT_WHATIF
        $skip = Get-RequestCount
        $transcript = Join-Path $script:work 'whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        try { $out = @(Get-CfVaultCredential -Vault $script:vault -Name ROT_WHATIF | Invoke-CfTokenRotation -WhatIf) }
        finally { Stop-Transcript | Out-Null }
        $out | Should -BeNullOrEmpty
        $plan = Get-Content -Raw $transcript
        $plan | Should -Match 'What if: .*ROT_WHATIF'
        $plan | Should -Match '2 Roll'
        $plan | Should -Match 'worker:rot-worker/ROT_WHATIF'
        @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $skip | Where-Object method -ne 'GET') | Should -BeNullOrEmpty
        Get-VaultPlain ROT_WHATIF | Should -Be $old
        Get-CfTokenRotation -SecretName ROT_WHATIF | Should -BeNullOrEmpty
        Get-RollRequestCount $id -Skip $skip | Should -Be 0
    }
}

Describe 'Invoke-CfTokenRotation interrupted at every stage, then resumed with exactly one roll' {
    AfterEach { Clear-Fault; Remove-Item (Join-Path $script:fakeData '*.flag') -ErrorAction SilentlyContinue }

    It 'API fault at Verify (the session cannot see the token): fails before any roll, the rerun resumes and completes' {
        $id = New-VaultedToken -Name ROT_VERIFY
        $skip = Get-RequestCount
        Add-Fault @{ method = 'GET'; pathContains = "/user/tokens/$id"; kind = 'Status'; statusCode = 404; times = 1 }
        $first = Invoke-CfTokenRotation -SecretName ROT_VERIFY -Vault $script:vault -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $first.State | Should -Be 'Failed'
        $first.StagesDone | Should -BeNullOrEmpty
        @($failed | ForEach-Object FullyQualifiedErrorId) -join ' ' | Should -Match 'TokenNotFound'
        Get-RollRequestCount $id -Skip $skip | Should -Be 0
        (Get-CfTokenRotation -SecretName ROT_VERIFY -Incomplete).LastErrorId | Should -Be 'TokenNotFound'

        $second = Invoke-CfTokenRotation -SecretName ROT_VERIFY -Vault $script:vault -Confirm:$false
        $second.State | Should -Be 'Completed'
        $second.Resumed | Should -BeTrue
        $second.RotationId | Should -Be $first.RotationId
        $second.Rolls | Should -Be 1
        Get-RollRequestCount $id -Skip $skip | Should -Be 1
        Test-Live ROT_VERIFY | Should -BeTrue
    }

    It 'API fault on the roll route: the refused roll is decided from evidence (the vault value still works) and rolled once' {
        $id = New-VaultedToken -Name ROT_ROLLFAULT
        $skip = Get-RequestCount
        Add-Fault @{ method = 'PUT'; pathContains = "/user/tokens/$id/value"; kind = 'Status'; statusCode = 503; times = 1 }
        $first = Invoke-CfTokenRotation -SecretName ROT_ROLLFAULT -Vault $script:vault -Confirm:$false -ErrorAction SilentlyContinue
        $first.State | Should -Be 'Failed'
        $first.StagesDone | Should -Be @('Verify')
        $hits = Get-FaultHits
        $hits | Should -Be 1
        Clear-Fault

        $second = Invoke-CfTokenRotation -SecretName ROT_ROLLFAULT -Vault $script:vault -Confirm:$false -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] -or $_.PSObject.TypeNames[0] -eq 'CfManagement.TokenRotationResult' }
        $result = $second | Where-Object { $_.PSObject.TypeNames[0] -eq 'CfManagement.TokenRotationResult' }
        ($second | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'did not happen; rolling now'
        $result.State | Should -Be 'Completed'
        $result.Rolls | Should -Be 1
        # Two PUTs reached the emulator; the first was answered by the fault, so Cloudflare rolled once.
        (Get-RollRequestCount $id -Skip $skip) - $hits | Should -Be 1
        Test-Live ROT_ROLLFAULT | Should -BeTrue
    }

    It 'vault fault after the roll: the value is rescued, and the rerun stores it without a second roll' {
        $id = New-VaultedToken -Name ROT_VAULTFAULT -Vault $script:fakeVault
        Register-CfTokenConsumer -Credential ROT_VAULTFAULT -Destination 'worker:rot-worker/ROT_VAULTFAULT' -Confirm:$false | Out-Null
        $skip = Get-RequestCount
        Set-Content -Path (Join-Path $script:fakeData 'fail-write.flag') -Value '*'
        $first = Invoke-CfTokenRotation -SecretName ROT_VAULTFAULT -Vault $script:fakeVault -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $first.State | Should -Be 'Failed'
        @($failed | ForEach-Object FullyQualifiedErrorId) -join ' ' | Should -Match 'DestinationWriteFailed'
        @($global:CfRescuedCredentials | ForEach-Object { $_ } | Where-Object Id -eq $id).Count | Should -Be 1
        Test-Live ROT_VAULTFAULT -Vault $script:fakeVault | Should -BeFalse -Because 'the roll killed the value still in the vault'
        Remove-Item (Join-Path $script:fakeData 'fail-write.flag')

        $second = Invoke-CfTokenRotation -SecretName ROT_VAULTFAULT -Vault $script:fakeVault -Confirm:$false
        $second.State | Should -Be 'Completed'
        $second.Resumed | Should -BeTrue
        $second.Rolls | Should -Be 1
        Get-RollRequestCount $id -Skip $skip | Should -Be 1
        Test-Live ROT_VAULTFAULT -Vault $script:fakeVault | Should -BeTrue
        Get-Secret -Vault $script:fakeVault -Name ROT_VAULTFAULT__TOKEN_ID -AsPlainText | Should -Be $id
        @($global:CfRescuedCredentials | ForEach-Object { $_ } | Where-Object Id -eq $id).Count | Should -Be 0
        (Get-CfWorkerSecret -Script rot-worker).Name | Should -Contain ROT_VAULTFAULT
    }

    It 'consumer fault (the Worker write fails): the rerun pushes the rest from the vault, without another roll' {
        $id = New-VaultedToken -Name ROT_CONSUMER
        Register-CfTokenConsumer -Credential ROT_CONSUMER -Destination 'worker:rot-worker/ROT_CONSUMER' -Confirm:$false | Out-Null
        Register-CfTokenConsumer -Credential ROT_CONSUMER -Destination 'pages:rot-site/production/ROT_CONSUMER' -Confirm:$false | Out-Null
        $skip = Get-RequestCount
        Add-Fault @{ pathContains = '/workers/scripts/rot-worker/secrets'; kind = 'Status'; statusCode = 403; times = 1 }
        $first = Invoke-CfTokenRotation -SecretName ROT_CONSUMER -Vault $script:vault -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $first.State | Should -Be 'Failed'
        $first.StagesDone | Should -Be @('Verify', 'Roll')
        $first.ConsumersFailed | Should -Be @('worker:rot-worker/ROT_CONSUMER')
        @($failed | ForEach-Object FullyQualifiedErrorId) -join ' ' | Should -Match 'ConsumerUpdateFailed'
        $pending = Get-CfTokenRotation -SecretName ROT_CONSUMER -Incomplete
        ($pending.Consumers | Where-Object Destination -like 'pages:*').Distribute | Should -Be 'Completed'
        ($pending.Consumers | Where-Object Destination -like 'worker:*').Distribute | Should -Be 'Failed'
        Clear-Fault

        $second = Invoke-CfTokenRotation -SecretName ROT_CONSUMER -Vault $script:vault -Confirm:$false
        $second.State | Should -Be 'Completed'
        $second.Resumed | Should -BeTrue
        $second.Rolls | Should -Be 1
        Get-RollRequestCount $id -Skip $skip | Should -Be 1
        (Get-CfWorkerSecret -Script rot-worker).Name | Should -Contain ROT_CONSUMER
    }

    It 'API fault at Validate (verify answers 403): the rerun resumes at the validation, with no second roll and no second push' {
        $id = New-VaultedToken -Name ROT_VALIDATE
        Register-CfTokenConsumer -Credential ROT_VALIDATE -Destination 'worker:rot-worker/ROT_VALIDATE' -Confirm:$false | Out-Null
        # Stop the first run after its roll (a consumer fault), then let the rerun fail at Validate.
        Add-Fault @{ pathContains = '/workers/scripts/rot-worker/secrets'; kind = 'Status'; statusCode = 403; times = 1 }
        $skip = Get-RequestCount
        $null = Invoke-CfTokenRotation -SecretName ROT_VALIDATE -Vault $script:vault -Confirm:$false -ErrorAction SilentlyContinue
        Clear-Fault
        Add-Fault @{ method = 'GET'; pathContains = '/user/tokens/verify'; kind = 'Status'; statusCode = 403; times = 1 }
        $second = Invoke-CfTokenRotation -SecretName ROT_VALIDATE -Vault $script:vault -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        $second.State | Should -Be 'Failed'
        $second.StagesDone | Should -Be @('Verify', 'Roll', 'Distribute')
        $stopped = Get-CfTokenRotation -SecretName ROT_VALIDATE -Incomplete
        $stopped.Stage | Should -Be 'Distribute'
        $stopped.State | Should -Be 'Failed'
        Clear-Fault
        $pushes = @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $skip | Where-Object { $_.method -ne 'GET' -and $_.path -like '*/workers/scripts/rot-worker/secrets*' }).Count

        $third = Invoke-CfTokenRotation -SecretName ROT_VALIDATE -Vault $script:vault -Confirm:$false
        $third.State | Should -Be 'Completed'
        $third.Rolls | Should -Be 1
        Get-RollRequestCount $id -Skip $skip | Should -Be 1
        @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $skip | Where-Object { $_.method -ne 'GET' -and $_.path -like '*/workers/scripts/rot-worker/secrets*' }).Count |
            Should -Be $pushes -Because 'a rerun at the validation pushes nothing again'
    }

    It 'process killed while a consumer push hangs: the rerun resumes at the distribution with exactly one roll' {
        $id = New-VaultedToken -Name ROT_KILLED
        Register-CfTokenConsumer -Credential ROT_KILLED -Destination 'worker:rot-worker/ROT_KILLED' -Confirm:$false | Out-Null
        $skip = Get-RequestCount
        Add-Fault @{ pathContains = '/workers/scripts/rot-worker/secrets'; kind = 'Latency'; delayMs = 120000; times = 1 }
        $script = Join-Path $script:work 'child-rotation.ps1'
        Set-Content -Path $script -Value @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-TestModuleManifest)'
Connect-CfAccount -ApiToken (ConvertTo-SecureString `$env:CFM_CHILD_TOKEN -AsPlainText -Force) -ApiBaseUri '$($script:emulator.BaseUri)' -AccountId '$($script:accountId)' -LedgerPath '$($script:ledger)' | Out-Null
Invoke-CfTokenRotation -SecretName ROT_KILLED -Vault '$($script:vault)' -Confirm:`$false
"@
        $powershell = Get-PowerShellCommand
        $env:CFM_CHILD_TOKEN = Get-PlainText $script:emulator.Token
        try {
            $child = Start-Process -FilePath $powershell[0] -ArgumentList (@($powershell | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', "`"$script`"")) -PassThru `
                -RedirectStandardOutput (Join-Path $script:work 'child.out') -RedirectStandardError (Join-Path $script:work 'child.err')
        }
        finally { Remove-Item Env:CFM_CHILD_TOKEN -ErrorAction SilentlyContinue }
        # Wait until the child's Worker push is hanging on the latency fault, then kill it.
        $deadline = [DateTime]::UtcNow.AddSeconds(90)
        while ([DateTime]::UtcNow -lt $deadline -and -not $child.HasExited -and
            -not (Get-TestEmulatorRequest -Emulator $script:emulator -Skip $skip | Where-Object path -like '*/workers/scripts/rot-worker/secrets*')) { Start-Sleep -Milliseconds 200 }
        $childError = (Get-Content -Raw (Join-Path $script:work 'child.err') -ErrorAction SilentlyContinue) -replace '\x1b\[[0-9;]*m', ''
        $child.HasExited | Should -BeFalse -Because "the child should hang on the Worker push (stderr: $childError)"
        Stop-Process -Id $child.Id -Force
        $child.WaitForExit(10000) | Out-Null
        Clear-Fault

        $stopped = Get-CfTokenRotation -SecretName ROT_KILLED -Incomplete
        $stopped.Stage | Should -Be 'Roll'
        $stopped.PendingStage | Should -Be 'Distribute'

        # The rerun is a new process too (as after a crash); it reports what it saw.
        $resume = Join-Path $script:work 'child-resume.ps1'
        Set-Content -Path $resume -Value @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-TestModuleManifest)'
Connect-CfAccount -ApiToken (ConvertTo-SecureString `$env:CFM_CHILD_TOKEN -AsPlainText -Force) -ApiBaseUri '$($script:emulator.BaseUri)' -AccountId '$($script:accountId)' -LedgerPath '$($script:ledger)' | Out-Null
`$live = (Test-CfToken -Token (Get-Secret -Vault '$($script:vault)' -Name ROT_KILLED)).Status
"LIVE-BEFORE=`$live"
`$r = Invoke-CfTokenRotation -SecretName ROT_KILLED -Vault '$($script:vault)' -Confirm:`$false
"STATE=`$(`$r.State) RESUMED=`$(`$r.Resumed) ROLLS=`$(`$r.Rolls)"
"LIVE-AFTER=`$((Test-CfToken -Token (Get-Secret -Vault '$($script:vault)' -Name ROT_KILLED)).Status)"
"@
        $output = (Invoke-ChildPowerShell -ScriptPath $resume -Environment @{ CFM_CHILD_TOKEN = (Get-PlainText $script:emulator.Token) }).Output
        $output | Should -Match 'LIVE-BEFORE=active' -Because "the roll had been stored before the process died ($output)"
        $output | Should -Match 'STATE=Completed RESUMED=True ROLLS=1'
        $output | Should -Match 'LIVE-AFTER=active'
        Get-RollRequestCount $id -Skip $skip | Should -Be 1
        (Get-CfWorkerSecret -Script rot-worker).Name | Should -Contain ROT_KILLED
        (Get-CfTokenRotation -SecretName ROT_KILLED).State | Should -Be 'Completed'
    }

    It 'roll started but never recorded, with the vault value already rolled (metadata newer than the roll start): no second roll' {
        $id = New-VaultedToken -Name ROT_EVIDENCE
        $rotation = Checkpoint-CfTokenRotation -New -SecretName ROT_EVIDENCE -Vault $script:vault -Kind ApiToken -TokenId $id -Confirm:$false
        Checkpoint-CfTokenRotation -Id $rotation.Id -Stage Verify -Status Completed -Confirm:$false
        Checkpoint-CfTokenRotation -Id $rotation.Id -Stage Roll -Status Started -Confirm:$false
        # The roll landed and was stored, then the process died before it was recorded as done.
        $null = Invoke-CfTokenRoll -Id $id -Vault $script:vault -SecretName ROT_EVIDENCE -Confirm:$false
        $skip = Get-RequestCount

        $result = Invoke-CfTokenRotation -SecretName ROT_EVIDENCE -Vault $script:vault -Confirm:$false
        $result.State | Should -Be 'Completed'
        $result.Resumed | Should -BeTrue
        $result.Rolls | Should -Be 1
        Get-RollRequestCount $id -Skip $skip | Should -Be 0
    }
}

Describe 'Invoke-CfTokenRotation never shows a value' {
    It 'with -Verbose -Debug and a transcript, no old or new value appears anywhere' {
        $id = New-VaultedToken -Name ROT_LEAK
        Register-CfTokenConsumer -Credential ROT_LEAK -Destination 'worker:rot-worker/ROT_LEAK' -Confirm:$false | Out-Null
        Register-CfTokenConsumer -Credential ROT_LEAK -Destination 'pages:rot-site/production/ROT_LEAK' -Confirm:$false | Out-Null
        Register-CfTokenConsumer -Credential ROT_LEAK -Destination "secrets-store:$($script:store)/ROT_LEAK" -Confirm:$false | Out-Null
        $old = Get-VaultPlain ROT_LEAK
        $probe = Invoke-TestLeakProbe { Invoke-CfTokenRotation -SecretName ROT_LEAK -Vault $script:vault -Confirm:$false @script:loud -WarningAction Continue -InformationAction Continue }
        $result = $probe.Objects | Where-Object { $_.PSObject.TypeNames[0] -eq 'CfManagement.TokenRotationResult' }
        $result.State | Should -Be 'Completed' -Because "the leak check means something only when the rotation ran (errors: $($probe.Errors -join ' | '))"
        $probe.Errors | Should -BeNullOrEmpty
        @($probe.Records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        $new = Get-VaultPlain ROT_LEAK
        $new | Should -Not -Be $old
        Assert-TestNoSecret -Probe $probe -Secret $old, $new
        ((Get-CfLedger -OperationId $result.RotationId) | Out-String -Width 500).Contains($new) | Should -BeFalse
    }

    It 'a failed run (the vault breaks after the roll) shows no value either, though its error holds the rescued one' {
        $id = New-VaultedToken -Name ROT_LEAK_FAIL -Vault $script:fakeVault
        $old = Get-VaultPlain ROT_LEAK_FAIL -Vault $script:fakeVault
        Set-Content -Path (Join-Path $script:fakeData 'fail-write.flag') -Value '*'
        try {
            $probe = Invoke-TestLeakProbe { Invoke-CfTokenRotation -SecretName ROT_LEAK_FAIL -Vault $script:fakeVault -Confirm:$false @script:loud -WarningAction Continue -InformationAction Continue }
        }
        finally { Remove-Item (Join-Path $script:fakeData 'fail-write.flag') -ErrorAction SilentlyContinue }
        ($probe.Errors | ForEach-Object FullyQualifiedErrorId) -join ' ' | Should -Match 'DestinationWriteFailed'
        $rescued = $global:CfRescuedCredentials | ForEach-Object { $_ } | Where-Object Id -eq $id | Select-Object -Last 1
        $rescued.Value | Should -BeOfType [securestring]
        Assert-TestNoSecret -Probe $probe -Secret $old, (Get-PlainText $rescued.Value)
        (Invoke-CfTokenRotation -SecretName ROT_LEAK_FAIL -Vault $script:fakeVault -Confirm:$false).State | Should -Be 'Completed'
    }
}

Describe 'Invoke-CfTokenRotation refuses bad input before any request' {
    BeforeAll {
        $null = Set-Secret -Vault $script:vault -Name ROT_NO_ID -Secret 'not-a-token-just-text'
        $script:apiForBad = New-VaultedToken -Name ROT_BAD_API
    }

    It 'refuses <Case> with <ErrorId>' -ForEach @(
        @{ Case = 'an empty -SecretName'; ErrorId = 'InvalidName'; Arguments = @{ SecretName = ''; Vault = 'CfPester' } }
        @{ Case = 'a blank -SecretName'; ErrorId = 'InvalidName'; Arguments = @{ SecretName = '   '; Vault = 'CfPester' } }
        @{ Case = 'a wildcard -SecretName'; ErrorId = 'InvalidSecretName'; Arguments = @{ SecretName = 'ROT_*'; Vault = 'CfPester' } }
        @{ Case = 'a companion name'; ErrorId = 'VaultCompanionName'; Arguments = @{ SecretName = 'ROT_API__TOKEN_ID'; Vault = 'CfPester' } }
        @{ Case = 'a blank -Vault'; ErrorId = 'InvalidVaultName'; Arguments = @{ SecretName = 'ROT_API'; Vault = ' ' } }
        @{ Case = 'a zero -GracePeriod'; ErrorId = 'InvalidGracePeriod'; Arguments = @{ SecretName = 'ROT_ACCESS'; Vault = 'CfPester'; GracePeriod = [timespan]::Zero } }
        @{ Case = 'a negative -GracePeriod'; ErrorId = 'InvalidGracePeriod'; Arguments = @{ SecretName = 'ROT_ACCESS'; Vault = 'CfPester'; GracePeriod = [timespan]::FromMinutes(-5) } }
        @{ Case = 'an ftp -AccessUri'; ErrorId = 'InvalidUri'; Arguments = @{ SecretName = 'ROT_ACCESS'; Vault = 'CfPester'; AccessUri = 'ftp://example.com/x' } }
        @{ Case = 'a relative -AccessUri'; ErrorId = 'InvalidUri'; Arguments = @{ SecretName = 'ROT_ACCESS'; Vault = 'CfPester'; AccessUri = '/health' } }
        @{ Case = 'a plain-http -AccessUri off loopback'; ErrorId = 'InsecureUri'; Arguments = @{ SecretName = 'ROT_ACCESS'; Vault = 'CfPester'; AccessUri = 'http://app.example.com/health' } }
        @{ Case = 'two ledgers'; ErrorId = 'ConflictingParameters'; Arguments = @{ SecretName = 'ROT_API'; Vault = 'CfPester'; LedgerPath = 'x.db'; LedgerDatabaseId = '0f2b5c1e-0000-4000-8000-000000000000' } }
        @{ Case = 'an empty -LedgerPath'; ErrorId = 'InvalidName'; Arguments = @{ SecretName = 'ROT_API'; Vault = 'CfPester'; LedgerPath = '' } }
        @{ Case = 'a -LedgerPath that is a directory'; ErrorId = 'InvalidLedgerPath'; Arguments = @{ SecretName = 'ROT_BAD_API'; Vault = 'CfPester'; LedgerPath = [IO.Path]::GetTempPath() } }
        @{ Case = 'an unregistered vault'; ErrorId = 'VaultNotFound'; Arguments = @{ SecretName = 'ROT_API'; Vault = 'NoSuchVault' } }
        @{ Case = 'a credential the vault does not hold'; ErrorId = 'VaultCredentialNotFound'; Arguments = @{ SecretName = 'ROT_MISSING'; Vault = 'CfPester' } }
        @{ Case = 'a value without a token id'; ErrorId = 'RotationKindUnknown'; Arguments = @{ SecretName = 'ROT_NO_ID'; Vault = 'CfPester' } }
        @{ Case = '-GracePeriod for an API token'; ErrorId = 'AccessParameterNotApplicable'; Arguments = @{ SecretName = 'ROT_BAD_API'; Vault = 'CfPester'; GracePeriod = [timespan]::FromMinutes(5) } }
        @{ Case = '-AccessUri for an API token'; ErrorId = 'AccessParameterNotApplicable'; Arguments = @{ SecretName = 'ROT_BAD_API'; Vault = 'CfPester'; AccessUri = 'https://app.example.com/' } }
    ) {
        $before = Get-RequestCount
        $errors = $null
        try { $out = Invoke-CfTokenRotation @Arguments -Confirm:$false -ErrorVariable errors -ErrorAction SilentlyContinue }
        catch { $errors = @($_) }
        $out | Should -BeNullOrEmpty
        @($errors).Count | Should -BeGreaterThan 0
        ($errors | ForEach-Object FullyQualifiedErrorId) -join ' ' | Should -Match "^$ErrorId(,|$)| $ErrorId(,|$)"
        Get-RequestCount | Should -Be $before -Because 'bad input is refused before any request'
    }
}

Describe 'Checkpoint-CfTokenRotation and Get-CfTokenRotation' {
    It 'refuses a second rotation of a credential while one is incomplete, a detail shaped like a credential, and records on a completed one' {
        $first = Checkpoint-CfTokenRotation -New -SecretName ROT_CP -Vault $script:vault -Kind ApiToken -Confirm:$false
        { Checkpoint-CfTokenRotation -New -SecretName ROT_CP -Vault $script:vault -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'RotationInProgress*'
        { Checkpoint-CfTokenRotation -Id $first.Id -Stage Verify -Status Failed -Detail ('cfut_' + 'a' * 40) -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'RotationTextLooksLikeSecret*'
        { Checkpoint-CfTokenRotation -Id ('0' * 32) -Stage Verify -Status Completed -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'RotationNotFound*'
        { Checkpoint-CfTokenRotation -Id $first.Id -Stage Roll -Status Completed -Consumer 'worker:x/Y' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidRotationStage*'
        foreach ($stage in 'Verify', 'Roll', 'Distribute', 'Validate') { Checkpoint-CfTokenRotation -Id $first.Id -Stage $stage -Status Completed -Confirm:$false }
        (Get-CfTokenRotation -Id $first.Id).State | Should -Be 'Completed'
        { Checkpoint-CfTokenRotation -Id $first.Id -Stage Verify -Status Started -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'RotationAlreadyCompleted*'
        (Get-CfLedger -OperationId $first.Id).Action | Should -Contain 'rotation-start'
    }
}
