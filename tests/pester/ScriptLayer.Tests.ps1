#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.5' }
# The script layer (module/Public, module/Private) and the samples (docs/samples) also run in Windows PowerShell 5.1
# (Azure Automation, the Desktop edition the manifest declares), which this machine cannot run. What 5.1 would refuse
# to parse is found here from the AST instead: ternaries, pipeline chains (&& ||), null-coalescing (?? ??=),
# null-conditional member access (?. ?[]), clean blocks and ForEach-Object -Parallel. Public scripts hold one
# advanced function named like the file. No emulator, no module import.

BeforeDiscovery {
    $root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $folders = @('module/Public', 'module/Private', 'docs/samples') | ForEach-Object { Join-Path $root $_ } | Where-Object { Test-Path $_ }
    $script:scripts = @(Get-ChildItem -Path $folders -Recurse -Include '*.ps1', '*.psm1' -File | ForEach-Object {
            @{ Name = $_.FullName.Substring($root.Length + 1).Replace('\', '/'); Path = $_.FullName; IsPublic = $_.FullName -match '[\\/]module[\\/]Public[\\/]' }
        })
}

BeforeAll {
    # Each finding: "line N: what", from the AST and tokens of a file's text.
    function script:Find-NewerSyntax([string] $Text) {
        $tokens = $null; $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref] $tokens, [ref] $errors)
        $found = [Collections.Generic.List[string]]::new()
        foreach ($e in $errors) { $found.Add("line $($e.Extent.StartLineNumber): parse error $($e.ErrorId)") }
        foreach ($t in $tokens) {
            if ($t.Kind -in 'QuestionQuestion', 'QuestionQuestionEquals', 'QuestionDot', 'QuestionLBracket', 'AndAnd', 'OrOr') {
                $found.Add("line $($t.Extent.StartLineNumber): $($t.Kind) ($($t.Text)) is PowerShell 7 only")
            }
        }
        $kinds = @{
            'TernaryExpressionAst' = 'the ternary operator'
            'PipelineChainAst'     = 'a pipeline chain (&& / ||)'
        }
        foreach ($node in $ast.FindAll({ param($n) $true }, $true)) {
            $name = $node.GetType().Name
            if ($kinds.ContainsKey($name)) { $found.Add("line $($node.Extent.StartLineNumber): $($kinds[$name]) is PowerShell 7 only") }
            if ($node -is [System.Management.Automation.Language.ScriptBlockAst] -and $null -ne $node.CleanBlock) {
                $found.Add("line $($node.Extent.StartLineNumber): a clean block is PowerShell 7.3+ only")
            }
            if ($node -is [System.Management.Automation.Language.CommandAst] -and $node.GetCommandName() -in 'ForEach-Object', '%', 'foreach') {
                if ($node.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] -and $_.ParameterName -like 'Pa*' }) {
                    $found.Add("line $($node.Extent.StartLineNumber): ForEach-Object -Parallel is PowerShell 7 only")
                }
            }
        }
        $found.ToArray()
    }
}

Describe 'The 5.1 syntax check itself' {
    It 'finds <Label>' -ForEach @(
        @{ Label = 'a ternary'; Text = '$a = $true ? 1 : 2' }
        @{ Label = 'a pipeline chain'; Text = 'Get-Item . && Get-Item ..' }
        @{ Label = 'null-coalescing'; Text = '$a = $b ?? 3' }
        @{ Label = 'null-coalescing assignment'; Text = '$a ??= 3' }
        @{ Label = 'null-conditional access'; Text = '${a}?.Length' }
        @{ Label = 'a clean block'; Text = 'function f { process { 1 } clean { 2 } }' }
        @{ Label = 'ForEach-Object -Parallel'; Text = '1..3 | ForEach-Object -Parallel { $_ }' }
    ) {
        @(Find-NewerSyntax $Text).Count | Should -BeGreaterThan 0
    }

    It 'passes plain 5.1 script' {
        @(Find-NewerSyntax 'function Get-X { [CmdletBinding()] param([string] $A) process { if ($A) { $A } else { 1..3 | ForEach-Object { $_ } } } }').Count | Should -Be 0
    }
}

Describe '<Name>' -ForEach $script:scripts {
    It 'parses, with nothing Windows PowerShell 5.1 cannot run' {
        $findings = @(Find-NewerSyntax (Get-Content -Raw -Path $Path))
        $findings | Should -BeNullOrEmpty -Because ($findings -join '; ')
    }
}

Describe '<Name>' -ForEach @($script:scripts | Where-Object { $_.IsPublic }) {
    It 'holds one advanced function named like the file' {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $null, [ref] $null)
        $functions = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.FunctionDefinitionAst] }, $false))
        $functions.Count | Should -Be 1
        $functions[0].Name | Should -Be ([IO.Path]::GetFileNameWithoutExtension($Path))
        $functions[0].Body.ParamBlock.Attributes.TypeName.Name | Should -Contain 'CmdletBinding'
    }
}
