#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Pages projects and their secrets as a user types them in real pwsh, against the built emulator. Faults, bad input and
# leak checks run in process: tests/integration/Cmdlets/{PagesCommandTests,PagesBadInputTests,PagesSecretLeakTests,
# PagesDestinationFaultMatrixTests}.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    foreach ($name in 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_BASE_URL') { [Environment]::SetEnvironmentVariable($name, $null) }
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-pages-ledger-$([guid]::NewGuid().ToString('n')).db"
    $script:accountId = (Invoke-TestCloudflareApi -Emulator $script:emulator -Path accounts)[0].id
    Connect-TestSession -Emulator $script:emulator -Parameters @{ AccountId = $script:accountId; LedgerPath = $script:ledger } | Out-Null
    $script:work = New-Item -ItemType Directory -Path (Join-Path ([IO.Path]::GetTempPath()) "cf-pages-$([guid]::NewGuid().ToString('n'))")

    function Get-ProjectVariable([string] $Project, [string] $Environment) {
        <# The variables of one environment as the API shows them (names and types; secret values come back empty). #>
        (Invoke-TestCloudflareApi -Emulator $script:emulator -Path "accounts/$($script:accountId)/pages/projects/$Project").deployment_configs.$Environment.env_vars
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger, $script:work -Recurse -ErrorAction SilentlyContinue
}

Describe 'Pages projects and secrets' {
    It 'creates a project from GitHub, sets production secrets from a .env file, lists and removes them' {
        $project = New-CfPagesProject -Name 'marketing-site' -SourceType github -Owner 'raxx' -Repository 'marketing' -ProductionBranch main -BuildCommand 'npm run build' -DestinationDir dist -Confirm:$false
        $project.Name | Should -Be 'marketing-site'
        $project.SourceType | Should -Be 'github'
        $project.Subdomain | Should -Be 'marketing-site.pages.dev'
        (Get-CfPagesProject -Name 'marketing-*').Name | Should -Be 'marketing-site'

        $envFile = Join-Path $script:work '.env.production'
        Set-Content -Path $envFile -Value @(
            '# production'
            'STRIPE_KEY=sk_live_pester_value_1'
            'export SENTRY_DSN="https://dsn.example/1"'
            "MULTI_LINE='line one"
            "line two'"
        )
        $text = Get-OutputText { Set-CfPagesSecret -Project marketing-site -Path $envFile -Verbose | Format-Table }
        $text | Should -Match 'STRIPE_KEY'
        $text | Should -Not -Match 'sk_live_pester_value_1'
        (Get-ProjectVariable marketing-site production).PSObject.Properties.Name | Sort-Object | Should -Be @('MULTI_LINE', 'SENTRY_DSN', 'STRIPE_KEY')

        $again = @(Set-CfPagesSecret -Project marketing-site -Path $envFile)
        $again.Count | Should -Be 3
        $again.Status | Sort-Object -Unique | Should -Be 'Unchanged'

        $listed = @(Get-CfPagesSecret -Project marketing-site)
        ($listed.Name | Sort-Object) | Should -Be @('MULTI_LINE', 'SENTRY_DSN', 'STRIPE_KEY')
        $listed.Type | Sort-Object -Unique | Should -Be 'secret_text'
        (Get-ProjectVariable marketing-site production).STRIPE_KEY.value | Should -BeNullOrEmpty
        @(Get-CfPagesSecret -Project marketing-site -Environment preview).Count | Should -Be 0

        Get-CfPagesSecret -Project marketing-site | Where-Object Name -eq SENTRY_DSN | Remove-CfPagesSecret -Confirm:$false | Out-Null
        (Get-CfPagesSecret -Project marketing-site).Name | Sort-Object | Should -Be @('MULTI_LINE', 'STRIPE_KEY')
        Remove-CfPagesSecret -Project marketing-site -Name SENTRY_DSN -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable gone
        $gone[0].FullyQualifiedErrorId | Should -BeLike 'PagesSecretNotFound,*'
    }

    It 'syncs an environment with -Prune; the second run changes nothing' {
        New-CfPagesProject -Name docs-site -Confirm:$false | Out-Null
        Set-CfPagesSecret -Project docs-site -Environment preview -Secret @{ OLD_ONE = 'x'; KEEP = 'k' } | Out-Null
        $json = Join-Path $script:work 'preview.json'
        Set-Content -Path $json -Value '{ "KEEP": "k", "NEW_ONE": "n" }'
        $first = @(Sync-CfPagesSecret -Project docs-site -Environment preview -Path $json -Prune)
        ($first | Where-Object Status -eq Applied).Name | Sort-Object | Should -Be @('NEW_ONE', 'OLD_ONE')
        (Get-CfPagesSecret docs-site preview).Name | Sort-Object | Should -Be @('KEEP', 'NEW_ONE')
        $second = @(Sync-CfPagesSecret -Project docs-site -Environment preview -Path $json -Prune)
        $second.Status | Sort-Object -Unique | Should -Be 'Unchanged'
    }

    It 'mints a managed token into a pages: destination, which cleanup empties again' {
        New-CfPagesProject -Name app-site -Confirm:$false | Out-Null
        $managed = New-CfManagedToken -Name 'pages-deploy' -Purpose 'deploys app-site' -PermissionGroup 'Pages Write' -Ttl 0:00:03 -PagesProject app-site -LedgerPath $script:ledger -Confirm:$false
        $managed.Destinations | Should -Contain 'pages:app-site/production/PAGES_DEPLOY'
        (Get-CfPagesSecret -Project app-site).Name | Should -Contain 'PAGES_DEPLOY'
        Start-Sleep -Seconds 4
        Remove-CfExpiredManagedToken -LedgerPath $script:ledger -Confirm:$false
        (Get-CfPagesSecret -Project app-site).Name | Should -Not -Contain 'PAGES_DEPLOY'
    }

    It 'removes projects from the pipeline; a missing project is PagesProjectNotFound' {
        Get-CfPagesProject | Remove-CfPagesProject -Confirm:$false
        @(Get-CfPagesProject).Count | Should -Be 0
        Get-CfPagesProject -Name marketing-site -ErrorAction SilentlyContinue -ErrorVariable missing | Out-Null
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'PagesProjectNotFound,*'
    }
}
