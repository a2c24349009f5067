using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Base
{
    /// <summary>
    /// A command that acts on existing tokens, named by -Id, -Name (exact) or a piped CfToken. Resolution reads
    /// the token first, so a token the session cannot see is reported as TokenNotVisible before anything changes.
    /// </summary>
    public abstract class TokenTargetCmdlet : CfSessionCmdlet
    {
        protected const string IdSet = "Id";
        protected const string NameSet = "Name";
        protected const string InputObjectSet = "InputObject";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Alias("TokenId")]
        public string[]? Id { get; set; }

        /// <summary>Exact token name (no wildcards: a change must name its target precisely).</summary>
        [Parameter(Mandatory = true, ParameterSetName = NameSet)]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public CfToken[]? InputObject { get; set; }

        [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = NameSet)]
        public CfTokenScope? Scope { get; set; }

        /// <summary>Validates the input of this record; false when nothing should happen for it.</summary>
        protected bool ValidateTargets()
        {
            var ok = true;
            foreach (var id in Id ?? Array.Empty<string>())
                if (InputValidator.CheckId(id, nameof(Id), "token") is ErrorRecord bad) { WriteError(bad); ok = false; }
            foreach (var name in Name ?? Array.Empty<string>())
                if (InputValidator.CheckName(name, nameof(Name)) is ErrorRecord bad) { WriteError(bad); ok = false; }
            return ok;
        }

        /// <summary>The current state of each target; errors for the ones that cannot be seen are already written.</summary>
        protected IEnumerable<CfToken> ResolveTargets()
        {
            var session = CurrentSession;
            var scope = Scope ?? session.TokenScope;
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    foreach (var token in InputObject ?? Array.Empty<CfToken>())
                        if (Read(token.Id, token.Scope) is CfToken current) yield return current;
                    break;
                case IdSet:
                    foreach (var id in Id!)
                        if (Read(id, scope) is CfToken current) yield return current;
                    break;
                default:
                    if (!RequireAccount(scope)) yield break;
                    var all = new List<CfToken>();
                    ReadAllPages("Finding tokens by name", (page, ct) => session.Tokens.ListPageAsync(scope, session.AccountId, page, ct), all.Add);
                    foreach (var name in Name!)
                    {
                        var matches = all.Where(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
                        if (matches.Count == 1) yield return matches[0];
                        else if (matches.Count == 0) WriteError(NotVisible(name, scope, null));
                        else WriteError(InputValidator.Invalid(ErrorIds.TokenNameAmbiguous, nameof(Name), name,
                            $"-Name '{name}' matches {matches.Count} tokens ({string.Join(", ", matches.Select(m => m.Id))}).",
                            "Name the token by -Id, or pipe the one you mean from Get-CfToken."));
                    }
                    break;
            }
        }

        private CfToken? Read(string id, CfTokenScope scope)
        {
            if (!RequireAccount(scope)) return null;
            var session = CurrentSession;
            try
            {
                return Await(ct => session.Tokens.GetAsync(scope, session.AccountId, id, ct));
            }
            catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && (int)ex.StatusCode.Value == 404)
            {
                OnTargetNotVisible(id, scope, NotVisible(id, scope, ex));
                return null;
            }
        }

        /// <summary>A target named by id (or piped) that Cloudflare answers 404 for; writes the error (a command may also record it).</summary>
        protected virtual void OnTargetNotVisible(string id, CfTokenScope scope, ErrorRecord error) => WriteError(error);

        /// <summary>True under -WhatIf or $WhatIfPreference (for work done outside ShouldProcess).</summary>
        protected bool IsWhatIfRun()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var value) && value is SwitchParameter s) return s.IsPresent;
            var preference = GetVariableValue("WhatIfPreference");
            return preference is bool b ? b : preference is SwitchParameter sp && sp.IsPresent;
        }

        /// <summary>
        /// The token visibility wall (seed 000): a user token sees only its own user's tokens, and an account token
        /// created in the dashboard by another user is invisible to it. Cloudflare answers 404 either way.
        /// </summary>
        protected ErrorRecord NotVisible(string idOrName, CfTokenScope scope, Exception? inner)
        {
            var message = $"The {scope.ToString().ToLowerInvariant()}-owned token '{idOrName}' is not visible to this session's token: it does not exist, or it belongs to another user (user tokens see only their own user's tokens; account tokens created by another user are visible only to Super Administrators).";
            var exception = inner == null ? (Exception)new ItemNotFoundException(message) : new ItemNotFoundException(message, inner);
            return new ErrorRecord(exception, ErrorIds.TokenNotVisible, ErrorCategory.ObjectNotFound, idOrName)
            {
                ErrorDetails = new ErrorDetails(message)
                {
                    RecommendedAction = scope == CfTokenScope.User
                        ? "Connect with a token of the user who owns it, or try -Scope Account if it is account-owned."
                        : "Connect with a Super Administrator's token or an account token holding 'Account API Tokens Read', or try -Scope User.",
                },
            };
        }

    }
}
