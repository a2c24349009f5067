using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Http;
using CfManagement.Issuance;
using CfManagement.Model;
using CfManagement.Tokens;
using CfManagement.Validation;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Creates an API token from permission-group names, zones, validity and IP filters; returns its one-time value as a SecureString.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "CfToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(CfTokenCredential))]
    public sealed class NewCfTokenCommand : CfSessionCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public string Name { get; set; } = "";

        /// <summary>Permission-group names or 32-hex ids; "Zone:Name" picks one scope of a name that repeats.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(PermissionGroupNameCompleter))]
        public string[] PermissionGroup { get; set; } = Array.Empty<string>();

        /// <summary>Zone names or ids that zone-level groups apply to.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ZoneNameCompleter))]
        public string[]? Zone { get; set; }

        [Parameter]
        public SwitchParameter AllZones { get; set; }

        /// <summary>Owner of the new token: User (default for user sessions) or Account.</summary>
        [Parameter]
        public CfTokenScope? Scope { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public DateTime? ExpiresOn { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        public TimeSpan? Ttl { get; set; }

        [Parameter]
        public DateTime? NotBefore { get; set; }

        [Parameter]
        public string[]? AllowedIp { get; set; }

        [Parameter]
        public string[]? DeniedIp { get; set; }

        /// <summary>Return the value as a plain string instead of a SecureString.</summary>
        [Parameter]
        public SwitchParameter AsPlainText { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (InputValidator.CheckName(Name, nameof(Name)) is ErrorRecord badName) errors.Add(badName);
            TokenInputValidation.CheckList(PermissionGroup, nameof(PermissionGroup), errors);
            TokenInputValidation.CheckList(Zone, nameof(Zone), errors);
            if (Zone != null && AllZones)
                errors.Add(InputValidator.Invalid(ErrorIds.ConflictingParameters, nameof(AllZones), null, "-Zone and -AllZones both say which zones.", "Pass one of them."));
            var expiry = TokenInputValidation.Expiry(ExpiresOn, Ttl, NotBefore, errors, DateTimeOffset.UtcNow);
            var allowed = TokenInputValidation.Cidrs(AllowedIp, nameof(AllowedIp), errors);
            var denied = TokenInputValidation.Cidrs(DeniedIp, nameof(DeniedIp), errors);
            if (WriteErrors(errors)) return;

            var session = CurrentSession;
            var owner = Scope ?? session.TokenScope;
            var definition = TokenDefinitionFactory.Build(this, session, owner, Name, PermissionGroup, Zone, AllZones, expiry,
                NotBefore.HasValue ? TokenInputValidation.ToUtc(NotBefore.Value) : (DateTimeOffset?)null, allowed, denied, nameof(PermissionGroup));
            if (definition == null) return;

            var what = $"{owner.ToString().ToLowerInvariant()}-owned token '{Name}' with {string.Join(", ", definition.Policies.SelectMany(p => p.PermissionGroups).Select(g => g.Name))}";
            if (!ShouldProcess(what, "Create")) return;

            var created = Await(ct => session.Tokens.CreateAsync(owner, session.AccountId, definition, ct));
            TokenCreationCheck.WarnIfReduced(new CmdletFlowContext(this), session, owner, definition, created);
            WriteObject(new CfTokenCredential(created.Token, AsPlainText ? SecureStringReader.ToPlainText(created.Value) : (object)created.Value, null, DateTimeOffset.UtcNow));
        }

    }
}
