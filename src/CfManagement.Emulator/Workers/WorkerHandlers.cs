using System.Text;
using System.Text.RegularExpressions;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// The event handlers a Worker exports, found the way a quick reader would: in a module Worker's main module, the
/// handler names written as methods or properties (<c>fetch(</c>, <c>scheduled:</c>); in a service worker, the
/// events passed to addEventListener. The real API runs the code; this is a stand-in good enough for listings.
/// </summary>
internal static partial class WorkerHandlers
{
    private static readonly string[] Known = ["fetch", "scheduled", "queue", "email", "tail", "trace", "alarm"];

    public static IReadOnlyList<string> Find(WorkerModule main, bool hasModules)
    {
        var source = Encoding.UTF8.GetString(main.Content);
        var found = hasModules
            ? ModuleHandler().Matches(source).Select(m => m.Groups[1].Value)
            : ServiceWorkerEvent().Matches(source).Select(m => m.Groups[1].Value);
        var set = found.ToHashSet(StringComparer.Ordinal);
        return Known.Where(set.Contains).ToList();
    }

    [GeneratedRegex(@"\b(fetch|scheduled|queue|email|tail|trace|alarm)\s*(?:\(|:)")]
    private static partial Regex ModuleHandler();

    [GeneratedRegex(@"addEventListener\(\s*['""](\w+)['""]")]
    private static partial Regex ServiceWorkerEvent();
}
