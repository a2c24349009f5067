using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Errors;
using CfManagement.Model;

namespace CfManagement.Commands.PermissionGroups
{
    /// <summary>
    /// Turns permission-group names (or ids) into catalogue entries. Names repeat across scopes, so a name that
    /// exists under several scopes is ambiguous unless a scope narrows it; an unknown name comes with suggestions.
    /// </summary>
    public static class PermissionGroupResolver
    {
        /// <summary>Resolves one name or 32-hex id; returns the group or the ErrorRecord explaining why not.</summary>
        public static (CfPermissionGroup? Group, ErrorRecord? Error) Resolve(IReadOnlyList<CfPermissionGroup> catalogue, string nameOrId, string? fullScope, string parameterName)
        {
            if (Validation.InputValidator.IsHex32(nameOrId))
            {
                var byId = catalogue.FirstOrDefault(g => g.Id == nameOrId);
                return byId != null ? (byId, null) : (null, NotFound(catalogue, nameOrId, fullScope, parameterName));
            }
            var matches = catalogue.Where(g => string.Equals(g.Name, nameOrId, StringComparison.OrdinalIgnoreCase)).ToList();
            if (fullScope != null) matches = matches.Where(g => g.Scopes.Contains(fullScope, StringComparer.OrdinalIgnoreCase)).ToList();
            if (matches.Count == 1) return (matches[0], null);
            if (matches.Count == 0) return (null, NotFound(catalogue, nameOrId, fullScope, parameterName));
            return (null, Ambiguous(nameOrId, matches, parameterName));
        }

        public static ErrorRecord NotFound(IReadOnlyList<CfPermissionGroup> catalogue, string name, string? fullScope, string parameterName)
        {
            var suggestions = Suggest(catalogue, name).ToList();
            var scopeText = fullScope == null ? "" : $" in scope {PermissionScopes.ToShortName(fullScope)}";
            var message = $"-{parameterName}: no permission group named '{name}'{scopeText} exists in this session's catalogue." +
                          (suggestions.Count > 0 ? $" Did you mean: {string.Join(", ", suggestions.Select(s => "'" + s + "'"))}?" : "");
            return new ErrorRecord(new ItemNotFoundException(message), ErrorIds.PermissionGroupNotFound, ErrorCategory.ObjectNotFound, name)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "List the valid names with Get-CfPermissionGroup (tab completion offers them). Documented names sometimes differ from API names, e.g. 'Cloudflare Tunnel Write' vs 'Argo Tunnel Write'.",
                },
            };
        }

        private static ErrorRecord Ambiguous(string name, IReadOnlyList<CfPermissionGroup> matches, string parameterName)
        {
            var options = string.Join("; ", matches.Select(m => $"{m.Id} in {string.Join(",", m.ScopeNames)}"));
            var message = $"-{parameterName}: the permission group name '{name}' exists in several scopes ({options}).";
            return new ErrorRecord(new ArgumentException(message, parameterName), ErrorIds.PermissionGroupAmbiguous, ErrorCategory.InvalidArgument, name)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = $"Narrow it with -Scope ({string.Join(", ", matches.SelectMany(m => m.ScopeNames).Distinct())}) or pass the 32-hex id instead of the name.",
                },
            };
        }

        /// <summary>Up to three catalogue names closest to <paramref name="name"/>: containment first, then edit distance.</summary>
        public static IEnumerable<string> Suggest(IReadOnlyList<CfPermissionGroup> catalogue, string name) =>
            catalogue.Select(g => g.Name).Distinct(StringComparer.OrdinalIgnoreCase)
                .Select(n => (Name: n, Score: n.IndexOf(name, StringComparison.OrdinalIgnoreCase) >= 0 || name.IndexOf(n, StringComparison.OrdinalIgnoreCase) >= 0
                    ? 0 : EditDistance(n.ToLowerInvariant(), name.ToLowerInvariant())))
                .Where(c => c.Score <= Math.Max(3, name.Length / 3))
                .OrderBy(c => c.Score).ThenBy(c => c.Name, StringComparer.OrdinalIgnoreCase)
                .Take(3).Select(c => c.Name);

        private static int EditDistance(string a, string b)
        {
            var previous = Enumerable.Range(0, b.Length + 1).ToArray();
            for (var i = 1; i <= a.Length; i++)
            {
                var current = new int[b.Length + 1];
                current[0] = i;
                for (var j = 1; j <= b.Length; j++)
                    current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                previous = current;
            }
            return previous[b.Length];
        }
    }
}
