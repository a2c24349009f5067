#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Publish-CfWorker as a user runs it in real pwsh, against the built emulator: a wrangler.toml with every binding kind,
# existing secrets kept, a byte-identical re-deploy, -VersionOnly, -Environment. Faults, the 29 refusals and the leak
# check run in process: tests/integration/Cmdlets/Workers/PublishCfWorker*.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:session = Connect-TestSession -Emulator $script:emulator
    $script:accountId = $script:session.AccountId

    # A Worker project as wrangler would deploy it: modules importing each other, and a config with every binding kind.
    $script:project = Join-Path ([IO.Path]::GetTempPath()) "cfm-publish-$([guid]::NewGuid().ToString('n'))"
    $null = New-Item -ItemType Directory -Path (Join-Path $script:project 'src/lib')
    Set-Content -LiteralPath (Join-Path $script:project 'src/index.js') -Value @'
import { greet } from "./lib/greet.js";
import banner from "./banner.txt";
export default { async fetch() { return new Response(greet() + banner); } };
'@
    Set-Content -LiteralPath (Join-Path $script:project 'src/lib/greet.js') -Value 'export function greet() { return "hello"; }'
    Set-Content -LiteralPath (Join-Path $script:project 'src/banner.txt') -Value 'shop'
    Set-Content -LiteralPath (Join-Path $script:project 'wrangler.toml') -Value @'
name = "pester-shop"
main = "src/index.js"
compatibility_date = "2025-01-01"
compatibility_flags = ["nodejs_compat"]

[vars]
API_URL = "https://api.example.com"
RETRIES = 3

[[kv_namespaces]]
binding = "CACHE"
id = "0123456789abcdef0123456789abcdef"

[[d1_databases]]
binding = "DB"
database_name = "shop"
database_id = "3f2a1c9e-1111-4000-8000-000000000001"

[[r2_buckets]]
binding = "ASSETS"
bucket_name = "shop-assets"

[[services]]
binding = "AUTH"
service = "auth-worker"

[[durable_objects.bindings]]
name = "CART"
class_name = "Cart"
script_name = "cart-worker"

[[queues.producers]]
binding = "ORDERS"
queue = "orders"

[[secrets_store_secrets]]
binding = "STRIPE_KEY"
store_id = "aaaabbbbccccddddeeeeffff00001111"
secret_name = "stripe-key"

[[analytics_engine_datasets]]
binding = "EVENTS"
dataset = "shop_events"

[[tail_consumers]]
service = "shop-tail"

[env.staging]
[[env.staging.kv_namespaces]]
binding = "CACHE"
id = "fedcba9876543210fedcba9876543210"
[env.staging.vars]
API_URL = "https://staging.example.com"
'@
    $script:config = Join-Path $script:project 'wrangler.toml'

    function Get-WorkerBinding([string] $Script) {
        <# name:type of the latest version's bindings, read from the emulator's API (not through the module). #>
        (Invoke-TestCloudflareApi -Emulator $script:emulator -Path "accounts/$($script:accountId)/workers/scripts/$Script/settings").bindings |
            ForEach-Object { "$($_.name):$($_.type)" } | Sort-Object
    }

    function Get-UploadRequest([string] $Script, [string] $Method = 'PUT') {
        $suffix = if ($Method -eq 'POST') { '/versions' } else { '' }
        @(Get-TestEmulatorRequest -Emulator $script:emulator | Where-Object { $_.method -eq $Method -and $_.path -like "*/workers/scripts/$Script$suffix" })
    }
}

