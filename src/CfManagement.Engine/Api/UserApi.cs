using System.Threading;
using System.Threading.Tasks;
using CfManagement.Json;

namespace CfManagement.Api
{
    /// <summary><c>GET /user</c>: the id user-scoped permission groups need as their resource.</summary>
    public sealed class UserApi
    {
        private readonly CloudflareClient _client;

        public UserApi(CloudflareClient client) => _client = client;

        public async Task<string> GetUserIdAsync(CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<WireUser>("user", cancellationToken).ConfigureAwait(false);
            return wire.Id;
        }
    }
}
