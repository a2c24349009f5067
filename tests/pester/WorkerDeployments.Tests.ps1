#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# A user's gradual rollout in real pwsh: list Workers and their versions, send 90/10, then 100, roll back past a
# secret change with -Force, preview with -WhatIf, read the default tables, and Tab-complete script names.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:session = Connect-TestSession -Emulator $script:emulator
    $account = $script:session.AccountId
    $script:v1 = Send-TestWorkerUpload -Emulator $script:emulator -AccountId $account -Name 'shop-api' -Body 'one' -Tag 'prod'
    $script:v2 = Send-TestWorkerUpload -Emulator $script:emulator -AccountId $account -Name 'shop-api' -Body 'two' -Message 'checkout fix' -VersionOnly
    $null = Send-TestWorkerUpload -Emulator $script:emulator -AccountId $account -Name 'shop-logger'

    function Get-Completion {
        param([Parameter(Mandatory)] [string] $Line)
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }
    function Get-Deployments { @(Get-TestEmulatorRequest -Emulator $script:emulator | Where-Object { $_.method -eq 'POST' -and $_.path -like '*/deployments' }).Count }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
}

Describe 'A gradual rollout' {
    It 'lists the Worker with the version serving all its traffic, and its versions through the pipeline' {
        $worker = Get-CfWorker -Name 'shop-*' -Tag prod
        $worker.ScriptName | Should -Be 'shop-api'
        $worker.Traffic | Should -Be "$($script:v1.Substring(0, 8)) 100%"
        $versions = @(Get-CfWorker -Name shop-api | Get-CfWorkerVersion)
        $versions.Id | Should -Be @($script:v2, $script:v1)
        $versions[0].Message | Should -Be 'checkout fix'
    }

    It '-WhatIf shows the split and changes nothing' {
        $before = Get-Deployments
        # What -WhatIf prints goes to the console, so a child pwsh shows what the user would see (connected from the environment, as in CI).
        $run = Invoke-ChildPowerShell -Command "Import-Module '$(Get-TestModuleManifest)'; Get-CfWorkerVersion -Script shop-api -Id $($script:v2) | Set-CfWorkerDeployment -Percentage 10 -WhatIf" -Environment @{
            CLOUDFLARE_API_TOKEN = (Get-PlainText $script:emulator.Token); CLOUDFLARE_ACCOUNT_ID = $script:session.AccountId; CLOUDFLARE_API_BASE_URL = $script:emulator.BaseUri
        }
        $run.ExitCode | Should -Be 0
        $text = $run.Output -replace '\s+', ' '
        $text | Should -Match "What if: .*Worker 'shop-api'"
        $text | Should -Match ([regex]::Escape("$($script:v2) at 10% + $($script:v1) at 90%"))
        Get-Deployments | Should -Be $before
        (Get-CfWorkerDeployment -Script shop-api -Current).Traffic | Should -Be "$($script:v1.Substring(0, 8)) 100%"
    }

    It 'sends 10% to the new version, the rest staying on the old one, then all of it' {
        $canary = Get-CfWorkerVersion -Script shop-api -Id $script:v2 | Set-CfWorkerDeployment -Percentage 10 -Message 'canary' -Confirm:$false
        $canary.PercentageOf($script:v2) | Should -Be 10
        $canary.PercentageOf($script:v1) | Should -Be 90
        (Get-CfWorker -Name shop-api).Traffic | Should -Be "$($script:v1.Substring(0, 8)) 90%, $($script:v2.Substring(0, 8)) 10%"

        $full = Set-CfWorkerDeployment -Script shop-api -VersionId $script:v2 -Confirm:$false
        $full.Versions.Count | Should -Be 1
        $full.PercentageOf($script:v2) | Should -Be 100
    }

    It 'repeating the last step sends nothing' {
        $before = Get-Deployments
        $before | Should -Be 2 # the two steps above, so the count below really counts deployments
        $same = Set-CfWorkerDeployment -Script shop-api -VersionId $script:v2 -Confirm:$false
        $same.IsCurrent | Should -BeTrue
        Get-Deployments | Should -Be $before
    }

    It 'refuses to roll back past a secret change until -Force, keeping Cloudflare''s code' {
        Invoke-TestCloudflareApi -Emulator $script:emulator -Method PUT -Path "accounts/$($script:session.AccountId)/workers/scripts/shop-api/secrets" `
            -Body @{ name = 'PAYMENT_KEY'; text = 'rotated'; type = 'secret_text' } | Out-Null
        $serving = (Get-CfWorkerDeployment -Script shop-api -Current).Versions.VersionId
        Set-CfWorkerDeployment -Script shop-api -VersionId $script:v1 -Confirm:$false -ErrorVariable refused -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'ApiInvalidRequest,*'
        $refused[0].ErrorDetails.Message | Should -Match '10220'
        $refused[0].ErrorDetails.RecommendedAction | Should -Match '-Force'
        (Get-CfWorkerDeployment -Script shop-api -Current).Versions.VersionId | Should -Be $serving

        $back = Set-CfWorkerDeployment -Script shop-api -VersionId $script:v1 -Force -Message 'rollback' -Confirm:$false
        $back.PercentageOf($script:v1) | Should -Be 100
        (Get-CfWorkerDeployment -Script shop-api)[0].Message | Should -Be 'rollback'
    }

    It 'refuses a split that does not sum to 100 before any request' {
        $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
        Set-CfWorkerDeployment -Script shop-api -Traffic @{ $script:v1 = 90; $script:v2 = 20 } -ErrorVariable bad -ErrorAction SilentlyContinue
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'InvalidTrafficSplit,*'
        @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $before | Where-Object { $_.path -like '*/accounts/*' }).Count | Should -Be 0
        Get-CfWorkerDeployment -Script shop-api | Out-Null
        @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $before | Where-Object { $_.path -like '*/accounts/*' }).Count | Should -Be 1
    }
}

Describe 'Default views' {
    It 'Get-CfWorker renders a table of scripts and their traffic' {
        $text = Get-CfWorker | Out-String -Width 200
        $text | Should -Match 'ScriptName\s+Traffic\s+ModifiedOn\s+Tags'
        $text | Should -Match "shop-api\s+$($script:v1.Substring(0, 8)) 100%.*prod"
        $text | Should -Match 'shop-logger'
    }

    It 'versions and deployments render as tables' {
        Get-CfWorkerVersion -Script shop-api | Out-String -Width 200 | Should -Match "Number\s+Id\s+CreatedOn\s+Source\s+Message[\s\S]*$($script:v2)\s.*checkout fix"
        Get-CfWorkerDeployment -Script shop-api | Out-String -Width 200 | Should -Match 'ScriptName\s+Current\s+CreatedOn\s+Traffic\s+Message[\s\S]*shop-api\s+\*.*rollback'
    }

    It 'tail-consumer changes render as a table saying what happened' {
        Set-CfWorkerTailConsumer -Script shop-api -Add shop-logger -Confirm:$false | Out-Null
        $text = Set-CfWorkerTailConsumer -Script shop-api -Add shop-logger | Out-String -Width 200
        $text | Should -Match 'shop-api\s+shop-logger\s+Unchanged\s+already a tail consumer'
        (Get-CfWorkerTailConsumer -Script shop-api).Service | Should -Be 'shop-logger'
    }
}

Describe 'Script name completion' {
    It '<Line> completes Worker script names' -ForEach @(
        @{ Line = 'Get-CfWorker shop-' }
        @{ Line = 'Get-CfWorkerVersion -Script shop-' }
        @{ Line = 'Get-CfWorkerDeployment -Script shop-' }
        @{ Line = 'Set-CfWorkerDeployment -Script shop-' }
        @{ Line = 'Set-CfWorkerTailConsumer -Script shop-' }
        @{ Line = 'Get-CfWorkerTailConsumer -Script shop-' }
        @{ Line = 'Invoke-CfTokenRoll -Id 0123456789abcdef0123456789abcdef -WorkerScript shop-' }
    ) {
        Get-Completion $Line | Should -Be @('shop-api', 'shop-logger')
    }

    It 'takes a wildcard, and completes consumer names for -Add' {
        Get-Completion 'Get-CfWorker *logg' | Should -Be @('shop-logger')
        Get-Completion 'Set-CfWorkerTailConsumer -Script shop-api -Add shop-l' | Should -Be @('shop-logger')
    }

    It 'is quietly empty when not connected' {
        Disconnect-CfAccount
        try {
            $env:CLOUDFLARE_API_TOKEN | Should -BeNullOrEmpty
            Get-Completion 'Get-CfWorkerVersion -Script shop-' | Should -BeNullOrEmpty
            $Error.Clear()
            Get-Completion 'Get-CfWorker sh' | Should -BeNullOrEmpty
            $Error.Count | Should -Be 0
        }
        finally { $script:session = Connect-TestSession -Emulator $script:emulator }
    }

    It 'completes from the -Session being typed' {
        $other = Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri -AccountId $script:session.AccountId
        $script:session = Connect-TestSession -Emulator $script:emulator
        Disconnect-CfAccount
        try {
            Get-CfSession | Should -BeNullOrEmpty
            $global:cfWorkerCompletionSession = $other
            Get-Completion 'Get-CfWorkerDeployment -Session $cfWorkerCompletionSession -Script shop-a' | Should -Be @('shop-api')
        }
        finally {
            Remove-Variable -Name cfWorkerCompletionSession -Scope Global -ErrorAction SilentlyContinue
            Disconnect-CfAccount -Session $other
            $script:session = Connect-TestSession -Emulator $script:emulator
        }
    }
}
