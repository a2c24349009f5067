# Script layer of CfManagement: runbook-style composites built on the compiled cmdlets.
# Each public function lives in Public/<Verb-Noun>.ps1; helpers in Private/. The binary module (NestedModules) is
# already loaded when this runs. Only engine-level features are used here (no Join-Path/Get-ChildItem), so the
# module also loads in a minimal hosted runspace.
Set-StrictMode -Version 3.0

foreach ($folder in 'Private', 'Public') {
    $path = [System.IO.Path]::Combine($PSScriptRoot, $folder)
    if ([System.IO.Directory]::Exists($path)) {
        foreach ($script in [System.IO.Directory]::GetFiles($path, '*.ps1')) {
            . $script
        }
    }
}
