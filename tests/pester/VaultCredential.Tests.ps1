#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# The runbook's vault convention in real pwsh, both ways: a value a command writes with metadata is read back by a tool
# that knows only the NAME__TOKEN_ID / __EXPIRES_AT / __SCOPES companions (plain Get-Secret -AsPlainText), and
# companions written by plain Set-Secret are read back by Get-CfVaultCredential and Connect-CfAccount -Vault. A real
# SecretStore vault (Initialize-TestVault) and a companion-only extension vault (Register-TestCompanionVault).
# Get-CfVaultCredential lists a vault once, however many credentials; Set-CfVaultCredential -Revoked and
# Remove-CfVaultCredential; no value shows anywhere with -Verbose -Debug and a transcript running.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    $script:emulator = Start-TestEmulator
    Import-Module (Get-TestModuleManifest) -Force
    $script:vault = Initialize-TestVault
    $script:companion = Register-TestCompanionVault -Name CfCompanionOnly
    $script:ledger = Join-Path ([IO.Path]::GetTempPath()) "cf-ledger-$([guid]::NewGuid()).db"
    $script:adminValue = Get-PlainText $script:emulator.Token
    $bearer = @{ Headers = @{ Authorization = "Bearer $($script:adminValue)" } }
    $script:accountId = (Invoke-RestMethod -Uri "$($script:emulator.BaseUri)accounts" @bearer).result[0].id
    $script:adminTokenId = (Invoke-RestMethod -Uri "$($script:emulator.BaseUri)user/tokens/verify" @bearer).result.id
    Connect-TestSession -Emulator $script:emulator -Parameters @{ LedgerPath = $script:ledger; AccountId = $script:accountId } | Out-Null

    function script:Get-CompanionNames { @(Get-ChildItem -Path $script:companion.Data -Filter '*.secret' | ForEach-Object BaseName | Sort-Object) }
    function script:Get-StoreNames([string] $Like) { @(Get-SecretInfo -Vault $script:vault -Name $Like | ForEach-Object Name | Sort-Object) }
}

