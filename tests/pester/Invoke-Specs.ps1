#Requires -Version 5.1
<#
.SYNOPSIS
    Runs the Pester specs; build.ps1 starts it in a child PowerShell with a temporary HOME.
.DESCRIPTION
    Exits 0 only when every spec passed and at least one ran: a run that discovers nothing (a renamed folder, a
    syntax error that hides a file) must not pass.
#>
param(
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string[]] $Path,
    [string] $ResultPath,
    # build.ps1 starts this with -File, which cannot pass an array: '-Path a b' leaves b (and more) here.
    [Parameter(ValueFromRemainingArguments)] [string[]] $MorePath
)
$ErrorActionPreference = 'Stop'
$Path = @($Path) + @($MorePath | Where-Object { $_ })
Import-Module $PesterModule -Force
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
if ($ResultPath) {
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = $ResultPath
}
$result = Invoke-Pester -Configuration $config
$summary = "Pester: $($result.PassedCount) passed, $($result.FailedCount) failed, $($result.SkippedCount) skipped, " +
    "$($result.NotRunCount) not run, $($result.FailedContainersCount) containers and $($result.FailedBlocksCount) blocks failed, in $([math]::Round($result.Duration.TotalSeconds, 1)) s"
Write-Host $summary
if ($result.PassedCount -eq 0) { Write-Host 'Pester found no tests to run.'; exit 2 }
if ($result.Result -ne 'Passed' -or $result.FailedCount -gt 0 -or $result.FailedContainersCount -gt 0 -or $result.FailedBlocksCount -gt 0) { exit 1 }
exit 0
