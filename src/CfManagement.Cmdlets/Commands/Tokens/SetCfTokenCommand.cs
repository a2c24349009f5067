using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Tokens;
using CfManagement.Validation;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Changes a token: rename, enable or disable, expiry, IP filters, and permission groups added or removed by name without dropping the rest.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CfToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(CfToken))]
    public sealed class SetCfTokenCommand : TokenTargetCmdlet
    {
        [Parameter]
        public string? NewName { get; set; }

        [Parameter]
        public SwitchParameter Enable { get; set; }

        [Parameter]
        public SwitchParameter Disable { get; set; }

        [Parameter]
        public DateTime? ExpiresOn { get; set; }

        [Parameter]
        public TimeSpan? Ttl { get; set; }

        /// <summary>Remove the expiry: the token then never expires.</summary>
        [Parameter]
        public SwitchParameter ClearExpiry { get; set; }

        [Parameter]
        public DateTime? NotBefore { get; set; }

        /// <summary>Replaces the allowed IP ranges; pass an empty array to remove the filter.</summary>
        [Parameter]
        [AllowEmptyCollection]
        public string[]? AllowedIp { get; set; }

        [Parameter]
        [AllowEmptyCollection]
        public string[]? DeniedIp { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(PermissionGroupNameCompleter))]
        public string[]? AddPermissionGroup { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(PermissionGroupNameCompleter))]
        public string[]? RemovePermissionGroup { get; set; }

        /// <summary>Zones the added zone-level groups apply to.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(ZoneNameCompleter))]
        public string[]? Zone { get; set; }

        [Parameter]
        public SwitchParameter AllZones { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (!ValidateTargets()) return;
            if (NewName != null && InputValidator.CheckName(NewName, nameof(NewName)) is ErrorRecord badName) errors.Add(badName);
            if (Enable && Disable) errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(Disable), null, "-Enable and -Disable contradict each other.", "Pass one of them."));
            if (ClearExpiry && (ExpiresOn.HasValue || Ttl.HasValue)) errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(ClearExpiry), null, "-ClearExpiry contradicts -ExpiresOn/-Ttl.", "Pass one of them."));
            var expiry = TokenInputValidation.Expiry(ExpiresOn, Ttl, NotBefore, errors, DateTimeOffset.UtcNow);
            var allowed = TokenInputValidation.Cidrs(AllowedIp, nameof(AllowedIp), errors);
            var denied = TokenInputValidation.Cidrs(DeniedIp, nameof(DeniedIp), errors);
            if (AddPermissionGroup != null) TokenInputValidation.CheckList(AddPermissionGroup, nameof(AddPermissionGroup), errors);
            if (RemovePermissionGroup != null) TokenInputValidation.CheckList(RemovePermissionGroup, nameof(RemovePermissionGroup), errors);
            TokenInputValidation.CheckAddRemoveConflict(AddPermissionGroup, RemovePermissionGroup, errors);
            if ((Zone != null || AllZones) && AddPermissionGroup == null)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(Zone), null, "-Zone/-AllZones only apply to groups added with -AddPermissionGroup.", "Add -AddPermissionGroup, or drop -Zone."));
            var anyChange = NewName != null || Enable || Disable || ExpiresOn.HasValue || Ttl.HasValue || ClearExpiry || NotBefore.HasValue || allowed != null || denied != null ||
                            AddPermissionGroup != null || RemovePermissionGroup != null;
            if (!anyChange)
                errors.Add(InputValidator.Invalid(ErrorIds.NothingToChange, "NewName", null, "Set-CfToken was given nothing to change.",
                    "Pass at least one of -NewName, -Enable, -Disable, -ExpiresOn, -Ttl, -ClearExpiry, -NotBefore, -AllowedIp, -DeniedIp, -AddPermissionGroup, -RemovePermissionGroup."));
            if (WriteErrors(errors)) return;

            var session = CurrentSession;
            foreach (var token in ResolveTargets().ToList())
            {
                var policies = token.Policies.ToList();
                var changes = new List<string>();
                if (RemovePermissionGroup != null)
                {
                    var catalogue = Await(ct => session.GetPermissionGroupsAsync(ct));
                    var (remove, resolveErrors) = new PolicyBuilder(catalogue).Resolve(RemovePermissionGroup, nameof(RemovePermissionGroup));
                    if (resolveErrors.Count > 0) { resolveErrors.ForEach(WriteError); continue; }
                    var ids = remove.Select(g => g.Id).ToList();
                    policies = policies
                        .Select(p => new CfTokenPolicy(p.Id, p.Effect, p.PermissionGroups.Where(g => !ids.Contains(g.Id)).ToList(), p.Resources))
                        .Where(p => p.PermissionGroups.Count > 0).ToList();
                    changes.Add("remove " + string.Join(", ", remove.Select(g => g.Name)));
                }
                if (AddPermissionGroup != null)
                {
                    var added = TokenDefinitionFactory.BuildPolicies(this, session, token.Scope, AddPermissionGroup, Zone, AllZones, nameof(AddPermissionGroup));
                    if (added == null) continue;
                    policies.AddRange(added);
                    changes.Add("add " + string.Join(", ", added.SelectMany(p => p.PermissionGroups).Select(g => g.Name)));
                }
                if (policies.Count == 0)
                {
                    WriteError(InputValidator.Invalid(ErrorIds.MissingPermissionGroup, nameof(RemovePermissionGroup), token.Name,
                        $"Removing those groups would leave token '{token.Name}' with no permissions, which Cloudflare refuses.", "Keep at least one group, or remove the token with Remove-CfToken."));
                    continue;
                }
                if (NewName != null) changes.Add($"rename to '{NewName}'");
                if (Enable) changes.Add("enable");
                if (Disable) changes.Add("disable");
                if (expiry.HasValue) changes.Add($"expire {expiry.Value:u}");
                if (ClearExpiry) changes.Add("never expire");
                if (allowed != null || denied != null) changes.Add("set IP filter");

                var definition = CfTokenDefinition.FromToken(token).With(NewName, policies, allowed, denied, expiry, ClearExpiry,
                    NotBefore.HasValue ? TokenInputValidation.ToUtc(NotBefore.Value) : (DateTimeOffset?)null,
                    Enable ? "active" : Disable ? "disabled" : null);
                if (!ShouldProcess($"{token.Name} ({token.Id})", "Update: " + string.Join("; ", changes))) continue;
                var updated = Await(ct => session.Tokens.UpdateAsync(token.Scope, session.AccountId, token.Id, definition, ct));
                if (PassThru) WriteObject(updated);
            }
        }
    }
}
