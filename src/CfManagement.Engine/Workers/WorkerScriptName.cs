using System;
using System.Text.RegularExpressions;

namespace CfManagement.Workers
{
    /// <summary>
    /// The one rule for Worker script names, used by every command that takes one (secrets, deployments, uploads,
    /// destinations): the API's pattern (<c>^[a-z0-9_][a-z0-9-_]*$</c>, cf-trimmed.json workers_script_name), at most
    /// 63 characters and not ending in '-', because the name is also the workers.dev host label (wrangler enforces both).
    /// </summary>
    public static class WorkerScriptName
    {
        public const int MaxLength = 63;

        private static readonly Regex Pattern = new Regex("^[a-z0-9_][a-z0-9_-]*$", RegexOptions.CultureInvariant);

        public static bool IsValid(string? name) =>
            !string.IsNullOrEmpty(name) && name!.Length <= MaxLength && Pattern.IsMatch(name) && !name.EndsWith("-", StringComparison.Ordinal);

        /// <summary>What to say about a refused name, naming the rule it breaks.</summary>
        public static string Problem(string? name) =>
            string.IsNullOrEmpty(name) ? "it is empty"
            : name!.Length > MaxLength ? $"it has {name.Length} characters (at most {MaxLength})"
            : IsValid(name.Trim().ToLowerInvariant()) ? "script names are lower-case, without spaces"
            : "use lower-case letters, digits, '-' and '_', not starting or ending with '-'";
    }
}
