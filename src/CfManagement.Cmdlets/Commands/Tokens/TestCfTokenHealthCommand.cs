using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Health;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Sessions;
using CfManagement.Tokens;
using CfManagement.Validation;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Checks tokens against the permission groups they must hold, their status and their expiry, and says how to fix what is wrong.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Test, "CfTokenHealth", DefaultParameterSetName = SelfSet)]
    [OutputType(typeof(CfTokenHealth))]
    public sealed class TestCfTokenHealthCommand : TokenTargetCmdlet
    {
        private const string SelfSet = "Self";
        private const string TokenSet = "Token";

        /// <summary>A token value to check (verify-only when its details cannot be read).</summary>
        [Parameter(Mandatory = true, ParameterSetName = TokenSet, ValueFromPipeline = true)]
        [Alias("ApiToken")]
        public SecureString? Token { get; set; }

        /// <summary>Permission-group names every checked token must hold ("Zone:DNS Write" picks a scope).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PermissionGroupNameCompleter))]
        public string[]? RequiredPermissionGroup { get; set; }

        /// <summary>A .json or .psd1 file mapping token names (wildcards) to required groups and warning thresholds.</summary>
        [Parameter]
        public string? Profile { get; set; }

        /// <summary>Tokens expiring within this many days are reported (default 30).</summary>
        [Parameter]
        [ValidateRange(0, 36500)]
        public int ExpiryWarningDays { get; set; } = 30;

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        private bool _prepared;
        private bool _invalid;
        private List<CfPermissionGroup> _required = new List<CfPermissionGroup>();
        private HealthProfile? _profile;
        private readonly Dictionary<HealthProfileEntry, List<CfPermissionGroup>> _profileGroups = new Dictionary<HealthProfileEntry, List<CfPermissionGroup>>();
        private LedgerRecorder? _recorder;

        protected override void ProcessCfRecord()
        {
            SecureString? value = null;
            var copied = false;
            if (ParameterSetName == TokenSet && TokenValueValidator.Check(Token, nameof(Token), out value, out copied) is ErrorRecord badValue)
            {
                WriteError(badValue);
                return;
            }
            try
            {
                ProcessChecked(value);
            }
            finally
            {
                if (copied) value!.Dispose();
            }
        }

        private void ProcessChecked(SecureString? value)
        {
            if (!_prepared)
            {
                _prepared = true;
                _invalid = !Prepare();
            }
            if (_invalid || !ValidateTargets()) return;

            var session = CurrentSession;
            switch (ParameterSetName)
            {
                case SelfSet:
                    CheckSelf(session);
                    break;
                case TokenSet:
                    CheckValue(session, value!);
                    break;
                default:
                    foreach (var token in ResolveTargets().ToList())
                        Report(FactsOf(token, null));
                    break;
            }
        }

        /// <summary>Input checks and name resolution, all before any token is read.</summary>
        private bool Prepare()
        {
            var errors = new List<ErrorRecord>();
            if (RequiredPermissionGroup != null && Profile != null)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(Profile), Profile,
                    "-RequiredPermissionGroup and -Profile both say what the tokens need.", "Pass one of them."));
            TokenInputValidation.CheckList(RequiredPermissionGroup, nameof(RequiredPermissionGroup), errors);
            if (Profile != null && string.IsNullOrWhiteSpace(Profile))
                errors.Add(InputValidator.Invalid(ErrorIds.InvalidHealthProfile, nameof(Profile), Profile, "-Profile must name a .json or .psd1 file.", "Pass the path of the profile file."));
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (errors.Count == 0 && Profile != null)
            {
                try
                {
                    _profile = HealthProfile.Load(SessionState.Path.GetUnresolvedProviderPathFromPSPath(Profile));
                }
                catch (CfRecordException ex)
                {
                    errors.Add(ex.ErrorRecord);
                }
                catch (Exception ex) when (ex is ItemNotFoundException || ex is DriveNotFoundException || ex is ProviderNotFoundException || ex is NotSupportedException)
                {
                    errors.Add(new ErrorRecord(ex, ErrorIds.InvalidHealthProfile, ErrorCategory.InvalidArgument, Profile)
                    {
                        ErrorDetails = new ErrorDetails($"The health profile '{Profile}' is not usable: {ex.Message}") { RecommendedAction = "Pass the file-system path of a .json or .psd1 profile." },
                    });
                }
            }
            if (WriteErrors(errors)) return false;

            if (RequiredPermissionGroup == null && _profile == null) return true;
            var session = CurrentSession;
            var catalogue = Await(ct => session.GetPermissionGroupsAsync(ct));
            var builder = new PolicyBuilder(catalogue);
            if (RequiredPermissionGroup != null)
            {
                var (groups, resolveErrors) = builder.Resolve(RequiredPermissionGroup, nameof(RequiredPermissionGroup));
                _required = groups;
                errors.AddRange(resolveErrors);
            }
            foreach (var entry in _profile?.Entries ?? Array.Empty<HealthProfileEntry>())
            {
                var (groups, resolveErrors) = builder.Resolve(entry.Required, nameof(Profile));
                _profileGroups[entry] = groups;
                foreach (var error in resolveErrors)
                {
                    // Say which file and entry the unknown name came from.
                    var detail = error.ErrorDetails ?? new ErrorDetails(error.Exception.Message);
                    error.ErrorDetails = new ErrorDetails($"{detail.Message} (in '{entry.Pattern}' of profile {_profile!.Path})") { RecommendedAction = detail.RecommendedAction };
                    errors.Add(error);
                }
            }
            return !WriteErrors(errors);
        }

        private void CheckSelf(CfSession session)
        {
            if (session.TokenId == null)
            {
                CheckValue(session, null);
                return;
            }
            try
            {
                var token = Await(ct => TokenDetailsReader.GetAsync(session, session.TokenScope, session.TokenId, null, ct));
                Report(FactsOf(token, null));
            }
            catch (CloudflareApiException ex) when (TokenDetailsReader.IsRefusal(ex))
            {
                CheckValue(session, null);
            }
        }

        /// <summary>
        /// The verify-only path: verify the value (status, expiry, id), then try to read its details, first with the
        /// session's token, then with the value itself. When neither may, permissions are reported as unknown.
        /// </summary>
        private void CheckValue(CfSession session, SecureString? value)
        {
            CfTokenVerification verification;
            try
            {
                verification = Await(ct => SessionConnector.VerifyAsync(session, value, session.AccountId, ct));
            }
            catch (CloudflareApiException ex) when (ex.Kind == ApiFailureKind.Response && ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 401)
            {
                var scope = value == null ? session.TokenScope : SessionConnector.PrefixOf(value) == "cfat_" ? CfTokenScope.Account : CfTokenScope.User;
                Report(new HealthFacts { Scope = scope, Status = "invalid", UnknownReason = "Cloudflare rejected the value at verify." });
                return;
            }
            var scopeOf = verification.Scope ?? CfTokenScope.User;
            if (verification.Id != null)
            {
                var reasons = new List<string>();
                foreach (var credential in value == null ? new SecureString?[] { null } : new[] { null, value })
                {
                    try
                    {
                        var id = verification.Id;
                        var token = Await(ct => TokenDetailsReader.GetAsync(session, scopeOf, id, credential, ct));
                        var facts = FactsOf(token, verification);
                        Report(facts);
                        return;
                    }
                    catch (CloudflareApiException ex) when (TokenDetailsReader.IsRefusal(ex))
                    {
                        var who = credential == null ? "this session's token" : "the token itself";
                        reasons.Add($"{who} may not read its details ({(int)ex.StatusCode!.Value}{(ex.Errors.Count > 0 ? " " + ex.Errors[0] : "")})");
                        WriteVerbose($"Reading token {verification.Id}: {reasons[reasons.Count - 1]}.");
                    }
                }
                Report(new HealthFacts
                {
                    Id = verification.Id, Scope = scopeOf, Status = verification.Status, ExpiresOn = verification.ExpiresOn, NotBefore = verification.NotBefore,
                    UnknownReason = string.Join("; ", reasons) + ". Status and expiry come from verify, which does not return policies.",
                });
                return;
            }
            Report(new HealthFacts
            {
                Scope = scopeOf, Status = verification.Status, ExpiresOn = verification.ExpiresOn, NotBefore = verification.NotBefore,
                UnknownReason = "verify returned no token id.",
            });
        }

        private static HealthFacts FactsOf(CfToken token, CfTokenVerification? verification) => new HealthFacts
        {
            Id = token.Id,
            Name = token.Name,
            Scope = token.Scope,
            // verify judges the value itself (and knows about expiry); the details carry the stored status.
            Status = verification?.Status ?? token.Status,
            ExpiresOn = token.ExpiresOn,
            NotBefore = token.NotBefore,
            HeldGroupIds = new HashSet<string>(HealthEvaluator.HeldGroupIds(token), StringComparer.Ordinal),
            Token = token,
        };

        private void Report(HealthFacts facts)
        {
            var required = _required;
            var warningDays = ExpiryWarningDays;
            if (_profile != null)
            {
                var entries = _profile.Match(facts.Name);
                required = entries.SelectMany(e => _profileGroups[e]).GroupBy(g => g.Id).Select(g => g.First()).ToList();
                if (facts.Name == null)
                    facts.Notes.Add($"The token's name is unknown, so no entry of profile {_profile.Path} could be applied; only status and expiry were checked.");
                else if (entries.Count == 0)
                    facts.Notes.Add($"No entry of profile {_profile.Path} matches '{facts.Name}'; only status and expiry were checked.");
                else
                {
                    facts.Notes.Add($"Profile entries applied: {string.Join(", ", entries.Select(e => "'" + e.Pattern + "'"))}.");
                    if (!MyInvocation.BoundParameters.ContainsKey(nameof(ExpiryWarningDays)) && entries.Any(e => e.ExpiryWarningDays.HasValue))
                        warningDays = entries.Where(e => e.ExpiryWarningDays.HasValue).Max(e => e.ExpiryWarningDays!.Value);
                }
            }
            var health = HealthEvaluator.Evaluate(facts, required, warningDays, DateTimeOffset.UtcNow);
            Record(health, facts.Token);
            WriteObject(health);
        }

        private void Record(CfTokenHealth health, CfToken? token)
        {
            // A ledger that cannot be opened stops the command (LedgerUnavailable), as for every command that records.
            _recorder ??= new LedgerRecorder(this, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId));
            var detail = health.Healthy
                ? "healthy" + (health.RequiredPermissionGroups.Count > 0 ? "; holds " + string.Join(", ", health.RequiredPermissionGroups) : "")
                : (health.MissingPermissionGroups.Count > 0 ? "missing: " + string.Join(", ", health.MissingPermissionGroups) + "; " : "") + string.Join(" ", health.Issues);
            try
            {
                _recorder.Record(LedgerEntryKind.HealthCheck, "check", health.Healthy ? LedgerOutcome.Succeeded : LedgerOutcome.Failed,
                    token: token, detail: detail, tokenId: health.TokenId, tokenName: health.TokenName);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteWarning($"The ledger ({_recorder.Ledger.Location}) did not record the health check of {health.TokenName ?? health.TokenId ?? "the token"}: {ex.Message}");
            }
        }
    }
}
