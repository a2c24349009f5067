using System.Reflection;
using System.Runtime.Loader;

namespace CfManagement.Loader
{
    /// <summary>
    /// PowerShell 7: answers the default context's failed lookup for our own libraries only, loading them into
    /// <see cref="EngineLoadContext"/>. From there on every dependency of the engine resolves inside that context,
    /// so whatever System.Text.Json or Microsoft.Extensions.* another module put in the default context is irrelevant.
    /// </summary>
    internal static class CoreResolver
    {
        private static EngineLoadContext? _context;

        public static void Register(string dependencyDirectory)
        {
            _context ??= new EngineLoadContext(dependencyDirectory);
            AssemblyLoadContext.Default.Resolving -= OnResolving;
            AssemblyLoadContext.Default.Resolving += OnResolving;
        }

        public static void Unregister() => AssemblyLoadContext.Default.Resolving -= OnResolving;

        // Our own libraries in bin/deps (the engine, the ledger) are the only names answered here; the cmdlets
        // reference them, and every third-party dependency then resolves inside EngineLoadContext.
        private static Assembly? OnResolving(AssemblyLoadContext context, AssemblyName name) =>
            _context != null && ModuleInitializer.IsOwnLibrary(name.Name) ? _context.LoadFromAssemblyName(name) : null;

        /// <summary>For tests and diagnostics: the context the engine lives in.</summary>
        internal static AssemblyLoadContext? Context => _context;
    }
}
