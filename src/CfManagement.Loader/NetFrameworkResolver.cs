using System;
using System.IO;
using System.Reflection;

namespace CfManagement.Loader
{
    /// <summary>
    /// Windows PowerShell 5.1 has one load context, so the best available isolation is to answer only lookups made
    /// by our own assemblies (or for our engine) with the copy in bin/deps, loaded with LoadFrom.
    /// </summary>
    internal static class NetFrameworkResolver
    {
        private static string _directory = string.Empty;

        public static void Register(string directory)
        {
            _directory = directory;
            AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;
            AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
        }

        public static void Unregister() => AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;

        private static Assembly? OnAssemblyResolve(object sender, ResolveEventArgs args)
        {
            var name = new AssemblyName(args.Name);
            var requestedByUs = args.RequestingAssembly == null
                ? ModuleInitializer.IsOwnLibrary(name.Name)
                : IsOurs(args.RequestingAssembly);
            if (!requestedByUs) return null;
            var candidate = Path.Combine(_directory, name.Name + ".dll");
            return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
        }

        private static bool IsOurs(Assembly assembly)
        {
            try
            {
                var location = assembly.Location;
                var moduleBin = Path.GetDirectoryName(_directory) ?? _directory;
                return !string.IsNullOrEmpty(location) && location.StartsWith(moduleBin, StringComparison.OrdinalIgnoreCase);
            }
            catch (NotSupportedException)
            {
                return false; // dynamic assemblies have no location
            }
        }
    }
}
