using System.Management.Automation.Language;
using System.Runtime.Loader;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public class ModuleLoadingTests : CmdletTestBase
{
    [Fact]
    public void Import_exports_exactly_the_manifest_commands()
    {
        // The manifest is the one list of commands: read it the way pwsh does (Import-PowerShellDataFile, from the
        // full cmdlet set the SDK host provides), so a command added to or dropped from it needs no edit here.
        var manifest = Ps.Run("$m = Import-PowerShellDataFile -LiteralPath $args[0]; @($m.CmdletsToExport) + @($m.FunctionsToExport) + @($m.AliasesToExport)",
            args: [Path.Combine(RepoPaths.Root, "module", "CfManagement.psd1")]);
        manifest.AssertNoErrors();
        var declared = manifest.Output.Select(o => o.ToString()).Where(n => n.Length > 0).Order(StringComparer.Ordinal).ToList();
        Assert.True(declared.Count >= 10, "the manifest should declare the module's commands: " + string.Join(", ", declared));
        Assert.All(declared, n => Assert.Matches("^[A-Z][a-z]+-Cf[A-Za-z]+$", n));

        var result = Ps.Run("(Get-Module CfManagement).ExportedCommands.Keys");
        result.AssertNoErrors();
        var exported = result.Output.Select(o => o.ToString()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(declared, exported);
    }

    [Fact]
    public void The_test_host_has_the_full_pwsh_cmdlet_set()
    {
        // Microsoft.PowerShell.SDK, not the bare engine: scripts in tests run with Utility and Management like in pwsh.
        var result = Ps.Run("(Get-Command Import-PowerShellDataFile, ConvertTo-Json, Get-ChildItem, Test-Path).Source | Sort-Object -Unique");
        result.AssertNoErrors();
        Assert.Equal(new[] { "Microsoft.PowerShell.Management", "Microsoft.PowerShell.Utility" }, result.Output.Select(o => o.ToString()));
    }

    [Fact]
    public void Engine_and_its_dependencies_load_in_a_private_context_despite_conflicting_versions_in_the_default_one()
    {
        // The test host already holds System.Text.Json 10 (the runtime's) and, through the in-process emulator,
        // ASP.NET Core's Microsoft.Extensions.Http 10 in the default context: exactly the conflict another module
        // (Az, Graph) would create. Force both in before the module does anything.
        var hostJson = typeof(System.Text.Json.JsonSerializer).Assembly;
        var hostHttp = typeof(Microsoft.Extensions.Http.HttpClientFactoryOptions).Assembly;
        // And the test's own ledger reader holds Microsoft.Data.Sqlite 11, while the module ships 10.0.15.
        var hostSqlite = typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly;
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(hostHttp));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(hostJson));
        // The test project never references the module's assemblies (see its csproj), so the only copies the process
        // can find are the module's own: nothing in the host's folder for the default context to pick up instead.
        foreach (var own in new[] { "CfManagement.Engine", "CfManagement.Ledger", "CfManagement.Cmdlets", "CfManagement.Loader" })
            Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, own + ".dll")), own + ".dll is in the test host's folder");

        ConnectOrFail();
        var tokens = Ps.Run("Get-CfToken");
        tokens.AssertNoErrors();
        Assert.NotEmpty(tokens.Output);

        var engine = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "CfManagement.Engine"
            && a.Location.StartsWith(Path.Combine(RepoPaths.Root, "out"), StringComparison.Ordinal));
        var engineContext = AssemblyLoadContext.GetLoadContext(engine)!;
        Assert.NotSame(AssemblyLoadContext.Default, engineContext);
        var engineJson = engineContext.Assemblies.Single(a => a.GetName().Name == "System.Text.Json");
        var engineHttp = engineContext.Assemblies.Single(a => a.GetName().Name == "Microsoft.Extensions.Http");
        Assert.Equal(new Version(11, 0, 0, 0), engineJson.GetName().Version);
        Assert.NotEqual(hostJson.GetName().Version, engineJson.GetName().Version);
        Assert.NotSame(hostHttp, engineHttp);
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name is "CfManagement.Engine" or "CfManagement.Ledger");
        // Runtime-provided polyfills stay the runtime's, so Span and ValueTask keep one identity.
        Assert.DoesNotContain(engineContext.Assemblies, a => a.GetName().Name == "System.Memory");

        // The ledger and SQLite (managed and native) load from the module's own folder, not the host's copies.
        // Get-CfLedger opens only a ledger that exists (it creates nothing): give it an empty file, which SQLite initialises.
        var ledger = Path.Combine(Path.GetTempPath(), $"cf-loading-{Guid.NewGuid():N}.db");
        File.WriteAllBytes(ledger, []);
        try { Ps.Run("Get-CfLedger -LedgerPath $args[0]", args: [ledger]).AssertNoErrors(); }
        finally { foreach (var f in new[] { ledger, ledger + "-wal", ledger + "-shm" }) File.Delete(f); }
        var deps = Path.Combine(RepoPaths.Root, "out", "CfManagement", "bin", "deps");
        foreach (var name in new[] { "CfManagement.Ledger", "Microsoft.Data.Sqlite", "SQLitePCLRaw.core" })
            Assert.StartsWith(deps, engineContext.Assemblies.Single(a => a.GetName().Name == name).Location);
        Assert.NotSame(hostSqlite, engineContext.Assemblies.Single(a => a.GetName().Name == "Microsoft.Data.Sqlite"));
        if (File.Exists("/proc/self/maps"))
            Assert.Contains(File.ReadLines("/proc/self/maps"), line => line.Contains(Path.Combine(deps, "runtimes")) && line.Contains("e_sqlite3"));
    }

    [Fact]
    public void Every_script_and_manifest_parses_with_the_engine_parser()
    {
        var roots = new[] { Path.Combine(RepoPaths.Root, "module"), Path.Combine(RepoPaths.Root, "tests", "pester"), Path.Combine(RepoPaths.Root, "tools") };
        var files = roots.SelectMany(r => Directory.EnumerateFiles(r, "*.*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Concat(Directory.EnumerateFiles(RepoPaths.Root, "*.ps1", SearchOption.TopDirectoryOnly))
            .Where(f => f.EndsWith(".ps1") || f.EndsWith(".psm1") || f.EndsWith(".psd1")).ToList();
        Assert.Contains(files, f => f.EndsWith("CfManagement.psd1"));
        Assert.Contains(files, f => f.EndsWith("build.ps1"));
        Assert.Contains(files, f => f.EndsWith(".Tests.ps1"));
        Assert.Contains(files, f => f.EndsWith("demo.ps1"));
        foreach (var file in files)
        {
            Parser.ParseFile(file, out _, out var errors);
            Assert.True(errors.Length == 0, $"{file}: {string.Join("; ", errors.Select(e => $"{e.Extent.StartLineNumber}: {e.Message}"))}");
        }
    }

    [Fact]
    public void Manifest_lists_explicit_exports_and_supports_both_editions()
    {
        var ast = Parser.ParseFile(RepoPaths.ModuleManifest, out _, out _);
        var manifest = (System.Collections.Hashtable)ast.Find(a => a is HashtableAst, false)!.SafeGetValue();
        var cmdlets = ((object[])manifest["CmdletsToExport"]!).Cast<string>().ToList();
        Assert.DoesNotContain(cmdlets, c => c.Contains('*'));
        Assert.Equal("5.1", manifest["PowerShellVersion"]);
        Assert.Equal(new[] { "Desktop", "Core" }, ((object[])manifest["CompatiblePSEditions"]!).Cast<string>());
        var exported = Ps.Run("(Get-Module CfManagement).ExportedCmdlets.Keys").Output.Select(o => o.ToString()).Order();
        Assert.Equal(cmdlets.Order(), exported);
    }
}
