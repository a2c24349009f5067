#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# Connect-CfAccount, Get-CfSession, Disconnect-CfAccount as a user types them in real pwsh, against the built emulator.
# The same behaviours are covered in process by tests/integration/Cmdlets/{SessionTests,BadInputTests,SecretLeakTests}.cs.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force

    $script:adminValue = Get-PlainText $script:emulator.Token
    $script:cfVariables = 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_BASE_URL'
    $script:savedVariables = @{}
    foreach ($name in $script:cfVariables) { $script:savedVariables[$name] = [Environment]::GetEnvironmentVariable($name) }

    # The truth, read straight from the emulator's API (not through the module under test).
    $bearer = @{ Authentication = 'Bearer'; Token = $script:emulator.Token; AllowUnencryptedAuthentication = $true }
    $script:accountId = (Invoke-RestMethod -Uri "$($script:emulator.BaseUri)accounts" @bearer).result[0].id
    $script:adminTokenId = (Invoke-RestMethod -Uri "$($script:emulator.BaseUri)user/tokens/verify" @bearer).result.id

    function Get-EmulatorRequest {
        <# The API requests the emulator has received so far (method, path, ...), oldest first. #>
        @((Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path requests).result)
    }

    function Add-EmulatorFault([hashtable] $Rule) {
        Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path faults -Method POST -Body $Rule | Out-Null
    }

    function Clear-CfVariable {
        foreach ($name in $script:cfVariables) { [Environment]::SetEnvironmentVariable($name, $null) }
    }

    function New-TestUserToken {
        <# A fresh user token made through the admin session; returns the CfTokenCredential (value as SecureString). #>
        param([string] $Name, [string[]] $PermissionGroup = @('API Tokens Read'))
        $admin = Connect-TestSession -Emulator $script:emulator
        try { New-CfToken -Name $Name -PermissionGroup $PermissionGroup -Session $admin -Confirm:$false -ErrorAction Stop }
        finally { Disconnect-CfAccount -Session $admin }
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    foreach ($name in $script:cfVariables) { [Environment]::SetEnvironmentVariable($name, $script:savedVariables[$name]) }
    $script:emulator | Stop-TestEmulator
}