AfterAll {
    Get-SecretInfo -Vault $script:vault -Name 'VC_*' -ErrorAction SilentlyContinue | ForEach-Object { Remove-Secret -Name $_.Name -Vault $script:vault -ErrorAction SilentlyContinue }
    Disconnect-CfAccount -ErrorAction SilentlyContinue
    $script:emulator | Stop-TestEmulator
    Unregister-SecretVault -Name $script:companion.Name -ErrorAction SilentlyContinue
    Remove-Item $script:ledger, $script:companion.Root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Both ways with a real SecretStore vault' {
    It 'a roll written with metadata is read back by a companion-only tool (plain Get-Secret NAME__TOKEN_ID -AsPlainText)' {
        $token = New-CfToken -Name VC_ROLLED -PermissionGroup 'DNS Read' -AllZones -Ttl 30.00:00:00 -Confirm:$false
        $Error.Clear()
        $rolled = Invoke-CfTokenRoll -Id $token.Id -Vault $script:vault -Confirm:$false
        $Error.Count | Should -Be 0 -Because "got: $($Error | ForEach-Object FullyQualifiedErrorId)"
        $rolled.Destination | Should -Be "vault:$($script:vault)/VC_ROLLED"
        $metadata = (Get-SecretInfo -Vault $script:vault -Name VC_ROLLED).Metadata
        $metadata['TokenId'] | Should -Be $token.Id

        # The companion-only tool: nothing but Get-Secret on the companions.
        Get-Secret -Vault $script:vault -Name VC_ROLLED__TOKEN_ID -AsPlainText | Should -Be $token.Id
        $expires = Get-Secret -Vault $script:vault -Name VC_ROLLED__EXPIRES_AT -AsPlainText
        $expires | Should -Be $metadata['ExpiresOn']
        ([DateTimeOffset]::Parse($expires) - [DateTimeOffset]::UtcNow).TotalDays | Should -BeGreaterThan 29
        Get-Secret -Vault $script:vault -Name VC_ROLLED__SCOPES -AsPlainText | Should -Be 'DNS Read'

        $credential = Get-CfVaultCredential -Vault $script:vault -Name VC_ROLLED
        $credential.MetadataSource | Should -Be 'Metadata'
        $credential.Kind | Should -Be 'ApiToken'
        $credential.TokenId | Should -Be $token.Id
        $credential.HasValue | Should -BeTrue
        "$credential" | Should -Be 'VC_ROLLED'
    }

    It 'an Access service token written with metadata has CLIENT_ID, TOKEN_ID and EXPIRES_AT companions' {
        $Error.Clear()
        $issued = New-CfAccessServiceToken -Name VC_ACCESS -Duration 2160h -Vault $script:vault -Confirm:$false
        $Error.Count | Should -Be 0 -Because "got: $($Error | ForEach-Object FullyQualifiedErrorId)"
        Get-Secret -Vault $script:vault -Name VC_ACCESS__CLIENT_ID -AsPlainText | Should -Be $issued.ClientId
        Get-Secret -Vault $script:vault -Name VC_ACCESS__TOKEN_ID -AsPlainText | Should -Be $issued.Id
        Get-Secret -Vault $script:vault -Name VC_ACCESS__EXPIRES_AT -AsPlainText | Should -Match '^\d{4}-\d\d-\d\dT'
        $credential = Get-CfVaultCredential $script:vault VC_ACCESS
        $credential.Kind | Should -Be 'AccessServiceToken'
        $credential.ClientId | Should -Be $issued.ClientId
    }

    It 'companions written by plain Set-Secret (no metadata) are read by Get-CfVaultCredential and Connect-CfAccount -Vault' {
        $expires = [DateTimeOffset]::UtcNow.AddDays(10).UtcDateTime.ToString('o')
        Set-Secret -Vault $script:vault -Name VC_MGMT -Secret $script:adminValue
        Set-Secret -Vault $script:vault -Name VC_MGMT__TOKEN_ID -Secret $script:adminTokenId
        Set-Secret -Vault $script:vault -Name VC_MGMT__EXPIRES_AT -Secret $expires
        Set-Secret -Vault $script:vault -Name VC_MGMT__SCOPES -Secret 'API Tokens Write'

        $credential = Get-CfVaultCredential -Vault $script:vault -Name VC_MGMT
        $credential.MetadataSource | Should -Be 'Companions'
        $credential.TokenId | Should -Be $script:adminTokenId
        $credential.Scopes | Should -Be 'API Tokens Write'
        $credential.ExpiresOn.UtcDateTime.ToString('o') | Should -Be $expires
        $credential.DaysLeft | Should -BeIn 9, 10

        $session = Connect-CfAccount -Vault $script:vault -SecretName VC_MGMT -ApiBaseUri $script:emulator.BaseUri -AccountId $script:accountId -LedgerPath $script:ledger -WarningVariable warnings -WarningAction SilentlyContinue
        $session.TokenId | Should -Be $script:adminTokenId
        $session.TokenExpiresOnSource | Should -Be 'vault'
        $session.TokenExpiresOn.UtcDateTime.ToString('o') | Should -Be $expires
        ($warnings -join "`n") | Should -Match 'expires on'
    }
}

