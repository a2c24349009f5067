using System;
using System.Linq;
using System.Management.Automation;
using CfManagement.Api;
using CfManagement.Commands.Base;
using CfManagement.Completion;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Validation;

namespace CfManagement.Commands.Tokens
{
    /// <summary>
    /// <para type="synopsis">Gets zones by name (wildcards) or id, so token policies can be scoped to them.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "CfZone", DefaultParameterSetName = "Name")]
    [OutputType(typeof(CfZone))]
    public sealed class GetCfZoneCommand : CfSessionCmdlet
    {
        [Parameter(Position = 0, ParameterSetName = "Name", ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ZoneNameCompleter))]
        public string[]? Name { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = "Id", ValueFromPipelineByPropertyName = true)]
        [Alias("ZoneId")]
        public string[]? Id { get; set; }

        protected override void ProcessCfRecord()
        {
            if (ParameterSetName == "Id")
            {
                foreach (var id in Id!)
                {
                    if (InputValidator.CheckId(id, nameof(Id), "zone") is ErrorRecord bad) { WriteError(bad); continue; }
                    var session = CurrentSession;
                    try { WriteObject(Await(ct => session.Zones.GetAsync(id, ct))); }
                    // Cloudflare answers an unknown zone id with 400 7003 ("perhaps your object identifier is invalid"),
                    // not 404: both mean there is no such zone for this session (as ZoneResolver treats them for -Zone).
                    catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && ((int)ex.StatusCode.Value == 404 || ex.HasCode(7003)))
                    {
                        WriteError(NotFound($"No zone with id '{id}' is visible to this session.", id, ex));
                    }
                    catch (CloudflareApiException ex) { WriteApiError(ex, id); }
                }
                return;
            }
            foreach (var name in Name ?? Array.Empty<string>())
                if ((InputValidator.CheckName(name, nameof(Name), 253) ?? InputValidator.CheckWildcard(name, nameof(Name))) is ErrorRecord bad) { WriteError(bad); return; }

            var current = CurrentSession;
            var names = Name ?? Array.Empty<string>();
            var patterns = names.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            var found = names.ToDictionary(n => n, _ => false, StringComparer.OrdinalIgnoreCase);
            // An exact single name is a server-side filter; anything else lists the account's zones and filters here.
            var exact = names.Length == 1 && !WildcardPattern.ContainsWildcardCharacters(names[0]) ? names[0].ToLowerInvariant() : null;
            ReadAllPages("Listing zones", (page, ct) => current.Zones.ListPageAsync(exact, current.AccountId, page, ct), zone =>
            {
                if (patterns.Count > 0 && !patterns.Any(p => p.IsMatch(zone.Name))) return;
                foreach (var n in names.Where(n => string.Equals(n, zone.Name, StringComparison.OrdinalIgnoreCase))) found[n] = true;
                WriteObject(zone);
            });
            foreach (var missing in found.Where(p => !p.Value && !WildcardPattern.ContainsWildcardCharacters(p.Key)).Select(p => p.Key))
                WriteError(NotFound($"No zone named '{missing}' is visible to this session.", missing, null));
        }

        private static ErrorRecord NotFound(string message, string target, Exception? inner) =>
            new ErrorRecord(inner == null ? new ItemNotFoundException(message) : new ItemNotFoundException(message, inner), ErrorIds.ZoneNotFound, ErrorCategory.ObjectNotFound, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Check the name or id (Get-CfZone lists the zones), or connect with a token that can read the zone (Zone Read)." },
            };
    }
}
