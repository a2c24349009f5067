using System.Text;
using System.Text.RegularExpressions;

namespace CfManagement.Emulator.Workers;

/// <summary>
/// The names a module Worker's main module exports ("default", classes, functions, constants, export lists), read
/// from the source text. Two versions of one deployment must declare the same exports (else 400 100405), since
/// entrypoints and Durable Object classes are resolved across the split. Service workers export nothing.
/// </summary>
internal static partial class WorkerExports
{
    public static IReadOnlyList<string> Find(WorkerModule main, bool hasModules)
    {
        if (!hasModules)
            return [];
        var source = Encoding.UTF8.GetString(main.Content);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (DefaultExport().IsMatch(source))
            names.Add("default");
        foreach (Match match in NamedDeclaration().Matches(source))
            names.Add(match.Groups[1].Value);
        foreach (Match match in ExportList().Matches(source))
        {
            foreach (var entry in match.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var alias = entry.Split(" as ", StringSplitOptions.TrimEntries);
                names.Add(alias[^1]);
            }
        }
        return names.ToList();
    }

    [GeneratedRegex(@"\bexport\s+default\b")]
    private static partial Regex DefaultExport();

    [GeneratedRegex(@"\bexport\s+(?:async\s+)?(?:class|function\*?|const|let|var)\s+([A-Za-z_$][\w$]*)")]
    private static partial Regex NamedDeclaration();

    [GeneratedRegex(@"\bexport\s*\{([^}]*)\}")]
    private static partial Regex ExportList();
}
