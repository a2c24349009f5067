using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Security;
using System.Text.RegularExpressions;
using CfManagement.Errors;

namespace CfManagement.SecretSets
{
    /// <summary>
    /// What Cloudflare would refuse, checked before any request: binding names ([A-Za-z_][A-Za-z0-9_]*, at most 255
    /// characters, as the Workers API validates them), empty values, values over <see cref="MaxValueBytes"/>, and a
    /// name given twice for one target (which value would win would depend on batching).
    /// </summary>
    internal static class SecretEntryRules
    {
        public const int MaxNameLength = 255;

        /// <summary>
        /// 5 KiB of UTF-8 per secret: Cloudflare's documented limit for one environment variable (secrets are
        /// environment variables; developers.cloudflare.com/workers/platform/limits, "Environment variable size 5 KB").
        /// </summary>
        public const int MaxValueBytes = 5 * 1024;

        private static readonly Regex NamePattern = new Regex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

        public static bool IsValidName(string? name) => !string.IsNullOrEmpty(name) && name!.Length <= MaxNameLength && NamePattern.IsMatch(name);

        /// <summary>Every problem of one target's entries (empty when all are fine).</summary>
        public static IReadOnlyList<SecretInputProblem> Check(IReadOnlyList<SecretEntry> entries, string target, bool allowDelete)
        {
            var problems = new List<SecretInputProblem>();
            var seen = new Dictionary<string, SecretEntry>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (!IsValidName(entry.Name))
                {
                    problems.Add(new SecretInputProblem(ErrorIds.InvalidSecretName,
                        string.IsNullOrEmpty(entry.Name)
                            ? $"A secret for {target} ({entry.Origin}) has no name."
                            : $"'{Shorten(entry.Name)}' ({entry.Origin}) is not a valid secret name for {target}: use letters, digits and underscores, not starting with a digit, at most {MaxNameLength} characters.",
                        "Rename it, e.g. API_TOKEN (the Worker reads it as env.API_TOKEN)."));
                    continue;
                }
                if (seen.TryGetValue(entry.Name, out var first))
                    problems.Add(new SecretInputProblem(ErrorIds.DuplicateSecretName,
                        $"{entry.Name} is given twice for {target}: {first.Origin} and {entry.Origin}.",
                        "Keep one of them; which would win is not defined."));
                else
                    seen[entry.Name] = entry;

                if (entry.Value == null)
                {
                    if (!allowDelete)
                        problems.Add(new SecretInputProblem(ErrorIds.EmptySecretValue, $"{entry.Name} ({entry.Origin}) has no value.",
                            "Give it a value; remove secrets with Remove-CfWorkerSecret (or Sync-CfWorkerSecret -Prune)."));
                    continue;
                }
                var bytes = Utf8Length(entry.Value);
                if (bytes == 0)
                    problems.Add(new SecretInputProblem(ErrorIds.EmptySecretValue, $"{entry.Name} ({entry.Origin}) is empty.",
                        "Give it a value; remove secrets with Remove-CfWorkerSecret."));
                else if (bytes > MaxValueBytes)
                    problems.Add(new SecretInputProblem(ErrorIds.SecretValueTooLarge,
                        $"{entry.Name} ({entry.Origin}) is {bytes} bytes; Cloudflare takes at most {MaxValueBytes} bytes (5 KiB) per secret.",
                        "Store large material elsewhere (KV, R2) and keep a reference in the secret."));
            }
            return problems;
        }

        private static string Shorten(string name) => name.Length <= 64 ? name : name.Substring(0, 61) + "...";

        /// <summary>The UTF-8 size of a value, counted without making a managed string of it.</summary>
        public static int Utf8Length(SecureString value)
        {
            var ptr = IntPtr.Zero;
            try
            {
                ptr = Marshal.SecureStringToGlobalAllocUnicode(value);
                var bytes = 0;
                for (var i = 0; i < value.Length; i++)
                {
                    var c = (char)Marshal.ReadInt16(ptr, i * 2);
                    if (c < 0x80) bytes += 1;
                    else if (c < 0x800) bytes += 2;
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length) { bytes += 4; i++; }
                    else bytes += 3;
                }
                return bytes;
            }
            finally
            {
                if (ptr != IntPtr.Zero) Marshal.ZeroFreeGlobalAllocUnicode(ptr);
            }
        }
    }
}
