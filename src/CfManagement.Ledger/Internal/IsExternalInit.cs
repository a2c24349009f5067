// netstandard2.0 lacks this marker type; the compiler needs it for init-only setters.
// Internal, so it never clashes with the real one in consumers built for newer frameworks.
namespace System.Runtime.CompilerServices
{
    internal static class IsExternalInit
    {
    }
}
