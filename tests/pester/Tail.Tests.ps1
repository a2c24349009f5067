#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Start-CfTail, Get-CfTail and Stop-CfTail as a user types them in real pwsh, against the built emulator's trace-v1
# socket fed with synthetic traffic (POST /__emulator/tails/generate: mixed kinds, every 5th fetch throws). What the
# emulator holds afterwards is read through its admin API (GET /__emulator/tails), not through the module under test.
# Reconnection, renewal, 10057, backpressure, bad input and leaks run in process: tests/integration/Cmdlets/Tail.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    foreach ($name in 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_BASE_URL') { [Environment]::SetEnvironmentVariable($name, $null) }
    $script:session = Connect-TestSession -Emulator $script:emulator
    $script:accountId = $script:session.AccountId
    foreach ($name in 'tail-a', 'tail-b') { $null = Send-TestWorkerUpload -Emulator $script:emulator -AccountId $script:accountId -Name $name }
    $script:dir = Join-Path ([IO.Path]::GetTempPath()) "cf-tail-$([guid]::NewGuid().ToString('n'))"
    $null = New-Item -ItemType Directory -Path $script:dir
    # The pipelines below are typed as a user types them; this only bounds a broken stream (each test counts what came,
    # so a stop by -Duration fails it rather than hanging the run).
    $PSDefaultParameterValues['Start-CfTail:Duration'] = [timespan]::FromSeconds(60)

    function Start-TestTraffic {
        <# Paced synthetic traffic for each script, in the background; a tail that connects later sees it from then on. #>
        param([Parameter(Mandatory)] [string[]] $Script, [int] $EventsPerSecond = 400)
        foreach ($name in $Script) {
            $null = Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path tails/generate -Body @{ target = $name; count = 1000000; eventsPerSecond = $EventsPerSecond }
        }
    }

    function Get-EmulatorTail {
        <# The tails the emulator holds (all, or of -Script), as its admin API lists them. #>
        param([string] $Script)
        @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path tails).result | Where-Object { -not $Script -or $_.target -eq $Script })
    }

    function Wait-Until {
        param([Parameter(Mandatory)] [scriptblock] $Condition, [double] $Seconds = 30, [string] $Because)
        $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "Not within $Seconds s: $Because" }
            Start-Sleep -Milliseconds 50
        }
    }

    function New-LeftoverTail([string] $Script) {
        <# A tail made straight through the API (with the admin token), as a killed process would leave it. #>
        Invoke-TestCloudflareApi -Emulator $script:emulator -Method POST -Path "accounts/$script:accountId/workers/scripts/$Script/tails" -Body @{ filters = @() }
    }
}

AfterAll {
    $PSDefaultParameterValues.Remove('Start-CfTail:Duration')
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:dir -Recurse -ErrorAction SilentlyContinue
}

