using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using CfManagement.Json;
using CfManagement.Model;
using CfManagement.Tail;

namespace CfManagement.Api
{
    /// <summary>
    /// Live tails of a Worker script (<c>.../workers/scripts/{name}/tails</c>, API-FACTS "Tail") or of a Pages deployment
    /// (<c>.../pages/projects/{p}/deployments/{d}/tails</c>: the same create and delete, no list endpoint is known).
    /// </summary>
    public sealed class TailsApi
    {
        private readonly CloudflareClient _client;

        public TailsApi(CloudflareClient client) => _client = client;

        private static string TailsPath(string accountId, string script) => WorkerScriptsApi.ScriptPath(accountId, script) + "/tails";

        private static string TailsPath(string accountId, TailTarget target) =>
            target.IsPages
                ? $"{PagesApi.ProjectPath(accountId, target.PagesProject!)}/deployments/{Uri.EscapeDataString(target.DeploymentId!)}/tails"
                : TailsPath(accountId, target.ScriptName!);

        /// <summary>
        /// Creates a tail with the filters in the POST body. Not idempotent: a repeat after a lost answer would make a
        /// second tail whose id nobody learns (it counts against the script's tail limit until it expires), so a 5xx or
        /// reset is reported, never retried; the caller's reconnect loop decides what to do next.
        /// </summary>
        public Task<CfTail> CreateAsync(string accountId, string script, TailFilters filters, CancellationToken cancellationToken) =>
            CreateAsync(accountId, TailTarget.ForScript(script), filters, cancellationToken);

        /// <summary>Creates a tail on a Worker or a Pages deployment; not retried, for the reason given above.</summary>
        public async Task<CfTail> CreateAsync(string accountId, TailTarget target, TailFilters filters, CancellationToken cancellationToken)
        {
            var body = new WireTailCreate { Filters = filters.ToApiFilters() };
            var (wire, _) = await _client.SendAsync<WireTail>(HttpMethod.Post, TailsPath(accountId, target), body,
                idempotent: false, cancellationToken).ConfigureAwait(false);
            return target.IsPages
                ? new CfTail(target.Name, wire.Id, UrlOf(wire), wire.ExpiresAt, target.PagesProject, target.DeploymentId)
                : ToModel(target.Name, wire);
        }

        public async Task<IReadOnlyList<CfTail>> ListAsync(string accountId, string script, CancellationToken cancellationToken)
        {
            var (wire, _) = await _client.GetAsync<List<WireTail>>(TailsPath(accountId, script), cancellationToken).ConfigureAwait(false);
            return (wire ?? new List<WireTail>()).Select(w => ToModel(script, w)).ToList();
        }

        /// <summary>Deletes a tail. Deleting the same tail again changes nothing more, so it is retried like a read.</summary>
        public Task DeleteAsync(string accountId, string script, string tailId, CancellationToken cancellationToken) =>
            DeleteAsync(accountId, TailTarget.ForScript(script), tailId, cancellationToken);

        /// <summary>Deletes a tail of a Worker or of a Pages deployment (retried like a read, as above).</summary>
        public Task DeleteAsync(string accountId, TailTarget target, string tailId, CancellationToken cancellationToken) =>
            _client.SendAsync<object>(HttpMethod.Delete, $"{TailsPath(accountId, target)}/{Uri.EscapeDataString(tailId)}", null,
                idempotent: true, cancellationToken);

        private static CfTail ToModel(string script, WireTail wire) => new CfTail(script, wire.Id, UrlOf(wire), wire.ExpiresAt);

        private static Uri? UrlOf(WireTail wire) => Uri.TryCreate(wire.Url ?? "", UriKind.Absolute, out var url) ? url : null;
    }
}
