#Requires -Version 5.1
<#
.SYNOPSIS
    Builds CfManagement, lays out the importable module in out/CfManagement, and runs the tests.
.DESCRIPTION
    Build: dotnet build of the solution (the module folder is laid out by the build itself).
    Test:  the xunit suite (in-process PowerShell host against the emulator), then the Pester 5 specs in
           tests/pester when Pester 5 is installed (GitHub Actions matrix: Windows PowerShell 5.1 and pwsh 7).
    Demo:  starts the emulator and runs the cmdlets against it, printing their formatted output.
.EXAMPLE
    ./build.ps1
.EXAMPLE
    ./build.ps1 -Task Demo
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Demo')]
    [string[]] $Task = @('Build', 'Test'),
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$root = $PSScriptRoot

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

if ('Build' -in $Task) {
    Invoke-Native dotnet @('build', (Join-Path $root 'CfManagement.sln'), '-c', $Configuration)
    Write-Host "Module: $(Join-Path $root 'out/CfManagement')"
}
if ('Test' -in $Task) {
    Invoke-Native dotnet @('test', (Join-Path $root 'CfManagement.sln'), '-c', $Configuration)
}
if ('Test' -in $Task -or 'Pester' -in $Task) {
    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0' } | Sort-Object Version -Descending | Select-Object -First 1
    if ($pester) {
        Import-Module $pester -Force
        $config = New-PesterConfiguration
        $config.Run.Path = Join-Path $root 'tests/pester'
        $config.Run.Exit = $true
        $config.Output.Verbosity = 'Detailed'
        Invoke-Pester -Configuration $config
    }
    else {
        Write-Warning 'Pester 5 is not installed: skipping tests/pester (Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser).'
    }
}
if ('Demo' -in $Task) {
    Invoke-Native dotnet @('run', '--project', (Join-Path $root 'tools/CfManagement.Demo'), '-c', $Configuration)
}
