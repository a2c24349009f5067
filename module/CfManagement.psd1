@{
    RootModule           = 'CfManagement.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f7c2a2e-3d0b-4c1e-9a55-8f1d2b6c4e71'
    Author               = 'CfManagement contributors'
    CompanyName          = 'CfManagement'
    Copyright            = '(c) CfManagement contributors. MIT License.'
    Description          = 'Cloudflare API tokens, credentials and Workers as code: typed cmdlets over one shared client, with runbook-style composites.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    # The loader comes first: its IModuleAssemblyInitializer isolates our dependencies before PowerShell reflects over the cmdlets.
    NestedModules        = @('bin/CfManagement.Loader.dll', 'bin/CfManagement.Cmdlets.dll')
    FormatsToProcess     = @('CfManagement.format.ps1xml')
    CmdletsToExport      = @(
        'Connect-CfAccount'
        'Disconnect-CfAccount'
        'Get-CfSession'
        'Get-CfToken'
        'Test-CfToken'
        'Get-CfPermissionGroup'
        'Get-CfZone'
        'New-CfToken'
        'Set-CfToken'
        'Remove-CfToken'
        'Invoke-CfTokenRoll'
        'New-CfManagedToken'
        'Get-CfManagedToken'
        'Remove-CfExpiredManagedToken'
        'Test-CfTokenHealth'
        'Repair-CfToken'
        'Get-CfLedger'
        'Get-CfPagesProject'
        'New-CfPagesProject'
        'Remove-CfPagesProject'
        'Get-CfPagesSecret'
        'Set-CfPagesSecret'
        'Remove-CfPagesSecret'
        'Sync-CfPagesSecret'
        'Get-CfWorkerSecret'
        'Set-CfWorkerSecret'
        'Remove-CfWorkerSecret'
        'Sync-CfWorkerSecret'
        'Get-CfWorker'
        'Get-CfWorkerVersion'
        'Get-CfWorkerDeployment'
        'Set-CfWorkerDeployment'
        'Get-CfWorkerTailConsumer'
        'Set-CfWorkerTailConsumer'
        'Publish-CfWorker'
        'Get-CfSecretsStore'
        'Get-CfSecretsStoreSecret'
        'Set-CfSecretsStoreSecret'
        'Remove-CfSecretsStoreSecret'
        'Start-CfTail'
        'Get-CfTail'
        'Stop-CfTail'
        'Get-CfAccessServiceToken'
        'New-CfAccessServiceToken'
        'Set-CfAccessServiceToken'
        'Update-CfAccessServiceToken'
        'Invoke-CfAccessServiceTokenRotate'
        'Remove-CfAccessServiceToken'
        'Test-CfAccessServiceToken'
        'Get-CfTokenRotation'
        'Checkpoint-CfTokenRotation'
        'Save-CfRescuedCredential'
        'Set-CfGitHubActionsVariable'
        'Get-CfVaultCredential'
        'Register-CfTokenConsumer'
        'Get-CfTokenConsumer'
        'Unregister-CfTokenConsumer'
        'Set-CfVaultCredential'
        'Remove-CfVaultCredential'
    )
    FunctionsToExport    = @(
        'Get-CfTokenInventory'
        'Resolve-CfTokenFailure'
        'Invoke-CfTokenRotation'
    )
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Cloudflare', 'ApiToken', 'Workers', 'Secrets', 'SecretManagement', 'Rotation', 'DevOps', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/cfmanagement/CfManagement'
            LicenseUri   = 'https://github.com/cfmanagement/CfManagement/blob/main/LICENSE'
            ReleaseNotes = @'
0.1.0: first release. Cloudflare API-token lifecycle as typed cmdlets: connect (user and account tokens, from the
environment in CI), list, verify, create from permission-group names, update, revoke, roll straight into a
SecretManagement vault or a Worker secret (never dropping the new value), managed short-lived tokens with rollback
and scheduled cleanup, health checks against required permissions, repair and reissue, and a ledger on SQLite or D1.
Full notes: https://github.com/cfmanagement/CfManagement/blob/main/CHANGELOG.md
'@
        }
    }
}
