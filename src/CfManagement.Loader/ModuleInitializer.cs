using System;
using System.IO;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CfManagement.Loader
{
    /// <summary>
    /// Runs when Import-Module loads the dll, before any cmdlet touches the engine. It points the runtime at
    /// bin/deps for our engine and its dependencies only: into a private AssemblyLoadContext on PowerShell 7, via
    /// LoadFrom on Windows PowerShell 5.1. Nothing here references an engine type, so this class JITs before the
    /// resolver exists without pulling anything in early.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        internal static string DependencyDirectory =>
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "deps");

        internal static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.OrdinalIgnoreCase);

        /// <summary>Our libraries that live in bin/deps and load only through the resolver (the engine, the ledger).</summary>
        internal static bool IsOwnLibrary(string? name) =>
            name != null && name.StartsWith("CfManagement.", StringComparison.Ordinal) &&
            File.Exists(Path.Combine(DependencyDirectory, name + ".dll"));

        public void OnImport()
        {
            if (IsNetFramework) NetFrameworkResolver.Register(DependencyDirectory);
            else RegisterCore();
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsNetFramework) NetFrameworkResolver.Unregister();
            else UnregisterCore();
        }

        // Kept out of line: CoreResolver's types come from System.Runtime.Loader, which .NET Framework lacks, so
        // Windows PowerShell must never JIT a method that mentions them.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void RegisterCore() => CoreResolver.Register(DependencyDirectory);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void UnregisterCore() => CoreResolver.Unregister();
    }
}
