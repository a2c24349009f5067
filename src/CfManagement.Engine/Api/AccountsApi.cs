using System.Threading;
using System.Threading.Tasks;
using CfManagement.Json;
using CfManagement.Model;

namespace CfManagement.Api
{
    public sealed class AccountsApi
    {
        private readonly CloudflareClient _client;

        public AccountsApi(CloudflareClient client) => _client = client;

        public Task<ApiPage<CfAccount>> ListPageAsync(int page, CancellationToken cancellationToken) =>
            _client.GetPageAsync<WireAccount, CfAccount>("accounts", page, w => new CfAccount(w.Id, w.Name ?? ""), cancellationToken);

        public async Task<CfAccount> GetAsync(string accountId, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<WireAccount>($"accounts/{accountId}", cancellationToken).ConfigureAwait(false);
            return new CfAccount(wire.Id, wire.Name ?? "");
        }
    }
}
