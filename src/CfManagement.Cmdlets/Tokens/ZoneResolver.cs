using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Api;
using CfManagement.Errors;
using CfManagement.Model;
using CfManagement.Sessions;
using CfManagement.Validation;

namespace CfManagement.Tokens
{
    /// <summary>Resolves zone names or 32-hex ids to zones, so policies always carry ids.</summary>
    internal static class ZoneResolver
    {
        public static async Task<(List<CfZone> Zones, List<ErrorRecord> Errors)> ResolveAsync(CfSession session, IEnumerable<string> namesOrIds, CancellationToken ct)
        {
            var zones = new List<CfZone>();
            var errors = new List<ErrorRecord>();
            foreach (var entry in namesOrIds)
            {
                var value = entry.Trim();
                try
                {
                    if (InputValidator.IsHex32(value))
                    {
                        zones.Add(await session.Zones.GetAsync(value, ct).ConfigureAwait(false));
                        continue;
                    }
                    var page = await session.Zones.ListPageAsync(value.ToLowerInvariant(), session.AccountId, 1, ct).ConfigureAwait(false);
                    if (page.Items.Count == 1) zones.Add(page.Items[0]);
                    else errors.Add(NotFound(value));
                }
                catch (CloudflareApiException ex) when (ex.StatusCode.HasValue && ((int)ex.StatusCode.Value == 404 || ex.HasCode(7003)))
                {
                    errors.Add(NotFound(value));
                }
            }
            return (zones, errors);
        }

        private static ErrorRecord NotFound(string zone)
        {
            var message = $"-Zone: no zone '{zone}' is visible to this session.";
            return new ErrorRecord(new ItemNotFoundException(message), ErrorIds.ZoneNotFound, ErrorCategory.ObjectNotFound, zone)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = "List the zones with Get-CfZone; pass the zone name (example.com) or its 32-hex id." },
            };
        }
    }
}