AfterAll {
    Disconnect-CfAccount -Session $script:session -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item -LiteralPath $script:project -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Publish-CfWorker' {
    It 'deploys a wrangler.toml with every binding kind and keeps the secrets set before' {
        $first = Publish-CfWorker -Config $script:config -Session $script:session -WarningAction SilentlyContinue -ErrorAction Stop
        $first.Script | Should -Be 'pester-shop'
        $first.VersionOnly | Should -BeFalse
        $first.Modules.Name | Should -Be @('index.js', 'lib/greet.js', 'banner.txt')

        # A secret set as `wrangler secret put` does, then a re-deploy: the secret survives (keep_bindings).
        Invoke-TestCloudflareApi -Emulator $script:emulator -Method PUT -Path "accounts/$($script:accountId)/workers/scripts/pester-shop/secrets" `
            -Body @{ name = 'EXISTING'; text = 'kept-value'; type = 'secret_text' } | Out-Null
        $again = Publish-CfWorker -Config $script:config -Session $script:session -ErrorAction Stop
        $again.KeptBindingTypes | Should -Be @('secret_text', 'secret_key')

        Get-WorkerBinding 'pester-shop' | Should -Be @(
            'API_URL:plain_text', 'ASSETS:r2_bucket', 'AUTH:service', 'CACHE:kv_namespace', 'CART:durable_object_namespace', 'DB:d1',
            'EVENTS:analytics_engine', 'EXISTING:secret_text', 'ORDERS:queue', 'RETRIES:json', 'STRIPE_KEY:secrets_store_secret')
        $settings = Invoke-TestCloudflareApi -Emulator $script:emulator -Path "accounts/$($script:accountId)/workers/scripts/pester-shop/script-settings"
        $settings.tail_consumers.service | Should -Be 'shop-tail'
    }

    It 'sends a byte-identical body when the same project is deployed again' {
        Publish-CfWorker -Config $script:config -Session $script:session -ErrorAction Stop | Out-Null
        Publish-CfWorker -Config $script:config -Session $script:session -ErrorAction Stop | Out-Null
        $puts = Get-UploadRequest 'pester-shop'
        $puts.Count | Should -BeGreaterOrEqual 2
        $puts[-1].body | Should -BeExactly $puts[-2].body
        $puts[-1].query | Should -Match 'excludeScript=true'
    }

    It 'shows the table view with script, modules and bindings' {
        $text = Publish-CfWorker -Config $script:config -Session $script:session -ErrorAction Stop | Format-Table | Out-String -Width 250
        $text | Should -Match 'pester-shop'
        $text | Should -Match 'index\.js, lib/greet\.js'
        $text | Should -Match 'CACHE \(kv_namespace\)'
    }

    It '-VersionOnly uploads a version and leaves the deployment unchanged' {
        $path = "accounts/$($script:accountId)/workers/scripts/pester-shop"
        $before = Invoke-TestCloudflareApi -Emulator $script:emulator -Path "$path/deployments" | ConvertTo-Json -Depth 10

        $version = Publish-CfWorker -Config $script:config -Session $script:session -VersionOnly -Message 'canary' -Tag 'abc123' -ErrorAction Stop
        $version.VersionOnly | Should -BeTrue
        $version.VersionId | Should -Not -BeNullOrEmpty

        Invoke-TestCloudflareApi -Emulator $script:emulator -Path "$path/deployments" | ConvertTo-Json -Depth 10 | Should -BeExactly $before
        $newest = (Invoke-TestCloudflareApi -Emulator $script:emulator -Path "$path/versions").items[0]
        $newest.id | Should -Be $version.VersionId
        $newest.annotations.'workers/message' | Should -Be 'canary'
        (Get-UploadRequest 'pester-shop' -Method POST).Count | Should -Be 1
    }

    It '-Environment deploys the NAME-ENV script with only the environment''s bindings' {
        $staging = Publish-CfWorker -Config $script:config -Environment staging -Session $script:session -ErrorAction Stop
        $staging.Script | Should -Be 'pester-shop-staging'
        $staging.Environment | Should -Be 'staging'
        Get-WorkerBinding 'pester-shop-staging' | Should -Be @('API_URL:plain_text', 'CACHE:kv_namespace')
    }

    It 'completes -Environment from the config' {
        $line = "Publish-CfWorker -Config '$($script:config)' -Environment "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('staging')
    }

    It 'refuses an unknown environment before sending anything' {
        $count = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
        { Publish-CfWorker -Config $script:config -Environment prod -Session $script:session -ErrorAction Stop } |
            Should -Throw -ErrorId 'WorkerEnvironmentNotFound,CfManagement.Commands.Workers.PublishCfWorkerCommand'
        @(Get-TestEmulatorRequest -Emulator $script:emulator).Count | Should -Be $count
    }

    It '-WhatIf lists names, sizes and binding types and sends nothing' {
        $count = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
        # The What-if line goes to the host, so it is read from a child pwsh's console, as a user would see it.
        $result = Invoke-ChildPowerShell -Command @"
Import-Module '$(Get-TestModuleManifest)'
`$token = ConvertTo-SecureString -String '$(Get-PlainText $script:emulator.Token)' -AsPlainText -Force
Connect-CfAccount -ApiToken `$token -ApiBaseUri '$($script:emulator.BaseUri)' | Out-Null
`$secret = ConvertTo-SecureString -String 'whatif-secret-value' -AsPlainText -Force
Publish-CfWorker -Name whatif-shop -Main '$(Join-Path $script:project 'src/index.js')' -CompatibilityDate 2025-01-01 -Var @{ TOKEN = `$secret } -WhatIf -Verbose
"@
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Match 'What if: .*Upload and deploy.*whatif-shop'
        $result.Output | Should -Match 'TOKEN \(secret_text\)'
        $result.Output | Should -Match 'index\.js \(application/javascript\+module, \d+ B\)'
        $result.Output | Should -Not -Match 'whatif-secret-value'
        # Connect-CfAccount verified the token (one request); the upload sent nothing.
        @(Get-TestEmulatorRequest -Emulator $script:emulator | Select-Object -Skip $count | Where-Object path -like '*/workers/*').Count | Should -Be 0
    }
}
