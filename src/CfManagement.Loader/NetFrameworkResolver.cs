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
            PreloadNativeLibraries(directory);
            AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;
            AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
        }

        /// <summary>
        /// .NET Framework looks for native libraries next to powershell.exe, not in our folder, so e_sqlite3 (the
        /// SQLite ledger) is loaded by full path first; later DllImports by name then find the loaded module.
        /// </summary>
        private static void PreloadNativeLibraries(string directory)
        {
            var native = Path.Combine(Path.Combine(Path.Combine(directory, "runtimes"), NativeRid.Current), "native");
            var library = Path.Combine(native, "e_sqlite3.dll");
            if (File.Exists(library)) LoadLibraryW(library);
        }

        [System.Runtime.InteropServices.DllImport("kernel32", CharSet = System.Runtime.InteropServices.CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryW(string path);

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