Describe 'Session commands' {
    BeforeEach {
        Clear-CfVariable
        Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path faults -Method DELETE | Out-Null
    }

    AfterEach {
        Disconnect-CfAccount -ErrorAction SilentlyContinue
        Clear-CfVariable
        Invoke-TestEmulatorAdmin -Emulator $script:emulator -Path faults -Method DELETE | Out-Null
    }

    Describe 'Connect-CfAccount -ApiToken' {
        It 'verifies a user token on /user/tokens/verify and adopts the only account' {
            $before = (Get-EmulatorRequest).Count
            $session = Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri
            $session.GetType().FullName | Should -Be 'CfManagement.Sessions.CfSession'
            $session.TokenScope | Should -Be 'User'
            $session.TokenId | Should -Be $script:adminTokenId
            $session.TokenStatus | Should -Be 'active'
            $session.AccountId | Should -Be $script:accountId
            $session.Source | Should -Be 'Parameter'
            $session.ApiBaseUri.AbsoluteUri | Should -Be $script:emulator.BaseUri
            $sent = Get-EmulatorRequest | Select-Object -Skip $before
            $sent.Path | Should -Contain '/client/v4/user/tokens/verify'
            Get-CfSession | Should -Be $session
        }

        It 'takes the token positionally and by its alias -Token' {
            (Connect-CfAccount $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri).TokenId | Should -Be $script:adminTokenId
            (Connect-CfAccount -Token $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri).TokenId | Should -Be $script:adminTokenId
        }

        It 'uses the account given with -AccountId' {
            $session = Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri -AccountId $script:accountId
            $session.AccountId | Should -Be $script:accountId
        }

        It 'verifies an account token (cfat_) on the account endpoint when -AccountId is given' {
            $admin = Connect-TestSession -Emulator $script:emulator
            $created = New-CfToken -Name pester-account-conn -PermissionGroup 'Account API Tokens Read' -Scope Account -Session $admin -Confirm:$false
            Disconnect-CfAccount
            $before = (Get-EmulatorRequest).Count

            $session = Connect-CfAccount -ApiToken $created.Value -ApiBaseUri $script:emulator.BaseUri -AccountId $script:accountId
            $session.TokenScope | Should -Be 'Account'
            $session.TokenId | Should -Be $created.Id
            $sent = Get-EmulatorRequest | Select-Object -Skip $before
            $sent.Path | Should -Contain "/client/v4/accounts/$($script:accountId)/tokens/verify"
            $sent.Path | Should -Not -Contain '/client/v4/user/tokens/verify'
        }

        It 'refuses an account token without -AccountId before sending anything' {
            $admin = Connect-TestSession -Emulator $script:emulator
            $account = New-CfToken -Name pester-account-noid -PermissionGroup 'Account API Tokens Read' -Scope Account -Session $admin -Confirm:$false
            Disconnect-CfAccount
            $before = (Get-EmulatorRequest).Count

            $err = { Connect-CfAccount -ApiToken $account.Value -ApiBaseUri $script:emulator.BaseUri -ErrorAction Stop } |
                Should -Throw -ErrorId 'AccountIdRequired,CfManagement.Commands.Session.ConnectCfAccountCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.ErrorDetails.RecommendedAction | Should -Match '-AccountId'
            (Get-EmulatorRequest).Count | Should -Be $before
        }

        It 'rejects an unknown token as ApiAuthenticationFailed with Cloudflare''s code 9109, and keeps no session' {
            $bogus = ConvertTo-SecureString ('cfut_' + ('x' * 40)) -AsPlainText -Force
            $err = { Connect-CfAccount -ApiToken $bogus -ApiBaseUri $script:emulator.BaseUri -ErrorAction Stop } |
                Should -Throw -ErrorId 'ApiAuthenticationFailed,CfManagement.Commands.Session.ConnectCfAccountCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $err.ErrorDetails.Message | Should -Match '9109'
            Get-CfSession | Should -BeNullOrEmpty
        }

        It 'refuses a disabled token as TokenNotActive' {
            $created = New-TestUserToken -Name pester-disabled-conn
            $admin = Connect-TestSession -Emulator $script:emulator
            Set-CfToken -Id $created.Id -Disable -Session $admin -Confirm:$false
            Disconnect-CfAccount

            $err = { Connect-CfAccount -ApiToken $created.Value -ApiBaseUri $script:emulator.BaseUri -ErrorAction Stop } |
                Should -Throw -ErrorId 'TokenNotActive,CfManagement.Commands.Session.ConnectCfAccountCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            Get-CfSession | Should -BeNullOrEmpty
        }

        It 'keeps two sessions side by side: the last is current, -Session picks either (help example 3)' {
            $other = New-TestUserToken -Name pester-side-by-side
            $first = Connect-TestSession -Emulator $script:emulator
            $second = Connect-CfAccount -ApiToken $other.Value -ApiBaseUri $script:emulator.BaseUri
            Get-CfSession | Should -Be $second
            $first.IsDisposed | Should -BeFalse
            (Test-CfToken -Session $first).Id | Should -Be $first.TokenId
            (Test-CfToken -Session $second).Id | Should -Be $other.Id
            (Test-CfToken).Id | Should -Be $other.Id
            Disconnect-CfAccount -Session $first
            $first.IsDisposed | Should -BeTrue
            $second.IsDisposed | Should -BeFalse
        }

        It 'shows the session in detail with Format-List: scope, id, status, expiry, account, base URI, source' {
            Connect-TestSession -Emulator $script:emulator | Out-Null
            $text = Get-CfSession | Format-List | Out-String
            foreach ($label in 'TokenScope', 'TokenId', 'TokenStatus', 'TokenExpiresOn', 'AccountId', 'AccountName', 'ApiBaseUri', 'Source', 'ConnectedOn') {
                $text | Should -Match "(?m)^$label\s+:"
            }
            $text | Should -Match "TokenId\s+: $($script:adminTokenId)"
            $text | Should -Match 'TokenExpiresOn\s+: never'
        }

        It 'says what it connected to with -Verbose and never shows the token in any stream' {
            $text = Get-OutputText { $script:session = Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri -Verbose -Debug; $script:session | Format-List * }
            $script:session.TokenId | Should -Be $script:adminTokenId   # it ran
            $text | Should -Match "Connected: CfSession User token $($script:adminTokenId)"
            $text | Should -Not -Match ([regex]::Escape($script:adminValue.Substring(5)))
        }

        It 'keeps the token out of every stream when the token is refused' {
            $bogusValue = 'cfut_' + ('k' * 40)
            $bogus = ConvertTo-SecureString $bogusValue -AsPlainText -Force
            $text = Get-OutputText { try { Connect-CfAccount -ApiToken $bogus -ApiBaseUri $script:emulator.BaseUri -Verbose -Debug -ErrorAction Stop } catch { $script:caught = $_; $_ } }
            $script:caught.FullyQualifiedErrorId | Should -Be 'ApiAuthenticationFailed,CfManagement.Commands.Session.ConnectCfAccountCommand'   # it ran and failed as expected
            $text | Should -Match '\[9109\] Invalid access token'
            $text | Should -Not -Match ('k' * 20)
        }
    }

    Describe 'Connect-CfAccount refuses bad input before any request' {
        It '<Case> is <ErrorId>' -ForEach @(
            @{ Case = 'an ftp base URI'; Arguments = @{ ApiBaseUri = 'ftp://127.0.0.1/client/v4/' }; ErrorId = 'InvalidApiBaseUri'; Parameter = '-ApiBaseUri' }
            @{ Case = 'a base URI that is not one'; Arguments = @{ ApiBaseUri = 'not a uri' }; ErrorId = 'InvalidApiBaseUri'; Parameter = '-ApiBaseUri' }
            @{ Case = 'a relative base URI'; Arguments = @{ ApiBaseUri = '/client/v4/' }; ErrorId = 'InvalidApiBaseUri'; Parameter = '-ApiBaseUri' }
            @{ Case = 'a base URI with credentials'; Arguments = @{ ApiBaseUri = 'https://user:pw@api.cloudflare.com/client/v4/' }; ErrorId = 'InvalidApiBaseUri'; Parameter = '-ApiBaseUri' }
            @{ Case = 'a malformed account id'; Arguments = @{ AccountId = 'acct' }; ErrorId = 'InvalidAccountId'; Parameter = '-AccountId' }
            @{ Case = 'an empty account id'; Arguments = @{ AccountId = '' }; ErrorId = 'InvalidAccountId'; Parameter = '-AccountId' }
            @{ Case = 'an empty token'; Arguments = @{ ApiToken = [securestring]::new() }; ErrorId = 'MissingApiToken'; Parameter = '-ApiToken' }
            @{ Case = 'both ledgers'; Arguments = @{ LedgerPath = 'x.db'; LedgerDatabaseId = '0f2b6f0e-1c1d-4d3e-9a4b-5c6d7e8f9a0b' }; ErrorId = 'ConflictingParameters'; Parameter = '-LedgerPath' }
            @{ Case = 'a D1 ledger id that is not a uuid'; Arguments = @{ LedgerDatabaseId = 'ledger' }; ErrorId = 'InvalidId'; Parameter = '-LedgerDatabaseId' }
            @{ Case = 'an empty ledger path'; Arguments = @{ LedgerPath = ' ' }; ErrorId = 'InvalidName'; Parameter = '-LedgerPath' }
        ) {
            $parameters = @{ ApiToken = $script:emulator.Token; ApiBaseUri = $script:emulator.BaseUri }
            foreach ($key in $Arguments.Keys) { $parameters[$key] = $Arguments[$key] }
            $before = (Get-EmulatorRequest).Count
            $err = { Connect-CfAccount @parameters -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId,CfManagement.Commands.Session.ConnectCfAccountCommand" -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.ErrorDetails.Message | Should -Match ([regex]::Escape($Parameter))
            $err.ErrorDetails.RecommendedAction | Should -Match '\w'
            (Get-EmulatorRequest).Count | Should -Be $before
            Get-CfSession | Should -BeNullOrEmpty
        }

        It 'refuses -<Parameter> <Value> out of range in the binder' -ForEach @(
            @{ Parameter = 'MaxRetryCount'; Value = 11 }
            @{ Parameter = 'MaxRetryWaitSeconds'; Value = 601 }
            @{ Parameter = 'RequestTimeoutSeconds'; Value = 0 }
            @{ Parameter = 'RequestsPerFiveMinutes'; Value = 1201 }
        ) {
            $parameters = @{ ApiToken = $script:emulator.Token; ApiBaseUri = $script:emulator.BaseUri; $Parameter = $Value }
            $before = (Get-EmulatorRequest).Count
            $err = { Connect-CfAccount @parameters -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,CfManagement.Commands.Session.ConnectCfAccountCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -Match $Parameter
            (Get-EmulatorRequest).Count | Should -Be $before
        }

        It 'will not take -ApiToken and -FromEnvironment together' {
            { Connect-CfAccount -ApiToken $script:emulator.Token -FromEnvironment -ErrorAction Stop } |
                Should -Throw -ErrorId 'AmbiguousParameterSet,CfManagement.Commands.Session.ConnectCfAccountCommand'
        }
    }

    Describe 'Connect-CfAccount retry and rate-limit settings' {
        It 'sits out a 429 within -MaxRetryWaitSeconds and says so with -Verbose' {
            Add-EmulatorFault @{ kind = 'RateLimit'; retryAfterSeconds = 1; times = 1; pathContains = 'tokens/verify' }
            $before = (Get-EmulatorRequest).Count
            $text = Get-OutputText { $script:session = Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri -Verbose }
            $script:session.TokenStatus | Should -Be 'active'
            $text | Should -Match 'rate limit \(429\) on GET .*tokens/verify: retrying in 1 s \(attempt 2 of 5\)'
            @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Path -like '*/user/tokens/verify').Count | Should -Be 2
        }

        It 'gives a 429 back as ApiRateLimited when -MaxRetryCount 0' {
            Add-EmulatorFault @{ kind = 'RateLimit'; retryAfterSeconds = 1; times = 1; pathContains = 'tokens/verify' }
            $err = { Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri -MaxRetryCount 0 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ApiRateLimited,CfManagement.Commands.Session.ConnectCfAccountCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $err.ErrorDetails.RecommendedAction | Should -Match 'Retry after 1 seconds'
        }

        It 'does not wait out a Retry-After longer than -MaxRetryWaitSeconds' {
            Add-EmulatorFault @{ kind = 'RateLimit'; retryAfterSeconds = 30; times = 1; pathContains = 'tokens/verify' }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            { Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri -MaxRetryWaitSeconds 2 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ApiRateLimited,CfManagement.Commands.Session.ConnectCfAccountCommand'
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        }

        It 'gives up on a slow answer after -RequestTimeoutSeconds as ApiTimeout' {
            Add-EmulatorFault @{ kind = 'Latency'; delayMs = 5000; times = -1; pathContains = 'tokens/verify' }
            $err = { Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri -RequestTimeoutSeconds 1 -MaxRetryCount 0 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ApiTimeout,CfManagement.Commands.Session.ConnectCfAccountCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'OperationTimeout'
        }

        It 'retries a 5xx on a read up to -MaxRetryCount times' {
            Add-EmulatorFault @{ kind = 'Status'; statusCode = 503; times = 1; pathContains = 'tokens/verify' }
            $before = (Get-EmulatorRequest).Count
            (Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri -MaxRetryCount 1).TokenStatus | Should -Be 'active'
            @(Get-EmulatorRequest | Select-Object -Skip $before | Where-Object Path -like '*/user/tokens/verify').Count | Should -Be 2

            Disconnect-CfAccount
            Add-EmulatorFault @{ kind = 'Status'; statusCode = 503; times = 2; pathContains = 'tokens/verify' }
            $err = { Connect-CfAccount -ApiToken $script:emulator.Token -ApiBaseUri $script:emulator.BaseUri -MaxRetryCount 1 -ErrorAction Stop } |
                Should -Throw -ErrorId 'ApiUnavailable,CfManagement.Commands.Session.ConnectCfAccountCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        }
    }

    Describe 'Connect-CfAccount ledger settings' {
        It 'keeps -LedgerPath on the session, and later commands record there' {
            $ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-session-ledger-$([guid]::NewGuid().ToString('n')).db"
            try {
                $session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $ledger }
                $session.LedgerPath | Should -Be $ledger
                $session.LedgerDatabaseId | Should -BeNullOrEmpty
                $created = New-CfToken -Name pester-ledger-path -PermissionGroup 'API Tokens Read' -Confirm:$false
                Remove-CfToken -Id $created.Id -Confirm:$false
                Test-Path $ledger | Should -BeTrue
                $entries = @(Get-CfLedger -LedgerPath $ledger -TokenName pester-ledger-path)
                $entries.Action | Should -Be @('revoke')
                $entries[0].TokenId | Should -Be $created.Id
            }
            finally {
                Disconnect-CfAccount
                Remove-Item $ledger -ErrorAction SilentlyContinue
            }
        }

        It 'keeps -LedgerDatabaseId on the session' {
            $id = '0f2b6f0e-1c1d-4d3e-9a4b-5c6d7e8f9a0b'
            $session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerDatabaseId = $id }
            $session.LedgerDatabaseId | Should -Be $id
            $session.LedgerPath | Should -BeNullOrEmpty
        }
    }

    Describe 'Connect-CfAccount -FromEnvironment' {
        It 'reads CLOUDFLARE_API_TOKEN, CLOUDFLARE_ACCOUNT_ID and CLOUDFLARE_API_BASE_URL' {
            $env:CLOUDFLARE_API_TOKEN = $script:adminValue
            $env:CLOUDFLARE_ACCOUNT_ID = $script:accountId
            $env:CLOUDFLARE_API_BASE_URL = $script:emulator.BaseUri
            $session = Connect-CfAccount -FromEnvironment
            $session.Source | Should -Be 'Environment'
            $session.TokenId | Should -Be $script:adminTokenId
            $session.AccountId | Should -Be $script:accountId
            $session.ApiBaseUri.AbsoluteUri | Should -Be $script:emulator.BaseUri
            Get-CfSession | Should -Be $session
        }

        It 'lets -ApiBaseUri and -AccountId override the variables' {
            $env:CLOUDFLARE_API_TOKEN = $script:adminValue
            $env:CLOUDFLARE_ACCOUNT_ID = 'ffffffffffffffffffffffffffffffff'
            $env:CLOUDFLARE_API_BASE_URL = 'http://127.0.0.1:1/client/v4/'
            $session = Connect-CfAccount -FromEnvironment -ApiBaseUri $script:emulator.BaseUri -AccountId $script:accountId
            $session.AccountId | Should -Be $script:accountId
            $session.ApiBaseUri.AbsoluteUri | Should -Be $script:emulator.BaseUri
        }

        It 'names CLOUDFLARE_API_TOKEN when it is not set, before sending anything' {
            $before = (Get-EmulatorRequest).Count
            $err = { Connect-CfAccount -FromEnvironment -ApiBaseUri $script:emulator.BaseUri -ErrorAction Stop } |
                Should -Throw -ErrorId 'MissingApiToken,CfManagement.Commands.Session.ConnectCfAccountCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.ErrorDetails.Message | Should -Match 'CLOUDFLARE_API_TOKEN is not set'
            (Get-EmulatorRequest).Count | Should -Be $before
        }

        It 'refuses a malformed CLOUDFLARE_API_BASE_URL before sending anything' {
            $env:CLOUDFLARE_API_TOKEN = $script:adminValue
            $env:CLOUDFLARE_API_BASE_URL = 'ftp://127.0.0.1/'
            $before = (Get-EmulatorRequest).Count
            { Connect-CfAccount -FromEnvironment -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidApiBaseUri,CfManagement.Commands.Session.ConnectCfAccountCommand'
            (Get-EmulatorRequest).Count | Should -Be $before
        }

        It 'refuses a malformed CLOUDFLARE_ACCOUNT_ID before sending anything' {
            $env:CLOUDFLARE_API_TOKEN = $script:adminValue
            $env:CLOUDFLARE_ACCOUNT_ID = 'my-account'
            $before = (Get-EmulatorRequest).Count
            { Connect-CfAccount -FromEnvironment -ApiBaseUri $script:emulator.BaseUri -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidAccountId,CfManagement.Commands.Session.ConnectCfAccountCommand'
            (Get-EmulatorRequest).Count | Should -Be $before
        }

        It 'never shows the variable''s value in any stream' {
            $env:CLOUDFLARE_API_TOKEN = $script:adminValue
            $text = Get-OutputText { $script:session = Connect-CfAccount -FromEnvironment -ApiBaseUri $script:emulator.BaseUri -Verbose -Debug; $script:session | Format-List * }
            $script:session.Source | Should -Be 'Environment'
            $text | Should -Match 'Source\s+: Environment'
            $text | Should -Not -Match ([regex]::Escape($script:adminValue.Substring(5)))
        }
    }

    Describe 'Implicit connection from the environment' {
        It 'a session command connects with CLOUDFLARE_API_TOKEN when there is no session' {
            $env:CLOUDFLARE_API_TOKEN = $script:adminValue
            $env:CLOUDFLARE_API_BASE_URL = $script:emulator.BaseUri
            Get-CfSession | Should -BeNullOrEmpty
            $text = Get-OutputText { $script:found = Get-CfToken -Name admin-manager -Verbose }
            $script:found.Id | Should -Be $script:adminTokenId
            $text | Should -Match 'No session in this runspace: connecting with CLOUDFLARE_API_TOKEN'
            $session = Get-CfSession
            $session.Source | Should -Be 'Environment'
            $session.AccountId | Should -Be $script:accountId
            $text | Should -Not -Match ([regex]::Escape($script:adminValue.Substring(5)))
        }

        It 'without a session or the variable, commands say how to connect (NotConnected) and send nothing' {
            $before = (Get-EmulatorRequest).Count
            $err = { Test-CfToken -ErrorAction Stop } | Should -Throw -ErrorId 'NotConnected,CfManagement.Commands.Tokens.TestCfTokenCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'ConnectionError'
            $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-CfAccount'
            (Get-EmulatorRequest).Count | Should -Be $before
        }
    }

    Describe 'Get-CfSession' {
        It 'returns nothing and says why with -Verbose when not connected' {
            $text = Get-OutputText { $script:none = Get-CfSession -Verbose }
            $script:none | Should -BeNullOrEmpty
            $text | Should -Match 'Not connected: run Connect-CfAccount'
        }

        It 'returns the current session, which -Session accepts' {
            $session = Connect-TestSession -Emulator $script:emulator
            $current = Get-CfSession
            $current | Should -Be $session
            (Get-CfToken -Name admin-manager -Session $current).Id | Should -Be $script:adminTokenId
        }
    }

    Describe 'Disconnect-CfAccount' {
        It 'forgets the session and wipes it; later commands are NotConnected' {
            $session = Connect-TestSession -Emulator $script:emulator
            Disconnect-CfAccount
            $session.IsDisposed | Should -BeTrue
            Get-CfSession | Should -BeNullOrEmpty
            $err = { Get-CfToken -ErrorAction Stop } | Should -Throw -ErrorId 'NotConnected,CfManagement.Commands.Tokens.GetCfTokenCommand' -PassThru
            $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-CfAccount -ApiToken'
        }

        It 'is quiet when there is nothing to disconnect' {
            $text = Get-OutputText { Disconnect-CfAccount -Verbose -ErrorAction Stop }
            $text | Should -Match 'No session to disconnect'
        }

        It 'disconnects a piped session; a disconnected session passed to -Session is SessionDisposed' {
            $session = Connect-TestSession -Emulator $script:emulator
            $session | Disconnect-CfAccount
            $session.IsDisposed | Should -BeTrue
            Get-CfSession | Should -BeNullOrEmpty
            $err = { Get-CfToken -Session $session -ErrorAction Stop } | Should -Throw -ErrorId 'SessionDisposed,CfManagement.Commands.Tokens.GetCfTokenCommand' -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'disconnecting a session of another runspace leaves this runspace''s session alone' {
            # Sessions belong to their runspace: one made in another runspace is not current here.
            $runspace = [powershell]::Create()
            try {
                $null = $runspace.AddScript('param($m, $t, $u) Import-Module $m; Connect-CfAccount -ApiToken $t -ApiBaseUri $u').
                    AddArgument((Get-TestModuleManifest)).AddArgument($script:emulator.Token).AddArgument($script:emulator.BaseUri)
                $other = @($runspace.Invoke())[0]
                $runspace.HadErrors | Should -BeFalse
            }
            finally { $runspace.Dispose() }
            $other.TokenId | Should -Be $script:adminTokenId
            Get-CfSession | Should -BeNullOrEmpty

            $current = Connect-TestSession -Emulator $script:emulator
            (Get-CfToken -Name admin-manager -Session $other).Id | Should -Be $script:adminTokenId   # usable here when passed explicitly
            Disconnect-CfAccount -Session $other
            $other.IsDisposed | Should -BeTrue
            $current.IsDisposed | Should -BeFalse
            Get-CfSession | Should -Be $current
        }
    }

    Describe 'Help' {
        It '<Command> has a synopsis and examples in Get-Help -Full' -ForEach @(
            @{ Command = 'Connect-CfAccount' }, @{ Command = 'Get-CfSession' }, @{ Command = 'Disconnect-CfAccount' }
        ) {
            $help = Get-Help $Command -Full
            $help.Synopsis | Should -Not -Match "^\s*$Command\s*$"
            @($help.Examples.Example).Count | Should -BeGreaterThan 0
            ($help | Out-String) | Should -Match 'EXAMPLE 1|Example 1'
        }
    }

    Context 'Connect-CfAccount -Vault with a real SecretStore vault' {
        BeforeAll { $script:vault = Initialize-TestVault }
        AfterAll {
            foreach ($name in 'CF_PESTER_MGMT', 'CF_PESTER_MGMT_C', 'CF_PESTER_MGMT_C__TOKEN_ID', 'CF_PESTER_MGMT_C__EXPIRES_AT') {
                Remove-Secret -Name $name -Vault $script:vault -ErrorAction SilentlyContinue
            }
        }

        It 'reads the token, its id and expiry from metadata, and warns 13 days ahead' {
            $expires = [DateTimeOffset]::UtcNow.AddDays(13).UtcDateTime.ToString('o')
            Set-Secret -Name CF_PESTER_MGMT -Vault $script:vault -Secret $script:emulator.Token -Metadata @{ TokenId = $script:adminTokenId; ExpiresOn = $expires }
            $session = Connect-CfAccount -Vault $script:vault -SecretName CF_PESTER_MGMT -ApiBaseUri $script:emulator.BaseUri -AccountId $script:accountId -WarningVariable warnings -WarningAction SilentlyContinue
            $session.TokenId | Should -Be $script:adminTokenId
            $session.TokenExpiresOnSource | Should -Be 'vault'
            $session.TokenExpiresOn.UtcDateTime.ToString('o') | Should -Be ([DateTimeOffset]::Parse($expires).UtcDateTime.ToString('o'))
            ($warnings -join "`n") | Should -Match 'expires on'
            Get-CfSession | Should -Be $session
        }

        It 'reads the companions of a value stored without metadata; 15 days is no warning' {
            Set-Secret -Name CF_PESTER_MGMT_C -Vault $script:vault -Secret $script:adminValue
            Set-Secret -Name CF_PESTER_MGMT_C__TOKEN_ID -Vault $script:vault -Secret $script:adminTokenId
            Set-Secret -Name CF_PESTER_MGMT_C__EXPIRES_AT -Vault $script:vault -Secret ([DateTimeOffset]::UtcNow.AddDays(15).UtcDateTime.ToString('o'))
            $session = Connect-CfAccount -Vault $script:vault -SecretName CF_PESTER_MGMT_C -ApiBaseUri $script:emulator.BaseUri -AccountId $script:accountId -WarningVariable warnings
            $session.TokenExpiresOnSource | Should -Be 'vault'
            $session.TokenExpiresOn | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddDays(14.9))
            ($warnings -join "`n") | Should -Not -Match 'expires on'
        }

        It 'a missing secret is VaultTokenNotFound naming the vault and the secret, before any request' {
            $before = (Get-EmulatorRequest).Count
            $err = { Connect-CfAccount -Vault $script:vault -SecretName CF_PESTER_ABSENT -ApiBaseUri $script:emulator.BaseUri } |
                Should -Throw -ErrorId 'VaultTokenNotFound,CfManagement.Commands.Session.ConnectCfAccountCommand' -PassThru
            $err.ErrorDetails.Message | Should -Match "CF_PESTER_ABSENT.*$($script:vault)"
            $err.ErrorDetails.RecommendedAction | Should -Match 'Get-SecretInfo'
            (Get-EmulatorRequest).Count | Should -Be $before
        }

        It 'never shows the token, even with -Verbose -Debug' {
            $text = Get-OutputText { Connect-CfAccount -Vault $script:vault -SecretName CF_PESTER_MGMT -ApiBaseUri $script:emulator.BaseUri -AccountId $script:accountId -Verbose -Debug -WarningAction Continue }
            $text | Should -Match 'Connected'
            $text | Should -Not -Match ([regex]::Escape($script:adminValue))
        }
    }
}
