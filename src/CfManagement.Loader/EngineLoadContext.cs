using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace CfManagement.Loader
{
    /// <summary>
    /// The private load context of the engine on PowerShell 7. It loads an assembly from bin/deps unless the shared
    /// .NET runtime itself ships that assembly at an equal or higher version (System.Memory, System.Buffers, ...):
    /// those must stay the runtime's so that Span, ValueTask and friends keep one identity across contexts.
    /// Only the runtime's own folder counts; whatever the host application or another module put in the default
    /// context (PowerShell's $PSHOME, a test host's bin) never replaces our copy.
    /// </summary>
    internal sealed class EngineLoadContext : AssemblyLoadContext
    {
        private readonly string _directory;
        private readonly ConcurrentDictionary<string, Version?> _platformVersions = new ConcurrentDictionary<string, Version?>(StringComparer.OrdinalIgnoreCase);
        private static readonly string RuntimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty;

        public EngineLoadContext(string directory) => _directory = directory;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var candidate = Path.Combine(_directory, assemblyName.Name + ".dll");
            if (!File.Exists(candidate)) return null;
            var platform = PlatformVersion(assemblyName.Name!);
            if (platform != null && (assemblyName.Version == null || platform >= assemblyName.Version)) return null;
            return LoadFromAssemblyPath(candidate);
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
        {
            // Native libraries shipped under deps/runtimes/<rid>/native (e.g. e_sqlite3) load from our folder.
            var runtimes = Path.Combine(_directory, "runtimes");
            if (Directory.Exists(runtimes))
            {
                foreach (var file in Directory.EnumerateFiles(runtimes, "*", SearchOption.AllDirectories)
                             .Where(f => Path.GetFileName(f).StartsWith(unmanagedDllName, StringComparison.OrdinalIgnoreCase)
                                         || Path.GetFileName(f).StartsWith("lib" + unmanagedDllName, StringComparison.OrdinalIgnoreCase))
                             .Where(f => f.IndexOf(NativeRid.Current, StringComparison.OrdinalIgnoreCase) >= 0))
                    return LoadUnmanagedDllFromPath(file);
            }
            return IntPtr.Zero;
        }

        private Version? PlatformVersion(string simpleName) => _platformVersions.GetOrAdd(simpleName, name =>
        {
            if (name.StartsWith("CfManagement.", StringComparison.OrdinalIgnoreCase)) return null;
            var path = Path.Combine(RuntimeDirectory, name + ".dll");
            if (!File.Exists(path)) return null;
            try { return AssemblyName.GetAssemblyName(path).Version; }
            catch (BadImageFormatException) { return null; }
        });
    }
}
