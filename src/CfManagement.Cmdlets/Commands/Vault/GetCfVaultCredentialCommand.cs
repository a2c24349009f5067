using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Secrets;
using CfManagement.Validation;

namespace CfManagement.Commands.Vault
{
    /// <summary>
    /// <para type="synopsis">Lists the credentials in a SecretManagement vault as the runbook convention describes them (token id, client id, scopes, expiry, revocation) from metadata or NAME__TOKEN_ID-style companion secrets; never reads a value.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfVaultCredential")]
    [OutputType(typeof(CfVaultCredential))]
    public sealed class GetCfVaultCredentialCommand : VaultCredentialCmdlet
    {
        private const int ProgressThreshold = 5;
        private readonly Dictionary<string, Dictionary<string, VaultEntry>> _listings = new Dictionary<string, Dictionary<string, VaultEntry>>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        /// <summary>Credential names (wildcards); a companion's name (NAME__TOKEN_ID) stands for its credential. All when omitted.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(Completion.VaultSecretNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessCfRecord()
        {
            var ok = true;
            if (CheckVaultParameter() is ErrorRecord badVault) { WriteError(badVault); ok = false; }
            var patterns = (Name ?? new[] { "*" }).ToList();
            foreach (var pattern in patterns)
            {
                if (string.IsNullOrWhiteSpace(pattern))
                {
                    WriteError(InputValidator.Invalid(ErrorIds.InvalidName, nameof(Name), pattern, "-Name must not be empty or white space.",
                        "Pass a credential name or a wildcard pattern, or omit -Name to list every credential."));
                    ok = false;
                }
                else if (InputValidator.CheckWildcard(pattern, nameof(Name)) is ErrorRecord badPattern) { WriteError(badPattern); ok = false; }
            }
            if (!ok) return;
            EnsureVault(write: false);

            var vault = VaultName;
            if (!_listings.TryGetValue(vault, out var listing))
            {
                listing = VaultCredentialStore.List(this, vault);
                _listings[vault] = listing;
            }
            var names = VaultCredentialStore.CredentialNames(listing).ToList();
            var selected = new List<string>();
            foreach (var raw in patterns)
            {
                var pattern = raw.Trim();
                if (WildcardPattern.ContainsWildcardCharacters(pattern))
                {
                    var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase);
                    selected.AddRange(names.Where(n => wildcard.IsMatch(n)));
                    continue;
                }
                // A literal name, perhaps escaped ([WildcardPattern]::Escape) by a caller passing a name with brackets.
                VaultConvention.IsCompanion(WildcardPattern.Unescape(pattern), out var baseName, out _);
                var match = names.FirstOrDefault(n => string.Equals(n, baseName, StringComparison.OrdinalIgnoreCase));
                if (match == null) WriteError(NotFound(baseName));
                else selected.Add(match);
            }
            var todo = selected.Distinct(StringComparer.OrdinalIgnoreCase).Where(n => !_written.Contains(vault + "/" + n)).ToList();
            var reads = todo.Count(n => VaultCredentialStore.NeedsCompanionReads(listing, n));
            var activity = $"Reading companion secrets in vault '{vault}'";
            // Many in this record: a bar with a percentage. Names piped one at a time: a running count once there are several.
            var counted = reads >= ProgressThreshold;
            var done = 0;
            foreach (var name in todo)
            {
                if (Stopping) return;
                if (VaultCredentialStore.NeedsCompanionReads(listing, name))
                {
                    _companionReads++;
                    if (counted)
                        Progress(activity, $"{name} ({done + 1} of {reads})", Math.Min(100, 100 * done / Math.Max(1, reads)));
                    else if (_companionReads >= ProgressThreshold)
                        Progress(activity, $"{name} ({_companionReads} so far)", -1);
                    done++;
                }
                _written.Add(vault + "/" + name);
                WriteObject(VaultCredentialStore.Describe(this, vault, listing, name));
            }
            if (counted) CompleteProgress();
        }

        protected override void EndProcessing()
        {
            CompleteProgress();
            base.EndProcessing();
        }

        private int _companionReads;
        private string? _progressActivity;

        private void Progress(string activity, string status, int percent)
        {
            _progressActivity = activity;
            WriteProgress(new ProgressRecord(ProgressId, activity, status) { PercentComplete = percent });
        }

        private void CompleteProgress()
        {
            if (_progressActivity == null || Stopping) return;
            WriteProgress(new ProgressRecord(ProgressId, _progressActivity, "Done") { RecordType = ProgressRecordType.Completed });
            _progressActivity = null;
        }

        private const int ProgressId = 4711;
    }
}
