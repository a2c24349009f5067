#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# The module as the PowerShell Gallery will receive it: packed by tools/New-ModulePackage.ps1 (Publish-PSResource to a
# local file repository), then installed with Install-PSResource into a clean HOME in a fresh pwsh, imported by name
# and used against the emulator.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $script:feed = Join-Path $TestDrive 'feed'
    $script:package = & (Join-Path (Get-TestRepoRoot) 'tools/New-ModulePackage.ps1') -ModulePath (Split-Path (Get-TestModuleManifest)) -OutputPath $script:feed
    $zip = [IO.Compression.ZipFile]::OpenRead($script:package.FullName)
    try {
        $script:entries = @($zip.Entries | ForEach-Object FullName)
        $reader = [IO.StreamReader]::new(($zip.Entries | Where-Object FullName -eq 'CfManagement.nuspec').Open())
        $script:nuspec = ([xml]$reader.ReadToEnd()).package.metadata
        $reader.Dispose()
    }
    finally { $zip.Dispose() }
    $script:manifest = Import-PowerShellDataFile (Get-TestModuleManifest)
}

Describe 'The Gallery package' {
    It 'is named for the manifest version' {
        $script:package.Name | Should -Be "CfManagement.$($script:manifest.ModuleVersion).nupkg"
        $script:nuspec.id | Should -Be 'CfManagement'
        $script:nuspec.version | Should -Be $script:manifest.ModuleVersion
    }

    It 'carries a manifest that passes Test-ModuleManifest' {
        $extracted = Join-Path $TestDrive 'extracted/CfManagement'
        [IO.Compression.ZipFile]::ExtractToDirectory($script:package.FullName, $extracted)
        $tested = Test-ModuleManifest -Path (Join-Path $extracted 'CfManagement.psd1') -ErrorAction Stop
        $tested.Name | Should -Be 'CfManagement'
        @($tested.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($script:manifest.CmdletsToExport | Sort-Object)
    }

    It 'has a licence, release notes, a project URI and tags' {
        $script:entries | Should -Contain 'LICENSE'
        $script:nuspec.licenseUrl | Should -Match '^https://.+/LICENSE$'
        $script:nuspec.projectUrl | Should -Be $script:manifest.PrivateData.PSData.ProjectUri
        $script:nuspec.releaseNotes | Should -Match '^0\.1\.0: '
        $script:nuspec.tags -split ' ' | Should -Contain 'Cloudflare'
        $script:nuspec.tags -split ' ' | Should -Contain 'PSEdition_Core'
        $script:nuspec.tags -split ' ' | Should -Contain 'PSEdition_Desktop'
    }

    It 'holds the module and nothing from tests or the build' {
        $script:entries | Should -Contain 'CfManagement.psd1'
        $script:entries | Should -Contain 'bin/CfManagement.Loader.dll'
        $script:entries | Should -Contain 'bin/CfManagement.Cmdlets.dll'
        $script:entries | Should -Contain 'bin/deps/CfManagement.Engine.dll'
        $script:entries | Should -Contain 'en-US/CfManagement.Cmdlets.dll-Help.xml'
        $unwanted = $script:entries | Where-Object {
            $_ -match '(^|/)(tests?|obj|TestResults)/|\.(pdb|cs|csproj|sln|deps\.json|Tests\.ps1)$|(^|/)\.gitkeep$|xunit|Pester|Emulator'
        }
        $unwanted | Should -BeNullOrEmpty
    }
}

Describe 'Install-PSResource from a local repository' {
    BeforeAll {
        $script:emulator = Start-TestEmulator
    }
    AfterAll {
        $script:emulator | Stop-TestEmulator
    }

    It 'installs into a clean HOME, imports by name and runs a command against the emulator' {
        $cleanHome = Join-Path $TestDrive 'home'
        $null = New-Item -ItemType Directory -Path $cleanHome
        # The emulator's admin token goes to the child through a file, never on a command line.
        $tokenFile = Join-Path $TestDrive 'token.txt'
        Set-Content -Path $tokenFile -Value (Get-PlainText $script:emulator.Token) -NoNewline
        $script = Join-Path $TestDrive 'install.ps1'
        Set-Content -Path $script -Value @'
param($Feed, $TokenFile, $BaseUri)
$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name LocalFeed -Uri $Feed -Trusted
Install-PSResource -Name CfManagement -Repository LocalFeed -Scope CurrentUser -TrustRepository -Quiet
Import-Module CfManagement
$module = Get-Module CfManagement
$token = Get-Content -Raw $TokenFile | ConvertTo-SecureString -AsPlainText -Force
$session = Connect-CfAccount -ApiToken $token -ApiBaseUri $BaseUri
$tokens = @(Get-CfToken)
[pscustomobject]@{
    ModuleBase = $module.ModuleBase
    Version    = "$($module.Version)"
    Installed  = @(Get-InstalledPSResource -Name CfManagement).Count
    Status     = $session.TokenStatus
    Tokens     = $tokens.Count
    TypeName   = $tokens[0].PSObject.TypeNames[0]
} | ConvertTo-Json -Compress | Write-Output
'@
        $result = Invoke-ChildPowerShell -ScriptPath $script -ArgumentList @($script:feed, $tokenFile, $script:emulator.BaseUri) -Environment @{
            HOME            = $cleanHome
            USERPROFILE     = $cleanHome
            XDG_DATA_HOME   = $null
            XDG_CONFIG_HOME = $null
            XDG_CACHE_HOME  = $null
            # Empty: the child builds the default module path for its own HOME, so nothing from this run leaks in.
            PSModulePath    = $null
        }
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $line = ($result.Output -split "`n" | Where-Object { $_ -match '^\{"ModuleBase"' } | Select-Object -Last 1)
        $line | Should -Not -BeNullOrEmpty -Because $result.Output
        $installed = $line | ConvertFrom-Json
        if ([Environment]::OSVersion.Platform -eq 'Win32NT') {
            # Windows keeps CurrentUser modules under the Documents known folder, which HOME does not move.
            $installed.ModuleBase | Should -Not -BeLike "$(Get-TestRepoRoot)*"
        }
        else {
            $installed.ModuleBase | Should -BeLike "$cleanHome*"
        }
        $installed.Version | Should -Be $script:manifest.ModuleVersion
        $installed.Installed | Should -Be 1
        $installed.Status | Should -Be 'active'
        $installed.Tokens | Should -BeGreaterThan 0
        $installed.TypeName | Should -Be 'CfManagement.Model.CfToken'
        $result.Output | Should -Not -Match ([regex]::Escape((Get-PlainText $script:emulator.Token)))
    }
}
