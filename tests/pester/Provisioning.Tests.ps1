#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# The runbook's provisioning and emergency stop as a user types them in real pwsh: New-CfScopedToken (from the sample
# psd1/JSON templates in docs/templates, and from parameters) and Revoke-CfToken, against the built emulator and a
# real SecretStore vault. The truth is read straight from the emulator (its API with the admin token, its request log)
# and from the vault through SecretManagement, not through the commands under test.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    foreach ($name in 'CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID', 'CLOUDFLARE_API_BASE_URL') { [Environment]::SetEnvironmentVariable($name, $null) }
    $script:vault = Initialize-TestVault
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-provision-$([guid]::NewGuid().ToString('n')).db"
    $script:session = Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger }
    $script:adminValue = Get-PlainText $script:emulator.Token
    $script:accountId = $script:session.AccountId
    $script:templates = Join-Path (Get-TestRepoRoot) 'docs/templates'
    $script:getraxxCom = '0bdcee38d1da2d021eb6166f0bd6204f'
    $script:raxxApp = 'f12dbb5cac57d5591a5058874498a6d1'
    $script:raxxIo = 'f3d1b89d86d1aa63a003f2826a8f841c'

    function script:New-Name([string] $Stem) { "$Stem-$([guid]::NewGuid().ToString('n').Substring(0, 8))" }
    function script:Get-RequestCount { @(Get-TestEmulatorRequest -Emulator $script:emulator).Count }
    function script:Get-NewRequest([int] $Since) { @(Get-TestEmulatorRequest -Emulator $script:emulator -Skip $Since) }
    function script:Get-TokenCreate([int] $Since) { @(Get-NewRequest $Since | Where-Object { $_.Method -eq 'POST' -and $_.Path -match '/tokens$' }) }
    function script:Get-TokenDelete([int] $Since) { @(Get-NewRequest $Since | Where-Object { $_.Method -eq 'DELETE' }) }
    function script:Get-RawToken([string] $Id) {
        <# A user token as the API itself returns it, or $null when it does not exist. #>
        try { Invoke-TestCloudflareApi -Emulator $script:emulator -Path "user/tokens/$Id" }
        catch { if ($_.Exception.Response.StatusCode -eq 404) { $null } else { throw } }
    }
    function script:Get-VaultText([string] $Name) {
        $secret = Get-Secret -Name $Name -Vault $script:vault -ErrorAction SilentlyContinue
        if ($secret -is [securestring]) { Get-PlainText $secret } elseif ($null -ne $secret) { [string] $secret }
    }
    function script:Get-VaultNames([string] $Pattern) { @(Get-SecretInfo -Vault $script:vault -Name $Pattern -ErrorAction SilentlyContinue | ForEach-Object Name | Sort-Object) }
    function script:Get-WorkerSecretNames([string] $Script) {
        @(Invoke-TestCloudflareApi -Emulator $script:emulator -Path "accounts/$($script:accountId)/workers/scripts/$Script/secrets") | ForEach-Object name
    }
    function script:New-Provisioned([string] $Name, [string[]] $Consumer = @('external:pester')) {
        <# A token provisioned the way the runbook does it, for the revoke specs. #>
        New-CfScopedToken -Name $Name -PermissionGroup 'DNS Read' -Zone raxx.app -Ttl 1.00:00:00 -Vault $script:vault -Consumer $Consumer -Confirm:$false -ErrorAction Stop
    }
    function script:Write-Template([string] $Name, [string] $Text) {
        $path = Join-Path $TestDrive $Name
        Set-Content -Path $path -Value $Text -Encoding utf8
        $path
    }
    function script:Get-HostText([scriptblock] $ScriptBlock) {
        # -WhatIf writes to the host, not to a stream: a transcript is how a user would capture it.
        $file = Join-Path $TestDrive "host-$([guid]::NewGuid().ToString('n')).txt"
        Start-Transcript -Path $file -UseMinimalHeader | Out-Null
        try { & $ScriptBlock | Out-Null } finally { Stop-Transcript | Out-Null }
        Get-Content -Raw $file
    }
}

AfterAll {
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Remove-Item $script:ledger -ErrorAction SilentlyContinue
}

