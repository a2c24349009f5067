using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Rotation
{
    /// <summary>Reads rotations from a ledger, and the input checks Get- and Checkpoint-CfTokenRotation share.</summary>
    internal static class TokenRotationReader
    {
        /// <summary>Every rotation in the ledger, or only the one with id <paramref name="id"/> (with the roll entries of its token).</summary>
        public static IReadOnlyList<CfTokenRotation> Load(CfCmdlet cmdlet, ILedger ledger, string? id = null)
        {
            if (id == null)
                return TokenRotationLedger.Project(cmdlet.Await(ct => ledger.QueryAsync(new LedgerQuery { Kind = LedgerEntryKind.Rotation }, ct)));
            var steps = cmdlet.Await(ct => ledger.QueryAsync(new LedgerQuery { Kind = LedgerEntryKind.Rotation, OperationId = id }, ct));
            var tokenId = steps.LastOrDefault(e => e.TokenId != null)?.TokenId;
            IEnumerable<LedgerEntry> all = steps;
            if (tokenId != null)
            {
                var rolls = cmdlet.Await(ct => ledger.QueryAsync(new LedgerQuery { Kind = LedgerEntryKind.Rotation, TokenId = tokenId }, ct));
                all = steps.Concat(rolls.Where(r => r.OperationId != id));
            }
            return TokenRotationLedger.Project(all);
        }

        /// <summary>Null when <paramref name="value"/> is a Cloudflare API token id (32 hex) or an Access service token id (a UUID).</summary>
        public static ErrorRecord? CheckTokenId(string? value, string parameterName)
        {
            if (value == null || InputValidator.IsHex32(value) || (Guid.TryParseExact(value, "D", out _) && value == value.ToLowerInvariant())) return null;
            return InputValidator.Invalid(ErrorIds.InvalidId, parameterName, value,
                $"-{parameterName} '{value}' is neither an API token id (32 lower-case hexadecimal characters) nor an Access service token id (a lower-case UUID).",
                "Pass the TokenId property of Get-CfVaultCredential, Get-CfToken or Get-CfAccessServiceToken output.");
        }

        public static ErrorRecord? CheckText(string? value, string parameterName, int maxLength, bool allowEmpty = false)
        {
            if (value == null) return null;
            if (!allowEmpty && string.IsNullOrWhiteSpace(value))
                return InputValidator.Invalid(ErrorIds.InvalidName, parameterName, value, $"-{parameterName} must not be empty or white space.", $"Pass a non-empty value to -{parameterName}, or omit it.");
            if (value.Length > maxLength)
                return InputValidator.Invalid(ErrorIds.InvalidName, parameterName, value.Substring(0, 40) + "...", $"-{parameterName} is {value.Length} characters long; at most {maxLength} are kept.", $"Shorten -{parameterName}.");
            if (value.IndexOf('\0') >= 0 || value.IndexOf('\n') >= 0 || value.IndexOf('\r') >= 0)
                return InputValidator.Invalid(ErrorIds.InvalidName, parameterName, value.Replace("\0", "\\0").Replace("\r", "\\r").Replace("\n", "\\n"),
                    $"-{parameterName} must be one line without control characters.", $"Pass a single line to -{parameterName}.");
            if (SecretGuard.LooksLikeSecret(value))
            {
                // Never echo it: the value looks like a credential.
                var message = $"-{parameterName} looks like it contains a credential (a Cloudflare token prefix or a long random run); the ledger never stores secret values.";
                var record = new ErrorRecord(new ArgumentException(message, parameterName), ErrorIds.RotationTextLooksLikeSecret, ErrorCategory.InvalidArgument, parameterName);
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = $"Describe what happened without the value (e.g. the ErrorId and the destination)." };
                return record;
            }
            return null;
        }

        public static ErrorRecord NotFound(string id)
        {
            var message = $"There is no rotation with id '{id}' in this ledger.";
            return new ErrorRecord(new ItemNotFoundException(message), ErrorIds.RotationNotFound, ErrorCategory.ObjectNotFound, id)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = "List rotations with Get-CfTokenRotation (and the same -LedgerPath/-LedgerDatabaseId), or start one with Checkpoint-CfTokenRotation -New.",
                },
            };
        }
    }
}
