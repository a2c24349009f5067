using System.Management.Automation;
using System.Text.RegularExpressions;
using CfManagement.Errors;
using CfManagement.Validation;

namespace CfManagement.Commands.Workers
{
    /// <summary>Worker script names as the API takes them: ^[a-z0-9_][a-z0-9-_]*$ (cf-trimmed workers_script_name), at most 63 characters (a DNS label, the workers.dev subdomain).</summary>
    internal static class WorkerScriptNames
    {
        public const int MaxLength = 63;
        private static readonly Regex Pattern = new Regex("^[a-z0-9_][a-z0-9_-]*$", RegexOptions.CultureInvariant);

        public static bool IsValid(string? name) => !string.IsNullOrEmpty(name) && name!.Length <= MaxLength && Pattern.IsMatch(name);

        /// <summary>Null when the name is fine, else the error naming the parameter and the fix.</summary>
        public static ErrorRecord? Check(string? name, string parameterName)
        {
            if (IsValid(name)) return null;
            var fix = "Worker names use lowercase letters, digits, '-' and '_' (not starting with '-'), at most 63 characters; Get-CfWorker lists the account's scripts.";
            var message = string.IsNullOrEmpty(name)
                ? $"-{parameterName} is empty; it names a Worker script."
                : name!.Length > MaxLength
                    ? $"-{parameterName} '{name.Substring(0, 40)}...' is {name.Length} characters; a Worker script name has at most {MaxLength}."
                    : $"-{parameterName} '{name}' is not a Worker script name.";
            return InputValidator.Invalid(ErrorIds.InvalidWorkerScriptName, parameterName, name, message, fix);
        }
    }
}
