using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Health;
using CfManagement.Issuance;
using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Secrets;
using CfManagement.Sessions;
using CfManagement.Tokens;
using CfManagement.Validation;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Adds missing permission groups to a token, keeping its other policies; or, when the session cannot see the token (Cloudflare's visibility wall), reissues it as a replacement and revokes the old one.</para>
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Repair, "CfToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = InputObjectSet)]
    [OutputType(typeof(CfToken), typeof(CfTokenCredential))]
    public sealed class RepairCfTokenCommand : TokenTargetCmdlet
    {
        /// <summary>Permission groups to add (those already held are skipped with a warning).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PermissionGroupNameCompleter))]
        public string[]? AddPermissionGroup { get; set; }

        /// <summary>Permission groups the token must hold; only the missing ones are added.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PermissionGroupNameCompleter))]
        public string[]? RequiredPermissionGroup { get; set; }

        /// <summary>Zones that added zone-level groups apply to.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ZoneNameCompleter))]
        public string[]? Zone { get; set; }

        [Parameter]
        public SwitchParameter AllZones { get; set; }

        /// <summary>Mint a replacement with the old policies plus the missing groups, deliver it, and revoke the old token.</summary>
        [Parameter]
        public SwitchParameter Reissue { get; set; }

        /// <summary>The old token as read by a session that can see it: the policies a reissue copies.</summary>
        [Parameter]
        public CfToken? TemplateToken { get; set; }

        /// <summary>Name of the replacement (default: the old name with "-reissued").</summary>
        [Parameter]
        public string? NewName { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(VaultNameCompleter))]
        public string? Vault { get; set; }

        [Parameter]
        public string? SecretName { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(WorkerScriptNameCompleter))]
        public string? WorkerScript { get; set; }

        [Parameter]
        public string? WorkerSecretName { get; set; }

        /// <summary>Secrets Store (name or id) whose secret receives the value (created with scope workers, or its value replaced).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(SecretsStoreNameCompleter))]
        public string? SecretsStore { get; set; }

        /// <summary>Secrets Store secret name; defaults to the token name in upper case (CI-DEPLOY → CI_DEPLOY).</summary>
        [Parameter]
        public string? SecretsStoreSecretName { get; set; }

        /// <summary>Pages project whose secret receives the value (pages:&lt;project&gt;/&lt;environment&gt;/&lt;NAME&gt;).</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PagesProjectNameCompleter))]
        public string? PagesProject { get; set; }

        /// <summary>production (default) or preview.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PagesEnvironmentCompleter))]
        public string? PagesEnvironment { get; set; }

        /// <summary>The Pages secret's name; defaults to the token name in upper case (CI-DEPLOY → CI_DEPLOY).</summary>
        [Parameter]
        public string? PagesSecretName { get; set; }

        /// <summary>GitHub Actions: the environment variable (github:NAME, appended to $GITHUB_ENV after ::add-mask::) that later steps of the job read.</summary>
        [Parameter]
        public string? GitHubEnv { get; set; }

        /// <summary>GitHub Actions: the step output (github-output:NAME, appended to $GITHUB_OUTPUT after ::add-mask::).</summary>
        [Parameter]
        public string? GitHubOutput { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        [Parameter]
        public string? LedgerPath { get; set; }

        [Parameter]
        public string? LedgerDatabaseId { get; set; }

        private const string ReissuedSuffix = "-reissued";

        private string GroupParameter => AddPermissionGroup != null ? nameof(AddPermissionGroup) : nameof(RequiredPermissionGroup);
        private string[] GroupNames => AddPermissionGroup ?? RequiredPermissionGroup ?? Array.Empty<string>();

        private sealed class Target
        {
            public string Named = "";
            public CfTokenScope Scope;
            public CfToken? Current;
            public CfToken? Template;
            public Exception? Hidden;
        }

        /// <summary>The destination parameters, whose rules are shared with the other commands that mint or roll a token.</summary>
        private TokenDestinations Destinations => new TokenDestinations
        {
            Vault = Vault, SecretName = SecretName, WorkerScript = WorkerScript, WorkerSecretName = WorkerSecretName,
            SecretsStore = SecretsStore, SecretsStoreSecretName = SecretsStoreSecretName,
            PagesProject = PagesProject, PagesEnvironment = PagesEnvironment, PagesSecretName = PagesSecretName,
            GitHubEnv = GitHubEnv, GitHubOutput = GitHubOutput,
        };

        protected override void ProcessCfRecord()
        {
            if (!ValidateTargets()) return;
            var errors = ValidateInput();
            if (WriteErrors(errors)) return;

            var session = CurrentSession;
            if (Destinations.CheckSession(session) is ErrorRecord noAccount) { WriteError(noAccount); return; }
            var catalogue = Await(ct => session.GetPermissionGroupsAsync(ct));
            var (groups, resolveErrors) = new PolicyBuilder(catalogue).Resolve(GroupNames, GroupParameter);
            if (resolveErrors.Count > 0) { resolveErrors.ForEach(WriteError); return; }

            var targets = ReadTargets(session);
            if (NewName != null && targets.Count > 1)
            {
                WriteError(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(NewName), NewName,
                    $"-NewName names one replacement, but {targets.Count} tokens were given.", "Reissue one token at a time with -NewName, or drop it to use '<name>-reissued'."));
                return;
            }
            foreach (var target in targets)
            {
                if (!Reissue)
                {
                    if (target.Current == null) WriteError(Wall(target.Named, target.Scope, target.Hidden));
                    else RepairInPlace(session, target.Current, groups);
                    continue;
                }
                var template = target.Current ?? target.Template;
                if (template == null)
                {
                    WriteError(CannotReadOld(target));
                    continue;
                }
                ReissueToken(session, template, target.Current != null, groups);
            }
        }

        private List<ErrorRecord> ValidateInput()
        {
            var errors = new List<ErrorRecord>();
            if (AddPermissionGroup == null && RequiredPermissionGroup == null)
                errors.Add(InputValidator.Invalid(ErrorIds.MissingPermissionGroup, nameof(AddPermissionGroup), null,
                    "Repair-CfToken needs the permission groups to add.", "Pass -AddPermissionGroup <names> or -RequiredPermissionGroup <names> (only the missing ones are added)."));
            if (AddPermissionGroup != null && RequiredPermissionGroup != null)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(RequiredPermissionGroup), null,
                    "-AddPermissionGroup and -RequiredPermissionGroup both name the groups.", "Pass one of them."));
            TokenInputValidation.CheckList(AddPermissionGroup, nameof(AddPermissionGroup), errors);
            TokenInputValidation.CheckList(RequiredPermissionGroup, nameof(RequiredPermissionGroup), errors);
            TokenInputValidation.CheckList(Zone, nameof(Zone), errors);
            if (Zone != null && AllZones)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(AllZones), null, "-Zone and -AllZones both say which zones.", "Pass one of them."));
            if (!Reissue)
            {
                var reissueOnly = new (string Name, bool Given)[]
                {
                    (nameof(TemplateToken), TemplateToken != null), (nameof(NewName), NewName != null), (nameof(Vault), Vault != null),
                    (nameof(SecretName), SecretName != null), (nameof(WorkerScript), WorkerScript != null), (nameof(WorkerSecretName), WorkerSecretName != null),
                    (nameof(SecretsStore), SecretsStore != null), (nameof(SecretsStoreSecretName), SecretsStoreSecretName != null),
                    (nameof(PagesProject), PagesProject != null), (nameof(PagesEnvironment), PagesEnvironment != null), (nameof(PagesSecretName), PagesSecretName != null),
                    (nameof(GitHubEnv), GitHubEnv != null), (nameof(GitHubOutput), GitHubOutput != null),
                };
                foreach (var p in reissueOnly.Where(p => p.Given))
                    errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, p.Name, null,
                        $"-{p.Name} only applies to -Reissue (a replacement token and where its value goes).", "Add -Reissue, or drop -" + p.Name + "."));
            }
            if (NewName != null && InputValidator.CheckName(NewName, nameof(NewName)) is ErrorRecord badName) errors.Add(badName);
            errors.AddRange(Destinations.Validate(this));
            if (LedgerAccess.Validate(LedgerPath, LedgerDatabaseId) is ErrorRecord badLedger) errors.Add(badLedger);
            if (TemplateToken != null)
            {
                if (ParameterSetName == IdSet && Id!.Any(id => id != TemplateToken.Id))
                    errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(TemplateToken), TemplateToken.Id,
                        $"-TemplateToken is token {TemplateToken.Id}, but -Id names {string.Join(", ", Id!)}.", "Pass the template of the token you are repairing."));
                if (ParameterSetName == NameSet && Name!.Any(n => !string.Equals(n, TemplateToken.Name, StringComparison.OrdinalIgnoreCase)))
                    errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(TemplateToken), TemplateToken.Name,
                        $"-TemplateToken is '{TemplateToken.Name}', but -Name names {string.Join(", ", Name!)}.", "Pass the template of the token you are repairing."));
                if (ParameterSetName == InputObjectSet)
                    errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(TemplateToken), TemplateToken.Id,
                        "A piped token is its own template; -TemplateToken is for -Id or -Name.", "Drop -TemplateToken, or name the token with -Id."));
            }
            return errors;
        }

        /// <summary>Reads each target; one the session cannot see is kept (with the 404) for the wall error or a reissue.</summary>
        private List<Target> ReadTargets(CfSession session)
        {
            var targets = new List<Target>();
            var scope = Scope ?? (TemplateToken?.Scope ?? session.TokenScope);
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    foreach (var token in InputObject ?? Array.Empty<CfToken>())
                        if (RequireAccount(token.Scope)) targets.Add(Read(session, token.Id, token.Scope, token));
                    break;
                case IdSet:
                    if (!RequireAccount(scope)) break;
                    foreach (var id in Id!) targets.Add(Read(session, id, scope, TemplateToken));
                    break;
                default:
                    if (!RequireAccount(scope)) break;
                    var all = new List<CfToken>();
                    ReadAllPages("Finding tokens by name", (page, ct) => session.Tokens.ListPageAsync(scope, session.AccountId, page, ct), all.Add);
                    foreach (var name in Name!)
                    {
                        var matches = all.Where(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
                        if (matches.Count > 1)
                            WriteError(InputValidator.Invalid(ErrorIds.TokenNameAmbiguous, nameof(Name), name,
                                $"-Name '{name}' matches {matches.Count} tokens ({string.Join(", ", matches.Select(m => m.Id))}).", "Name the token by -Id, or pipe the one you mean from Get-CfToken."));
                        else targets.Add(new Target { Named = name, Scope = scope, Current = matches.FirstOrDefault(), Template = TemplateToken });
                    }
                    break;
            }
            return targets;
        }

        private Target Read(CfSession session, string id, CfTokenScope scope, CfToken? template)
        {
            var target = new Target { Named = id, Scope = scope, Template = template };
            try
            {
                target.Current = Await(ct => session.Tokens.GetAsync(scope, session.AccountId, id, ct));
            }
            catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404)
            {
                target.Hidden = ex;
            }
            return target;
        }

        private void RepairInPlace(CfSession session, CfToken token, List<CfPermissionGroup> groups)
        {
            var held = HealthEvaluator.HeldGroupIds(token);
            var missing = HealthEvaluator.Missing(groups, held.ToList());
            if (missing.Count == 0)
            {
                var message = $"Token '{token.Name}' ({token.Id}) already holds {string.Join(", ", groups.Select(g => g.Name))}: nothing to repair.";
                if (AddPermissionGroup != null) WriteWarning(message);
                else WriteVerbose(message);
                if (PassThru) WriteObject(token);
                return;
            }
            var added = TokenDefinitionFactory.BuildPolicies(this, session, token.Scope, missing.Select(g => g.Id).ToList(), Zone, AllZones, GroupParameter);
            if (added == null) return;
            var names = string.Join(", ", missing.Select(g => g.Name));
            var definition = CfTokenDefinition.FromToken(token).With(policies: token.Policies.Concat(added).ToList());
            if (!ShouldProcess($"{token.Name} ({token.Id}, {token.Scope.ToString().ToLowerInvariant()}-owned)",
                    $"Repair: add {names}, keeping its {held.Count} existing permission group(s)")) return;

            var recorder = new LedgerRecorder(this, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId));
            CfToken updated;
            try
            {
                updated = Await(ct => session.Tokens.UpdateAsync(token.Scope, session.AccountId, token.Id, definition, ct));
            }
            catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404)
            {
                recorder.TryRecord(LedgerEntryKind.Repair, "update", LedgerOutcome.Failed, token, detail: "not visible to the session's token", errorId: ErrorIds.TokenNotVisible);
                WriteError(Wall(token.Id, token.Scope, ex));
                return;
            }
            catch (CloudflareApiException ex)
            {
                recorder.TryRecord(LedgerEntryKind.Repair, "update", LedgerOutcome.Failed, token, detail: $"adding {names}: {ex.Message}", errorId: ApiErrorMapper.Classify(ex).ErrorId);
                WriteApiError(ex, token);
                return;
            }

            // Cloudflare drops, silently, groups the updating token cannot grant; so check what the token holds now.
            var now = HealthEvaluator.HeldGroupIds(updated);
            var notAdded = missing.Where(g => !now.Contains(g.Id)).Select(g => g.Name).ToList();
            var lost = token.Policies.SelectMany(p => p.PermissionGroups).Where(g => held.Contains(g.Id) && !now.Contains(g.Id))
                .Select(g => g.ToString()).Distinct().ToList();
            if (notAdded.Count > 0 || lost.Count > 0)
            {
                var problem = (notAdded.Count > 0 ? $"it still lacks {string.Join(", ", notAdded)}" : "") +
                              (notAdded.Count > 0 && lost.Count > 0 ? " and " : "") +
                              (lost.Count > 0 ? $"it lost {string.Join(", ", lost)}" : "");
                var message = $"Cloudflare accepted the update of '{token.Name}' ({token.Id}), but {problem}: the session's token cannot grant permission groups it does not hold itself, and Cloudflare drops them without an error.";
                recorder.TryRecord(LedgerEntryKind.Repair, "update", LedgerOutcome.Failed, updated, detail: problem, errorId: ErrorIds.RepairFailed);
                WriteError(new ErrorRecord(new InvalidOperationException(message), ErrorIds.RepairFailed, ErrorCategory.PermissionDenied, updated)
                {
                    ErrorDetails = new ErrorDetails(message)
                    {
                        RecommendedAction = lost.Count > 0
                            ? $"Restore the lost groups from a session whose token holds them: Set-CfToken -Id {token.Id} -AddPermissionGroup ... ; then repair from that session."
                            : "Run Repair-CfToken from a session whose token holds those groups (e.g. a Super Administrator's token).",
                    },
                });
                return;
            }
            recorder.TryRecord(LedgerEntryKind.Repair, "update", LedgerOutcome.Succeeded, updated, detail: "added: " + names);
            WriteVerbose($"Repaired {updated}: added {names}.");
            if (PassThru) WriteObject(updated);
        }

        private void ReissueToken(CfSession session, CfToken old, bool visible, List<CfPermissionGroup> groups)
        {
            var held = HealthEvaluator.HeldGroupIds(old);
            var missing = HealthEvaluator.Missing(groups, held.ToList());
            if (missing.Count == 0)
            {
                WriteWarning($"Token '{old.Name}' ({old.Id}) already holds {string.Join(", ", groups.Select(g => g.Name))}: nothing to reissue.");
                return;
            }
            var owner = old.Scope;
            if (!RequireAccount(owner)) return;
            var name = NewName ?? old.Name + ReissuedSuffix;
            if (InputValidator.CheckName(name, nameof(NewName)) is ErrorRecord badName) { WriteError(badName); return; }
            var added = TokenDefinitionFactory.BuildPolicies(this, session, owner, missing.Select(g => g.Id).ToList(), Zone, AllZones, GroupParameter);
            if (added == null) return;
            var kept = Rebase(session, old.Policies, owner);
            if (kept == null) return;
            var now = DateTimeOffset.UtcNow;
            DateTimeOffset? expiry = old.ExpiresOn.HasValue && old.ExpiresOn.Value > now ? old.ExpiresOn : null;
            if (old.ExpiresOn.HasValue && expiry == null)
                WriteWarning($"The old token expired on {old.ExpiresOn.Value:u}; the replacement gets no expiry. Set one with Set-CfToken -ExpiresOn.");
            var definition = new CfTokenDefinition(name, kept.Concat(added).ToList(), old.AllowedIp, old.DeniedIp, expiry,
                old.NotBefore.HasValue && old.NotBefore.Value > now ? old.NotBefore : null);

            var destinations = Destinations.Create(old.Name);
            var where = destinations.Count == 0 ? "returned to the caller" : string.Join(", ", destinations.Select(d => d.Description));
            var missingNames = string.Join(", ", missing.Select(g => g.Name));
            if (!ShouldProcess($"{old.Name} ({old.Id}, {owner.ToString().ToLowerInvariant()}-owned)",
                    $"Reissue: create '{name}' with the old token's policies plus {missingNames}, deliver its value ({where}), then revoke the old token")) return;

            var context = new CmdletFlowContext(this);
            var recorder = new LedgerRecorder(context, LedgerAccess.Open(this, LedgerPath, LedgerDatabaseId), session.AccountId);
            new CredentialIssuance(context).Run(new ReissuePlan(context, session, recorder, old, visible, definition, missingNames,
                SecretDestinationBinding.Bind(destinations, this)));
            if (Stopping) throw new PipelineStoppedException();
        }

        /// <summary>
        /// The old policies for a token minted by this session: user-resource keys point at the old owner, so a
        /// user-owned replacement gets this session's user instead; account and zone resources stay as they are.
        /// </summary>
        private List<CfTokenPolicy>? Rebase(CfSession session, IReadOnlyList<CfTokenPolicy> policies, CfTokenScope owner)
        {
            var userPrefix = PermissionScopes.User + ".";
            if (!policies.Any(p => p.Resources.Keys.Any(k => k.StartsWith(userPrefix, StringComparison.Ordinal)))) return policies.ToList();
            if (owner == CfTokenScope.Account)
            {
                WriteError(InputValidator.Invalid(ErrorIds.PermissionGroupScopeMismatch, nameof(TemplateToken), null,
                    "The old token has user-level policies, which an account-owned replacement cannot hold.", "Reissue it as a user-owned token, or drop those groups first."));
                return null;
            }
            string userId;
            try
            {
                userId = Await(ct => session.Users.GetUserIdAsync(ct));
            }
            catch (CloudflareApiException)
            {
                WriteError(new ErrorRecord(new InvalidOperationException("The user id is unavailable."), ErrorIds.UserIdUnavailable, ErrorCategory.PermissionDenied, null)
                {
                    ErrorDetails = new ErrorDetails("The old token has user-level policies; the replacement needs this session's user id, but GET /user refused the session's token.")
                    {
                        RecommendedAction = "Add 'User Details Read' to the session token, or reissue from a session that has it.",
                    },
                });
                return null;
            }
            return policies.Select(p => new CfTokenPolicy(null, p.Effect, p.PermissionGroups,
                p.Resources.ToDictionary(r => r.Key.StartsWith(userPrefix, StringComparison.Ordinal) ? userPrefix + userId : r.Key, r => r.Value))).ToList();
        }

        /// <summary>TokenNotVisible for an in-place repair: names the visibility wall and offers -Reissue.</summary>
        private ErrorRecord Wall(string idOrName, CfTokenScope scope, Exception? inner)
        {
            var record = NotVisible(idOrName, scope, inner);
            var message = record.ErrorDetails!.Message + " This is Cloudflare's token visibility wall: a token can only be changed through a token that can see it, " +
                          "so Repair-CfToken cannot add permissions to it in place (holding 'API Tokens Write' does not help).";
            record.ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = "Use -Reissue: pipe the token from a session that can see it (Get-CfToken -Id <id> -Session $ownerSession | Repair-CfToken -RequiredPermissionGroup ... -Reissue -Vault <vault>) " +
                                    "or pass it as -TemplateToken; a replacement with the same policies plus the missing groups is minted, delivered, and the old token revoked where possible. " +
                                    record.ErrorDetails.RecommendedAction,
            };
            return record;
        }

        private ErrorRecord CannotReadOld(Target target)
        {
            var record = NotVisible(target.Named, target.Scope, target.Hidden);
            var message = $"-Reissue needs the old token's policies, but this session cannot read token '{target.Named}' (the visibility wall) and no template was given.";
            record.ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = "Pipe the token from a session that can see it (Get-CfToken -Id <id> -Session $ownerSession | Repair-CfToken ... -Reissue), or pass that object as -TemplateToken.",
            };
            return record;
        }

        private static ErrorRecord Failure(string errorId, ErrorCategory category, object target, string message, string action) =>
            new ErrorRecord(new InvalidOperationException(message), errorId, category, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = action },
            };
    }
}
