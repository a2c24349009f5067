#Requires -Version 5.1
<#
.SYNOPSIS
    Builds CfManagement, runs both test suites, packages the module, or runs the demo.
.DESCRIPTION
    Build:   dotnet build of the solution; the build lays out the importable module in out/CfManagement.
    Unit:    the xunit projects (pure logic, emulator and ledger contracts, and the in-process PowerShell suite).
    Pester:  the Pester 5 specs in tests/pester, in a child of this PowerShell (same edition and version) whose HOME
             is a temporary folder, with the vendored SecretManagement/SecretStore on PSModulePath. Pester is
             restored from NuGet (tests/pester/PesterModule.csproj), or an installed Pester >= 5.5 is used. Fails when
             a spec fails, when no spec ran, or when a spec left an emulator process behind. Before the wrangler spec,
             tools/Install-Wrangler.ps1 installs the pinned wrangler and Node 22 once into the user's cache (best
             effort: without npm or the registry that spec is skipped, saying why).
    Test:    Build, Unit, then Pester. This is the README's test command and what .ci/run calls.
    Package: Build, then the module as a PowerShell Gallery package (.nupkg) in out/package
             (tools/New-ModulePackage.ps1: Test-ModuleManifest, then Publish-PSResource to a local file repository).
    Demo:    starts the emulator and runs tools/demo.ps1 against it, printing the module's formatted output.