Describe 'New-CfScopedToken' {
    It 'provisions from the psd1 sample template: the vault value verifies, metadata and companions are there, the consumer is registered, no value is returned' {
        $name = New-Name 'CF_DNS_EDIT_PSD1'
        $Error.Clear()
        $made = New-CfScopedToken -TemplatePath (Join-Path $script:templates 'zone-dns-edit.psd1') -Name $name -Vault $script:vault -Confirm:$false
        $Error.Count | Should -Be 0 -Because "got: $($Error | ForEach-Object FullyQualifiedErrorId)"

        $made.PSObject.TypeNames[0] | Should -Be 'CfManagement.ScopedToken'
        $made.Name | Should -Be $name
        $made.TokenId | Should -Match '^[0-9a-f]{32}$'
        $made.SecretName | Should -Be $name
        $made.Template | Should -Be (Join-Path $script:templates 'zone-dns-edit.psd1')
        $made.PSObject.Properties.Name | Should -Not -Contain 'Value'
        @($made.PermissionGroups) | Sort-Object | Should -Be @('DNS Write', 'Zone Read')

        # Cloudflare: the template's groups on getraxx.com only, about 90 days.
        $raw = Get-RawToken $made.TokenId
        @($raw.policies.permission_groups.name) | Sort-Object | Should -Be @('DNS Write', 'Zone Read')
        @($raw.policies.resources.PSObject.Properties.Name) | Should -Be @("com.cloudflare.api.account.zone.$($script:getraxxCom)")
        ([DateTimeOffset] $raw.expires_on - [DateTimeOffset]::UtcNow).TotalDays | Should -BeGreaterThan 89.9

        # The vault: a live value, metadata, companions (both ways), and the convention's reading of it.
        (Test-CfToken -Token (Get-Secret -Vault $script:vault -Name $name)).Status | Should -Be 'active'
        $info = Get-SecretInfo -Vault $script:vault -Name $name
        $info.Metadata['TokenId'] | Should -Be $made.TokenId
        $info.Metadata['Scopes'] | Should -Match 'DNS Write'
        Get-VaultText "$($name)__TOKEN_ID" | Should -Be $made.TokenId
        Get-VaultText "$($name)__EXPIRES_AT" | Should -Match '^\d{4}-\d\d-\d\dT'
        Get-VaultText "$($name)__SCOPES" | Should -Match 'DNS Write'
        $credential = Get-CfVaultCredential -Vault $script:vault -Name $name
        $credential.TokenId | Should -Be $made.TokenId
        $credential.Kind | Should -Be 'ApiToken'
        $credential.IsRevoked | Should -BeFalse

        # The consumer map.
        $consumers = @(Get-CfTokenConsumer -Credential $name)
        $consumers.Destination | Should -Be @('external:Terraform (getraxx.com DNS)')
        $consumers[0].Kind | Should -Be 'External'
        @($made.Consumers).Destination | Should -Be @('external:Terraform (getraxx.com DNS)')
    }

    It 'provisions from the JSON sample template, with -Zone and -SecretName overriding it' {
        $name = New-Name 'CF_DNS_EDIT_JSON'
        $secret = "$name-SECRET"
        $made = New-CfScopedToken -TemplatePath (Join-Path $script:templates 'zone-dns-edit.json') -Name $name -Zone raxx.io -SecretName $secret -Vault $script:vault -Confirm:$false -ErrorAction Stop
        $made.SecretName | Should -Be $secret
        @($made.Zones) | Should -Be @('raxx.io')
        $raw = Get-RawToken $made.TokenId
        $raw.name | Should -Be $name
        @($raw.policies.resources.PSObject.Properties.Name) | Should -Be @("com.cloudflare.api.account.zone.$($script:raxxIo)")
        (Test-CfToken -Token (Get-Secret -Vault $script:vault -Name $secret)).Status | Should -Be 'active'
        Get-VaultText "$($secret)__TOKEN_ID" | Should -Be $made.TokenId
        @(Get-CfTokenConsumer -Credential $secret).Destination | Should -Be @('external:Terraform (getraxx.com DNS)')
    }

    It 'provisions from parameters, as the runbook''s procedure is typed' {
        $name = New-Name 'CF_WAF_EDIT_RAXX_APP'
        $made = New-CfScopedToken -Name $name -PermissionGroup 'Zone WAF Write', 'Zone Read' -Zone raxx.app -Ttl 90.00:00:00 -Vault $script:vault `
            -Consumer 'external:sre-agent (CI)', 'external:cloudflare-rate-limiting.md procedures' -Description 'WAF rate-limit rules on raxx.app' -Confirm:$false -ErrorAction Stop
        $raw = Get-RawToken $made.TokenId
        @($raw.policies.permission_groups.name) | Sort-Object | Should -Be @('Zone Read', 'Zone WAF Write')
        @($raw.policies.resources.PSObject.Properties.Name) | Should -Be @("com.cloudflare.api.account.zone.$($script:raxxApp)")
        (Test-CfToken -Token (Get-Secret -Vault $script:vault -Name $name)).Status | Should -Be 'active'
        $made.Description | Should -Be 'WAF rate-limit rules on raxx.app'
        $consumers = @(Get-CfTokenConsumer -Credential $name | Sort-Object Destination)
        $consumers.Destination | Should -Be @('external:cloudflare-rate-limiting.md procedures', 'external:sre-agent (CI)')
        $table = $made | Format-Table | Out-String -Width 300
        $table | Should -Match $made.TokenId
        $table | Should -Match ([regex]::Escape("vault:$($script:vault)/"))
        $table | Should -Match ([regex]::Escape('external:sre-agent (CI)'))
    }

    It 'delivers the value to a Worker consumer and registers it' {
        $worker = "prov-$([guid]::NewGuid().ToString('n').Substring(0, 8))"
        Send-TestWorkerUpload -Emulator $script:emulator -AccountId $script:accountId -Name $worker | Out-Null
        $name = New-Name 'CF_DNS_WORKER'
        $made = New-CfScopedToken -Name $name -PermissionGroup 'DNS Read' -Zone raxx.app -Vault $script:vault -Consumer "worker:$worker/CF_API_TOKEN" -Confirm:$false -ErrorAction Stop
        Get-WorkerSecretNames $worker | Should -Contain 'CF_API_TOKEN'
        $consumer = @(Get-CfTokenConsumer -Credential $name)
        $consumer.Destination | Should -Be @("worker:$worker/CF_API_TOKEN")
        $consumer[0].Kind | Should -Be 'Worker'
        $consumer[0].Target | Should -Be $worker
        (Test-CfToken -Token (Get-Secret -Vault $script:vault -Name $name)).Status | Should -Be 'active'
        @($made.Consumers).Count | Should -Be 1
    }

    It '-WhatIf prints the plan, resolves the names, and creates, stores and registers nothing' {
        $name = New-Name 'CF_WHATIF'
        $before = Get-RequestCount
        $text = Get-HostText { New-CfScopedToken -TemplatePath (Join-Path $script:templates 'zone-dns-edit.psd1') -Name $name -Vault $script:vault -Consumer 'external:whatif' -WhatIf }
        $text | Should -Match "Create API token '$name' with DNS Write, Zone Read on zone\(s\) getraxx.com"
        $text | Should -Match "vault '$($script:vault)' as '$name'"
        $text | Should -Match 'external:whatif'
        Get-TokenCreate $before | Should -BeNullOrEmpty
        Get-VaultNames "$name*" | Should -BeNullOrEmpty
        @(Get-CfTokenConsumer -Credential $name) | Should -BeNullOrEmpty
    }

    It 'keeps the token when a consumer cannot be registered, and names the command to run by hand' {
        Mock -ModuleName CfManagement Register-CfTokenConsumer { throw [System.IO.IOException]::new('ledger unreachable (injected)') }
        $name = New-Name 'CF_REG_FAIL'
        $made = New-CfScopedToken -Name $name -PermissionGroup 'DNS Read' -Zone raxx.app -Vault $script:vault -Consumer 'external:Terraform' -Confirm:$false -ErrorVariable failed -ErrorAction SilentlyContinue
        # -ErrorVariable also collects what the injected failure threw inside; the command itself reports one error.
        $failed = @($failed | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -and $_.FullyQualifiedErrorId -like 'ConsumerRegistrationFailed,*' })
        $failed.Count | Should -Be 1
        $failed[0].ErrorDetails.RecommendedAction | Should -Be "Register it by hand: Register-CfTokenConsumer -Credential '$name' -Destination 'external:Terraform'"
        $failed[0].ErrorDetails.Message | Should -Match 'The token is kept'
        $made.TokenId | Should -Match '^[0-9a-f]{32}$'
        (Get-RawToken $made.TokenId).status | Should -Be 'active'
        (Test-CfToken -Token (Get-Secret -Vault $script:vault -Name $name)).Status | Should -Be 'active'
    }

    Context 'bad templates and input, refused before any request' {
        It 'refuses <Case> with <ErrorId>, sends nothing and stores nothing' -ForEach @(
            @{ Case = 'a template that does not exist'; File = $null; Ext = ''; Text = ''; ErrorId = 'TokenTemplateNotFound'; Match = 'does not exist' }
            @{ Case = 'a .txt template'; Ext = '.txt'; Text = 'Name = x'; ErrorId = 'InvalidTokenTemplate'; Match = "'.txt' is not a template format" }
            @{ Case = 'a psd1 that runs code'; Ext = '.psd1'; Text = "@{ Name = (Get-Date); PermissionGroup = 'DNS Read' }"; ErrorId = 'InvalidTokenTemplate'; Match = 'not a valid PowerShell data file' }
            @{ Case = 'a psd1 with a syntax error'; Ext = '.psd1'; Text = "@{ Name = 'x'; PermissionGroup = @('DNS Read' }"; ErrorId = 'InvalidTokenTemplate'; Match = 'not a valid PowerShell data file' }
            @{ Case = 'invalid JSON'; Ext = '.json'; Text = '{ "Name": "x", "PermissionGroup": ["DNS Read"], }x'; ErrorId = 'InvalidTokenTemplate'; Match = 'not valid JSON' }
            @{ Case = 'a JSON array instead of an object'; Ext = '.json'; Text = '["DNS Read"]'; ErrorId = 'InvalidTokenTemplate'; Match = 'does not hold a JSON object' }
            @{ Case = 'an unknown key (PermissionGroups)'; Ext = '.psd1'; Text = "@{ Name = 'x'; PermissionGroups = @('DNS Read') }"; ErrorId = 'InvalidTokenTemplate'; Match = "the key 'PermissionGroups' is not part"; Fix = "Did you mean 'PermissionGroup'\?" }
            @{ Case = 'a Vault key'; Ext = '.json'; Text = '{ "Name": "x", "PermissionGroup": "DNS Read", "Vault": "Prod" }'; ErrorId = 'InvalidTokenTemplate'; Match = "the key 'Vault' is not part"; Fix = 'pass -Vault' }
            @{ Case = 'no Name'; Ext = '.psd1'; Text = "@{ PermissionGroup = 'DNS Read' }"; ErrorId = 'InvalidTokenTemplate'; Match = "the key 'Name' is missing"; NoName = $true }
            @{ Case = 'no PermissionGroup'; Ext = '.psd1'; Text = "@{ Name = 'x'; Zone = 'raxx.app' }"; ErrorId = 'InvalidTokenTemplate'; Match = "the key 'PermissionGroup' is missing" }
            @{ Case = 'an empty PermissionGroup list'; Ext = '.json'; Text = '{ "Name": "x", "PermissionGroup": [] }'; ErrorId = 'InvalidTokenTemplate'; Match = "'PermissionGroup' is an empty list" }
            @{ Case = 'a number as PermissionGroup'; Ext = '.psd1'; Text = "@{ Name = 'x'; PermissionGroup = 42 }"; ErrorId = 'InvalidTokenTemplate'; Match = "'PermissionGroup' must be a string or a list of strings, not a number" }
            @{ Case = 'a number in the Zone list'; Ext = '.json'; Text = '{ "Name": "x", "PermissionGroup": "DNS Read", "Zone": ["raxx.app", 7] }'; ErrorId = 'InvalidTokenTemplate'; Match = "'Zone' item 2 must be a string" }
            @{ Case = 'a list as Name'; Ext = '.psd1'; Text = "@{ Name = @('a', 'b'); PermissionGroup = 'DNS Read' }"; ErrorId = 'InvalidTokenTemplate'; Match = "'Name' must be a string, not a list"; NoName = $true }
            @{ Case = 'a number as Ttl'; Ext = '.psd1'; Text = "@{ Name = 'x'; PermissionGroup = 'DNS Read'; Ttl = 90 }"; ErrorId = 'InvalidTokenTemplate'; Match = "'Ttl' must be a time span string" }
            @{ Case = 'a negative Ttl'; Ext = '.psd1'; Text = "@{ Name = 'x'; PermissionGroup = 'DNS Read'; Ttl = '-1.00:00:00' }"; ErrorId = 'InvalidTokenTemplate'; Match = 'must be positive' }
            @{ Case = 'an ExpiresOn that is no date'; Ext = '.json'; Text = '{ "Name": "x", "PermissionGroup": "DNS Read", "ExpiresOn": "next tuesday" }'; ErrorId = 'InvalidTokenTemplate'; Match = "'ExpiresOn' must be an ISO-8601 date" }
            @{ Case = 'Ttl and ExpiresOn together'; Ext = '.psd1'; Text = "@{ Name = 'x'; PermissionGroup = 'DNS Read'; Ttl = '1.00:00:00'; ExpiresOn = '2099-01-01T00:00:00Z' }"; ErrorId = 'InvalidTokenTemplate'; Match = "'Ttl' and 'ExpiresOn' both" }
            @{ Case = 'Zone and AllZones together'; Ext = '.psd1'; Text = "@{ Name = 'x'; PermissionGroup = 'DNS Read'; Zone = 'raxx.app'; AllZones = `$true }"; ErrorId = 'InvalidTokenTemplate'; Match = "'Zone' and 'AllZones' both" }
            @{ Case = 'a string as AllZones'; Ext = '.json'; Text = '{ "Name": "x", "PermissionGroup": "DNS Read", "AllZones": "yes" }'; ErrorId = 'InvalidTokenTemplate'; Match = "'AllZones' must be a boolean" }
            @{ Case = 'a null value'; Ext = '.json'; Text = '{ "Name": "x", "PermissionGroup": "DNS Read", "Description": null }'; ErrorId = 'InvalidTokenTemplate'; Match = "'Description' is null" }
            @{ Case = 'an empty Name'; Ext = '.psd1'; Text = "@{ Name = '  '; PermissionGroup = 'DNS Read' }"; ErrorId = 'InvalidTokenTemplate'; Match = "'Name' is empty"; NoName = $true }
            @{ Case = 'a consumer in no known syntax'; Ext = '.psd1'; Text = "@{ Name = 'x'; PermissionGroup = 'DNS Read'; Zone = 'raxx.app'; Consumer = 'ftp://terraform' }"; ErrorId = 'InvalidTokenConsumer'; Match = "Consumer in the template .* 'ftp://terraform' is not a consumer destination" }
            @{ Case = 'two Worker consumers'; Ext = '.json'; Text = '{ "Name": "x", "PermissionGroup": "DNS Read", "Zone": "raxx.app", "Consumer": ["worker:a/T", "worker:b/T"] }'; ErrorId = 'InvalidTokenConsumer'; Match = 'Two Worker consumers' }
        ) {
            $path = if ($Ext) { Write-Template "bad-$([guid]::NewGuid().ToString('n'))$Ext" $Text } else { Join-Path $TestDrive 'no-such-template.psd1' }
            $parameters = @{ TemplatePath = $path; Vault = $script:vault; Confirm = $false; ErrorAction = 'Stop' }
            $name = New-Name 'CF_BAD'
            if (-not $NoName) { $parameters.Name = $name }
            $before = Get-RequestCount
            $err = { New-CfScopedToken @parameters } | Should -Throw -ErrorId "$ErrorId,New-CfScopedToken" -PassThru
            $err.ErrorDetails.Message | Should -Match $Match
            if ($ErrorId -ne 'InvalidTokenConsumer') { $err.ErrorDetails.Message | Should -Match ([regex]::Escape($(if ($Ext) { Split-Path -Leaf $path } else { 'no-such-template.psd1' }))) }
            $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            if ($Fix) { $err.ErrorDetails.RecommendedAction | Should -Match $Fix }
            (Get-RequestCount) | Should -Be $before -Because 'a bad template is refused before any request'
            Get-VaultNames "$name*" | Should -BeNullOrEmpty
        }

        It 'refuses <Case> with <ErrorId> before any request' -ForEach @(
            @{ Case = '-Ttl with -ExpiresOn'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; Ttl = '1.00:00:00'; ExpiresOn = [datetime]'2099-01-01' }; ErrorId = 'ConflictingParameters' }
            @{ Case = '-Zone with -AllZones'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; Zone = 'raxx.app'; AllZones = $true }; ErrorId = 'ConflictingParameters' }
            @{ Case = 'a bad -Consumer'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; Zone = 'raxx.app'; Consumer = 'worker:no-binding' }; ErrorId = 'InvalidTokenConsumer' }
            @{ Case = 'an empty -PermissionGroup entry'; Arguments = @{ Name = 'x'; PermissionGroup = @(' '); Zone = 'raxx.app' }; ErrorId = 'MissingPermissionGroup' }
            @{ Case = 'a Worker consumer with an upper-case script name'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; Zone = 'raxx.app'; Consumer = 'worker:DnsBot/CF_TOKEN' }; ErrorId = 'InvalidTokenConsumer' }
            @{ Case = 'a github: consumer named GITHUB_TOKEN'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; Zone = 'raxx.app'; Consumer = 'github:GITHUB_TOKEN' }; ErrorId = 'InvalidTokenConsumer' }
            @{ Case = 'an external: consumer without text'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; Zone = 'raxx.app'; Consumer = 'external:  ' }; ErrorId = 'InvalidTokenConsumer' }
            @{ Case = 'a vault secret name the consumer map refuses'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; Zone = 'raxx.app'; SecretName = 'CF TOKEN' }; ErrorId = 'InvalidSecretName' }
            @{ Case = 'a two-line description'; Arguments = @{ Name = 'x'; PermissionGroup = 'DNS Read'; Zone = 'raxx.app'; Description = "a`nb" }; ErrorId = 'InvalidDescription' }
        ) {
            $before = Get-RequestCount
            $err = { New-CfScopedToken @Arguments -Vault $script:vault -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,New-CfScopedToken" -PassThru
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            (Get-RequestCount) | Should -Be $before
        }

        It 'passes New-CfToken''s own error for <Case> (<ErrorId>) and creates nothing' -ForEach @(
            @{ Case = 'an unknown permission group'; Arguments = @{ PermissionGroup = 'DNS Writ'; Zone = 'raxx.app' }; ErrorId = 'PermissionGroupNotFound' }
            @{ Case = 'an unknown zone'; Arguments = @{ PermissionGroup = 'DNS Write'; Zone = 'nosuch.example' }; ErrorId = 'ZoneNotFound' }
        ) {
            $name = New-Name 'CF_UNKNOWN'
            $before = Get-RequestCount
            $err = { New-CfScopedToken -Name $name @Arguments -Vault $script:vault -Consumer 'external:x' -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            Get-TokenCreate $before | Should -BeNullOrEmpty
            Get-VaultNames "$name*" | Should -BeNullOrEmpty
            @(Get-CfTokenConsumer -Credential $name) | Should -BeNullOrEmpty
        }
    }
}

