using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Text.RegularExpressions;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Validation;

namespace CfManagement.Commands.SecretsStore
{
    /// <summary>
    /// Checks Secrets Store input before any request, with the rules the emulator enforces (cf-trimmed.json and
    /// Cloudflare's docs: values up to 65,536 bytes, scopes from the spec's enum; names: no spaces, here 1-255 of
    /// letters, digits, '_' and '-'). Each check returns null when fine.
    /// </summary>
    internal static class SecretsStoreInput
    {
        public const int MaxNameLength = 255;
        public const int MaxValueBytes = 65536;
        public const int MaxCommentLength = 1024;

        private static readonly Regex Name = new Regex("^[A-Za-z0-9_-]{1,255}$", RegexOptions.CultureInvariant);

        /// <summary>A store given by name or by its 32-hex id.</summary>
        public static ErrorRecord? CheckStore(string? store, string parameterName) =>
            store != null && Name.IsMatch(store)
                ? null
                : InputValidator.Invalid(ErrorIds.InvalidSecretsStoreName, parameterName, store,
                    $"-{parameterName} '{store}' is not a Secrets Store name or id (1 to {MaxNameLength} letters, digits, '_' or '-').",
                    "Pass the store's name or id as Get-CfSecretsStore lists them, e.g. default_secrets_store.");

        public static ErrorRecord? CheckSecretName(string? name, string parameterName) =>
            name != null && Name.IsMatch(name)
                ? null
                : InputValidator.Invalid(ErrorIds.InvalidSecretName, parameterName, name,
                    $"-{parameterName} '{name}' is not a Secrets Store secret name (1 to {MaxNameLength} letters, digits, '_' or '-'; no spaces).",
                    "Use a name such as CF_API_TOKEN.");

        /// <summary>The scopes, lower-cased and de-duplicated, or the error naming the first unknown one.</summary>
        public static ErrorRecord? CheckScopes(string[]? scopes, string parameterName, out List<string>? normalized)
        {
            normalized = null;
            if (scopes == null) return null;
            var known = string.Join(", ", SecretsStoreApi.KnownScopes);
            if (scopes.Length == 0)
                return InputValidator.Invalid(ErrorIds.InvalidSecretsStoreScope, parameterName, null,
                    $"-{parameterName} needs at least one scope.", $"Pass one or more of: {known}.");
            var list = new List<string>();
            foreach (var scope in scopes)
            {
                var match = SecretsStoreApi.KnownScopes.FirstOrDefault(k => string.Equals(k, scope?.Trim(), StringComparison.OrdinalIgnoreCase));
                if (match == null)
                    return InputValidator.Invalid(ErrorIds.InvalidSecretsStoreScope, parameterName, scope,
                        $"-{parameterName} '{scope}' is not a Secrets Store scope.", $"Pass one or more of: {known}.");
                if (!list.Contains(match)) list.Add(match);
            }
            normalized = list;
            return null;
        }

        public static ErrorRecord? CheckComment(string? comment, string parameterName) =>
            comment == null || comment.Length <= MaxCommentLength
                ? null
                : InputValidator.Invalid(ErrorIds.InvalidComment, parameterName, null,
                    $"-{parameterName} is {comment.Length} characters long; at most {MaxCommentLength} are allowed.", "Shorten the comment.");

        /// <summary>
        /// Empty, or over 65,536 bytes as UTF-8 (what Cloudflare counts). The length is measured on the SecureString's
        /// unmanaged copy, zeroed at once; no managed string of the value is made. The error names the secret, never the value.
        /// </summary>
        public static ErrorRecord? CheckValue(SecureString? value, string secretName, string parameterName)
        {
            if (value == null) return null;
            if (value.Length == 0)
                return InputValidator.Invalid(ErrorIds.InvalidSecretValue, parameterName, secretName,
                    $"The value for secret '{secretName}' is empty.", "Pass the secret's value (a SecureString, e.g. from Read-Host -AsSecureString).");
            var bytes = Utf8Length(value);
            if (bytes > MaxValueBytes)
                return InputValidator.Invalid(ErrorIds.InvalidSecretValue, parameterName, secretName,
                    $"The value for secret '{secretName}' is {bytes} bytes long as UTF-8; Secrets Store values are at most {MaxValueBytes} bytes.",
                    "Store a shorter value (split it, or keep it in a vault).");
            return null;
        }

        private static int Utf8Length(SecureString value)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(value);
                var bytes = 0;
                for (var i = 0; i < value.Length; i++)
                {
                    var c = (char)Marshal.ReadInt16(pointer, i * 2);
                    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : char.IsSurrogate(c) ? 2 : 3; // a surrogate pair is 4 bytes in all
                }
                return bytes;
            }
            finally
            {
                if (pointer != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(pointer);
            }
        }
    }
}