Describe 'Start-CfTail in a user''s pipeline' {
    AfterEach {
        $null = Invoke-TestEmulatorAdmin -Emulator $script:emulator -Method POST -Path tails/stop-generating
        foreach ($tail in Get-EmulatorTail) {
            $null = Invoke-TestCloudflareApi -Emulator $script:emulator -Method DELETE -Path "accounts/$script:accountId/workers/scripts/$($tail.target)/tails/$($tail.id)"
        }
    }

    It 'groups the first 100 events of two Workers by outcome, each event tagged with its Worker, and deletes both tails' {
        Start-TestTraffic -Script tail-a, tail-b

        $groups = @(Start-CfTail -Script tail-a, tail-b -First 100 | Group-Object Outcome)

        ($groups | Measure-Object Count -Sum).Sum | Should -Be 100
        @($groups.Name | Sort-Object) | Should -Be @('exception', 'ok')
        $events = @($groups.Group)
        @($events.ScriptName | Sort-Object -Unique) | Should -Be @('tail-a', 'tail-b')
        foreach ($e in $events) {
            # The emulator names the Worker in each request's host: the tag must be the Worker the event came from.
            if ($e.Request) { $e.Request.Url | Should -BeLike "https://$($e.ScriptName).example.workers.dev/*" }
        }
        $thrown = ($groups | Where-Object Name -eq 'exception').Group
        $thrown | ForEach-Object { $_.IsError | Should -BeTrue; $_.Exceptions.Count | Should -BeGreaterThan 0 }
        Get-EmulatorTail | Should -BeNullOrEmpty -Because '-First deletes the tails it created'
    }

    It 'exports only the events with exceptions to a CSV a person can read' {
        Start-TestTraffic -Script tail-a
        $csv = Join-Path $script:dir 'exceptions.csv'

        Start-CfTail -Script tail-a -First 70 | Tee-Object -Variable seen | Where-Object { $_.Exceptions } | Export-Csv -Path $csv

        Test-Path $csv | Should -BeTrue
        $thrown = @($seen | Where-Object { $_.Exceptions.Count -gt 0 })
        $thrown.Count | Should -BeGreaterThan 0 -Because '70 events in a row hold at least 6 that threw'
        $rows = @(Import-Csv $csv)
        $rows.Count | Should -Be $thrown.Count
        $rows.Outcome | Select-Object -Unique | Should -Be 'exception'
        $rows.ScriptName | Select-Object -Unique | Should -Be 'tail-a'
        for ($i = 0; $i -lt $rows.Count; $i++) {
            $rows[$i].Exceptions | Should -Be "TypeError: Cannot read properties of undefined (reading 'id')"
            $rows[$i].Logs | Should -BeLike '(log) request #* {"seq":*}; (error) lookup failed for user'
            $rows[$i].Request | Should -Be "$($thrown[$i].Request.Method) $($thrown[$i].Request.Url) - 500"
            $rows[$i].Kind | Should -Be 'Request'
        }
        $text = Get-Content -Raw $csv
        $text | Should -Not -Match 'System\.Collections|CfManagement\.Model' -Because 'no cell may print as a type name'
        $text | Should -Not -Match 'SECRET-' -Because 'credential headers never reach an export'
    }

    It 'stops when its thread job is stopped (Ctrl+C) and leaves no tail at the emulator' {
        Start-TestTraffic -Script tail-a -EventsPerSecond 100
        $manifest = Get-TestModuleManifest
        $token = $script:emulator.Token
        $baseUri = $script:emulator.BaseUri
        $job = Start-ThreadJob -ScriptBlock {
            Import-Module $using:manifest -ErrorAction Stop
            $null = Connect-CfAccount -ApiToken $using:token -ApiBaseUri $using:baseUri
            Start-CfTail -Script tail-a
        }
        try {
            $why = { "job $($job.State): $($job.ChildJobs[0].JobStateInfo.Reason) $($job.ChildJobs.Error)" }
            Wait-Until -Because "the job's tail connects and streams ($(& $why))" -Condition {
                $job.State -notin 'NotStarted', 'Running' -or (@(Get-EmulatorTail tail-a | Where-Object connected).Count -eq 1 -and $job.HasMoreData)
            }
            $job.State | Should -Be 'Running' -Because "the module imports and streams in a thread job ($(& $why))"
            $tailId = (Get-EmulatorTail tail-a).id
            $received = @(Receive-Job $job)
            $received.Count | Should -BeGreaterThan 0
            $received[0].GetType().FullName | Should -Be 'CfManagement.Model.CfTailEvent'

            $clock = [Diagnostics.Stopwatch]::StartNew()
            $job | Stop-Job
            $job.State | Should -Be 'Stopped'
            Wait-Until -Seconds 5 -Because 'a stopped Start-CfTail deletes its tail' -Condition { @(Get-EmulatorTail tail-a).Count -eq 0 }
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
            @(Get-TestEmulatorRequest -Emulator $script:emulator | Where-Object { $_.method -eq 'DELETE' -and $_.path -like "*/tails/$tailId" }).Count | Should -Be 1
        }
        finally { $job | Remove-Job -Force }
    }

    It 'shows one readable line per event with its log lines, and Format-List shows every property' {
        Start-TestTraffic -Script tail-a

        $events = @(Start-CfTail -Script tail-a -First 20)

        $events.Count | Should -Be 20
        $text = $events | Out-String -Width 250
        $lines = $text -split '\r?\n'
        @($lines | Where-Object { $_ -like 'tail-a: *' }).Count | Should -Be 20 -Because 'one line per event'
        foreach ($e in $events) {
            $text | Should -Match ('(?m)^' + [regex]::Escape("tail-a: $e") + '$')
            foreach ($log in $e.Logs) { $text | Should -Match ('(?m)^' + [regex]::Escape("  ($($log.Level)) $($log.Message)") + '$') }
            foreach ($ex in $e.Exceptions) { $text | Should -Match ('(?m)^' + [regex]::Escape("  (exception) $($ex.Name): $($ex.Message)") + '$') }
        }
        $request = $events | Where-Object { $_.Request } | Select-Object -First 1
        $text | Should -Match ([regex]::Escape("tail-a: $($request.Request.Method) $($request.Request.Url) - "))
        $text | Should -Not -Match 'SECRET-'

        # Format-List: every property that has a value, with the request's colo and headers, logs and stacks spelled out.
        foreach ($e in $events) {
            $list = $e | Format-List | Out-String -Width 250
            foreach ($property in $e.PSObject.Properties | Where-Object { $null -ne $_.Value }) { $list | Should -Match "(?m)^$($property.Name)\s+:" }
            foreach ($log in $e.Logs) { $list | Should -Match ([regex]::Escape($log.ToString())) }
        }
        $thrown = $events | Where-Object { $_.Exceptions } | Select-Object -First 1
        $thrown | Should -Not -BeNullOrEmpty -Because 'every 15 events in a row hold one that threw'
        $list = $thrown | Format-List | Out-String -Width 250
        $list | Should -Match "(?m)^Exceptions\s+: TypeError: Cannot read properties of undefined \(reading 'id'\)\r?\n\s+at handleRequest \(index\.js:42:17\)"
        $list | Should -Match "(?m)^Colo\s+: $($thrown.Request.Colo) $($thrown.Request.Country)$"
        $list | Should -Match '(?m)^Headers\s+: accept: application/json'
        $list | Should -Match '(?m)^\s+authorization: REDACTED$'
        $list | Should -Not -Match 'SECRET-'
        Get-EmulatorTail | Should -BeNullOrEmpty
    }
}

