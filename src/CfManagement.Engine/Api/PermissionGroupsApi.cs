using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Json;
using CfManagement.Model;

namespace CfManagement.Api
{
    /// <summary>The permission-group catalogue: one unpaged list per owner kind.</summary>
    public sealed class PermissionGroupsApi
    {
        private readonly CloudflareClient _client;

        public PermissionGroupsApi(CloudflareClient client) => _client = client;

        public async Task<IReadOnlyList<CfPermissionGroup>> ListAsync(CfTokenScope scope, string? accountId, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<List<WirePermissionGroup>>($"{TokensApi.BasePath(scope, accountId)}/permission_groups", cancellationToken).ConfigureAwait(false);
            return (wire ?? new List<WirePermissionGroup>()).Select(WireMapper.ToPermissionGroup).ToList();
        }
    }
}