Describe 'Revoke-CfToken' {
    It 'deletes the token at once, marks the vault value REVOKED, lists the consumers and records the revocation' {
        $name = New-Name 'CF_REVOKE'
        $made = New-Provisioned $name @('external:Terraform', 'external:sre-agent')
        $before = Get-RequestCount
        $Error.Clear()
        $result = Revoke-CfToken -SecretName $name -Vault $script:vault -Reason 'token pasted in a public issue' -Confirm:$false
        $Error.Count | Should -Be 0 -Because "got: $($Error | ForEach-Object FullyQualifiedErrorId)"

        $result.PSObject.TypeNames[0] | Should -Be 'CfManagement.TokenRevocation'
        $result.TokenId | Should -Be $made.TokenId
        $result.Kind | Should -Be 'ApiToken'
        $result.Status | Should -Be 'Revoked'
        $result.RevokedAtCloudflare | Should -BeTrue
        $result.VaultAction | Should -Be 'Marked'
        @($result.ConsumersToUpdate.Destination | Sort-Object) | Should -Be @('external:sre-agent', 'external:Terraform')
        $result.NextStep | Should -Match 'New-CfScopedToken'
        $result.NextStep | Should -Match 'external:Terraform'

        # Cloudflare: gone (one DELETE), the old value dead.
        @(Get-TokenDelete $before | Where-Object Path -match $made.TokenId).Count | Should -Be 1
        Get-RawToken $made.TokenId | Should -BeNullOrEmpty
        # The vault: the REVOKED marker, metadata kept, seen as revoked by the convention.
        Get-VaultText $name | Should -Be 'REVOKED'
        $credential = Get-CfVaultCredential -Vault $script:vault -Name $name
        $credential.IsRevoked | Should -BeTrue
        $credential.RevokedReason | Should -Be 'token pasted in a public issue'
        $credential.TokenId | Should -Be $made.TokenId
        # The ledger.
        $entry = @(Get-CfLedger -Kind Revocation -TokenId $made.TokenId)
        $entry.Count | Should -Be 1
        $entry[0].Outcome | Should -Be 'Succeeded'
        $entry[0].Detail | Should -Be 'token pasted in a public issue'
        # The table view shows who needs a new credential.
        ($result | Format-Table | Out-String -Width 300) | Should -Match 'external:Terraform'
    }

    It 'takes credentials from Get-CfVaultCredential on the pipeline' {
        $name = New-Name 'CF_PIPE'
        $made = New-Provisioned $name
        $result = Get-CfVaultCredential -Vault $script:vault -Name $name | Revoke-CfToken -Confirm:$false -ErrorAction Stop
        $result.SecretName | Should -Be $name
        $result.Status | Should -Be 'Revoked'
        Get-RawToken $made.TokenId | Should -BeNullOrEmpty
        Get-VaultText $name | Should -Be 'REVOKED'
    }

    It '-RemoveSecret removes the value and its companions instead' {
        $name = New-Name 'CF_REMOVE'
        $made = New-Provisioned $name
        (Get-VaultNames "$name*").Count | Should -BeGreaterThan 1
        $result = Revoke-CfToken -SecretName $name -Vault $script:vault -RemoveSecret -Confirm:$false -ErrorAction Stop
        $result.VaultAction | Should -Be 'Removed'
        Get-VaultNames "$name*" | Should -BeNullOrEmpty
        Get-RawToken $made.TokenId | Should -BeNullOrEmpty
        @($result.ConsumersToUpdate).Destination | Should -Be @('external:pester')
    }

    It 'a token already deleted outside is AlreadyGone, not an error; the vault is still marked and the ledger records the attempt' {
        $name = New-Name 'CF_GONE'
        $made = New-Provisioned $name
        Invoke-TestCloudflareApi -Emulator $script:emulator -Method DELETE -Path "user/tokens/$($made.TokenId)" | Out-Null
        # The error stream stays clean ($Error and -ErrorVariable still see the TokenNotVisible that Remove-CfToken raised and Revoke-CfToken handled).
        $all = @(Revoke-CfToken -SecretName $name -Vault $script:vault -Reason 'dashboard delete' -Confirm:$false 2>&1)
        $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.Count | Should -Be 0 -Because "got: $($errors | ForEach-Object FullyQualifiedErrorId)"
        $result = $all | Where-Object { $_.PSObject.TypeNames -contains 'CfManagement.TokenRevocation' }
        $result.Status | Should -Be 'AlreadyGone'
        $result.RevokedAtCloudflare | Should -BeFalse
        $result.VaultAction | Should -Be 'Marked'
        Get-VaultText $name | Should -Be 'REVOKED'
        (Get-CfVaultCredential -Vault $script:vault -Name $name).IsRevoked | Should -BeTrue
        $entry = @(Get-CfLedger -Kind Revocation -TokenId $made.TokenId)
        $entry.Outcome | Should -Be @('Skipped')
        $entry[0].Detail | Should -Match '^dashboard delete; not found at Cloudflare'
    }

    It 'a management token that cannot delete (403) surfaces Cloudflare''s error and leaves the vault alone' {
        $name = New-Name 'CF_FORBIDDEN'
        $made = New-Provisioned $name
        $reader = New-TestEmulatorToken -Emulator $script:emulator -Name (New-Name 'reader') -PermissionGroup 'API Tokens Read'
        $weak = Connect-CfAccount -ApiToken $reader.Value -ApiBaseUri $script:emulator.BaseUri -LedgerPath $script:ledger
        try {
            $err = { Revoke-CfToken -SecretName $name -Vault $script:vault -Session $weak -Confirm:$false -ErrorAction Stop } | Should -Throw -PassThru
        }
        finally { Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger } | Out-Null }
        $err.FullyQualifiedErrorId | Should -BeLike 'ApiPermissionDenied,*'
        $err.Exception.Message | Should -Match '403'
        (Get-RawToken $made.TokenId).status | Should -Be 'active'
        (Test-CfToken -Token (Get-Secret -Vault $script:vault -Name $name)).Status | Should -Be 'active'
        (Get-CfVaultCredential -Vault $script:vault -Name $name).IsRevoked | Should -BeFalse
    }

    It 'a vaulted token of another user (404 but its value verifies) is TokenStillActive and the vault is left alone' {
        $name = New-Name 'CF_OTHER_USER'
        $other = New-TestEmulatorToken -Emulator $script:emulator -Name (New-Name 'ops-token') -PermissionGroup 'DNS Read' -UserEmail 'ops@example.com'
        Set-Secret -Vault $script:vault -Name $name -SecureStringSecret $other.Value -Metadata @{ TokenId = $other.Id; TokenName = 'ops-token'; Scopes = 'DNS Read'; ExpiresOn = 'never' }
        $err = { Revoke-CfToken -SecretName $name -Vault $script:vault -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'TokenStillActive,Revoke-CfToken' -PassThru
        $err.ErrorDetails.Message | Should -Match 'belongs to another user'
        (Test-CfToken -Token (Get-Secret -Vault $script:vault -Name $name)).Status | Should -Be 'active'
        (Get-CfVaultCredential -Vault $script:vault -Name $name).IsRevoked | Should -BeFalse
    }

    It 'revokes an Access service token with Remove-CfAccessServiceToken' {
        $name = New-Name 'CF_ACCESS'
        $made = New-CfAccessServiceToken -Name $name -Vault $script:vault -Confirm:$false -ErrorAction Stop
        (Get-CfVaultCredential -Vault $script:vault -Name $name).Kind | Should -Be 'AccessServiceToken'
        $result = Revoke-CfToken -SecretName $name -Vault $script:vault -Confirm:$false -ErrorAction Stop
        $result.Kind | Should -Be 'AccessServiceToken'
        $result.Status | Should -Be 'Revoked'
        $result.TokenId | Should -Be $made.Id
        { Get-CfAccessServiceToken -Id $made.Id -ErrorAction Stop } | Should -Throw -ErrorId 'AccessServiceTokenNotFound,*'
        Get-VaultText $name | Should -Be 'REVOKED'
        $result.NextStep | Should -Match 'New-CfAccessServiceToken'
    }

    It 'an Access service token deleted outside is AlreadyGone; the vault is marked and the ledger records the attempt' {
        $name = New-Name 'CF_ACCESS_GONE'
        $made = New-CfAccessServiceToken -Name $name -Vault $script:vault -Confirm:$false -ErrorAction Stop
        Remove-CfAccessServiceToken -Id $made.Id -Confirm:$false -ErrorAction Stop
        $all = @(Revoke-CfToken -SecretName $name -Vault $script:vault -Reason 'deleted in Zero Trust' -Confirm:$false 2>&1)
        @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 0
        $result = $all | Where-Object { $_.PSObject.TypeNames -contains 'CfManagement.TokenRevocation' }
        $result.Status | Should -Be 'AlreadyGone'
        $result.VaultAction | Should -Be 'Marked'
        Get-VaultText $name | Should -Be 'REVOKED'
        $entry = @(Get-CfLedger -Kind Revocation -Outcome Skipped | Where-Object TokenId -eq $made.Id)
        $entry.Count | Should -Be 1
        $entry[0].ErrorId | Should -Be 'AccessServiceTokenNotFound'
        $entry[0].Detail | Should -Match '^deleted in Zero Trust; '
    }

    It '-Id alone deletes the token and touches no vault; -Id -Vault finds the secrets holding it' {
        $loose = New-CfToken -Name (New-Name 'loose') -PermissionGroup 'DNS Read' -AllZones -Confirm:$false
        $result = Revoke-CfToken -Id $loose.Id -Confirm:$false -ErrorAction Stop
        $result.Status | Should -Be 'Revoked'
        $result.VaultAction | Should -Be 'None'
        $result.SecretName | Should -BeNullOrEmpty
        Get-RawToken $loose.Id | Should -BeNullOrEmpty

        $name = New-Name 'CF_BY_ID'
        $made = New-Provisioned $name
        $result = Revoke-CfToken -Id $made.TokenId -Vault $script:vault -Confirm:$false -ErrorAction Stop
        $result.SecretName | Should -Be $name
        $result.VaultAction | Should -Be 'Marked'
        Get-VaultText $name | Should -Be 'REVOKED'
    }

    It '-WhatIf says what it would revoke and touches nothing' {
        $name = New-Name 'CF_REVOKE_WHATIF'
        $made = New-Provisioned $name
        $ledgerBefore = @(Get-CfLedger -Kind Revocation).Count
        $before = Get-RequestCount
        $text = Get-HostText { Revoke-CfToken -SecretName $name -Vault $script:vault -WhatIf }
        $text | Should -Match "$name in vault '$($script:vault)' \(API token $($made.TokenId)\)"
        Get-TokenDelete $before | Should -BeNullOrEmpty
        (Get-RawToken $made.TokenId).status | Should -Be 'active'
        Get-VaultText $name | Should -Not -Be 'REVOKED'
        @(Get-CfLedger -Kind Revocation).Count | Should -Be $ledgerBefore
    }

    It 'has ConfirmImpact High: non-interactive without -Confirm:$false it deletes nothing' {
        $name = New-Name 'CF_REVOKE_ASK'
        $made = New-Provisioned $name
        $attribute = (Get-Command Revoke-CfToken).ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] }
        $attribute.ConfirmImpact | Should -Be 'High'
        $result = Invoke-ChildPowerShell -Command @"
