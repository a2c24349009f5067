using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Gets API tokens (metadata only; values are never readable) owned by the user or the account.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfToken", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(CfToken))]
    public sealed class GetCfTokenCommand : CfSessionCmdlet
    {
        private const string ListSet = "List";
        private const string IdSet = "Id";
        private const string InputObjectSet = "InputObject";

        /// <summary>Token names; wildcards allowed. A name without wildcards that matches nothing is an error.</summary>
        [Parameter(Position = 0, ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("TokenId")]
        public string[]? Id { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        public CfToken[]? InputObject { get; set; }

        /// <summary>User-owned or account-owned tokens; defaults to the kind of the session's own token.</summary>
        [Parameter(ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        public CfTokenScope? Scope { get; set; }

        protected override void ProcessCfRecord()
        {
            switch (ParameterSetName)
            {
                case IdSet:
                    foreach (var id in Id ?? Array.Empty<string>())
                        if (InputValidator.CheckId(id, nameof(Id), "token") is ErrorRecord bad) WriteError(bad);
                        else GetById(id, ScopeOrDefault());
                    break;
                case InputObjectSet:
                    foreach (var token in InputObject ?? Array.Empty<CfToken>())
                        GetById(token.Id, token.Scope);
                    break;
                default:
                    List();
                    break;
            }
        }

        private CfTokenScope ScopeOrDefault() => Scope ?? CurrentSession.TokenScope;

        private void GetById(string id, CfTokenScope scope)
        {
            if (!RequireAccount(scope)) return;
            var session = CurrentSession;
            try
            {
                WriteObject(Await(ct => session.Tokens.GetAsync(scope, session.AccountId, id, ct)));
            }
            catch (CloudflareApiException ex)
            {
                WriteApiError(ex, id, ErrorIds.TokenNotFound,
                    $"No {scope.ToString().ToLowerInvariant()}-owned token {id} is visible to this session. A user token sees only its own user's tokens; for account-owned tokens use -Scope Account.");
            }
        }

        private void List()
        {
            var names = Name ?? Array.Empty<string>();
            foreach (var name in names)
                if ((InputValidator.CheckName(name, nameof(Name)) ?? InputValidator.CheckWildcard(name, nameof(Name))) is ErrorRecord bad)
                {
                    WriteError(bad);
                    return;
                }
            var scope = ScopeOrDefault();
            if (!RequireAccount(scope)) return;

            var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var literalsFound = names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n))
                .ToDictionary(n => n, _ => false, StringComparer.OrdinalIgnoreCase);
            var session = CurrentSession;
            ReadAllPages($"Listing {scope.ToString().ToLowerInvariant()}-owned tokens",
                (page, ct) => session.Tokens.ListPageAsync(scope, session.AccountId, page, ct),
                token =>
                {
                    if (patterns.Count > 0 && !patterns.Any(p => p.IsMatch(token.Name))) return;
                    if (literalsFound.ContainsKey(token.Name)) literalsFound[token.Name] = true;
                    WriteObject(token);
                });

            foreach (var missing in literalsFound.Where(p => !p.Value).Select(p => p.Key))
            {
                var message = $"No {scope.ToString().ToLowerInvariant()}-owned token named '{missing}' is visible to this session.";
                WriteError(new ErrorRecord(new ItemNotFoundException(message), ErrorIds.TokenNotFound, ErrorCategory.ObjectNotFound, missing)
                {
                    ErrorDetails = new ErrorDetails(message)
                    {
                        RecommendedAction = "Check the name (wildcards such as 'ci-*' are allowed), try -Scope Account or -Scope User, or connect with a token that can see it.",
                    },
                });
            }
        }

    }
}
