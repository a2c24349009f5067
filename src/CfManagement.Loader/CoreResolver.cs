using System.Reflection;
using System.Runtime.Loader;

namespace CfManagement.Loader
{
    /// <summary>
    /// PowerShell 7: answers the default context's failed lookup for our engine only, loading it into
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

        private static Assembly? OnResolving(AssemblyLoadContext context, AssemblyName name) =>
            name.Name == ModuleInitializer.EngineAssemblyName && _context != null ? _context.LoadFromAssemblyName(name) : null;

        /// <summary>For tests and diagnostics: the context the engine lives in.</summary>
        internal static AssemblyLoadContext? Context => _context;
    }
}