Describe 'Get-CfTail and Stop-CfTail in a user''s pipeline' {
    BeforeEach {
        $script:leftA = @((New-LeftoverTail tail-a), (New-LeftoverTail tail-a))
        $script:leftB = New-LeftoverTail tail-b
    }

    AfterEach {
        foreach ($tail in Get-EmulatorTail) {
            $null = Invoke-TestCloudflareApi -Emulator $script:emulator -Method DELETE -Path "accounts/$script:accountId/workers/scripts/$($tail.target)/tails/$($tail.id)"
        }
    }

    It 'lists the active tails of a Worker as a table' {
        $tails = @(Get-CfTail -Script tail-a)

        @($tails.Id | Sort-Object) | Should -Be @($script:leftA.id | Sort-Object)
        $tails.ScriptName | Select-Object -Unique | Should -Be 'tail-a'
        $table = $tails | Out-String -Width 200
        $table | Should -Match 'ScriptName\s+Id\s+ExpiresAt'
        foreach ($id in $script:leftA.id) { $table | Should -Match "tail-a\s+$id" }
    }

    It 'previews with -WhatIf and deletes nothing' {
        $requests = @(Get-TestEmulatorRequest -Emulator $script:emulator).Count

        Get-CfTail -Script tail-a | Stop-CfTail -WhatIf

        @(Get-EmulatorTail tail-a).Count | Should -Be 2
        @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $requests | Where-Object method -eq 'DELETE') | Should -BeNullOrEmpty
    }

    It 'deletes the piped tails of one Worker and leaves the other Worker''s' {
        $result = Get-CfTail -Script tail-a | Stop-CfTail -Confirm:$false

        $result | Should -BeNullOrEmpty
        Get-EmulatorTail tail-a | Should -BeNullOrEmpty
        (Get-EmulatorTail tail-b).id | Should -Be $script:leftB.id
        @(Get-CfTail -Script tail-a) | Should -BeNullOrEmpty
    }
}
