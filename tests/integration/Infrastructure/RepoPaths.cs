namespace CfManagement.Tests.Infrastructure;

/// <summary>Finds the repository and the module folder that `dotnet build` lays out.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string ModuleManifest => Path.Combine(Root, "out", "CfManagement", "CfManagement.psd1");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "CfManagement.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("CfManagement.sln not found above " + AppContext.BaseDirectory);
    }
}
