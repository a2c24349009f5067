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
                return $"{os}-{arch}";
            }
        }
    }
}
