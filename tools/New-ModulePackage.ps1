#Requires -Version 5.1
<#
.SYNOPSIS
    Packs a laid-out CfManagement module folder as a PowerShell Gallery package (.nupkg).
.DESCRIPTION
    Checks the manifest with Test-ModuleManifest, stages the module without files that are not part of it (debug
    symbols, .gitkeep placeholders), then runs Publish-PSResource against a temporary local file repository in
    -OutputPath: the same packing the Gallery receives, without a network. Returns the .nupkg file.
    Used by build.ps1 -Task Package and by tests/pester/Package.Tests.ps1.
.EXAMPLE
    ./tools/New-ModulePackage.ps1 -ModulePath ./out/CfManagement -OutputPath ./out/package
#>
[CmdletBinding()]
[OutputType([System.IO.FileInfo])]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $OutputPath
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$ModulePath = (Resolve-Path $ModulePath).Path
$manifest = Test-ModuleManifest -Path (Join-Path $ModulePath 'CfManagement.psd1')
Import-Module Microsoft.PowerShell.PSResourceGet -MinimumVersion 1.0 -ErrorAction Stop

$null = New-Item -ItemType Directory -Force -Path $OutputPath
$OutputPath = (Resolve-Path $OutputPath).Path
$staging = Join-Path ([IO.Path]::GetTempPath()) "cfpack-$([guid]::NewGuid().ToString('n'))"
$stagedModule = Join-Path $staging 'CfManagement'
$repository = "CfManagementPack-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
try {
    $null = New-Item -ItemType Directory -Path $stagedModule
    Copy-Item -Path (Join-Path $ModulePath '*') -Destination $stagedModule -Recurse
    Get-ChildItem -Path $stagedModule -Recurse -File -Force -Include '*.pdb', '.gitkeep' | Remove-Item -Force
    Register-PSResourceRepository -Name $repository -Uri $OutputPath -Trusted
    Publish-PSResource -Path $stagedModule -Repository $repository -SkipDependenciesCheck
}
finally {
    Unregister-PSResourceRepository -Name $repository -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $staging -ErrorAction SilentlyContinue
}
$package = Get-ChildItem -Path $OutputPath -Filter "CfManagement.$($manifest.Version).nupkg" | Select-Object -First 1
if (-not $package) { throw "Publish-PSResource produced no CfManagement.$($manifest.Version).nupkg in $OutputPath." }
$package
