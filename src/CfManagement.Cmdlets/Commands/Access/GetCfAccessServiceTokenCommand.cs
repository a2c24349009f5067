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
    /// <para type="synopsis">Gets the account's Access service tokens (client id, expiry, days left; never a secret), by name with wildcards, by id, or those expiring soon.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfAccessServiceToken", DefaultParameterSetName = ListSet)]
    [OutputType(typeof(CfAccessServiceToken))]
    public sealed class GetCfAccessServiceTokenCommand : CfSessionCmdlet
    {
        private const string ListSet = "List";
        private const string IdSet = "Id";

        /// <summary>Names; wildcards allowed. A name without wildcards that matches nothing is an error.</summary>
        [Parameter(Position = 0, ParameterSetName = ListSet, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(AccessServiceTokenNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Service token ids (UUIDs, not client ids).</summary>
        [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("ServiceTokenId")]
        public string[]? Id { get; set; }

        /// <summary>Only tokens that expire within this window (already expired ones included; tokens that never expire left out).</summary>
        [Parameter(ParameterSetName = ListSet)]
        public TimeSpan? ExpiringWithin { get; set; }

        protected override void ProcessCfRecord()
        {
            if (ParameterSetName == IdSet) GetById();
            else List();
        }

        private bool RequireAccount(string parameter, object? value)
        {
            if (!string.IsNullOrEmpty(CurrentSession.AccountId)) return true;
            WriteError(InputValidator.AccountRequired(parameter, value, "Access service tokens live under /accounts/{id}/access/service_tokens"));
            return false;
        }

        private void GetById()
        {
            var ids = Id ?? Array.Empty<string>();
            var errors = ids.Select(id => AccessInput.CheckId(id, nameof(Id))).OfType<ErrorRecord>().ToList();
            if (WriteErrors(errors) || !RequireAccount(nameof(Id), ids.FirstOrDefault())) return;
            var session = CurrentSession;
            foreach (var id in ids)
            {
                try
                {
                    WriteObject(Await(ct => session.AccessServiceTokens.GetAsync(session.AccountId!, id, ct)));
                }
                catch (CloudflareApiException ex)
                {
                    WriteApiError(ex, id, ErrorIds.AccessServiceTokenNotFound,
                        "The id is not one of the account's service tokens (deleted?). List them with Get-CfAccessServiceToken.");
                }
            }
        }

        private void List()
        {
            var names = Name ?? Array.Empty<string>();
            var errors = new List<ErrorRecord>();
            foreach (var name in names)
                if ((AccessInput.CheckName(name, nameof(Name)) ?? InputValidator.CheckWildcard(name, nameof(Name))) is ErrorRecord bad) errors.Add(bad);
            if (AccessInput.CheckExpiringWithin(ExpiringWithin, nameof(ExpiringWithin)) is ErrorRecord badWindow) errors.Add(badWindow);
            if (WriteErrors(errors) || !RequireAccount(nameof(Name), names.FirstOrDefault())) return;

            var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var literalsFound = names.Where(n => !WildcardPattern.ContainsWildcardCharacters(n))
                .ToDictionary(n => n, _ => false, StringComparer.OrdinalIgnoreCase);
            // One literal name: Cloudflare filters (fewer pages); the match is still checked here.
            var serverFilter = names.Length == 1 && literalsFound.Count == 1 ? names[0] : null;
            var cutoff = ExpiringWithin.HasValue ? DateTimeOffset.UtcNow + ExpiringWithin.Value : (DateTimeOffset?)null;
            var session = CurrentSession;
            ReadAllPages("Listing Access service tokens",
                (page, ct) => session.AccessServiceTokens.ListPageAsync(session.AccountId!, serverFilter, page, ct),
                token =>
                {
                    if (patterns.Count > 0 && !patterns.Any(p => p.IsMatch(token.Name))) return;
                    if (literalsFound.ContainsKey(token.Name)) literalsFound[token.Name] = true;
                    if (cutoff.HasValue && !(token.ExpiresAt.HasValue && token.ExpiresAt.Value <= cutoff.Value)) return;
                    WriteObject(token);
                });

            foreach (var missing in literalsFound.Where(p => !p.Value).Select(p => p.Key))
            {
                var message = $"The account has no Access service token named '{missing}'.";
                WriteError(new ErrorRecord(new ItemNotFoundException(message), ErrorIds.AccessServiceTokenNotFound, ErrorCategory.ObjectNotFound, missing)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Check the name (wildcards such as 'ci-*' are allowed), or list them all with Get-CfAccessServiceToken." },
                });
            }
        }
    }
}
