#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# The gradual-deployment path end to end, as an admin types it in real pwsh against the built emulator: a new version
# uploaded and rolled out to 50%, a secret change Cloudflare refuses (10215: the latest version is not the one fully
# deployed), the same change made in a new version with -NewVersion, and that version rolled out to 100%.
# The commands' own specs: WorkerSecrets.Tests.ps1, WorkerDeployments.Tests.ps1, WorkerPublish.Tests.ps1.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    foreach ($name in 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_BASE_URL') { [Environment]::SetEnvironmentVariable($name, $null) }
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-rollout-ledger-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:accountId = $script:session.AccountId
    $script:dir = Join-Path ([IO.Path]::GetTempPath()) "cf-rollout-$([guid]::NewGuid().ToString('n'))"
    New-Item -ItemType Directory -Path $script:dir | Out-Null
    Set-Content -Path (Join-Path $script:dir 'index.js') -Value 'export default { async fetch() { return new Response("v2"); } };'
    Set-Content -Path (Join-Path $script:dir 'wrangler.toml') -Value @'
name = "rollout-worker"
main = "index.js"
compatibility_date = "2026-11-01"
'@

    function Get-ApiSecretName([string] $Version) {
        <# The secret_text bindings of one version, read from the API itself (not through the module under test). #>
        $detail = Invoke-TestCloudflareApi -Emulator $script:emulator -Path "accounts/$($script:accountId)/workers/scripts/rollout-worker/versions/$Version"
        @($detail.resources.bindings | Where-Object type -EQ 'secret_text' | ForEach-Object name) | Sort-Object
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger, "$($script:ledger)-wal", "$($script:ledger)-shm" -ErrorAction SilentlyContinue
    Remove-Item $script:dir -Recurse -ErrorAction SilentlyContinue
}

Describe 'A secret change during a gradual deployment' {
    It 'is refused with a hint, made in a new version with -NewVersion, and rolled out with Set-CfWorkerDeployment' {
        # v1 deployed at 100%, with one secret.
        $v1 = Publish-CfWorker -Config (Join-Path $script:dir 'wrangler.toml') -Confirm:$false
        $v1.VersionId | Should -Not -BeNullOrEmpty
        $secret = ConvertTo-SecureString 'first-value' -AsPlainText -Force
        Set-CfWorkerSecret -Script rollout-worker -Name EXISTING -Value $secret -Confirm:$false | Select-Object -ExpandProperty Status | Should -Be 'Applied'
        $current = @((Get-CfWorkerDeployment -Script rollout-worker | Select-Object -First 1).Versions.VersionId)

        # v2 uploaded without deploying, then rolled out to half the traffic.
        $v2 = Publish-CfWorker -Config (Join-Path $script:dir 'wrangler.toml') -VersionOnly -Message 'v2' -Confirm:$false
        $v2.VersionOnly | Should -BeTrue
        Set-CfWorkerDeployment -Script rollout-worker -VersionId $v2.VersionId -Percentage 50 -OtherVersionId $current[0] -Confirm:$false | Out-Null
        $split = Get-CfWorkerDeployment -Script rollout-worker | Select-Object -First 1
        $split.PercentageOf($v2.VersionId) | Should -Be 50

        # A plain secret change is refused (10215) with a hint; nothing changes.
        $new = ConvertTo-SecureString 'rotated-value-7f3a' -AsPlainText -Force
        $err = $null
        $out = Set-CfWorkerSecret -Script rollout-worker -Name ROTATED -Value $new -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'WorkerSecretNeedsNewVersion*'
        $err[0].ToString() | Should -Match '-NewVersion'
        $err[0].ToString() | Should -Match '1021[45]'   # secrets-bulk answers 10214 during a gradual deployment, a single put 10215
        ($err[0] | Out-String) + ($out | Out-String) | Should -Not -Match 'rotated-value-7f3a'
        Get-ApiSecretName -Version $v2.VersionId | Should -Not -Contain 'ROTATED'

        # -NewVersion makes a version carrying the change, from the latest (v2), and deploys nothing.
        $made = @(Set-CfWorkerSecret -Script rollout-worker -Name ROTATED -Value $new -NewVersion -Confirm:$false)
        $made | Should -HaveCount 1
        $made[0].Status | Should -Be 'Applied'
        $made[0].VersionId | Should -Not -BeNullOrEmpty
        $made[0].VersionId | Should -Not -Be $v2.VersionId
        ($made | Out-String) | Should -Not -Match 'rotated-value-7f3a'
        Get-ApiSecretName -Version $made[0].VersionId | Should -Be @('EXISTING', 'ROTATED')
        (Get-CfWorkerDeployment -Script rollout-worker | Select-Object -First 1).PercentageOf($made[0].VersionId) | Should -Be 0
        (Get-CfWorkerVersion -Script rollout-worker | Select-Object -First 1).Id | Should -Be $made[0].VersionId

        # Rolled out: the new version serves everything and the Worker lists the secret.
        $made[0] | Set-CfWorkerDeployment -Script rollout-worker -Confirm:$false | Out-Null
        $final = Get-CfWorkerDeployment -Script rollout-worker | Select-Object -First 1
        $final.PercentageOf($made[0].VersionId) | Should -Be 100
        (Get-CfWorkerSecret -Script rollout-worker).Name | Sort-Object | Should -Be @('EXISTING', 'ROTATED')

        # Now that the latest is fully deployed, a plain change works again.
        Set-CfWorkerSecret -Script rollout-worker -Name ROTATED -Value $secret -Confirm:$false | Select-Object -ExpandProperty Status | Should -Be 'Applied'
    }
}