Describe 'Get-CfVaultCredential at scale' {
    BeforeAll {
        # 25 written with metadata, 25 the companion way, in the real SecretStore.
        $soon = [DateTimeOffset]::UtcNow.AddDays(5).UtcDateTime.ToString('o')
        foreach ($i in 1..25) {
            Set-Secret -Vault $script:vault -Name ('VC_BULK_M{0:00}' -f $i) -Secret "value-m-$i" -Metadata @{ TokenId = ('{0:x32}' -f $i); ExpiresOn = $soon; Scopes = 'Zone Read' }
            Set-Secret -Vault $script:vault -Name ('VC_BULK_C{0:00}' -f $i) -Secret "value-c-$i"
            Set-Secret -Vault $script:vault -Name ('VC_BULK_C{0:00}__TOKEN_ID' -f $i) -Secret ('{0:x32}' -f (100 + $i))
            Set-Secret -Vault $script:vault -Name ('VC_BULK_C{0:00}__EXPIRES_AT' -f $i) -Secret $soon
        }
    }

    It 'describes 50 credentials from ONE Get-SecretInfo listing, reading only companions (timing printed)' {
        # Count the SecretManagement calls the command makes: proxies in front of the real cmdlets.
        $global:VcCalls = [System.Collections.Generic.List[string]]::new()
        function global:Get-SecretInfo { [CmdletBinding()] param([string] $Name, [string] $Vault) $global:VcCalls.Add("Get-SecretInfo $Name"); Microsoft.PowerShell.SecretManagement\Get-SecretInfo @PSBoundParameters }
        function global:Get-Secret { [CmdletBinding()] param([string] $Name, [string] $Vault, [switch] $AsPlainText) $global:VcCalls.Add("Get-Secret $Name"); Microsoft.PowerShell.SecretManagement\Get-Secret @PSBoundParameters }
        try {
            $elapsed = Measure-Command { $script:bulk = @(Get-CfVaultCredential -Vault $script:vault -Name 'VC_BULK_*') }
        }
        finally {
            Remove-Item function:global:Get-SecretInfo, function:global:Get-Secret
        }
        Write-Host ("Get-CfVaultCredential over {0} credentials (25 metadata, 25 companions): {1:n0} ms, {2} SecretManagement calls" -f $script:bulk.Count, $elapsed.TotalMilliseconds, $global:VcCalls.Count)
        $script:bulk.Count | Should -Be 50
        @($global:VcCalls | Where-Object { $_ -like 'Get-SecretInfo*' }).Count | Should -Be 1
        $reads = @($global:VcCalls | Where-Object { $_ -like 'Get-Secret *' })
        $reads.Count | Should -Be 50 -Because 'two companions for each of the 25 companion-only credentials, none for the metadata ones'
        $reads | Where-Object { $_ -notmatch '__(TOKEN_ID|EXPIRES_AT)$' } | Should -BeNullOrEmpty -Because 'a credential value is never read'
        @($script:bulk | Where-Object MetadataSource -eq 'Metadata').Count | Should -Be 25
        @($script:bulk | Where-Object MetadataSource -eq 'Companions').Count | Should -Be 25
        $script:bulk | Where-Object { $_.Kind -ne 'ApiToken' -or $_.DaysLeft -notin 4, 5 } | Should -BeNullOrEmpty
        $elapsed.TotalSeconds | Should -BeLessThan 30
    }

    It 'renders the default table view' {
        $text = $script:bulk | Select-Object -First 3 | Out-String -Width 200
        $text | Should -Match 'Name\s+Kind\s+TokenId/ClientId\s+ExpiresOn\s+DaysLeft\s+IsRevoked\s+MetadataSource'
        $text | Should -Match 'VC_BULK_C01\s+ApiToken'
    }
}

