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
# --no-bundle uploads main as is; these make wrangler attach the module it imports (greet.js) too.
find_additional_modules = true
$Extra

[vars]
GREETING = "hello"

[[rules]]
type = "ESModule"
globs = ["**/*.js"]
fallthrough = true
"@
        Set-Content -Path (Join-Path $folder 'src/index.js') -Value "import { greet } from './greet.js';`nexport default { async fetch() { return new Response(greet()); } };"
        Set-Content -Path (Join-Path $folder 'src/greet.js') -Value "export function greet() { return 'hello from $Name'; }"
        $folder
    }

    function New-WranglerStartInfo {
        <# wrangler with -Arguments in -Folder, with the emulator's environment and nothing of the caller's Cloudflare settings. #>
        param([Parameter(Mandatory)] [string[]] $Arguments, [string] $Folder = $script:work)
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
        $info
    }

    function Invoke-Wrangler {
        <#
        .SYNOPSIS
            Runs wrangler with the emulator's environment (and nothing of the caller's Cloudflare settings) in -Folder,
            -InputText on stdin; returns ExitCode, Output (stdout and stderr) and the seconds it took.
        #>
        param([Parameter(Mandatory)] [string[]] $Arguments, [string] $Folder = $script:work, [string] $InputText, [int] $TimeoutSeconds = 180)
        $info = New-WranglerStartInfo -Arguments $Arguments -Folder $Folder
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
        # wrangler colours its errors even when not on a terminal; a user reads the text without the escapes.
        $plain = { param($text) $text -replace '\x1b\[[0-9;]*[A-Za-z]', '' }
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            Output   = & $plain ($stdout.Result + $stderr.Result)
            StdOut   = & $plain $stdout.Result
            Seconds  = [math]::Round($clock.Elapsed.TotalSeconds, 1)
        }
    }

    function Get-ScriptSecretName([string] $Script) {
        @(Invoke-TestCloudflareApi -Emulator $script:emulator -Path "accounts/$script:accountId/workers/scripts/$Script/secrets" | ForEach-Object name)
    }

    function Get-RequestLine([int] $Skip) {
        @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $Skip | ForEach-Object { "$($_.method) $($_.path -replace '^/client/v4', '')$($_.query)" })
    }

    function Get-WorkerApi([string] $Path) {
        Invoke-TestCloudflareApi -Emulator $script:emulator -Path "accounts/$script:accountId/workers/$Path"
    }

    function Get-VersionId([string] $Text, [string] $After) {
        <# The version id wrangler printed after -After (e.g. 'Current Version ID:'). #>
        if ($Text -match "$([regex]::Escape($After))\s*([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})") { return $Matches[1] }
        throw "No version id after '$After' in:`n$Text"
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

    Context 'deploy --no-bundle, secret on a deployed Worker, versions upload|list|deploy, versions secret put|bulk|delete|list, deployments list' {
        BeforeAll {
            if ($script:wrangler) {
                Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path reset | Out-Null
                $script:project = New-WranglerProject -Name 'ci-worker'
            }
        }

        It 'deploy --no-bundle creates the Worker: both modules, the var, deployed at 100%, on workers.dev' {
            Skip-WithoutWrangler
            $run = Invoke-Wrangler -Arguments 'deploy', '--no-bundle' -Folder $script:project
            Assert-WranglerSucceeded $run
            $run.Output | Should -Match 'Uploaded ci-worker'
            $run.Output | Should -Match 'https://ci-worker\.[a-z0-9-]+\.workers\.dev'
            $script:deployed = Get-VersionId $run.Output 'Current Version ID:'
            $versions = @((Get-WorkerApi 'scripts/ci-worker/versions').items)
            $versions.id | Should -Be @($script:deployed)
            $detail = Get-WorkerApi "scripts/ci-worker/versions/$script:deployed"
            $detail.resources.bindings | Where-Object name -eq 'GREETING' | ForEach-Object type | Should -Be 'plain_text'
            $deployments = @((Get-WorkerApi 'scripts/ci-worker/deployments').deployments)
            $deployments[0].versions[0].version_id | Should -Be $script:deployed
            $deployments[0].versions[0].percentage | Should -Be 100
            (Get-WorkerApi 'scripts/ci-worker/subdomain').enabled | Should -BeTrue
            # A new Worker is uploaded whole (PUT scripts/ci-worker); the log keeps each module part's name and size.
            $modules = (Get-TestEmulatorRequest -Emulator $script:emulator | Where-Object { $_.path -like '*/scripts/ci-worker*' -and $_.body -like '*"multipart"*' } | Select-Object -Last 1).body
            $modules | Should -Match '"name":"index\.js"'
            $modules | Should -Match '"name":"greet\.js"'
        }

        It 'secret put on the deployed Worker adds the secret to a new deployed version' {
            Skip-WithoutWrangler
            $run = Invoke-Wrangler -Arguments 'secret', 'put', 'DB_PASSWORD' -Folder $script:project -InputText 'db-secret-value'
            Assert-WranglerSucceeded $run
            Get-ScriptSecretName 'ci-worker' | Should -Be @('DB_PASSWORD')
            $script:deployed = @((Get-WorkerApi 'scripts/ci-worker/deployments').deployments)[0].versions[0].version_id
        }

        It 'versions upload makes a version that keeps the secret and serves no traffic' {
            Skip-WithoutWrangler
            $run = Invoke-Wrangler -Arguments 'versions', 'upload', '--no-bundle', '--message', 'second upload' -Folder $script:project
            Assert-WranglerSucceeded $run
            $script:uploaded = Get-VersionId $run.Output 'Worker Version ID:'
            $detail = Get-WorkerApi "scripts/ci-worker/versions/$script:uploaded"
            $detail.annotations.'workers/message' | Should -Be 'second upload'
            @($detail.resources.bindings | Where-Object type -eq 'secret_text').name | Should -Be @('DB_PASSWORD')
            @((Get-WorkerApi 'scripts/ci-worker/deployments').deployments)[0].versions[0].version_id | Should -Be $script:deployed
        }

        It 'versions list shows every version' {
            Skip-WithoutWrangler
            $run = Invoke-Wrangler -Arguments 'versions', 'list', '--json' -Folder $script:project
            Assert-WranglerSucceeded $run
            $listed = @(($run.StdOut | ConvertFrom-Json).id)
            $listed | Should -Contain $script:deployed
            $listed | Should -Contain $script:uploaded
            $listed.Count | Should -Be @((Get-WorkerApi 'scripts/ci-worker/versions').items).Count
        }

        It 'versions secret put, bulk and delete each make a version from the latest, deploying none' {
            Skip-WithoutWrangler
            $put = Invoke-Wrangler -Arguments 'versions', 'secret', 'put', 'API_TOKEN' -Folder $script:project -InputText 'versioned-value'
            Assert-WranglerSucceeded $put
            $afterPut = Get-VersionId $put.Output 'Created version'
            $file = Join-Path $script:work 'versions-bulk.json'
            Set-Content -Path $file -Value (@{ FEATURE_KEY = 'feature-value'; OTHER_KEY = 'other-value' } | ConvertTo-Json)
            $bulk = Invoke-Wrangler -Arguments 'versions', 'secret', 'bulk', $file -Folder $script:project
            Assert-WranglerSucceeded $bulk
            $delete = Invoke-Wrangler -Arguments 'versions', 'secret', 'delete', 'OTHER_KEY' -Folder $script:project
            Assert-WranglerSucceeded $delete
            $script:secretVersion = Get-VersionId $delete.Output 'Created version'
            $secrets = @((Get-WorkerApi "scripts/ci-worker/versions/$script:secretVersion").resources.bindings | Where-Object type -eq 'secret_text' | ForEach-Object name | Sort-Object)
            $secrets | Should -Be @('API_TOKEN', 'DB_PASSWORD', 'FEATURE_KEY')
            @((Get-WorkerApi "scripts/ci-worker/versions/$afterPut").resources.bindings | Where-Object type -eq 'secret_text' | ForEach-Object name | Sort-Object) | Should -Be @('API_TOKEN', 'DB_PASSWORD')
            # The uploaded modules and the var are carried over from the latest version.
            (Get-WorkerApi "scripts/ci-worker/versions/$script:secretVersion").resources.bindings | Where-Object name -eq 'GREETING' | Should -Not -BeNullOrEmpty
            @((Get-WorkerApi 'scripts/ci-worker/deployments').deployments)[0].versions[0].version_id | Should -Be $script:deployed
        }

        It 'versions deploy VERSION@100% rolls the new version out, and deployments list shows it' {
            Skip-WithoutWrangler
            $run = Invoke-Wrangler -Arguments 'versions', 'deploy', "$script:secretVersion@100%", '--yes', '--message', 'roll out secrets' -Folder $script:project
            Assert-WranglerSucceeded $run
            $latest = @((Get-WorkerApi 'scripts/ci-worker/deployments').deployments)[0]
            $latest.versions[0].version_id | Should -Be $script:secretVersion
            $latest.versions[0].percentage | Should -Be 100
            $latest.annotations.'workers/message' | Should -Be 'roll out secrets'
            $list = Invoke-Wrangler -Arguments 'deployments', 'list' -Folder $script:project
            Assert-WranglerSucceeded $list
            $list.Output | Should -Match "\(100%\) $script:secretVersion"
            $list.Output | Should -Match 'roll out secrets'
        }

        It 'versions secret list names the secrets of the deployed version, no values' {
            Skip-WithoutWrangler
            $run = Invoke-Wrangler -Arguments 'versions', 'secret', 'list' -Folder $script:project
            Assert-WranglerSucceeded $run
            $run.Output | Should -Match "Version $script:secretVersion \(100%\) secrets"
            foreach ($name in 'API_TOKEN', 'DB_PASSWORD', 'FEATURE_KEY') { $run.Output | Should -Match "Secret Name: $name" }
            $run.Output | Should -Not -Match 'OTHER_KEY|versioned-value|feature-value|db-secret-value'
        }

        It 'secret put during a gradual deployment is refused (10215) with wrangler''s advice to use versions secret put' {
            Skip-WithoutWrangler
            # A version newer than the secret changes (an older one would be refused as a rollback, 10220), then 50/50.
            $upload = Invoke-Wrangler -Arguments 'versions', 'upload', '--no-bundle' -Folder $script:project
            Assert-WranglerSucceeded $upload
            $newer = Get-VersionId $upload.Output 'Worker Version ID:'
            $split = Invoke-Wrangler -Arguments 'versions', 'deploy', "$script:secretVersion@50%", "$newer@50%", '--yes' -Folder $script:project
            Assert-WranglerSucceeded $split
            @((Get-WorkerApi 'scripts/ci-worker/deployments').deployments)[0].versions.percentage | Should -Be @(50, 50)
            $run = Invoke-Wrangler -Arguments 'secret', 'put', 'LATE_SECRET' -Folder $script:project -InputText 'late-value'
            $run.ExitCode | Should -Not -Be 0
            $run.Output | Should -Match 'wrangler versions secret put'
            Get-ScriptSecretName 'ci-worker' | Should -Not -Contain 'LATE_SECRET'
        }
    }
}

