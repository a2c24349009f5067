using System.Management.Automation.Language;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.PortableExecutable;
using System.Runtime.InteropServices;
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
        // The test host already holds, in the default context, ASP.NET Core's Microsoft.Extensions.Http 10 (through
        // the in-process emulator) and Microsoft.Data.Sqlite 11 (the test's own ledger reader, while the module ships
        // 10.0.15): exactly the conflicts another module (Az, Graph) would create. Force them in before the module
        // does anything.
        var hostJson = typeof(System.Text.Json.JsonSerializer).Assembly;
        var hostHttp = typeof(Microsoft.Extensions.Http.HttpClientFactoryOptions).Assembly;
        var hostSqlite = typeof(Microsoft.Data.Sqlite.SqliteConnection).Assembly;
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(hostHttp));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(hostJson));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(hostSqlite));
        // The test project never references the module's assemblies (see its csproj), so the only copies the process
        // can find are the module's own: nothing in the host's folder for the default context to pick up instead.
        foreach (var own in new[] { "CfManagement.Engine", "CfManagement.Ledger", "CfManagement.Cmdlets", "CfManagement.Loader" })
            Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, own + ".dll")), own + ".dll is in the test host's folder");

        ConnectOrFail();
        var tokens = Ps.Run("Get-CfToken");
        tokens.AssertNoErrors();
        Assert.NotEmpty(tokens.Output);
        // Get-CfLedger opens only a ledger that exists (it creates nothing): give it an empty file, which SQLite initialises.
        var ledger = Path.Combine(Path.GetTempPath(), $"cf-loading-{Guid.NewGuid():N}.db");
        File.WriteAllBytes(ledger, []);
        try { Ps.Run("Get-CfLedger -LedgerPath $args[0]", args: [ledger]).AssertNoErrors(); }
        finally { foreach (var f in new[] { ledger, ledger + "-wal", ledger + "-shm" }) File.Delete(f); }

        var deps = Path.Combine(RepoPaths.Root, "out", "CfManagement", "bin", "deps");
        var engine = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "CfManagement.Engine"
            && a.Location.StartsWith(Path.Combine(RepoPaths.Root, "out"), StringComparison.Ordinal));
        var engineContext = AssemblyLoadContext.GetLoadContext(engine)!;
        Assert.NotSame(AssemblyLoadContext.Default, engineContext);
        Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name is "CfManagement.Engine" or "CfManagement.Ledger");

        // The module's own libraries and the third-party ones the runtime does not ship load in the private context
        // from bin/deps, never the host's copies; SQLite's native library too.
        foreach (var name in new[] { "CfManagement.Engine", "CfManagement.Ledger", "Microsoft.Data.Sqlite", "SQLitePCLRaw.core" })
            Assert.StartsWith(deps, engineContext.Assemblies.Single(a => a.GetName().Name == name).Location);
        Assert.NotSame(hostSqlite, engineContext.Assemblies.Single(a => a.GetName().Name == "Microsoft.Data.Sqlite"));
        if (File.Exists("/proc/self/maps"))
            Assert.Contains(File.ReadLines("/proc/self/maps"), line => line.Contains(Path.Combine(deps, "runtimes")) && line.Contains("e_sqlite3"));

        // System.Text.Json: the engine is built against the 10.0 line, whose assembly version the .NET 10 runtime
        // ships too, so the load context's rule ("the runtime's copy when it is equal or newer") picks the runtime's
        // ReadyToRun copy on PowerShell 7 and leaves the IL-only netstandard2.0 copy in bin/deps to Windows
        // PowerShell 5.1. Assert the premises (what the engine asks for, what deps and the runtime hold) and the
        // outcome (which assembly the engine's source-generated JSON context actually runs on).
        var requested = engine.GetReferencedAssemblies().Single(a => a.Name == "System.Text.Json").Version!;
        var shipped = AssemblyName.GetAssemblyName(Path.Combine(deps, "System.Text.Json.dll")).Version!;
        var runtimeJsonPath = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "System.Text.Json.dll");
        var runtimeJson = AssemblyName.GetAssemblyName(runtimeJsonPath).Version!;
        Assert.Equal(requested, shipped);
        Assert.True(runtimeJson >= requested, $"the runtime's System.Text.Json {runtimeJson} is older than the engine's {requested}: the engine would run on the IL-only copy from bin/deps");
        Assert.True(IsReadyToRun(runtimeJsonPath), "the runtime's System.Text.Json should be precompiled (ReadyToRun)");
        Assert.False(IsReadyToRun(Path.Combine(deps, "System.Text.Json.dll")), "bin/deps' System.Text.Json is expected to be the IL-only netstandard2.0 build");
        var jsonContext = engine.GetType("CfManagement.Json.CloudflareJsonContext", throwOnError: true)!;
        var usedJson = jsonContext.BaseType!.Assembly;
        Assert.Equal("System.Text.Json", usedJson.GetName().Name);
        Assert.Same(hostJson, usedJson);
        Assert.Equal(Path.GetFullPath(runtimeJsonPath), Path.GetFullPath(usedJson.Location));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(usedJson));
        Assert.DoesNotContain(engineContext.Assemblies, a => a.GetName().Name == "System.Text.Json");
        // Runtime-provided polyfills stay the runtime's, so Span and ValueTask keep one identity.
        Assert.DoesNotContain(engineContext.Assemblies, a => a.GetName().Name == "System.Memory");

        // The module no longer ships Microsoft.Extensions.* (it used only IHttpClientFactory's shape): neither in
        // bin/deps nor loaded on its behalf, whatever the host holds.
        Assert.Empty(Directory.EnumerateFiles(deps, "Microsoft.Extensions.*.dll"));
        Assert.DoesNotContain(engine.GetReferencedAssemblies(), a => a.Name!.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal));
        Assert.DoesNotContain(engineContext.Assemblies, a => a.GetName().Name!.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_load_context_takes_the_runtime_copy_only_when_it_is_equal_or_newer()
    {
        // The other side of the rule above, through the module's own EngineLoadContext: over a folder holding a
        // System.Text.Json newer than the runtime's (as bin/deps did with 11.0.0), the private copy wins; asked for
        // the runtime's version or older, the runtime's copy does.
        // Ps has imported the module, so its loader is in the process.
        var loader = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "CfManagement.Loader"
            && a.Location.StartsWith(Path.Combine(RepoPaths.Root, "out"), StringComparison.Ordinal));
        var contextType = loader.GetType("CfManagement.Loader.EngineLoadContext", throwOnError: true)!;
        var runtimeJson = typeof(System.Text.Json.JsonSerializer).Assembly.GetName().Version!;
        var newer = new Version(runtimeJson.Major + 89, 0, 0, 0);

        var folder = Directory.CreateTempSubdirectory("cf-alc-");
        try
        {
            var fake = Path.Combine(folder.FullName, "System.Text.Json.dll");
            var builder = new PersistedAssemblyBuilder(new AssemblyName("System.Text.Json") { Version = newer }, typeof(object).Assembly);
            builder.DefineDynamicModule("System.Text.Json").DefineType("CfLoadContextProbe", System.Reflection.TypeAttributes.Public).CreateType();
            builder.Save(fake);

            var equal = (AssemblyLoadContext)Activator.CreateInstance(contextType, folder.FullName)!;
            Assert.Same(typeof(System.Text.Json.JsonSerializer).Assembly,
                equal.LoadFromAssemblyName(new AssemblyName($"System.Text.Json, Version={runtimeJson}")));

            var older = (AssemblyLoadContext)Activator.CreateInstance(contextType, folder.FullName)!;
            var loaded = older.LoadFromAssemblyName(new AssemblyName($"System.Text.Json, Version={newer}"));
            Assert.Equal(fake, loaded.Location);
            Assert.Same(older, AssemblyLoadContext.GetLoadContext(loaded));
            Assert.NotNull(loaded.GetType("CfLoadContextProbe"));
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { } // loaded file may be mapped (Windows)
        }
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

    /// <summary>Whether a managed PE file carries precompiled native code (ReadyToRun): a ManagedNativeHeader.</summary>
    private static bool IsReadyToRun(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new PEReader(stream);
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }
}