Describe 'Set-CfVaultCredential -Revoked and Remove-CfVaultCredential' {
    It 'marks a SecretStore credential revoked: REVOKED marker, metadata kept + Revoked/RevokedReason, NAME__REVOKED_AT' {
        $token = New-CfToken -Name VC_REVOKE -PermissionGroup 'DNS Read' -AllZones -Confirm:$false
        Invoke-CfTokenRoll -Id $token.Id -Vault $script:vault -Confirm:$false | Out-Null
        $Error.Clear()
        $revoked = Set-CfVaultCredential -Vault $script:vault -Name VC_REVOKE -Revoked -Reason 'exposed in a build log'
        $Error.Count | Should -Be 0
        $revoked.IsRevoked | Should -BeTrue
        $revoked.RevokedReason | Should -Be 'exposed in a build log'
        $revoked.TokenId | Should -Be $token.Id
        Get-Secret -Vault $script:vault -Name VC_REVOKE -AsPlainText | Should -Be 'REVOKED'
        $metadata = (Get-SecretInfo -Vault $script:vault -Name VC_REVOKE).Metadata
        $metadata['TokenId'] | Should -Be $token.Id
        $metadata['Scopes'] | Should -Be 'DNS Read'
        $metadata['Revoked'] | Should -Match '^\d{4}-\d\d-\d\dT.*Z$'
        $metadata['RevokedReason'] | Should -Be 'exposed in a build log'
        Get-Secret -Vault $script:vault -Name VC_REVOKE__REVOKED_AT -AsPlainText | Should -Be $metadata['Revoked']
        (Get-CfVaultCredential $script:vault VC_REVOKE).IsRevoked | Should -BeTrue
    }

    It 'removes the value and every companion, piped from Get-CfVaultCredential; a second time is VaultCredentialNotFound' {
        Get-StoreNames 'VC_REVOKE*' | Should -Be @('VC_REVOKE', 'VC_REVOKE__EXPIRES_AT', 'VC_REVOKE__REVOKED_AT', 'VC_REVOKE__SCOPES', 'VC_REVOKE__TOKEN_ID')
        $Error.Clear()
        Get-CfVaultCredential $script:vault VC_REVOKE | Remove-CfVaultCredential -Confirm:$false
        $Error.Count | Should -Be 0
        Get-StoreNames 'VC_REVOKE*' | Should -BeNullOrEmpty
        { Remove-CfVaultCredential $script:vault VC_REVOKE -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'VaultCredentialNotFound,CfManagement.Commands.Vault.RemoveCfVaultCredentialCommand'
    }

    It 'works against a companion-only vault: roll, describe, revoke, remove' {
        $token = New-CfToken -Name VC_PLAIN -PermissionGroup 'DNS Read' -AllZones -Ttl 20.00:00:00 -Confirm:$false
        $Error.Clear()
        Invoke-CfTokenRoll -Id $token.Id -Vault $script:companion.Name -Confirm:$false | Out-Null
        Get-CompanionNames | Should -Be @('VC_PLAIN', 'VC_PLAIN__EXPIRES_AT', 'VC_PLAIN__SCOPES', 'VC_PLAIN__TOKEN_ID')
        $credential = Get-CfVaultCredential $script:companion.Name
        $credential.MetadataSource | Should -Be 'Companions'
        $credential.TokenId | Should -Be $token.Id
        $credential.DaysLeft | Should -BeIn 19, 20

        $revoked = $credential | Set-CfVaultCredential -Revoked -Reason 'rotated out'
        $revoked.IsRevoked | Should -BeTrue
        $revoked.TokenId | Should -Be $token.Id
        Get-Secret -Vault $script:companion.Name -Name VC_PLAIN -AsPlainText | Should -Be 'REVOKED'
        Get-CompanionNames | Should -Contain 'VC_PLAIN__REVOKED_AT'

        Remove-CfVaultCredential $script:companion.Name VC_PLAIN -Confirm:$false
        Get-CompanionNames | Should -BeNullOrEmpty
        $Error.Count | Should -Be 0 -Because "got: $($Error | ForEach-Object FullyQualifiedErrorId)"
    }

    It 'a companion the vault refuses rolls the whole write back: neither the value nor a companion stays' {
        Set-Content -Path (Join-Path $script:companion.Data 'fail-write.flag') -Value '*__SCOPES'
        try {
            $managed = New-CfManagedToken -Name VC_HALF -Purpose 'half write' -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -Vault $script:companion.Name -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failed -WarningAction SilentlyContinue
        }
        finally { Remove-Item (Join-Path $script:companion.Data 'fail-write.flag') }
        $failed | Should -Not -BeNullOrEmpty
        $managed | Should -BeNullOrEmpty
        Get-CompanionNames | Where-Object { $_ -like 'VC_HALF*' } | Should -BeNullOrEmpty
        Get-CfToken -Name VC_HALF -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because 'the token was withdrawn'
    }
}

Describe 'Refusals' {
    It '<Script> is <ErrorId>' -ForEach @(
        @{ Script = 'Get-CfVaultCredential -Vault NoSuchVault'; ErrorId = 'VaultNotFound'; Command = 'GetCfVaultCredentialCommand' }
        @{ Script = 'Get-CfVaultCredential -Vault $script:vault -Name VC_NOTHING_HERE'; ErrorId = 'VaultCredentialNotFound'; Command = 'GetCfVaultCredentialCommand' }
        @{ Script = 'Get-CfVaultCredential -Vault $script:vault -Name "VC_[M"'; ErrorId = 'InvalidWildcardPattern'; Command = 'GetCfVaultCredentialCommand' }
        @{ Script = 'Set-CfVaultCredential -Vault $script:vault -Name VC_MGMT__TOKEN_ID -Revoked'; ErrorId = 'VaultCompanionName'; Command = 'SetCfVaultCredentialCommand' }
        @{ Script = 'Set-CfVaultCredential -Vault $script:vault -Name VC_MGMT -Revoked -Reason $script:adminValue'; ErrorId = 'InvalidRevokedReason'; Command = 'SetCfVaultCredentialCommand' }
        @{ Script = 'Set-CfVaultCredential -Vault $script:vault -Name VC_NOTHING_HERE -Revoked'; ErrorId = 'VaultCredentialNotFound'; Command = 'SetCfVaultCredentialCommand' }
        @{ Script = 'Remove-CfVaultCredential -Vault $script:vault -Name VC_MGMT__EXPIRES_AT -Confirm:$false'; ErrorId = 'VaultCompanionName'; Command = 'RemoveCfVaultCredentialCommand' }
        @{ Script = 'Remove-CfVaultCredential -Vault NoSuchVault -Name VC_MGMT -Confirm:$false'; ErrorId = 'VaultNotFound'; Command = 'RemoveCfVaultCredentialCommand' }
    ) {
        $before = @(Get-StoreNames 'VC_MGMT*')
        # Created here, so the text refers to globals (a script: variable would not resolve where Should invokes it).
        $global:VcVault = $script:vault
        $global:VcAdmin = $script:adminValue
        $block = [scriptblock]::Create("`$ErrorActionPreference = 'Stop'; " + $Script.Replace('$script:vault', '$global:VcVault').Replace('$script:adminValue', '$global:VcAdmin'))
        $err = $block | Should -Throw -ErrorId "$ErrorId,CfManagement.Commands.Vault.$Command" -PassThru
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        ($err | Out-String) | Should -Not -Match ([regex]::Escape($script:adminValue))
        Get-StoreNames 'VC_MGMT*' | Should -Be $before
        Get-Secret -Vault $script:vault -Name VC_MGMT -AsPlainText | Should -Be $script:adminValue
    }
}

Describe 'No value leaks' {
    It 'roll, list, revoke and remove with -Verbose -Debug inside a transcript show no token value' {
        $loud = Get-TestLoudParameter
        $token = New-CfToken -Name VC_LEAK -PermissionGroup 'DNS Read' -AllZones -Confirm:$false
        $transcript = Join-Path $TestDrive 'vault-credential-transcript.txt'
        Start-Transcript -Path $transcript | Out-Null
        try {
            $captured = & {
                $WarningPreference = 'Continue'
                $InformationPreference = 'Continue'
                Invoke-CfTokenRoll -Id $token.Id -Vault $script:vault -Confirm:$false @loud
                Invoke-CfTokenRoll -Id $token.Id -Vault $script:companion.Name -Confirm:$false @loud
                $script:rolledValue = Get-Secret -Vault $script:vault -Name VC_LEAK -AsPlainText
                $script:rolledPlain = Get-Secret -Vault $script:companion.Name -Name VC_LEAK -AsPlainText
                Get-CfVaultCredential -Vault $script:vault -Name VC_* @loud | Format-Table | Out-String
                Get-CfVaultCredential -Vault $script:companion.Name @loud | Format-List * | Out-String
                Set-CfVaultCredential -Vault $script:vault -Name VC_LEAK -Revoked -Reason leak-test -Confirm:$false @loud
                Set-CfVaultCredential -Vault $script:companion.Name -Name VC_LEAK -Revoked @loud
                Remove-CfVaultCredential -Vault $script:vault -Name VC_LEAK -Confirm:$false @loud
                Remove-CfVaultCredential -Vault $script:companion.Name -Name VC_LEAK -Confirm:$false @loud
            } *>&1 | Out-String -Width 400
        }
        finally { Stop-Transcript | Out-Null }
        # It did its job first: both values were stored (and are live tokens), revoked and removed.
        $script:rolledValue | Should -Not -BeNullOrEmpty
        $script:rolledPlain | Should -Not -BeNullOrEmpty
        $script:rolledValue | Should -Not -Be 'REVOKED'
        $captured | Should -Match 'VC_LEAK'
        $captured | Should -Match 'Set-Secret: '
        Get-StoreNames 'VC_LEAK*' | Should -BeNullOrEmpty
        Get-CompanionNames | Where-Object { $_ -like 'VC_LEAK*' } | Should -BeNullOrEmpty
        $text = Get-Content -Raw $transcript
        foreach ($value in $script:rolledValue, $script:rolledPlain, $script:adminValue) {
            $captured.Contains($value) | Should -BeFalse
            $text.Contains($value) | Should -BeFalse
        }
    }
}

Describe 'Tab completion' {
    It 'completes -Vault with the registered vaults and -Name with credentials, never companions' {
        $complete = { param($Line) @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText) }
        & $complete 'Get-CfVaultCredential -Vault CfCompanionO' | Should -Be @($script:companion.Name)
        & $complete 'Remove-CfVaultCredential -Vault CfCompanionO' | Should -Be @($script:companion.Name)
        $names = & $complete "Set-CfVaultCredential -Vault $($script:vault) -Name VC_MG"
        $names | Should -Contain 'VC_MGMT'
        $names | Where-Object { $_ -like '*__*' } | Should -BeNullOrEmpty
    }
}