# wrangler tail: a long-running command, so it runs in the background while the emulator feeds its tail and its stdout
# is read line by line; Ctrl+C is SIGINT, as a terminal sends it. wrangler creates the tail with
# POST .../tails {"filters":[...]} (its src/tail/filters.ts), opens the returned url with subprotocol trace-v1, sends
# {"debug":false} (unmasked: the emulator accepts it, as Cloudflare does), pings every 10 s and, on SIGINT or SIGTERM,
# deletes the tail. Start-CfTail must send the same body for the same options.
Describe 'wrangler tail against the emulator' {
    BeforeAll {
        function Start-WranglerTail {
            <# wrangler tail api-worker with -Arguments, running; its stdout lines are collected by Receive-WranglerLine. #>
            param([string[]] $Arguments = @())
            $process = [Diagnostics.Process]::Start((New-WranglerStartInfo -Arguments (@('tail', 'api-worker') + $Arguments)))
            $process.StandardInput.Close()
            [pscustomobject]@{
                Process = $process
                Lines   = [Collections.Generic.List[string]]::new()
                Reading = $null
                Errors  = $process.StandardError.ReadToEndAsync()
            }
        }

        function Receive-WranglerLine {
            <# Collects wrangler's stdout lines until -Until (given the lines) holds, the output ends, or -Seconds pass (throws). #>
            param([Parameter(Mandatory)] $Tail, [Parameter(Mandatory)] [scriptblock] $Until, [double] $Seconds = 60)
            $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
            while (-not (& $Until $Tail.Lines)) {
                if ([DateTime]::UtcNow -gt $deadline) {
                    throw "wrangler tail did not print what was expected within $Seconds s. stdout:`n$($Tail.Lines -join "`n")"
                }
                if ($null -eq $Tail.Reading) { $Tail.Reading = $Tail.Process.StandardOutput.ReadLineAsync() }
                if (-not $Tail.Reading.Wait(50)) { continue }
                $line = $Tail.Reading.Result
                $Tail.Reading = $null
                if ($null -eq $line) { throw "wrangler tail ended (exit $($Tail.Process.ExitCode)): $($Tail.Lines -join "`n") $($Tail.Errors.Result)" }
                $Tail.Lines.Add(($line -replace '\x1b\[[0-9;]*[A-Za-z]', ''))
            }
        }

        function Stop-WranglerTail {
            <#
            Ends wrangler with -Signal and returns its exit code. INT is Ctrl+C: bin/wrangler.js passes it on to the
            wrangler process it spawned. KILL gives no chance to clean up; it goes to that whole process tree, as a
            killed terminal session would (SIGKILL to the launcher alone leaves the real wrangler running, orphaned).
            #>
            param([Parameter(Mandatory)] $Tail, [ValidateSet('INT', 'KILL')] [string] $Signal = 'INT')
            if ($Signal -eq 'KILL') { $Tail.Process.Kill($true) }
            elseif (-not $Tail.Process.HasExited) { & kill "-$Signal" $Tail.Process.Id }
            if (-not $Tail.Process.WaitForExit(15000)) { $Tail.Process.Kill($true); throw "wrangler tail did not exit within 15 s of SIG$Signal" }
            $Tail.Process.WaitForExit()
            if (-not $Tail.Errors.Wait(10000)) { throw 'wrangler tail''s stderr stayed open 10 s after it exited' }
            $Tail.Process.ExitCode
        }

        function Wait-WranglerTailConnected {
            <# The emulator's view of the one tail wrangler made, once its socket is open and wrangler's first message
               ({"debug": ...}) is read: the socket counts as connected before that, with debug still null. #>
            param([Parameter(Mandatory)] $Tail)
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ($true) {
                $open = @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path tails).result | Where-Object { $_.target -eq 'api-worker' -and $_.connected -and $null -ne $_.debug })
                if ($open.Count -eq 1) { return $open[0] }
                if ($Tail.Process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                    throw "wrangler tail did not connect (exited: $($Tail.Process.HasExited)): $($Tail.Lines -join "`n") $(if ($Tail.Process.HasExited) { $Tail.Errors.Result })"
                }
                Start-Sleep -Milliseconds 100
            }
        }

        function Get-TailCreateBody([int] $Skip) {
            <# The filters of every tail created since request -Skip, as compact JSON. #>
            @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $Skip |
                Where-Object { $_.method -eq 'POST' -and $_.path -like '*/workers/scripts/api-worker/tails' } |
                ForEach-Object { $(if ($_.body -is [string]) { $_.body | ConvertFrom-Json } else { $_.body }) | ConvertTo-Json -Depth 10 -Compress })
        }

        function Get-StartCfTailBody {
            <# The create body Start-CfTail sends with -Parameters (it runs one second and deletes its tail). #>
            param([hashtable] $Parameters = @{})
            $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
            $null = Start-CfTail -Script api-worker -Duration ([timespan]::FromSeconds(1)) @Parameters
            @(Get-TailCreateBody $before)
        }

        function Get-Seq($Event) { [long]$Event.logs[0].message[1].seq }

        if (-not $script:wrangler) { return }
        Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path reset | Out-Null
        Import-Module (Get-TestModuleManifest) -Force
        $null = Connect-TestSession -Emulator $script:emulator
    }

    AfterEach {
        if ($script:wrangler) {
            Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path tails/stop-generating | Out-Null
            if ($script:tail -and -not $script:tail.Process.HasExited) { $script:tail.Process.Kill($true); $script:tail.Process.WaitForExit() }
            foreach ($left in @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path tails).result)) {
                Invoke-TestCloudflareApi -Emulator $script:emulator -Method DELETE -Path "accounts/$script:accountId/workers/scripts/$($left.target)/tails/$($left.id)" | Out-Null
            }
        }
    }

    AfterAll {
        if ($script:wrangler) { Disconnect-CfAccount -ErrorAction SilentlyContinue }
    }

    It '--format json prints every generated event as JSON, and Ctrl+C deletes its tail' {
        Skip-WithoutWrangler
        if ($IsWindows) { Set-ItResult -Skipped -Because 'Ctrl+C is sent as SIGINT' }
        $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
        $script:tail = Start-WranglerTail -Arguments '--format', 'json'
        $emulatorTail = Wait-WranglerTailConnected $script:tail
        $emulatorTail.debug | Should -BeExactly $false -Because 'wrangler opens with {"debug":false}'

        $from = (Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path tails/generate -Body @{ target = 'api-worker'; count = 21 }).result.from
        # One event is one JSON.stringify(event, null, 4): its closing brace alone at the start of a line.
        Receive-WranglerLine $script:tail -Seconds 30 -Until { param($lines) @($lines -eq '}').Count -ge 21 }
        $exit = Stop-WranglerTail $script:tail -Signal INT

        $exit | Should -Be 0 -Because "wrangler stops cleanly on Ctrl+C: $($script:tail.Errors.Result)"
        $documents = ($script:tail.Lines -join "`n") -split '(?m)(?<=^\})\n' | Where-Object { $_.Trim() }
        $events = @($documents | ForEach-Object { $_ | ConvertFrom-Json })
        $events.Count | Should -Be 21
        @($events | ForEach-Object { Get-Seq $_ }) | Should -Be @($from..($from + 20))
        $events.scriptName | Select-Object -Unique | Should -Be 'api-worker'
        @($events.outcome | Sort-Object -Unique) | Should -Be @('exception', 'ok')
        @($events | Where-Object { $_.event.request }).Count | Should -Be 9   # kinds rotate fetch x3, scheduled, queue, alarm, email
        @($events | Where-Object { $_.event.cron }).Count | Should -Be 3

        @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path tails).result) | Should -BeNullOrEmpty -Because 'wrangler deletes its tail on Ctrl+C'
        $requests = Get-RequestLine $before
        $requests | Should -Contain "DELETE /accounts/$script:accountId/workers/scripts/api-worker/tails/$($emulatorTail.id)"
        Get-TailCreateBody $before | Should -Be @('{"filters":[]}')
        Get-StartCfTailBody | Should -Be @('{"filters":[]}') -Because 'Start-CfTail without filters sends what wrangler sends'
    }

    It '--format pretty with --status --method --header --search --ip --sampling-rate prints only the matching requests, sends the filters Start-CfTail sends, and leaves its tail when killed' {
        Skip-WithoutWrangler
        if ($IsWindows) { Set-ItResult -Skipped -Because 'the kill is sent as SIGKILL' }
        $before = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count
        $script:tail = Start-WranglerTail -Arguments '--format', 'pretty', '--status', 'error', '--method', 'GET', '--header', 'accept: application/json',
            '--search', 'request', '--ip', '198.51.100.23', '--sampling-rate', '0.5'
        $emulatorTail = Wait-WranglerTailConnected $script:tail
        Receive-WranglerLine $script:tail -Seconds 10 -Until { param($lines) $lines -match 'Connected to api-worker, waiting for logs' }

        $wranglerBody = Get-TailCreateBody $before
        $wranglerBody | Should -Be @('{"filters":[{"sampling_rate":0.5},{"outcome":["exception","exceededCpu","exceededMemory","unknown"]},{"method":["GET"]},{"header":{"key":"accept","query":"application/json"}},{"client_ip":["198.51.100.23"]},{"query":"request"}]}')
        Get-StartCfTailBody @{ Status = 'error'; Method = 'GET'; Header = 'accept: application/json'; Search = 'request'; ClientIp = '198.51.100.23'; SamplingRate = 0.5 } |
            Should -Be $wranglerBody -Because 'Start-CfTail maps the same options to the same filters'

        # Event n is a fetch when n % 7 < 3, throws when n % 5 = 4, is a POST when n % 4 = 3, comes from 198.51.100.23
        # when n % 3 = 1: 9 in every 420 match all filters, about half of them sampled.
        $generated = (Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path tails/generate -Body @{ target = 'api-worker'; count = 1260 }).result
        $script:lastDelivered = -1
        Receive-WranglerLine $script:tail -Seconds 30 -Until {
            param($lines)
            $now = @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path tails).result | Where-Object id -eq $emulatorTail.id)[0].delivered
            # An event's last stdout line is its last log line (its exception goes to stderr).
            $settled = $now -eq $script:lastDelivered -and $now -gt 0 -and @($lines -eq '  (error) lookup failed for user').Count -eq $now
            $script:lastDelivered = $now
            $settled
        }
        $requestLines = @($script:tail.Lines -match '^GET https://')
        $requestLines.Count | Should -BeGreaterThan 0
        $requestLines.Count | Should -BeLessOrEqual 27 -Because '27 of the 1260 events match every filter'
        foreach ($line in $requestLines) {
            $line | Should -Match '^GET https://api-worker\.example\.workers\.dev/api/items\?seq=(\d+) - Exception Thrown @ '
            $n = [long]([regex]::Match($line, 'seq=(\d+)').Groups[1].Value)
            $n | Should -BeGreaterOrEqual $generated.from
            ($n % 7 -lt 3 -and $n % 5 -eq 4 -and $n % 4 -ne 3 -and $n % 3 -eq 1) | Should -BeTrue -Because "seq $n must match every filter"
        }
        # Each request line is followed by its log lines, as console.log prints the parts (an object as { seq: n }).
        foreach ($line in $requestLines) {
            $n = [regex]::Match($line, 'seq=(\d+)').Groups[1].Value
            $script:tail.Lines | Should -Contain "  (log) request #$n { seq: $n }"
        }

        $exit = Stop-WranglerTail $script:tail -Signal KILL
        $exit | Should -Not -Be 0
        # The exceptions went to stderr (logger.error: name and message, then the stack), one per printed request.
        @([regex]::Matches($script:tail.Errors.Result, "TypeError: Cannot read properties of undefined \(reading 'id'\)\r?\n\s*at handleRequest \(index\.js:42:17\)")).Count |
            Should -Be $requestLines.Count
        # wrangler can only delete its tail from its SIGINT/SIGTERM handler: killed, it leaves the tail until expires_at.
        $left = @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path tails).result)
        $left.id | Should -Be $emulatorTail.id
        Get-RequestLine $before | Should -Not -Contain "DELETE /accounts/$script:accountId/workers/scripts/api-worker/tails/$($emulatorTail.id)"
        # ... which is what Stop-CfTail is for.
        Get-CfTail -Script api-worker | Stop-CfTail -Confirm:$false
        @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path tails).result) | Should -BeNullOrEmpty
    }
}
