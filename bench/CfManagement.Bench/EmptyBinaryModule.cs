namespace CfManagement.Bench;

/// <summary>
/// Lays out the import-time baseline: a manifest and the tiny cmdlet assembly of CfManagement.Bench.EmptyModule
/// (copied next to the bench by its project reference), in <paramref name="folder"/>.
/// </summary>
public static class EmptyBinaryModule
{
    public static string LayOut(string folder)
    {
        const string assembly = "CfManagement.Bench.EmptyModule.dll";
        var bin = Directory.CreateDirectory(Path.Combine(folder, "EmptyModule", "bin")).FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, assembly), Path.Combine(bin, assembly), overwrite: true);
        var manifest = Path.Combine(folder, "EmptyModule", "EmptyModule.psd1");
        File.WriteAllText(manifest, $$"""
            @{
                ModuleVersion        = '0.0.1'
                GUID                 = 'b3f5f0c4-9a51-4c3e-8a7e-0d9e3f1a2b4c'
                PowerShellVersion    = '5.1'
                CompatiblePSEditions = @('Desktop', 'Core')
                NestedModules        = @('bin/{{assembly}}')
                CmdletsToExport      = @('Get-BenchNothing')
                FunctionsToExport    = @()
                AliasesToExport      = @()
                VariablesToExport    = @()
            }
            """);
        return manifest;
    }
}
