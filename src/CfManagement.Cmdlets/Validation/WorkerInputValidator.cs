using System;
using System.Management.Automation;
using System.Text;
using System.Text.RegularExpressions;
using CfManagement.Errors;
using CfManagement.Workers;

namespace CfManagement.Validation
{
    /// <summary>Checks Worker script names, version ids, tags and deployment messages before anything is sent.</summary>
    public static class WorkerInputValidator
    {
        private static readonly Regex Tag = new Regex("^[^,:\\s][^,:]*$", RegexOptions.CultureInvariant);

        /// <summary>
        /// Cloudflare cuts a workers/message at 1000 UTF-8 bytes (SDK and wrangler sources; the emulator does the same), so
        /// a longer one is refused here rather than cut silently. The 2024 spec text's maxLength 50 for deployments is
        /// not enforced: newer sources accept longer messages.
        /// </summary>
        public const int MaxDeploymentMessageBytes = 1000;

        public static bool IsScriptName(string? value) => WorkerScriptName.IsValid(value);

        public static ErrorRecord? CheckScriptName(string? value, string parameterName)
        {
            if (IsScriptName(value)) return null;
            return InputValidator.Invalid(ErrorIds.InvalidScriptName, parameterName, value,
                $"-{parameterName} '{value}' is not a Worker script name: {WorkerScriptName.Problem(value)}.",
                "Pass the script name as wrangler.toml's name, or pick one from Get-CfWorker (Tab completes it).");
        }

        /// <summary>Null when <paramref name="value"/> is a version id (a GUID, 36 characters with hyphens); <paramref name="normalized"/> is it in lower case.</summary>
        public static ErrorRecord? CheckVersionId(string? value, string parameterName, out string normalized)
        {
            normalized = "";
            if (value != null && value.Length == 36 && Guid.TryParseExact(value, "D", out var id))
            {
                normalized = id.ToString("D");
                return null;
            }
            return InputValidator.Invalid(ErrorIds.InvalidVersionId, parameterName, value,
                $"-{parameterName} '{value}' is not a Worker version id: those are GUIDs like 18f97339-c287-4872-9bdd-e2135c07ec12.",
                "Copy the Id of a Get-CfWorkerVersion result (or pipe it in).");
        }

        public static ErrorRecord? CheckTag(string? value, string parameterName)
        {
            if (value != null && value.Length <= 100 && Tag.IsMatch(value) && value.Trim() == value) return null;
            return InputValidator.Invalid(ErrorIds.InvalidWorkerTag, parameterName, value,
                $"-{parameterName} '{value}' is not a Worker tag: a non-empty name without ',' or ':' and without leading or trailing spaces, at most 100 characters.",
                $"Pass the tag's name alone, e.g. -{parameterName} prod; -Tag keeps Workers with the tag, -ExcludeTag drops them.");
        }

        public static ErrorRecord? CheckDeploymentMessage(string? value, string parameterName)
        {
            if (value == null) return null;
            if (string.IsNullOrWhiteSpace(value))
                return InputValidator.Invalid(ErrorIds.InvalidDeploymentMessage, parameterName, value, $"-{parameterName} must not be empty or white space.", $"Omit -{parameterName} or give it text.");
            var bytes = Encoding.UTF8.GetByteCount(value);
            if (bytes > MaxDeploymentMessageBytes)
                return InputValidator.Invalid(ErrorIds.InvalidDeploymentMessage, parameterName, value.Substring(0, 40) + "...",
                    $"-{parameterName} is {bytes} bytes long (UTF-8); Cloudflare keeps at most {MaxDeploymentMessageBytes} bytes of a deployment message and would cut the rest.",
                    $"Shorten -{parameterName} to {MaxDeploymentMessageBytes} bytes or fewer.");
            return null;
        }
    }
}
