#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Real wrangler (npm, pinned by tools/Install-Wrangler.ps1) against the emulator, as a user rehearses CI offline
# (README, "Rehearse CI offline with wrangler"): CLOUDFLARE_API_BASE_URL, CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID.
# Each test runs one wrangler command and checks its exit code and output AND what the emulator then holds (through
# its API with the admin token) or was asked (its request log). wrangler needs Node >= 22.12: build.ps1 installs both
# once into a cache outside the repository and passes CFM_WRANGLER_HOME; without them every test is skipped and says
# why. wrangler is kept off the internet: no metrics, no error reports, no banner (whose update check asks npm), an
# update-check cache that says "up to date" for the error paths that ask anyway, and CI=true (never prompts).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force

    function Set-WranglerUpdateCheckCache {
        # wrangler's update check (src/update-check.ts) trusts $TMPDIR/update-check/wrangler-latest.json for an hour.
        $cache = @{ latest = $script:wrangler.WranglerVersion; lastUpdate = [DateTimeOffset]::UtcNow.ToUnixTimeMilliseconds() } | ConvertTo-Json -Compress
        Set-Content -Path (Join-Path $script:tmp 'update-check/wrangler-latest.json') -Value $cache -NoNewline
    }

    function New-WranglerProject {
        <# A folder with wrangler.toml for -Name and an ES module that imports a second module (uploaded as is with --no-bundle). #>
        param([Parameter(Mandatory)] [string] $Name, [string] $Extra = '')
        $folder = Join-Path $script:work "project-$Name-$([guid]::NewGuid().ToString('n').Substring(0, 6))"
        $null = New-Item -ItemType Directory -Force -Path (Join-Path $folder 'src')
        Set-Content -Path (Join-Path $folder 'wrangler.toml') -Value @"
name = "$Name"
main = "src/index.js"
compatibility_date = "2025-01-01"
$Extra
"@
        Set-Content -Path (Join-Path $folder 'src/index.js') -Value "import { greet } from './greet.js';`nexport default { async fetch() { return new Response(greet()); } };"
        Set-Content -Path (Join-Path $folder 'src/greet.js') -Value "export function greet() { return 'hello from $Name'; }"
        $folder
    }

    function Invoke-Wrangler {
        <#
        .SYNOPSIS
            Runs wrangler with the emulator's environment (and nothing of the caller's Cloudflare settings) in -Folder,
            -InputText on stdin; returns ExitCode, Output (stdout and stderr) and the seconds it took.
        #>
        param([Parameter(Mandatory)] [string[]] $Arguments, [string] $Folder = $script:work, [string] $InputText, [int] $TimeoutSeconds = 180)
        Set-WranglerUpdateCheckCache
        $info = [Diagnostics.ProcessStartInfo]::new($script:wrangler.NodePath)
        $info.ArgumentList.Add($script:wrangler.WranglerScript)
        foreach ($argument in $Arguments) { $info.ArgumentList.Add($argument) }
        $info.WorkingDirectory = $Folder
        $info.UseShellExecute = $false
        $info.RedirectStandardInput = $true
        $info.RedirectStandardOutput = $true
        $info.RedirectStandardError = $true
        foreach ($name in @($info.Environment.Keys)) {
            if ($name -like 'CLOUDFLARE_*' -or $name -like 'WRANGLER_*' -or $name -like 'CF_*' -or $name -eq 'NODE_OPTIONS') { $null = $info.Environment.Remove($name) }
        }
        $environment = @{
            CLOUDFLARE_API_BASE_URL      = $script:emulator.BaseUri.TrimEnd('/')
            CLOUDFLARE_API_TOKEN         = Get-PlainText $script:emulator.Token
            CLOUDFLARE_ACCOUNT_ID        = $script:accountId
            WRANGLER_SEND_METRICS        = 'false'
            WRANGLER_SEND_ERROR_REPORTS  = 'false'
            WRANGLER_HIDE_BANNER         = 'true'
            WRANGLER_LOG_PATH            = Join-Path $script:work 'logs'
            CI                           = 'true'
            DO_NOT_TRACK                 = '1'
            NO_COLOR                     = '1'
            FORCE_COLOR                  = '0'
            TMPDIR                       = $script:tmp
            XDG_CONFIG_HOME              = Join-Path $script:work 'config'
        }
        foreach ($name in $environment.Keys) { $info.Environment[$name] = $environment[$name] }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $process = [Diagnostics.Process]::Start($info)
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if ($InputText) { $process.StandardInput.Write($InputText) }
        $process.StandardInput.Close()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            throw "wrangler $($Arguments -join ' ') did not finish within $TimeoutSeconds s"
        }
        $process.WaitForExit()
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = $stdout.Result + $stderr.Result
            StdOut   = $stdout.Result
            Seconds  = [math]::Round($clock.Elapsed.TotalSeconds, 1)
        }
    }

    function Get-ScriptSecretName([string] $Script) {
        @(Invoke-TestCloudflareApi -Emulator $script:emulator -Path "accounts/$script:accountId/workers/scripts/$Script/secrets" | ForEach-Object name)
    }

    function Get-RequestLine([int] $Skip) {
        @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $Skip | ForEach-Object { "$($_.method) $($_.path -replace '^/client/v4', '')$($_.query)" })
    }

    function Assert-WranglerSucceeded($Run) {
        $Run.ExitCode | Should -Be 0 -Because "wrangler should succeed; it printed:`n$($Run.Output)"
    }

    function Skip-WithoutWrangler {
        <# Called first in every It: without Node >= 22.12 and wrangler the test is skipped, with the reason. #>
        if (-not $script:wrangler) { Set-ItResult -Skipped -Because $script:whyNot }
    }

    $script:wrangler = $null
    $script:whyNot = $null
    try {
        if ($env:CFM_WRANGLER_SKIP_REASON) { throw $env:CFM_WRANGLER_SKIP_REASON }
        $script:wrangler = & (Join-Path (Get-TestRepoRoot) 'tools/Install-Wrangler.ps1') -NoInstall
    }
    catch {
        $script:whyNot = "wrangler is not available: $($_.Exception.Message)"
    }
    if (-not $script:wrangler) { return }

    $script:emulator = Start-TestEmulator
    $script:accountId = @(Invoke-TestCloudflareApi -Emulator $script:emulator -Path accounts)[0].id
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "cf-wrangler-$([guid]::NewGuid().ToString('n'))"
    $script:tmp = Join-Path $script:work 'tmp'
    $null = New-Item -ItemType Directory -Force -Path (Join-Path $script:tmp 'update-check'), (Join-Path $script:work 'config'), (Join-Path $script:work 'logs')
}

