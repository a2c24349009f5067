using System;
using System.Management.Automation;
using System.Text.RegularExpressions;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Validation;

namespace CfManagement.Pages
{
    /// <summary>
    /// The checks every Pages command makes before a request: project names, environments, branches, and the one
    /// "no such project" error (Cloudflare's 8000007, or a 404).
    /// </summary>
    internal static class PagesInput
    {
        public const int MaxProjectNameLength = 58;
        public static readonly string[] Environments = { PagesApi.Production, PagesApi.Preview };

        private static readonly Regex ProjectName = new Regex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex VariableName = new Regex("^[A-Za-z_][A-Za-z0-9_]{0,254}$", RegexOptions.CultureInvariant);

        /// <summary>Whether <paramref name="name"/> is a variable name Pages Functions can bind: a letter or '_', then letters, digits or '_', at most 255.</summary>
        public static bool IsVariableName(string? name) => name != null && VariableName.IsMatch(name);

        /// <summary>Null when <paramref name="name"/> is a Pages project name (wildcards allowed when <paramref name="wildcards"/>).</summary>
        public static ErrorRecord? CheckProjectName(string? name, string parameterName, bool wildcards = false)
        {
            if (wildcards && name != null && WildcardPattern.ContainsWildcardCharacters(name))
                return InputValidator.CheckWildcard(name, parameterName);
            if (name != null && name.Length <= MaxProjectNameLength && ProjectName.IsMatch(name)) return null;
            return InputValidator.Invalid(ErrorIds.InvalidPagesProjectName, parameterName, name,
                $"-{parameterName} '{name}' is not a Pages project name: lower-case letters, digits and '-', starting with a letter or digit, at most {MaxProjectNameLength} characters.",
                "Pass the project name as the dashboard shows it (it is the <name>.pages.dev subdomain), e.g. 'my-site'.");
        }

        /// <summary>Null when <paramref name="environment"/> is production or preview (any case); the canonical spelling in <paramref name="canonical"/>.</summary>
        public static ErrorRecord? CheckEnvironment(string? environment, string parameterName, out string canonical)
        {
            canonical = PagesApi.Production;
            foreach (var known in Environments)
                if (string.Equals(environment, known, StringComparison.OrdinalIgnoreCase)) { canonical = known; return null; }
            return InputValidator.Invalid(ErrorIds.InvalidPagesEnvironment, parameterName, environment,
                $"-{parameterName} '{environment}' is not a Pages environment: Pages has exactly two, production and preview.",
                $"Pass -{parameterName} production or -{parameterName} preview.");
        }

        /// <summary>Null when <paramref name="branch"/> is a usable git branch name.</summary>
        public static ErrorRecord? CheckBranch(string? branch, string parameterName)
        {
            if (!string.IsNullOrWhiteSpace(branch) && branch!.Length <= 255 && branch.IndexOfAny(new[] { ' ', '\t', '~', '^', ':', '?', '*', '[', '\\' }) < 0
                && !branch.StartsWith("-", StringComparison.Ordinal) && branch.IndexOf("..", StringComparison.Ordinal) < 0)
                return null;
            return InputValidator.Invalid(ErrorIds.InvalidBranchName, parameterName, branch,
                $"-{parameterName} '{branch}' is not a git branch name (no spaces, '..', '~', '^', ':', '?', '*', '[' or '\\', not starting with '-').",
                $"Pass the branch that deploys to production, e.g. -{parameterName} main.");
        }

        public static bool IsProjectNotFound(CloudflareApiException ex) =>
            ex.HasCode(PagesApi.ProjectNotFoundCode) || (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404);

        public static ErrorRecord ProjectNotFound(string project, Exception? inner)
        {
            var message = $"The Pages project '{project}' does not exist in this account (or this token cannot see it).";
            var exception = inner == null ? new ItemNotFoundException(message) : new ItemNotFoundException(message, inner);
            return new ErrorRecord(exception, ErrorIds.PagesProjectNotFound, ErrorCategory.ObjectNotFound, project)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "Check the name with Get-CfPagesProject, or create it with New-CfPagesProject.",
                },
            };
        }
    }
}
