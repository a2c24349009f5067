using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Access;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Access
{
    /// <summary>
    /// A command that acts on existing Access service tokens, named by -Id, -Name (exact) or a piped CfAccessServiceToken
    /// (anything with an Id property binds -Id). Each target is read first, so a token that is gone is reported as
    /// AccessServiceTokenNotFound before anything changes, and the change works on its current state.
    /// </summary>
    public abstract class AccessServiceTokenTargetCmdlet : CfSessionCmdlet
    {
        protected const string IdSet = "Id";
        protected const string NameSet = "Name";
        protected const string InputObjectSet = "InputObject";

        /// <summary>The service token id (a UUID, not the client id).</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("ServiceTokenId")]
        public string[]? Id { get; set; }

        /// <summary>Exact name (no wildcards: a change must name its target precisely).</summary>
        [Parameter(Mandatory = true, ParameterSetName = NameSet)]
        [ArgumentCompleter(typeof(AccessServiceTokenNameCompleter))]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public CfAccessServiceToken[]? InputObject { get; set; }

        /// <summary>Validates the targets of this record (no request); false when nothing should happen for it.</summary>
        protected bool ValidateTargets()
        {
            var errors = new List<ErrorRecord>();
            foreach (var id in Id ?? Array.Empty<string>())
                if (AccessInput.CheckId(id, nameof(Id)) is ErrorRecord bad) errors.Add(bad);
            foreach (var name in Name ?? Array.Empty<string>())
                if (AccessInput.CheckName(name, nameof(Name)) is ErrorRecord bad) errors.Add(bad);
            return !WriteErrors(errors);
        }

        /// <summary>Service tokens live in an account: false (after writing the error) when the session has none.</summary>
        protected bool RequireAccount()
        {
            if (!string.IsNullOrEmpty(CurrentSession.AccountId)) return true;
            WriteError(InputValidator.AccountRequired(ParameterSetName == NameSet ? "Name" : "Id", null, "Access service tokens live under /accounts/{id}/access/service_tokens"));
            return false;
        }

        /// <summary>The current state of each target; errors for the ones that cannot be found are already written.</summary>
        protected IEnumerable<CfAccessServiceToken> ResolveTargets()
        {
            if (!RequireAccount()) yield break;
            var session = CurrentSession;
            var accountId = session.AccountId!;
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    foreach (var token in InputObject ?? Array.Empty<CfAccessServiceToken>())
                        if (Read(token.Id) is CfAccessServiceToken current) yield return current;
                    break;
                case IdSet:
                    foreach (var id in Id!)
                        if (Read(id) is CfAccessServiceToken current) yield return current;
                    break;
                default:
                    foreach (var name in Name!)
                    {
                        var matches = Await(ct => session.AccessServiceTokens.FindByNameAsync(accountId, name, ct));
                        if (matches.Count == 1) yield return matches[0];
                        else if (matches.Count == 0) WriteError(NotFound(name, null));
                        else WriteError(InputValidator.Invalid(ErrorIds.AccessServiceTokenNameAmbiguous, nameof(Name), name,
                            $"-Name '{name}' matches {matches.Count} Access service tokens ({string.Join(", ", matches.Select(m => m.Id))}).",
                            "Name the token by -Id, or pipe the one you mean from Get-CfAccessServiceToken."));
                    }
                    break;
            }
        }

        private CfAccessServiceToken? Read(string id)
        {
            var session = CurrentSession;
            try
            {
                return Await(ct => session.AccessServiceTokens.GetAsync(session.AccountId!, id, ct));
            }
            catch (CloudflareApiException ex) when (AccessApiOutcome.IsNotFound(ex))
            {
                OnTargetNotFound(id, NotFound(id, ex));
                return null;
            }
        }

        /// <summary>A target named by id (or piped) that the account does not have; writes the error (a command may also record it).</summary>
        protected virtual void OnTargetNotFound(string id, ErrorRecord error) => WriteError(error);

        /// <summary>True under -WhatIf or $WhatIfPreference (for work done outside ShouldProcess).</summary>
        protected bool IsWhatIfRun()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) && value is SwitchParameter s) return s.IsPresent;
            var preference = GetVariableValue("WhatIfPreference");
            return preference is bool b ? b : preference is SwitchParameter sp && sp.IsPresent;
        }

        protected static ErrorRecord NotFound(string idOrName, Exception? inner)
        {
            var message = $"The account has no Access service token '{idOrName}' (it does not exist, was deleted, or the session's token lacks 'Access: Service Tokens Read').";
            var exception = inner == null ? (Exception)new ItemNotFoundException(message) : new ItemNotFoundException(message, inner);
            return new ErrorRecord(exception, ErrorIds.AccessServiceTokenNotFound, ErrorCategory.ObjectNotFound, idOrName)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = "List the account's service tokens with Get-CfAccessServiceToken and use an Id or exact Name from it." },
            };
        }
    }
}
