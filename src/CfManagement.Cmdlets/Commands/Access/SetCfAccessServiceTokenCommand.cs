using System.Collections.Generic;
using System.Management.Automation;
using CfManagement.Access;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Access
{
    /// <summary>
    /// <para type="synopsis">Renames an Access service token or changes its duration (how far a refresh moves its expiry). No new secret; the client id stays.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "CfAccessServiceToken", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = IdSet)]
    [OutputType(typeof(CfAccessServiceToken))]
    public sealed class SetCfAccessServiceTokenCommand : AccessServiceTokenTargetCmdlet
    {
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? NewName { get; set; }

        /// <summary>Go-style duration (8760h, 2160h, 60m) or forever.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Duration { get; set; }

        protected override void ProcessCfRecord()
        {
            var errors = new List<ErrorRecord>();
            if (!ValidateTargets()) return;
            if (NewName != null && AccessInput.CheckName(NewName, nameof(NewName)) is ErrorRecord badName) errors.Add(badName);
            AccessDuration? duration = null;
            if (Duration != null && AccessInput.CheckDuration(Duration, nameof(Duration), out duration) is ErrorRecord badDuration) errors.Add(badDuration);
            if (NewName == null && Duration == null)
                errors.Add(InputValidator.Invalid(ErrorIds.NothingToChange, nameof(NewName), null, "Set-CfAccessServiceToken was given nothing to change: neither -NewName nor -Duration.",
                    "Pass -NewName and/or -Duration. To extend the expiry use Update-CfAccessServiceToken; for a new secret, Invoke-CfAccessServiceTokenRotate."));
            if (WriteErrors(errors)) return;

            var session = CurrentSession;
            foreach (var token in ResolveTargets())
            {
                var name = NewName ?? token.Name;
                // The unchanged duration is sent back as read; one we cannot parse is left out (the PUT then keeps it).
                var target = duration;
                if (target == null && !AccessDuration.TryParse(token.Duration, out target, out _)) target = null;
                var changes = new List<string>();
                if (NewName != null) changes.Add($"name '{token.Name}' -> '{NewName}'");
                if (duration != null) changes.Add($"duration {token.Duration} -> {duration.Text}");
                if (!ShouldProcess($"Access service token {token}", "Set " + string.Join(", ", changes))) continue;
                try
                {
                    WriteObject(Await(ct => session.AccessServiceTokens.UpdateAsync(session.AccountId!, token.Id, name, target, ct)));
                }
                catch (CloudflareApiException ex)
                {
                    WriteApiError(ex, token, ErrorIds.AccessServiceTokenNotFound, "The token was deleted meanwhile; list them with Get-CfAccessServiceToken.");
                }
            }
        }
    }
}
