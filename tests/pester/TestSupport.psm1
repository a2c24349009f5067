# Shared by every tests/pester/*.Tests.ps1: the built emulator as a child process, the built module, a session, and
# a real SecretStore vault. build.ps1 runs the specs in a pwsh whose HOME is a temporary folder, so the vault and the
# ledger live there and vanish with it. Every function here is exported (a .psm1 without Export-ModuleMember).
Set-StrictMode -Version 3.0

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-TestRepoRoot { $script:RepoRoot }

function Get-TestModuleManifest { Join-Path $script:RepoRoot 'out/CfManagement/CfManagement.psd1' }

function Get-EmulatorAssembly {
    # The BUILT emulator, never `dotnet run`: that builds inside the tree and leaves its child running when the
    # wrapper is stopped. build.ps1 says which configuration it built; otherwise take the newest build.
    $configuration = $env:CFM_TEST_CONFIGURATION
    $candidates = if ($configuration) {
        @(Join-Path $script:RepoRoot "src/CfManagement.Emulator/bin/$configuration/net10.0/CfManagement.Emulator.dll")
    }
    else {
        @(Get-ChildItem (Join-Path $script:RepoRoot 'src/CfManagement.Emulator/bin/*/net10.0/CfManagement.Emulator.dll') -ErrorAction SilentlyContinue |
            Sort-Object LastWriteTime -Descending | ForEach-Object FullName)
    }
    $dll = $candidates | Where-Object { Test-Path $_ } | Select-Object -First 1
    if (-not $dll) { throw "The emulator is not built (looked for $($candidates -join ', ')): run ./build.ps1 -Task Build first." }
    $dll
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    try { $listener.Start(); $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-TestEmulator {
    <#
    .SYNOPSIS
        Starts the built emulator on a free loopback port (another port when that one is taken meanwhile) and returns
        its process, base URI and admin token (SecureString). A failure to start says why, with the emulator's stderr.
    #>
    [CmdletBinding()]
    param([string[]] $ArgumentList = @(), [int] $Attempts = 5, [int] $TimeoutSeconds = 60)

    $dll = Get-EmulatorAssembly
    $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
    $failures = @()
    for ($attempt = 1; $attempt -le $Attempts; $attempt++) {
        $port = Get-FreeTcpPort
        $work = Join-Path ([IO.Path]::GetTempPath()) "cfemu-$([guid]::NewGuid().ToString('n'))"
        $null = New-Item -ItemType Directory -Path $work
        $tokenFile = Join-Path $work 'token.txt'
        $stderr = Join-Path $work 'stderr.txt'
        $process = Start-Process -FilePath $dotnet -PassThru -RedirectStandardOutput (Join-Path $work 'stdout.txt') -RedirectStandardError $stderr -ArgumentList (
            @("`"$dll`"", '--port', $port, '--token-file', "`"$tokenFile`"") + $ArgumentList)
        # build.ps1 stops (and fails the run for) any emulator a spec forgot in AfterAll.
        if ($env:CFM_TEST_PID_LOG) { Add-Content -Path $env:CFM_TEST_PID_LOG -Value $process.Id }
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while (-not (Test-Path $tokenFile) -and -not $process.HasExited -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        # The token file is written once the listener is bound; an empty read means we caught it mid-write.
        $value = $null
        while ((Test-Path $tokenFile) -and -not $value -and [DateTime]::UtcNow -lt $deadline) {
            $value = (Get-Content -Raw $tokenFile -ErrorAction SilentlyContinue)
            if ($value) { $value = $value.Trim() } else { Start-Sleep -Milliseconds 50 }
        }
        if ($value) {
            Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
            return [pscustomobject]@{
                Process   = $process
                Port      = $port
                BaseUri   = "http://127.0.0.1:$port/client/v4/"
                AdminUri  = "http://127.0.0.1:$port/__emulator/"
                Token     = ConvertTo-SecureString -String $value -AsPlainText -Force
            }
        }
        if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue; $process.WaitForExit(5000) | Out-Null }
        $why = (Get-Content -Raw $stderr -ErrorAction SilentlyContinue)
        if (-not $why) { $why = if ($process.HasExited) { "exited with code $($process.ExitCode)" } else { "no token file within $TimeoutSeconds s" } }
        $failures += "port ${port}: $($why.Trim())"
        Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
        # Only a taken port is worth another try; anything else will fail the same way again.
        if ($why -notmatch 'address already in use|EADDRINUSE|Only one usage of each socket address') { break }
    }
    throw "The emulator ($dll) did not start: $($failures -join ' | ')"
}

function Stop-TestEmulator {
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] $Emulator)
    process {
        if ($Emulator -and $Emulator.Process -and -not $Emulator.Process.HasExited) {
            Stop-Process -Id $Emulator.Process.Id -Force -ErrorAction SilentlyContinue
            $Emulator.Process.WaitForExit(10000) | Out-Null
        }
    }
}

function Connect-TestSession {
    <# Connects the module to a test emulator; extra parameters go to Connect-CfAccount. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [hashtable] $Parameters = @{})
    Connect-CfAccount -ApiToken $Emulator.Token -ApiBaseUri $Emulator.BaseUri @Parameters
}

function Invoke-TestEmulatorAdmin {
    <# Calls the emulator's admin endpoints (faults, state) — test set-up only, never the module under test. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Path, [string] $Method = 'GET', $Body)
    $parameters = @{ Uri = "$($Emulator.AdminUri)$Path"; Method = $Method }
    if ($null -ne $Body) { $parameters.Body = ($Body | ConvertTo-Json -Depth 10); $parameters.ContentType = 'application/json' }
    Invoke-RestMethod @parameters
}

function Get-PlainText {
    param([Parameter(Mandatory)] [securestring] $SecureString)
    [Net.NetworkCredential]::new('', $SecureString).Password
}

function Initialize-TestVault {
    <#
    .SYNOPSIS
        Registers a real Microsoft.PowerShell.SecretStore vault (no password, no prompts) in this process's HOME,
        once per process, and returns its name. build.ps1 points HOME at a temporary folder and puts the vendored
        SecretManagement/SecretStore on PSModulePath.
    #>
    [CmdletBinding()]
    param([string] $Name = 'CfPester')
    Import-Module Microsoft.PowerShell.SecretManagement, Microsoft.PowerShell.SecretStore -ErrorAction Stop
    if (-not (Get-SecretVault -Name $Name -ErrorAction SilentlyContinue)) {
        Reset-SecretStore -Authentication None -Interaction None -Scope CurrentUser -Force -Confirm:$false -WarningAction SilentlyContinue
        Register-SecretVault -Name $Name -ModuleName Microsoft.PowerShell.SecretStore -DefaultVault -AllowClobber
    }
    $Name
}

function Get-OutputText {
    <# Everything a command wrote to every stream (as a user would see it with 2>&1 and *>&1), as one string. #>
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    & $ScriptBlock *>&1 | Out-String -Width 400
}


function Get-PowerShellCommand {
    <# This very PowerShell as an executable plus leading arguments (pwsh as a dotnet tool is dotnet + pwsh.dll). #>
    $exe = [Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { return @($exe, [Reflection.Assembly]::GetEntryAssembly().Location) }
    @($exe)
}

function Invoke-ChildPowerShell {
    <#
    .SYNOPSIS
        Runs a script file (-ScriptPath) or text (-Command) in a fresh child of this PowerShell, optionally with other
        environment variables (a clean HOME, say), and returns its exit code and everything it printed, host output
        included: what a user would see in the console, which *>&1 in this process cannot catch. The environment is
        restored afterwards.
    #>
    [CmdletBinding(DefaultParameterSetName = 'File')]
    param(
        [Parameter(Mandatory, ParameterSetName = 'File')] [string] $ScriptPath,
        [Parameter(Mandatory, ParameterSetName = 'Command')] [string] $Command,
        [Parameter(ParameterSetName = 'File')] [string[]] $ArgumentList = @(),
        [hashtable] $Environment = @{}
    )
    $powershell = Get-PowerShellCommand
    $saved = @{}
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    try {
        foreach ($name in $Environment.Keys) { [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
        $script = if ($PSCmdlet.ParameterSetName -eq 'File') { @('-File', $ScriptPath) + $ArgumentList } else { @('-Command', $Command) }
        $arguments = @($powershell | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $script
        $output = & $powershell[0] @arguments 2>&1 | Out-String -Width 400
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
}

# --- Shared by Managed/Health/Ledger specs -------------------------------------------------------------------------

function Get-TestEmulatorRequest {
    <# The emulator's request log (method, path, query, body; never the Authorization value), optionally only from -Skip on. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [int] $Skip = 0)
    @((Invoke-TestEmulatorAdmin -Emulator $Emulator -Path requests).result) | Select-Object -Skip $Skip
}

function Invoke-TestCloudflareApi {
    <#
    .SYNOPSIS
        Calls the emulator's Cloudflare API with its admin token, for set-up and for checking state the module under
        test does not show (Worker secrets, D1 rows). Returns the envelope's result.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Path, [string] $Method = 'GET', $Body)
    $parameters = @{
        Uri = "$($Emulator.BaseUri)$Path"; Method = $Method
        Headers = @{ Authorization = "Bearer $(Get-PlainText $Emulator.Token)" }
    }
    if ($null -ne $Body) { $parameters.Body = ($Body | ConvertTo-Json -Depth 10); $parameters.ContentType = 'application/json' }
    (Invoke-RestMethod @parameters).result
}

function New-TestD1Database {
    <# Creates a D1 database in the emulator's account (as a runbook's ledger would live) and returns its uuid. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $AccountId, [string] $Name = "cf-ledger-$([guid]::NewGuid().ToString('n').Substring(0, 8))")
    (Invoke-TestCloudflareApi -Emulator $Emulator -Method POST -Path "accounts/$AccountId/d1/database" -Body @{ name = $Name }).uuid
}

function Invoke-TestD1Query {
    <# Runs SQL against an emulator D1 database (set-up and inspection only); returns the rows of the first statement. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $AccountId, [Parameter(Mandatory)] [string] $DatabaseId,
        [Parameter(Mandatory)] [string] $Sql, [object[]] $Parameters = @())
    $result = Invoke-TestCloudflareApi -Emulator $Emulator -Method POST -Path "accounts/$AccountId/d1/database/$DatabaseId/query" -Body @{ sql = $Sql; params = $Parameters }
    @(@($result)[0].results)
}

function New-TestEmulatorToken {
    <#
    .SYNOPSIS
        A token made by the emulator's admin endpoint, as the dashboard would make it, for another user (default the
        seed's admin): the only way to get a second identity, e.g. a manager that Cloudflare's visibility wall blocks.
        Returns Id and Value (SecureString).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Name, [string[]] $PermissionGroup = @(),
        [ValidateSet('User', 'Account')] [string] $Owner = 'User', [string] $UserEmail = 'admin@example.com', [Nullable[DateTimeOffset]] $ExpiresOn)
    $body = @{ name = $Name; owner = $Owner; userEmail = $UserEmail; permissionGroups = @($PermissionGroup) }
    if ($ExpiresOn) { $body.expiresOn = $ExpiresOn.ToUniversalTime().ToString('o') }
    $made = (Invoke-TestEmulatorAdmin -Emulator $Emulator -Method POST -Path tokens -Body $body).result
    [pscustomobject]@{ Id = $made.id; Value = (ConvertTo-SecureString -String $made.value -AsPlainText -Force) }
}

function Get-TestLoudParameter {
    <# -Verbose and -Debug for a command under a leak check (5.1's -Debug would prompt; there the caller sets $DebugPreference). #>
    if ($PSVersionTable.PSVersion.Major -ge 7) { @{ Verbose = $true; Debug = $true } } else { @{ Verbose = $true } }
}


# --- Worker uploads (until Publish-CfWorker exists): multipart as wrangler sends it -----------------------------------

function Send-TestWorkerUpload {
    <#
    .SYNOPSIS
        Uploads one ES module Worker to the emulator (set-up only): PUT .../workers/scripts/{name} makes a version and
        deploys it at 100%; -VersionOnly POSTs .../versions, a version that serves nothing until deployed. Returns the
        new version's id.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $AccountId, [Parameter(Mandatory)] [string] $Name,
        [string] $Body = 'hi', [string] $Message, [string[]] $Tag = @(), [switch] $VersionOnly)
    $metadata = [ordered]@{ main_module = 'index.js'; compatibility_date = '2025-01-01'; bindings = @(); keep_bindings = @('secret_text', 'secret_key') }
    if ($Tag) { $metadata.tags = @($Tag) }
    if ($Message) { $metadata.annotations = @{ 'workers/message' = $Message } }
    $form = [System.Net.Http.MultipartFormDataContent]::new()
    $form.Add([System.Net.Http.StringContent]::new(($metadata | ConvertTo-Json -Depth 5 -Compress), [Text.Encoding]::UTF8, 'application/json'), 'metadata')
    $module = [System.Net.Http.ByteArrayContent]::new([Text.Encoding]::UTF8.GetBytes("export default { async fetch() { return new Response('$Body'); } };`n"))
    $module.Headers.ContentType = [System.Net.Http.Headers.MediaTypeHeaderValue]::Parse('application/javascript+module')
    $form.Add($module, 'index.js', 'index.js')
    $path = if ($VersionOnly) { "accounts/$AccountId/workers/scripts/$Name/versions" } else { "accounts/$AccountId/workers/scripts/$Name" }
    $client = [System.Net.Http.HttpClient]::new()
    try {
        $request = [System.Net.Http.HttpRequestMessage]::new($(if ($VersionOnly) { 'POST' } else { 'PUT' }), "$($Emulator.BaseUri)$path")
        $request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', (Get-PlainText $Emulator.Token))
        $request.Content = $form
        $response = $client.SendAsync($request).GetAwaiter().GetResult()
        $text = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
        if (-not $response.IsSuccessStatusCode) { throw "Upload of $Name failed: $([int]$response.StatusCode) $text" }
    }
    finally { $client.Dispose() }
    if ($VersionOnly) { return ($text | ConvertFrom-Json).result.id }
    @((Invoke-TestCloudflareApi -Emulator $Emulator -Path "accounts/$AccountId/workers/scripts/$Name/deployments").deployments)[0].versions[0].version_id
}

# --- Shared by the composite specs (Rotation, Provisioning, Inventory, Samples) --------------------------------------

function Invoke-TestLeakProbe {
    <#
    .SYNOPSIS
        Runs a script block the way a worried admin would look at it: inside Start-Transcript, with every stream merged
        (*>&1), each output object rendered in its default view, with Format-List * and as JSON. Returns the objects,
        the errors, the rendered text and the transcript text, so a spec can first assert that the command really
        succeeded and then that no secret appears anywhere (Assert-TestNoSecret).
    .NOTES
        Pass -Verbose -Debug -WarningAction Continue -InformationAction Continue to the command inside the block: the
        probe does not add them, so a spec shows exactly what it ran.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    $transcript = Join-Path ([IO.Path]::GetTempPath()) "cf-leak-$([guid]::NewGuid().ToString('n')).txt"
    $records = [Collections.Generic.List[object]]::new()
    Start-Transcript -Path $transcript -Force | Out-Null
    try {
        & $ScriptBlock *>&1 | ForEach-Object { $records.Add($_) }
    }
    catch {
        $records.Add($_)
    }
    finally {
        Stop-Transcript | Out-Null
    }
    $errors = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    $objects = @($records | Where-Object {
            $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.VerboseRecord] -and
            $_ -isnot [System.Management.Automation.DebugRecord] -and $_ -isnot [System.Management.Automation.WarningRecord] -and
            $_ -isnot [System.Management.Automation.InformationRecord] })
    $text = [Text.StringBuilder]::new()
    $null = $text.AppendLine(($records | Out-String -Width 400))
    foreach ($record in $records) {
        $null = $text.AppendLine("$record")
        if ($record -is [System.Management.Automation.ErrorRecord]) {
            $null = $text.AppendLine("$($record.Exception)").AppendLine("$($record.ErrorDetails)").AppendLine("$($record.TargetObject)")
        }
    }
    foreach ($object in $objects) {
        $null = $text.AppendLine(($object | Format-List * -Force | Out-String -Width 400))
        $null = $text.AppendLine(($object | ConvertTo-Json -Depth 4 -WarningAction SilentlyContinue))
    }
    $transcriptText = Get-Content -Raw -Path $transcript
    Remove-Item -Path $transcript -Force -ErrorAction SilentlyContinue
    [pscustomobject]@{ Objects = $objects; Errors = $errors; Records = $records.ToArray(); Text = $text.ToString(); Transcript = $transcriptText }
}

function Assert-TestNoSecret {
    <# Fails when any of the plain-text secrets appears in the probe's rendered streams or its transcript. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Probe, [Parameter(Mandatory)] [AllowEmptyCollection()] [string[]] $Secret)
    foreach ($value in @($Secret | Where-Object { $_ })) {
        $Probe.Text.Contains($value) | Should -BeFalse -Because 'no secret value may appear in any stream, view or JSON of the output'
        $Probe.Transcript.Contains($value) | Should -BeFalse -Because 'no secret value may appear in the transcript (host output included)'
    }
}

function Register-TestCompanionVault {
    <#
    .SYNOPSIS
        Registers a real SecretManagement extension vault that keeps no metadata (each secret a file; Set-Secret takes no
        -Metadata and there is no Set-SecretInfo, so SecretManagement refuses metadata): the vault of a tool that only
        knows the NAME__TOKEN_ID / __EXPIRES_AT / __SCOPES companions. Returns @{ Name; Data; Root } (Root: remove it
        in AfterAll after Unregister-SecretVault). Faults, by flag files in Data:
          fail-write.flag  holding a name pattern: Set-Secret of a matching name fails ('*': every write, the vault
                           that breaks right after a roll)
          hang.flag        every Set-Secret hangs for 10 minutes (a vault that never answers)
          leak.flag        Set-Secret writes the value it received in a warning (SecretManagement passes an
                           extension's warnings on; the module must withhold them)
          fail-list.flag   Get-SecretInfo fails
        The extension module is named after the vault, so several can be registered in one process.
    #>
    [CmdletBinding()]
    param([string] $Name = 'CfCompanionVault')
    $root = Join-Path ([IO.Path]::GetTempPath()) "cf-companionvault-$([guid]::NewGuid().ToString('n'))"
    $module = Join-Path $root "module/$Name"
    $extension = Join-Path $module "$Name.Extension"
    $data = Join-Path $root 'data'
    $null = New-Item -ItemType Directory -Force -Path $extension, $data
    Set-Content -Path (Join-Path $module "$Name.psd1") -Value "@{ ModuleVersion = '1.0.0'; NestedModules = @('$Name.Extension'); FunctionsToExport = @() }"
    Set-Content -Path (Join-Path $extension "$Name.Extension.psd1") -Value @"
@{ ModuleVersion = '1.0.0'; RootModule = '$Name.Extension.psm1'
   FunctionsToExport = @('Set-Secret', 'Get-Secret', 'Remove-Secret', 'Get-SecretInfo', 'Test-SecretVault') }
"@
    Set-Content -Path (Join-Path $extension "$Name.Extension.psm1") -Value @'
function Get-CompanionPath([hashtable] $AdditionalParameters, [string] $Name) { Join-Path $AdditionalParameters.Path "$Name.secret" }
function Set-Secret {
    [CmdletBinding()]
    param([string] $Name, [object] $Secret, [string] $VaultName, [hashtable] $AdditionalParameters)
    $flag = Join-Path $AdditionalParameters.Path 'fail-write.flag'
    if ((Test-Path $flag) -and $Name -like (Get-Content -Raw $flag).Trim()) { throw "CompanionVault refused to write $Name." }
    if (Test-Path (Join-Path $AdditionalParameters.Path 'hang.flag')) { Start-Sleep -Seconds 600 }
    $plain = if ($Secret -is [securestring]) { [Net.NetworkCredential]::new('', $Secret).Password } else { [string] $Secret }
    if (Test-Path (Join-Path $AdditionalParameters.Path 'leak.flag')) { Write-Warning "CompanionVault received the value $plain" }
    Set-Content -Path (Get-CompanionPath $AdditionalParameters $Name) -Value $plain -NoNewline
    $true
}
function Get-Secret {
    [CmdletBinding()]
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    $path = Get-CompanionPath $AdditionalParameters $Name
    if (Test-Path $path) { Get-Content -Raw $path }
}
function Remove-Secret {
    [CmdletBinding()]
    param([string] $Name, [string] $VaultName, [hashtable] $AdditionalParameters)
    Remove-Item (Get-CompanionPath $AdditionalParameters $Name) -ErrorAction Stop
    $true
}
function Get-SecretInfo {
    [CmdletBinding()]
    param([string] $Filter, [string] $VaultName, [hashtable] $AdditionalParameters)
    if (Test-Path (Join-Path $AdditionalParameters.Path 'fail-list.flag')) { throw 'CompanionVault is locked.' }
    $pattern = if ($Filter) { $Filter } else { '*' }
    Get-ChildItem -Path $AdditionalParameters.Path -Filter '*.secret' | ForEach-Object BaseName | Where-Object { $_ -like $pattern } | ForEach-Object {
        [Microsoft.PowerShell.SecretManagement.SecretInformation]::new($_, [Microsoft.PowerShell.SecretManagement.SecretType]::String, $VaultName)
    }
}
function Test-SecretVault { [CmdletBinding()] param([string] $VaultName, [hashtable] $AdditionalParameters) $true }
'@
    Register-SecretVault -Name $Name -ModuleName $module -VaultParameters @{ Path = $data } -AllowClobber
    @{ Name = $Name; Data = $data; Root = $root }
}
