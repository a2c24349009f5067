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
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('Cloudflare', 'ApiToken', 'Workers', 'Secrets', 'DevOps', 'PSEdition_Desktop', 'PSEdition_Core')
            ProjectUri = 'https://github.com/cfmanagement/CfManagement'
        }
    }
}
