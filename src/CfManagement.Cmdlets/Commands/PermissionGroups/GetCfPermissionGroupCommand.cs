using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.PermissionGroups
{
    /// <summary>
    /// <para type="synopsis">Gets permission groups from Cloudflare's catalogue (fetched once per session), by name, id or scope.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfPermissionGroup", DefaultParameterSetName = NameSet)]
    [OutputType(typeof(CfPermissionGroup))]
    public sealed class GetCfPermissionGroupCommand : CfSessionCmdlet
    {
        private const string NameSet = "Name";
        private const string IdSet = "Id";

        [Parameter(Position = 0, ParameterSetName = NameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(PermissionGroupNameCompleter))]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
        public string[]? Id { get; set; }

        /// <summary>User, Account, Zone, R2Bucket, or a full scope name such as com.cloudflare.api.account.zone.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(PermissionScopeCompleter))]
        public string? Scope { get; set; }

        /// <summary>Fetch the catalogue again instead of using the session's cached copy.</summary>
        [Parameter]
        public SwitchParameter Refresh { get; set; }

        private bool _refreshed;

        protected override void ProcessCfRecord()
        {
            string? fullScope = null;
            if (Scope != null && (fullScope = PermissionScopes.Normalize(Scope)) == null)
            {
                ThrowTerminatingError(InputValidator.Invalid(ErrorIds.InvalidPermissionScope, nameof(Scope), Scope,
                    $"-Scope '{Scope}' is not a permission-group scope.",
                    $"Use one of {string.Join(", ", PermissionScopes.ShortNames)}, or a full scope name such as {PermissionScopes.Zone}."));
            }
            foreach (var id in Id ?? Array.Empty<string>())
                if (InputValidator.CheckId(id, nameof(Id), "permission group") is ErrorRecord bad)
                {
                    WriteError(bad);
                    return;
                }
            foreach (var name in Name ?? Array.Empty<string>())
                if ((InputValidator.CheckName(name, nameof(Name), 200) ?? InputValidator.CheckWildcard(name, nameof(Name))) is ErrorRecord bad)
                {
                    WriteError(bad);
                    return;
                }

            var session = CurrentSession;
            var refresh = Refresh.IsPresent && !_refreshed;
            _refreshed |= refresh;
            var catalogue = Await(ct => session.GetPermissionGroupsAsync(ct, refresh));
            IEnumerable<CfPermissionGroup> inScope = fullScope == null
                ? catalogue
                : catalogue.Where(g => g.Scopes.Contains(fullScope, StringComparer.OrdinalIgnoreCase));
            var candidates = inScope.ToList();

            if (ParameterSetName == IdSet)
            {
                foreach (var id in Id!)
                {
                    var group = candidates.FirstOrDefault(g => g.Id == id);
                    if (group != null) WriteObject(group);
                    else WriteError(PermissionGroupResolver.NotFound(catalogue, id, fullScope, nameof(Id)));
                }
                return;
            }

            if (Name == null || Name.Length == 0)
            {
                WriteObject(candidates.OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase), true);
                return;
            }

            foreach (var name in Name)
            {
                if (WildcardPattern.ContainsWildcardCharacters(name))
                {
                    var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
                    WriteObject(candidates.Where(g => pattern.IsMatch(g.Name)).OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase), true);
                    continue;
                }
                var matches = candidates.Where(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
                if (matches.Count == 0)
                {
                    WriteError(PermissionGroupResolver.NotFound(catalogue, name, fullScope, nameof(Name)));
                    continue;
                }
                if (matches.Count > 1)
                    WriteWarning($"'{name}' names {matches.Count} permission groups in different scopes ({string.Join(", ", matches.Select(m => string.Join("/", m.ScopeNames)))}); use -Scope or the id when granting it.");
                WriteObject(matches, true);
            }
        }
    }
}
