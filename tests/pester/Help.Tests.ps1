#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# What Get-Help and Get-Command show an admin for every exported command, in real pwsh, from the built module's
# compiled MAML (sources in docs/help) for cmdlets, and from comment-based help for the script composites. The command
# list is the manifest's CmdletsToExport and FunctionsToExport, never a copy.
# No emulator: help and command metadata need no session.

BeforeDiscovery {
    $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../module/CfManagement.psd1')
    $script:commands = @(@($manifest.CmdletsToExport) + @($manifest.FunctionsToExport) | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestSupport.psm1') -Force
    Import-Module (Get-TestModuleManifest) -Force
    # Verbs that change something at Cloudflare, in a vault or in a Worker: -WhatIf and -Confirm are a must.
    # Connect/Disconnect only open or forget this runspace's session (nothing outside it changes), and Get/Test read,
    # so those must not pretend to support -WhatIf.
    # Publish-CfWorker uploads (and deploys) a Worker; Sync-Cf*Secret adds, overwrites and prunes secrets; Stop-CfTail deletes tails.
    # Register/Unregister/Checkpoint write the ledger (Save-CfRescuedCredential stores a rescued value), which a team may share on D1; Revoke deletes a credential.
    $script:changing = @('New', 'Set', 'Remove', 'Invoke', 'Repair', 'Publish', 'Sync', 'Stop', 'Update', 'Register', 'Unregister', 'Checkpoint', 'Revoke', 'Save')
    $script:local = @('Connect', 'Disconnect')
    # -WhatIf/-Confirm are "optional common" parameters but only some commands have them: those must document them.
    $script:common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters | Where-Object { $_ -notin 'WhatIf', 'Confirm' })
    # A cmdlet's [Cmdlet] attribute, or a script function's [CmdletBinding()]: both say SupportsShouldProcess and ConfirmImpact.
    function script:Get-Attribute([string] $Name) {
        $command = Get-Command $Name
        if ($command.CommandType -eq 'Cmdlet') {
            return $command.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        }
        @($command.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] })[0]
    }
}

Describe 'The exported commands' {
    It 'are exactly the manifest''s CmdletsToExport' {
        $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../module/CfManagement.psd1')
        $manifest.CmdletsToExport.Count | Should -BeGreaterOrEqual 17
        @((Get-Command -Module CfManagement -CommandType Cmdlet).Name | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'are, for the script composites, exactly the manifest''s FunctionsToExport, each an advanced function' {
        $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../../module/CfManagement.psd1')
        $functions = @(Get-Command -Module CfManagement -CommandType Function)
        @($functions.Name | Sort-Object) | Should -Be @($manifest.FunctionsToExport | Sort-Object)
        foreach ($function in $functions) { $function.CmdletBinding | Should -BeTrue -Because "$($function.Name) should be an advanced function" }
    }
}

Describe '<Name>' -ForEach $script:commands {
    BeforeAll {
        $script:help = Get-Help $Name -Full
        $script:command = Get-Command $Name
        $script:verb = $Name.Split('-')[0]
    }

    It 'has a written synopsis, not the generated syntax stub' {
        $synopsis = "$($script:help.Synopsis)".Trim()
        $synopsis.Length | Should -BeGreaterThan 20
        $synopsis | Should -Not -Match ('^' + [regex]::Escape($Name) + '\s*(\[|$)')
    }

    It 'has a description' {
        $description = ($script:help.description | ForEach-Object Text) -join "`n"
        $description.Trim().Length | Should -BeGreaterThan 80
    }

    It 'has at least one example with code, each with code that names the command or its pipeline' {
        $examples = @($script:help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty
        }
        ($examples.code -join "`n") | Should -Match ([regex]::Escape($Name))
    }

    It 'documents every parameter it has' {
        $documented = @{}
        foreach ($parameter in @($script:help.parameters.parameter | Where-Object { $_ -and $_.name })) {
            $documented[$parameter.name] = (($parameter.description | ForEach-Object Text) -join ' ').Trim()
        }
        $own = @($script:command.Parameters.Keys | Where-Object { $_ -notin $script:common })
        foreach ($parameter in $own) {
            $documented.Keys | Should -Contain $parameter -Because "-$parameter of $Name should be in its help"
            $documented[$parameter].Length | Should -BeGreaterThan 10 -Because "-$parameter of $Name should say what it does"
        }
    }

    It 'declares its output type' {
        @($script:command.OutputType).Count | Should -BeGreaterOrEqual 1
        $script:command.OutputType[0].Name | Should -Not -BeNullOrEmpty
    }

    It 'offers -WhatIf and -Confirm exactly when its verb changes something' {
        $supports = (Get-Attribute $Name).SupportsShouldProcess
        if ($script:verb -in $script:changing) {
            $supports | Should -BeTrue -Because "$Name changes things outside the runspace"
            $script:command.Parameters.Keys | Should -Contain 'WhatIf'
            $script:command.Parameters.Keys | Should -Contain 'Confirm'
            # ...and Get-Help shows them, since that (from docs/help) is where an admin looks.
            $syntax = $script:help.syntax | Out-String -Width 600
            $syntax | Should -Match '\[-WhatIf\]'
            $syntax | Should -Match '\[-Confirm\]'
        }
        elseif ($script:verb -in $script:local) {
            $supports | Should -BeFalse -Because "$Name only opens or forgets this runspace's session"
        }
        else {
            $supports | Should -BeFalse -Because "$Name ($($script:verb)) only reads"
            $script:command.Parameters.Keys | Should -Not -Contain 'WhatIf'
        }
    }
}

Describe 'Irreversible commands' {
    It '<_> asks for confirmation by default (ConfirmImpact High)' -ForEach @('Remove-CfToken', 'Invoke-CfTokenRoll', 'Repair-CfToken', 'Revoke-CfToken', 'Remove-CfVaultCredential') {
        (Get-Attribute $_).ConfirmImpact | Should -Be 'High'
    }
}
