using System.Management.Automation.Runspaces;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CfManagement.Emulator;

namespace CfManagement.Bench;

/// <summary>
/// e. 1,000 secrets through Set-CfWorkerSecret -Secret (a hashtable of SecureStrings, built untimed) into one Worker
/// script, i.e. its list, plan (ledger fingerprints) and 10 PATCH .../secrets-bulk of 100 (merge patch), vs a raw
/// HttpClient loop sending the same 10 batches of 100 as application/merge-patch+json. Each sample writes a fresh
/// script (added to the emulator untimed) with values no ledger has seen, so every secret is really sent, and runs on a
/// fresh session (untimed Connect-CfAccount), so no client-side budget carries over. The emulator's limit is far above
/// what the scenario sends.
/// </summary>
public static class WorkerSecretBulkScenario
{
    private const int SecretCount = 1000;
    private const int BatchSize = 100;

    public static IReadOnlyList<Comparison> Run(CloudflareEmulator emulator, Runspace runspace, string connect, HttpClient http, InterleavedRunner runner)
    {
        var comparisons = new List<Comparison>();
        var accountId = emulator.State.AccountId;
        var sample = 0;
        var bulk = runner.Run("e. secrets-bulk",
            () =>
            {
                var script = $"bench-e-module-{++sample}";
                emulator.State.AddWorkerScript(script);
                HostedScript.Invoke(runspace, connect);
                HostedScript.SetSecretTable(runspace, "benchSecrets", Secrets(script));
                emulator.ClearRequests();
                var timing = InterleavedRunner.Timed("module.bulk", () =>
                    HostedScript.Invoke(runspace, $"$global:benchResults = Set-CfWorkerSecret -Script '{script}' -Secret $benchSecrets"))();
                var applied = HostedScript.Invoke(runspace, "@($benchResults | Where-Object Status -eq 'Applied').Count");
                Check(emulator, script, Convert.ToInt32(applied), "Set-CfWorkerSecret results marked Applied");
                return timing;
            },
            () =>
            {
                var script = $"bench-e-raw-{++sample}";
                emulator.State.AddWorkerScript(script);
                var secrets = Secrets(script).ToList();
                emulator.ClearRequests();
                var timing = InterleavedRunner.Timed("raw.bulk", () => RawBulk(http, accountId, script, secrets))();
                Check(emulator, script, SecretCount, "raw loop");
                return timing;
            });
        comparisons.Add(Comparison.Of(bulk, $"e. Set-CfWorkerSecret {SecretCount:N0} secrets (-Secret hashtable, {SecretCount / BatchSize} bulk PATCHes)", "HttpClient loop, same 10 PATCHes", "raw.bulk", "module.bulk", 1.2));
        comparisons.Add(Comparison.Of(bulk, "e. the same, process CPU time (incl. emulator)", "HttpClient loop, same 10 PATCHes", "raw.bulk.cpu", "module.bulk.cpu", 1.2));
        return comparisons;
    }

    /// <summary>Values unique to the script, so that no ledger fingerprint can call them unchanged.</summary>
    private static IEnumerable<(string Name, string Value)> Secrets(string script) =>
        Enumerable.Range(0, SecretCount).Select(i => ($"SECRET_{i:D4}", $"{script}-value-{i:D4}-{Guid.NewGuid():N}"));

    private static void RawBulk(HttpClient http, string accountId, string script, IReadOnlyList<(string Name, string Value)> secrets)
    {
        foreach (var batch in secrets.Chunk(BatchSize))
        {
            using var body = new MemoryStream();
            using (var json = new Utf8JsonWriter(body))
            {
                json.WriteStartObject();
                json.WriteStartObject("secrets");
                foreach (var (name, value) in batch)
                {
                    json.WriteStartObject(name);
                    json.WriteString("name", name);
                    json.WriteString("text", value);
                    json.WriteString("type", "secret_text");
                    json.WriteEndObject();
                }
                json.WriteEndObject();
                json.WriteEndObject();
            }
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"accounts/{accountId}/workers/scripts/{script}/secrets-bulk")
            {
                Content = new ByteArrayContent(body.ToArray()) { Headers = { ContentType = new MediaTypeHeaderValue("application/merge-patch+json") } },
            };
            using var response = http.Send(request);
            if (!response.IsSuccessStatusCode)
                throw new InvalidOperationException($"raw secrets-bulk answered {(int)response.StatusCode}: {Encoding.UTF8.GetString(response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult())}");
        }
    }

    /// <summary>Both arms must have done the same work: 1,000 secrets in the script, sent in exactly 10 bulk requests.</summary>
    private static void Check(CloudflareEmulator emulator, string script, int reported, string who)
    {
        var stored = emulator.State.WorkerSecretNames(script).Count;
        var patches = emulator.Requests.Count(r => r.Method == "PATCH" && r.Path.EndsWith($"/scripts/{script}/secrets-bulk", StringComparison.Ordinal));
        if (reported != SecretCount || stored != SecretCount || patches != SecretCount / BatchSize)
            throw new InvalidOperationException($"e ({who}): {reported} reported, {stored} stored, {patches} secrets-bulk requests; expected {SecretCount}, {SecretCount}, {SecretCount / BatchSize}");
    }
}