AfterAll {
    if ($script:wrangler) {
        $script:emulator | Stop-TestEmulator
        Remove-Item -Recurse -Force $script:work -ErrorAction SilentlyContinue
    }
}

Describe 'wrangler against the emulator' {
    Context 'whoami' {
        It 'names the user and the account, reading /memberships' {
            Skip-WithoutWrangler
            $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
            $run = Invoke-Wrangler -Arguments 'whoami', '--account', $script:accountId
            Assert-WranglerSucceeded $run
            $run.Output | Should -Match 'User API Token, associated with the email admin@example\.com'
            $run.Output | Should -Match "Demo Account\s*│\s*$script:accountId"
            $run.Output | Should -Match 'Membership roles in "Demo Account"'
            $run.Output | Should -Match 'Super Administrator - All Privileges'
            $requests = Get-RequestLine $before
            $requests | Should -Contain 'GET /memberships?page=1'
            $requests | Should -Contain 'GET /accounts?page=1'
        }
    }

    Context 'secret put|list|bulk|delete on a deployed Worker' {
        BeforeAll {
            if ($script:wrangler) { Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path reset | Out-Null }
        }

        It 'secret put reads the value from stdin and stores it' {
            Skip-WithoutWrangler
            $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
            $run = Invoke-Wrangler -Arguments 'secret', 'put', 'API_KEY', '--name', 'api-worker' -InputText 'wrangler-put-value'
            $requests = Get-RequestLine $before
            Assert-WranglerSucceeded $run
            $run.Output | Should -Match 'Success! Uploaded secret API_KEY'
            $run.Output | Should -Not -Match 'wrangler-put-value'
            Get-ScriptSecretName 'api-worker' | Should -Contain 'API_KEY'
            $requests | Should -Be @("PUT /accounts/$script:accountId/workers/scripts/api-worker/secrets")
        }

        It 'secret bulk sends a JSON file in one secrets-bulk request' {
            Skip-WithoutWrangler
            $file = Join-Path $script:work 'bulk.json'
            Set-Content -Path $file -Value (@{ BULK_ONE = 'one-value'; BULK_TWO = 'two-value' } | ConvertTo-Json)
            $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
            $run = Invoke-Wrangler -Arguments 'secret', 'bulk', $file, '--name', 'api-worker'
            $requests = Get-RequestLine $before
            Assert-WranglerSucceeded $run
            $run.Output | Should -Match '2 secrets successfully created'
            $names = Get-ScriptSecretName 'api-worker'
            $names | Should -Contain 'BULK_ONE'
            $names | Should -Contain 'BULK_TWO'
            $names | Should -Contain 'API_KEY'   # a merge patch: the secret put before survives
            $requests | Should -Be @("PATCH /accounts/$script:accountId/workers/scripts/api-worker/secrets-bulk")
        }

        It 'secret bulk reads a .env file' {
            Skip-WithoutWrangler
            $file = Join-Path $script:work 'bulk.env'
            Set-Content -Path $file -Value "# CI secrets`nENV_ONE=first`nexport ENV_TWO=`"second value`""
            $run = Invoke-Wrangler -Arguments 'secret', 'bulk', $file, '--name', 'api-worker'
            Assert-WranglerSucceeded $run
            $names = Get-ScriptSecretName 'api-worker'
            $names | Should -Contain 'ENV_ONE'
            $names | Should -Contain 'ENV_TWO'
        }

        It 'secret list prints every name and no value' {
            Skip-WithoutWrangler
            $run = Invoke-Wrangler -Arguments 'secret', 'list', '--name', 'api-worker', '--format', 'json'
            Assert-WranglerSucceeded $run
            $listed = $run.StdOut | ConvertFrom-Json
            @($listed.name | Sort-Object) | Should -Be @('API_KEY', 'BULK_ONE', 'BULK_TWO', 'ENV_ONE', 'ENV_TWO')
            @($listed.type | Sort-Object -Unique) | Should -Be @('secret_text')
            $run.Output | Should -Not -Match 'one-value|two-value|wrangler-put-value'
        }

        It 'secret delete removes one secret (url-encoded name) without prompting' {
            Skip-WithoutWrangler
            $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
            $run = Invoke-Wrangler -Arguments 'secret', 'delete', 'BULK_ONE', '--name', 'api-worker'
            $requests = Get-RequestLine $before
            Assert-WranglerSucceeded $run
            $run.Output | Should -Match 'Success! Deleted secret BULK_ONE'
            Get-ScriptSecretName 'api-worker' | Should -Not -Contain 'BULK_ONE'
            $requests | Should -Be @("DELETE /accounts/$script:accountId/workers/scripts/api-worker/secrets/BULK_ONE?url_encoded=true")
        }
    }

    Context 'pages secret put|list' {
        BeforeAll {
            if ($script:wrangler) {
                Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path reset | Out-Null
                Invoke-TestCloudflareApi -Emulator $script:emulator -Method POST -Path "accounts/$script:accountId/pages/projects" -Body @{
                    name = 'docs-site'; production_branch = 'main'
                    deployment_configs = @{ production = @{ env_vars = @{ PUBLIC_URL = @{ type = 'plain_text'; value = 'https://docs.example.com' } } } }
                } | Out-Null
            }
        }

        It 'pages secret put adds a secret_text variable to one environment and keeps the others' {
            Skip-WithoutWrangler
            $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
            $run = Invoke-Wrangler -Arguments 'pages', 'secret', 'put', 'DEPLOY_HOOK', '--project-name', 'docs-site', '--env', 'preview' -InputText 'pages-hook-value'
            $requests = Get-RequestLine $before
            Assert-WranglerSucceeded $run
            $run.Output | Should -Match 'Success! Uploaded secret DEPLOY_HOOK'
            $project = Invoke-TestCloudflareApi -Emulator $script:emulator -Path "accounts/$script:accountId/pages/projects/docs-site"
            $project.deployment_configs.preview.env_vars.DEPLOY_HOOK.type | Should -Be 'secret_text'
            $project.deployment_configs.preview.env_vars.DEPLOY_HOOK.value | Should -BeNullOrEmpty   # stored, never returned
            $project.deployment_configs.production.env_vars.PUBLIC_URL.value | Should -Be 'https://docs.example.com'
            $project.deployment_configs.production.env_vars.PSObject.Properties.Name | Should -Not -Contain 'DEPLOY_HOOK'
            $requests | Should -Be @("GET /accounts/$script:accountId/pages/projects/docs-site", "PATCH /accounts/$script:accountId/pages/projects/docs-site")
        }

        It 'pages secret list shows the secret names of the environment, not plain variables' {
            Skip-WithoutWrangler
            $run = Invoke-Wrangler -Arguments 'pages', 'secret', 'list', '--project-name', 'docs-site', '--env', 'preview'
            Assert-WranglerSucceeded $run
            $run.Output | Should -Match '- DEPLOY_HOOK: Value Encrypted'
            $run.Output | Should -Not -Match 'pages-hook-value|PUBLIC_URL'
        }

        It 'pages secret put on a project that does not exist fails with wrangler''s message' {
            Skip-WithoutWrangler
            $run = Invoke-Wrangler -Arguments 'pages', 'secret', 'put', 'X', '--project-name', 'no-such-site' -InputText 'x'
            $run.ExitCode | Should -Not -Be 0
            $run.Output | Should -Match 'Project "no-such-site" does not exist'
        }
    }
}
