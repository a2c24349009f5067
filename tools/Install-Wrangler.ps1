#Requires -Version 5.1
<#
.SYNOPSIS
    Installs (once) a pinned wrangler and a Node.js it can run on into a cache folder outside the repository, and
    returns where they are.
.DESCRIPTION
    Real wrangler is what users point at the emulator to rehearse their CI offline (README, "Rehearse CI offline with
    wrangler"); tests/pester/Wrangler.Tests.ps1 runs it. wrangler 4.x needs Node >= 22.12. Most build machines have an
    older node or none, so on Linux x64/arm64 Node comes from the npm package node-linux-<arch> (an official Node
    build packed for npm), installed beside wrangler with `npm install --prefix`; elsewhere a node >= 22.12 on PATH is
    used. Only the system npm is needed, and only for the first install.

    Idempotent and quick when already installed (reads two package.json files and asks node its version). The install
    goes to a staging folder that is renamed into place only when complete, so an interrupted install is never taken
    for a good one. Without the npm registry (offline), it fails with a message saying so; nothing is left behind.
    Returns an object: NodePath, WranglerScript (run it as `& $NodePath $WranglerScript <args>`), WranglerVersion,
    NodeVersion, Folder, Installed (whether this call installed).
.PARAMETER Path
    The cache folder. Default: $env:CFM_WRANGLER_HOME, else the user's cache folder (XDG_CACHE_HOME or ~/.cache,
    LOCALAPPDATA on Windows) + cfmanagement/wrangler.
.PARAMETER NoInstall
    Only find an existing install; fail (with the command that installs it) when there is none.
.EXAMPLE
    $w = ./tools/Install-Wrangler.ps1; & $w.NodePath $w.WranglerScript --version
#>
[CmdletBinding()]
param(
    [string] $Path,
    [string] $WranglerVersion = '4.164.0',
    # The node-linux-<arch> npm package's version (Node 22 LTS; wrangler needs >= 22.12).
    [string] $NodeVersion = '22.23.5',
    [switch] $NoInstall
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$minimumNode = [version]'22.12.0'

if (-not $Path) { $Path = $env:CFM_WRANGLER_HOME }
if (-not $Path) {
    $cache = if ($env:LOCALAPPDATA) { $env:LOCALAPPDATA } elseif ($env:XDG_CACHE_HOME) { $env:XDG_CACHE_HOME } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.cache' }
    $Path = Join-Path $cache 'cfmanagement/wrangler'
}

# Where Node comes from: the npm package on Linux (x64, arm64), a node on PATH elsewhere.
$architecture = [Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant()
$isLinuxHost = [Runtime.InteropServices.RuntimeInformation]::IsOSPlatform([Runtime.InteropServices.OSPlatform]::Linux)
$nodePackage = if ($isLinuxHost -and $architecture -in 'x64', 'arm64') { "node-linux-$architecture" } else { $null }
$folder = if ($nodePackage) { Join-Path $Path "wrangler-$WranglerVersion-node-$NodeVersion" } else { Join-Path $Path "wrangler-$WranglerVersion" }

function Get-NodeVersion([string] $Node) {
    try { $text = & $Node --version 2>$null } catch { return $null }
    if ($LASTEXITCODE -ne 0 -or "$text" -notmatch '^v(\d+\.\d+\.\d+)') { return $null }
    [version]$Matches[1]
}

function Get-PackageVersion([string] $Folder, [string] $Name) {
    $manifest = Join-Path $Folder "node_modules/$Name/package.json"
    if (-not (Test-Path $manifest)) { return $null }
    (Get-Content -Raw $manifest | ConvertFrom-Json).version
}

function Find-Node([string] $Folder) {
    if ($nodePackage) { return Join-Path $Folder "node_modules/$nodePackage/bin/node" }
    $onPath = Get-Command node -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    $null
}

function Get-Install([string] $Folder, [bool] $Installed) {
    if ((Get-PackageVersion $Folder 'wrangler') -ne $WranglerVersion) { return $null }
    if ($nodePackage -and (Get-PackageVersion $Folder $nodePackage) -ne $NodeVersion) { return $null }
    $node = Find-Node $Folder
    if (-not $node -or -not (Test-Path $node)) { return $null }
    $version = Get-NodeVersion $node
    if (-not $version -or $version -lt $minimumNode) { return $null }
    [pscustomobject]@{
        NodePath        = $node
        WranglerScript  = Join-Path $Folder 'node_modules/wrangler/bin/wrangler.js'
        WranglerVersion = $WranglerVersion
        NodeVersion     = $version.ToString()
        Folder          = $Folder
        Installed       = $Installed
    }
}

$existing = Get-Install $folder $false
if ($existing) { return $existing }

$installCommand = "pwsh tools/Install-Wrangler.ps1$(if ($PSBoundParameters.ContainsKey('Path')) { " -Path '$Path'" })"
if ($NoInstall) { throw "wrangler $WranglerVersion is not installed in ${folder}: run $installCommand (needs npm and the npm registry)." }
if (-not $nodePackage) {
    $node = Find-Node $folder
    $version = if ($node) { Get-NodeVersion $node }
    if (-not $version -or $version -lt $minimumNode) {
        throw "wrangler $WranglerVersion needs Node >= $minimumNode; this $([Runtime.InteropServices.RuntimeInformation]::OSDescription) ($architecture) has $(if ($version) { "node $version" } else { 'no node on PATH' }), and a Node package from npm exists only for Linux x64/arm64: install Node 22 LTS."
    }
}
$npm = Get-Command npm -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
if (-not $npm) { throw "npm is not on PATH: it is needed once to install wrangler $WranglerVersion$(if ($nodePackage) { " and $nodePackage@$NodeVersion" }) into $folder." }

$staging = "$folder.partial-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
$null = New-Item -ItemType Directory -Force -Path $staging
try {
    $packages = @("wrangler@$WranglerVersion") + @(if ($nodePackage) { "$nodePackage@$NodeVersion" })
    # --ignore-scripts: esbuild's and workerd's postinstall only check (or download) native binaries that npm already
    # installed as optional dependencies; wrangler's API commands need neither. No audit, fund or update-notifier calls,
    # few fetch retries so an offline machine fails in seconds, not minutes.
    $arguments = @('install', '--prefix', $staging, '--no-audit', '--no-fund', '--no-update-notifier', '--ignore-scripts',
        '--fetch-retries', '1', '--fetch-retry-mintimeout', '1000', '--fetch-retry-maxtimeout', '3000', '--fetch-timeout', '30000',
        '--loglevel', 'error') + $packages
    $log = & $npm.Source @arguments 2>&1 | Out-String
    $exit = $LASTEXITCODE
    if ($exit -ne 0) {
        $registry = (& $npm.Source config get registry 2>$null | Out-String).Trim()
        $said = (($log -split "`r?`n") | Where-Object { $_ -match '^npm error (code|errno|network|request|404|\S+ \S+)' } | Select-Object -First 4) -join '; '
        throw "npm install $($packages -join ' ') failed (exit code $exit); is the npm registry ($registry) reachable? npm said: $said"
    }
    $installed = Get-Install $staging $true
    if (-not $installed) { throw "npm installed $($packages -join ' ') into $staging, but no usable node >= $minimumNode and wrangler $WranglerVersion were found there." }
    if (Test-Path $folder) { Remove-Item -Recurse -Force $folder }   # a broken or older copy under the same name
    Move-Item -Path $staging -Destination $folder
    Get-Install $folder $true
}
finally {
    if (Test-Path $staging) { Remove-Item -Recurse -Force $staging -ErrorAction SilentlyContinue }
}
