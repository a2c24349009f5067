using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http.Headers;
using System.Security;
using System.Text.Json;
using CfManagement.Emulator;

// Measures what the module costs over the bare API, against baselines measured in the same run on the same emulator:
//   1. Get-CfToken over 520 account tokens (11 pages, typed objects through the pipeline) vs a raw HttpClient loop
//      that pages the same endpoint and parses the JSON.
//   2. Test-CfToken (one verify through the session pipeline: governor, retry, auth, diagnostics) vs one raw GET.
// Reports medians and the ratio module/baseline. Timings are wall-clock on a shared machine: compare ratios, not ms.
var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root != null && !File.Exists(Path.Combine(root.FullName, "CfManagement.sln"))) root = root.Parent;
var manifest = Path.Combine(root!.FullName, "out", "CfManagement", "CfManagement.psd1");

await using var emulator = await CloudflareEmulator.StartAsync(new EmulatorOptions { RateLimitRequests = 1_000_000 });
for (var i = 0; i < 520; i++)
    emulator.State.AddAccountToken(emulator.State.AdminUserEmail, $"bench-{i:D3}", [emulator.State.PermissionGroupId("Workers Scripts Read")]);
var expected = emulator.State.AllTokens.Count(t => t.OwnerKind == TokenOwnerKind.Account);

using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
var token = new SecureString();
foreach (var c in emulator.State.AdminTokenValue) token.AppendChar(c);
token.MakeReadOnly();
runspace.SessionStateProxy.SetVariable("t", token);
Invoke($"Import-Module '{manifest}'; Connect-CfAccount -ApiToken $t -ApiBaseUri '{emulator.BaseUri}' -AccountId '{emulator.State.AccountId}' | Out-Null");

using var http = new HttpClient { BaseAddress = emulator.BaseUri };
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", emulator.State.AdminTokenValue);

Report("Get-CfToken -Scope Account (520 tokens, 11 pages)",
    () => Check(Invoke("@(Get-CfToken -Scope Account).Count"), expected),
    () => Check(RawList(), expected));
Report("Test-CfToken (one verify)",
    () => Invoke("Test-CfToken | Out-Null"),
    () => http.GetStringAsync("user/tokens/verify").GetAwaiter().GetResult());
return;

object? Invoke(string script)
{
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    var result = ps.AddScript(script).Invoke();
    if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
    return result.Count > 0 ? result[0]?.BaseObject : null;
}

int RawList()
{
    var count = 0;
    for (var page = 1; ; page++)
    {
        using var doc = JsonDocument.Parse(http.GetStringAsync($"accounts/{emulator.State.AccountId}/tokens?page={page}&per_page=50&include_expired=true").GetAwaiter().GetResult());
        count += doc.RootElement.GetProperty("result").GetArrayLength();
        if (page >= doc.RootElement.GetProperty("result_info").GetProperty("total_pages").GetInt32()) return count;
    }
}

static void Check(object? actual, int expected)
{
    if (Convert.ToInt32(actual) != expected) throw new InvalidOperationException($"expected {expected}, got {actual}");
}

static void Report(string name, Action module, Action baseline, int warmup = 3, int runs = 15)
{
    double Median(Action action)
    {
        for (var i = 0; i < warmup; i++) action();
        var samples = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            samples.Add(watch.Elapsed.TotalMilliseconds);
        }
        samples.Sort();
        return samples[samples.Count / 2];
    }
    var b = Median(baseline);
    var m = Median(module);
    Console.WriteLine($"{name}: module {m:F1} ms, raw HttpClient baseline {b:F1} ms, ratio {m / b:F2}x");
}
