#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# The session under a rate limit, in real pwsh against the built emulator: it follows the server's Ratelimit headers
# and refuses nothing; a turn further away than -MaxRetryWaitSeconds fails at once as ApiRateLimited, sending nothing.
# The in-process twins are tests/unit/Http/ServerRateLimitPolicyTests.cs and tests/integration/Cmdlets/RateLimitWaitTests.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    function script:Get-RequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator).Count }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
}

Describe 'A session under the server''s rate-limit policy' {
    It 'paces itself by the Ratelimit headers: 50 calls against 20 per 2 s get no 429' {
        $policy = Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path ratelimit -Method POST -Body @{ requests = 20; windowSeconds = 2 }
        $policy.result.requests | Should -Be 20
        Connect-TestSession -Emulator $script:emulator | Out-Null
        $watch = [Diagnostics.Stopwatch]::StartNew()
        1..50 | ForEach-Object { Get-CfToken -ErrorAction Stop | Out-Null }
        $watch.Stop()
        (Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path ratelimit).result.refused | Should -Be 0
        # 51 requests with the connect: at least 2 windows of waiting, and not much more.
        $watch.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 3.5
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
    }

    It 'fails at once as ApiRateLimited, sending nothing, when the turn is further away than -MaxRetryWaitSeconds' {
        Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path ratelimit -Method POST -Body @{ requests = 1200; windowSeconds = 300 } | Out-Null
        Connect-TestSession -Emulator $script:emulator -Parameters @{ RequestsPerFiveMinutes = 2; MaxRetryWaitSeconds = 5; RequestTimeoutSeconds = 5 } | Out-Null
        $err = $null
        foreach ($i in 1..3) {
            $before = Get-RequestCount
            $watch = [Diagnostics.Stopwatch]::StartNew()
            Get-CfToken -ErrorAction SilentlyContinue -ErrorVariable err | Out-Null
            if ($err) { break }
        }
        $err | Should -Not -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ApiRateLimited,*'
        $err[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 3
        Get-RequestCount | Should -Be $before
        $err[0].Exception.RetryAfter.TotalSeconds | Should -BeGreaterThan 200
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'Retry after \d+ seconds'
    }
}
