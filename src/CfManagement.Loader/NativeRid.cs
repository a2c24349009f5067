using System.Runtime.InteropServices;

namespace CfManagement.Loader
{
    /// <summary>The runtimes/&lt;rid&gt; folder name NuGet uses for this OS and process architecture.</summary>
    internal static class NativeRid
    {
        public static string Current
        {
            get
            {
                var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                    : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx" : "linux";
                var arch = RuntimeInformation.ProcessArchitecture switch
                {
                    Architecture.X64 => "x64",
                    Architecture.X86 => "x86",
                    Architecture.Arm64 => "arm64",
                    Architecture.Arm => "arm",
                    _ => "x64",
                };
                // Alpine and other musl distributions need the musl build (PowerShell's own Docker images include Alpine).
                if (os == "linux" && System.IO.Directory.Exists("/lib") && System.IO.Directory.GetFiles("/lib", "ld-musl-*").Length > 0) os = "linux-musl";
                return $"{os}-{arch}";
            }
        }
    }
}