Import-Module '$(Get-TestModuleManifest)'
Import-Module Microsoft.PowerShell.SecretManagement
Connect-CfAccount -ApiToken (ConvertTo-SecureString `$env:CFM_CHILD_TOKEN -AsPlainText -Force) -ApiBaseUri '$($script:emulator.BaseUri)' -LedgerPath '$($script:ledger)' | Out-Null
try { Revoke-CfToken -SecretName '$name' -Vault '$($script:vault)' -ErrorAction Stop; '== revoked' } catch { "== refused: `$(`$_.FullyQualifiedErrorId)" }
"@ -Environment @{ CFM_CHILD_TOKEN = $script:adminValue }
        $result.Output | Should -Match '== refused'
        $result.Output | Should -Not -Match '== revoked'
        (Get-RawToken $made.TokenId).status | Should -Be 'active'
        Get-VaultText $name | Should -Not -Be 'REVOKED'
    }

    It 'refuses <Case> with <ErrorId> before any request' -ForEach @(
        @{ Case = 'a wildcard secret name'; Arguments = @{ SecretName = 'CF_*'; Vault = 'V' }; ErrorId = 'InvalidSecretName' }
        @{ Case = 'a companion secret name'; Arguments = @{ SecretName = 'CF_X__TOKEN_ID'; Vault = 'V' }; ErrorId = 'InvalidSecretName' }
        @{ Case = 'a malformed id'; Arguments = @{ Id = 'xyz' }; ErrorId = 'InvalidId' }
        @{ Case = 'an empty reason'; Arguments = @{ Id = '0123456789abcdef0123456789abcdef'; Reason = ' ' }; ErrorId = 'InvalidReason' }
        @{ Case = 'a two-line reason'; Arguments = @{ Id = '0123456789abcdef0123456789abcdef'; Reason = "a`nb" }; ErrorId = 'InvalidReason' }
        @{ Case = 'a reason that looks like a credential'; Arguments = @{ Id = '0123456789abcdef0123456789abcdef'; Reason = 'leaked cfut_AbCdEfGhIjKlMnOpQrStUv0123456789' }; ErrorId = 'InvalidReason' }
        @{ Case = '-SecretName with -Id but no -Vault'; Arguments = @{ Id = '0123456789abcdef0123456789abcdef'; SecretName = 'CF_X' }; ErrorId = 'VaultRequired' }
        @{ Case = 'two ids with one -SecretName'; Arguments = @{ Id = '0123456789abcdef0123456789abcdef', 'fedcba9876543210fedcba9876543210'; SecretName = 'CF_X'; Vault = 'V' }; ErrorId = 'ConflictingParameters' }
    ) {
        if ($Arguments.Vault -eq 'V') { $Arguments.Vault = $script:vault }
        $before = Get-RequestCount
        { Revoke-CfToken @Arguments -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId,Revoke-CfToken"
        (Get-RequestCount) | Should -Be $before
    }

    It 'refuses a vault credential that does not exist, or that holds another token, and deletes nothing' {
        $before = Get-RequestCount
        { Revoke-CfToken -SecretName (New-Name 'CF_NOPE') -Vault $script:vault -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'VaultCredentialNotFound,*'
        $name = New-Name 'CF_MISMATCH'
        $made = New-Provisioned $name
        $before = Get-RequestCount
        { Revoke-CfToken -Id 'fedcba9876543210fedcba9876543210' -SecretName $name -Vault $script:vault -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'VaultCredentialMismatch,Revoke-CfToken'
        (Get-RequestCount) | Should -Be $before
        Get-VaultText $name | Should -Not -Be 'REVOKED'
    }
}

Describe 'No secret leaks from the composites' {
    It 'New-CfScopedToken and Revoke-CfToken with -Verbose -Debug and a transcript show no token value' {
        $name = New-Name 'CF_LEAK'
        $transcript = Join-Path $TestDrive 'leak-transcript.txt'
        $loud = @{ Verbose = $true; Debug = $true; WarningAction = 'Continue'; InformationAction = 'Continue' }
        Start-Transcript -Path $transcript -UseMinimalHeader | Out-Null
        try {
            $createdRecords = @(New-CfScopedToken -TemplatePath (Join-Path $script:templates 'zone-dns-edit.psd1') -Name $name -Vault $script:vault -Confirm:$false @loud *>&1)
            $made = $createdRecords | Where-Object { $_.PSObject.TypeNames -contains 'CfManagement.ScopedToken' }
            $value = Get-VaultText $name   # read once the command is done, only to look for it
            $revokeRecords = @(Revoke-CfToken -SecretName $name -Vault $script:vault -Reason 'leak check' -Confirm:$false @loud *>&1)
            $revoked = $revokeRecords | Where-Object { $_.PSObject.TypeNames -contains 'CfManagement.TokenRevocation' }
            $created = $createdRecords | Out-String -Width 400
            $revokeText = $revokeRecords | Out-String -Width 400
            $createdRecords, $revokeRecords | Out-Host
            $made, $revoked | Format-List * | Out-Host
        }
        finally { Stop-Transcript | Out-Null }

        # First: both commands really ran.
        $made.TokenId | Should -Match '^[0-9a-f]{32}$'
        $value | Should -Not -BeNullOrEmpty
        $value | Should -Not -Be 'REVOKED'
        $revoked.Status | Should -Be 'Revoked'
        Get-VaultText $name | Should -Be 'REVOKED'
        @($createdRecords | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        @($createdRecords | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 0
        @($revokeRecords | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
        @($createdRecords + $revokeRecords | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 0

        $all = $created + $revokeText + (Get-Content -Raw $transcript)
        $all.Contains($value) | Should -BeFalse -Because 'the new token value appears in no stream and not in the transcript'
        $all.Contains($value.Substring(0, 20)) | Should -BeFalse
        $all.Contains($script:adminValue) | Should -BeFalse -Because 'the management token appears nowhere either'
    }
}