.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Pester -PesterPath tests/pester/Tokens.Tests.ps1
.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Unit', 'Pester', 'Test', 'Package', 'Demo')]
    [string[]] $Task = @('Test'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',
    # Spec files or folders for -Task Pester (default: all of tests/pester); from a shell (pwsh -File), comma-separated.
    [string[]] $PesterPath,
    # Folder holding Microsoft.PowerShell.SecretManagement and .SecretStore module folders for the Pester run.
    [string] $VendorModulePath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot
$out = Join-Path $root 'out'

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Write-FailedTestSummary([string] $ResultsFolder) {
    # Each failed xunit test again, with the first lines of its message, read from the trx files of the run.
    $failed = foreach ($file in Get-ChildItem -Path $ResultsFolder -Filter *.trx -Recurse -ErrorAction SilentlyContinue) {
        $trx = [xml](Get-Content -Raw $file.FullName)
        foreach ($result in $trx.TestRun.Results.UnitTestResult) {
            if ($result.outcome -ne 'Failed') { continue }
            $message = if ($result.Output.ErrorInfo) { [string]$result.Output.ErrorInfo.Message } else { '' }
            [pscustomobject]@{ Test = $result.testName; Message = (($message -split "`n" | Select-Object -First 6) -join "`n") }
        }
    }
    Write-Host "Failed tests: $(@($failed).Count)"
    foreach ($test in $failed) { Write-Host "  FAILED $($test.Test)`n    $($test.Message -replace "`n", "`n    ")" }
}

function Get-PowerShellCommand {
    # This very PowerShell, so the specs run in the edition the caller chose (pwsh as a dotnet tool is dotnet + pwsh.dll).
    $exe = [Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { return @($exe, [Reflection.Assembly]::GetEntryAssembly().Location) }
    @($exe)
}

function Get-PesterModulePath {
    Invoke-Native dotnet @('restore', (Join-Path $root 'tests/pester/PesterModule.csproj'), '--verbosity', 'quiet')
    $assets = Get-Content -Raw (Join-Path $root 'tests/pester/obj/project.assets.json') | ConvertFrom-Json
    foreach ($folder in $assets.packageFolders.PSObject.Properties.Name) {
        $manifest = Join-Path $folder 'pester/5.9.1/tools/Pester.psd1'
        if (Test-Path $manifest) { return $manifest }
    }
    $installed = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.5' } | Sort-Object Version -Descending | Select-Object -First 1
    if ($installed) { return $installed.Path }
    throw 'Pester 5.9.1 was not restored from NuGet and no Pester >= 5.5 is installed.'
}

function Get-VendorModulePath {
    $candidates = @($VendorModulePath, $env:CFM_VENDOR_MODULES, (Join-Path $root '../shared/vendor')) | Where-Object { $_ }
    foreach ($candidate in $candidates) {
        if (Test-Path (Join-Path $candidate 'Microsoft.PowerShell.SecretStore')) { return (Resolve-Path $candidate).Path }
    }
    # GitHub Actions installs them from the Gallery: an installed SecretStore on PSModulePath is just as good.
    if (Get-Module -ListAvailable -Name Microsoft.PowerShell.SecretStore) { return $null }
    throw "Microsoft.PowerShell.SecretManagement/SecretStore not found (looked in $($candidates -join ', ') and PSModulePath): pass -VendorModulePath or Install-PSResource Microsoft.PowerShell.SecretStore."
}

function Initialize-Wrangler([string[]] $SpecPaths) {
    # Best effort, for tests/pester/Wrangler.Tests.ps1 only: install the pinned wrangler and a Node >= 22.12 once into
    # the user's cache (tools/Install-Wrangler.ps1; quick when already there), outside the spec's time. Returns the
    # child's environment: where it is, or why not (no npm, offline, ...), which the spec shows as its skip reason.
    $wanted = $SpecPaths | Where-Object { (Test-Path $_ -PathType Container) -or ([IO.Path]::GetFileName($_) -eq 'Wrangler.Tests.ps1') }
    if (-not $wanted) { return @{} }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    try {
        $wrangler = & (Join-Path $root 'tools/Install-Wrangler.ps1')
        Write-Host "wrangler $($wrangler.WranglerVersion) on node $($wrangler.NodeVersion): $(if ($wrangler.Installed) { 'installed' } else { 'already installed' }) in $([math]::Round($clock.Elapsed.TotalSeconds, 1)) s ($($wrangler.Folder))"
        @{ CFM_WRANGLER_HOME = Split-Path $wrangler.Folder -Parent }
    }
    catch {
        Write-Warning "The wrangler spec will be skipped: $($_.Exception.Message)"
        @{ CFM_WRANGLER_SKIP_REASON = $_.Exception.Message }
    }
}

function Invoke-PesterSpecs {
    $pester = Get-PesterModulePath
    $vendor = Get-VendorModulePath
    $home_ = Join-Path ([IO.Path]::GetTempPath()) "cfpester-$([guid]::NewGuid().ToString('n'))"
    $null = New-Item -ItemType Directory -Path $home_
    $pidLog = Join-Path $home_ 'emulator-pids.txt'
    $results = Join-Path $out 'TestResults'
    $null = New-Item -ItemType Directory -Force -Path $results
    $paths = if ($PesterPath) { $PesterPath -split ',' | Where-Object { $_ } | ForEach-Object { (Resolve-Path $_).Path } } else { @(Join-Path $root 'tests/pester') }

    # The child sees a temporary HOME (SecretStore, SecretManagement's vault registry, the default ledger) but keeps
    # the real NuGet and dotnet folders so `dotnet` still finds its tools and packages.
    $nugetPackages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $environment = @{
        HOME                   = $home_
        XDG_DATA_HOME          = Join-Path $home_ '.local/share'
        XDG_CONFIG_HOME        = Join-Path $home_ '.config'
        XDG_CACHE_HOME         = Join-Path $home_ '.cache'
        NUGET_PACKAGES         = $nugetPackages
        DOTNET_CLI_HOME        = if ($env:DOTNET_CLI_HOME) { $env:DOTNET_CLI_HOME } else { [Environment]::GetFolderPath('UserProfile') }
        CFM_TEST_CONFIGURATION = $Configuration
        CFM_TEST_PID_LOG       = $pidLog
        PSModulePath           = (@($vendor, $env:PSModulePath) | Where-Object { $_ }) -join [IO.Path]::PathSeparator
    }
    $wranglerEnvironment = Initialize-Wrangler $paths
    foreach ($name in $wranglerEnvironment.Keys) { $environment[$name] = $wranglerEnvironment[$name] }
    $saved = @{}
    foreach ($name in $environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    $command = Get-PowerShellCommand
    try {
        foreach ($name in $environment.Keys) { [Environment]::SetEnvironmentVariable($name, $environment[$name]) }
        $runner = Join-Path $root 'tests/pester/Invoke-Specs.ps1'
        $arguments = @($command | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', $runner,
            '-PesterModule', $pester, '-ResultPath', (Join-Path $results 'pester.xml'), '-Path', ($paths -join [IO.Path]::PathSeparator))
        & $command[0] @arguments
        $exit = $LASTEXITCODE
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        $leftover = @(if (Test-Path $pidLog) { Get-Content $pidLog | ForEach-Object { Get-Process -Id ([int]$_) -ErrorAction SilentlyContinue } })
        $leftover | Stop-Process -Force -ErrorAction SilentlyContinue
        Remove-Item -Recurse -Force $home_ -ErrorAction SilentlyContinue
    }
    if ($leftover.Count -gt 0) { throw "Pester specs left $($leftover.Count) emulator process(es) running (PIDs $($leftover.Id -join ', ')); they were stopped." }
    if ($exit -ne 0) { throw "Pester specs failed (exit code $exit); results in $results/pester.xml." }
}

if ('Build' -in $Task -or 'Test' -in $Task -or 'Package' -in $Task) {
    Invoke-Native dotnet @('build', (Join-Path $root 'CfManagement.sln'), '-c', $Configuration)
    Write-Host "Module: $(Join-Path $out 'CfManagement')"
}
if ('Unit' -in $Task -or 'Test' -in $Task) {
    # The console log names every test as it passes; the trx files let a failure be repeated last, where the tail of a
    # CI log (all a CI page may keep) shows it.
    $xunitResults = Join-Path $out 'TestResults/xunit'
    if (Test-Path $xunitResults) { Remove-Item -Recurse -Force $xunitResults }
    & dotnet test (Join-Path $root 'CfManagement.sln') -c $Configuration --no-build --logger 'console;verbosity=normal' --logger trx --results-directory $xunitResults
    if ($LASTEXITCODE -ne 0) {
        $exit = $LASTEXITCODE
        Write-FailedTestSummary $xunitResults
        throw "dotnet test failed with exit code $exit; trx results in $xunitResults."
    }
}
if ('Pester' -in $Task -or 'Test' -in $Task) {
    Invoke-PesterSpecs
}
if ('Package' -in $Task) {
    $feed = Join-Path $out 'package'
    if (Test-Path $feed) { Remove-Item -Recurse -Force $feed }
    $package = & (Join-Path $root 'tools/New-ModulePackage.ps1') -ModulePath (Join-Path $out 'CfManagement') -OutputPath $feed
    Write-Host "Package: $($package.FullName)"
}
if ('Demo' -in $Task) {
    Invoke-Native dotnet @('run', '--project', (Join-Path $root 'tools/CfManagement.Demo'), '-c', $Configuration)
}
