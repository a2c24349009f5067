using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Net.Http.Headers;
using System.Security;
using System.Text.Json;
using CfManagement.Bench;
using CfManagement.Emulator;

// What the module costs over the bare API, each scenario against a baseline timed in the same interleaved rounds,
// on the same in-process emulator:
//   a. Get-CfToken -Scope Account over 10,000 tokens (200 pages, typed objects through the pipeline, in a hosted
//      runspace) vs a raw HttpClient loop that pages the same endpoint and parses the JSON; and Test-CfToken (one
//      verify through the session pipeline) vs one raw GET.
//   b. Import-Module CfManagement in a fresh real pwsh vs importing an empty binary module built the same way.
//   c. The first command in a fresh real pwsh (Import + Connect-CfAccount + Get-CfToken) vs Invoke-RestMethod
//      doing the same calls (verify, list) with nothing imported.
//   d. The first Connect-CfAccount of a process (cold) vs the next one in the same process (warm).
//   e. Set-CfWorkerSecret with 1,000 new values over 5 Workers (secrets-bulk, 10 batches of 100, with its listing and
//      ledger fingerprints) vs a raw HttpClient loop sending the same 10 merge-patch batches.
// Every pwsh script times itself with a Stopwatch, so process start-up is not counted.
// Usage: dotnet run -c Release --project bench/CfManagement.Bench [-- --rounds N --warmup N --tokens N --only abcde]
var rounds = Option("--rounds", 9);
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : "abcde";
var warmup = Option("--warmup", 2);
var tokenCount = Option("--tokens", 10_000);

var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root != null && !File.Exists(Path.Combine(root.FullName, "CfManagement.sln"))) root = root.Parent;
var manifest = Path.Combine(root!.FullName, "out", "CfManagement", "CfManagement.psd1");
var scratch = Directory.CreateTempSubdirectory("cfbench-");
var runner = new InterleavedRunner(warmup, rounds);
var results = new List<Comparison>();

try
{
    await using var emulator = await CloudflareEmulator.StartAsync(new EmulatorOptions { RateLimitRequests = 1_000_000 });
    var readGroup = emulator.State.PermissionGroupId("Workers Scripts Read");
    for (var i = 0; i < tokenCount; i++)
        emulator.State.AddAccountToken(emulator.State.AdminUserEmail, $"bench-{i:D5}", [readGroup]);
    var expected = emulator.State.AllTokens.Count(t => t.OwnerKind == TokenOwnerKind.Account);
    var secret = emulator.State.AdminTokenValue;

    // ---- a. in-process: listing and one verify -------------------------------------------------------------
    using (var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2()))
    using (var http = new HttpClient { BaseAddress = emulator.BaseUri })
    {
        runspace.Open();
        using var token = new SecureString();
        foreach (var c in secret) token.AppendChar(c);
        token.MakeReadOnly();
        runspace.SessionStateProxy.SetVariable("t", token);
        var connect = $"Connect-CfAccount -ApiToken $t -ApiBaseUri '{emulator.BaseUri}' -AccountId '{emulator.State.AccountId}' | Out-Null";
        Invoke(runspace, $"Import-Module '{manifest}'; {connect}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        var pages = (expected + 49) / 50;
        if (only.Contains('a'))
        {
        var list = runner.Run("list",
            () =>
            {
                // A fresh session per sample, untimed: its client-side governor allows 1200 requests per 5 minutes
                // (Cloudflare's budget), which a few 200-page listings would otherwise exhaust.
                Invoke(runspace, connect);
                return InterleavedRunner.Timed("module.list", () => Check(Invoke(runspace, "@(Get-CfToken -Scope Account).Count"), expected))();
            },
            InterleavedRunner.Timed("raw.list", () => Check(RawList(http, emulator.State.AccountId), expected)));
        results.Add(Comparison.Of(list, $"a. Get-CfToken -Scope Account ({expected} tokens, {pages} pages)", "HttpClient + JsonDocument loop", "raw.list", "module.list", 1.2));
        results.Add(Comparison.Of(list, "a. the same, process CPU time (incl. emulator)", "HttpClient + JsonDocument loop", "raw.list.cpu", "module.list.cpu", 1.2));

        Invoke(runspace, connect);
        var verify = runner.Run("verify",
            // 20 calls per sample: one is well under a millisecond raw, below what CPU-time accounting resolves.
            InterleavedRunner.Timed("module.verify", () => Repeat(20, () => Invoke(runspace, "Test-CfToken | Out-Null"))),
            InterleavedRunner.Timed("raw.verify", () => Repeat(20, () => http.GetStringAsync("user/tokens/verify").GetAwaiter().GetResult())));
        results.Add(Comparison.Of(verify, "a. Test-CfToken x20 (verify, hosted runspace)", "20 HttpClient GETs", "raw.verify", "module.verify", null));
        results.Add(Comparison.Of(verify, "a. the same, process CPU time (incl. emulator)", "20 HttpClient GETs", "raw.verify.cpu", "module.verify.cpu", null));
        }

        // e. Every sample writes new values (the same ones would be Unchanged and send nothing), built untimed.
        string[] workers = ["bench-a", "bench-b", "bench-c", "bench-d", "bench-e"];
        foreach (var worker in workers) emulator.State.AddWorkerScript(worker);
        Invoke(runspace, $"{connect.Replace(" | Out-Null", "")} -LedgerPath '{Path.Combine(scratch.FullName, "bench-ledger.db")}' | Out-Null");
        var generation = 0;
        if (only.Contains('e'))
        {
        Dictionary<string, Dictionary<string, string>> NewValues()
        {
            generation++;
            return workers.ToDictionary(w => w, w => Enumerable.Range(0, 200).ToDictionary(i => $"SECRET_{i:D3}", i => $"value-{generation}-{w}-{i}"));
        }
        var secrets = runner.Run("secrets",
            () =>
            {
                var values = NewValues();
                runspace.SessionStateProxy.SetVariable("h", values.ToDictionary(p => p.Key, p => new System.Collections.Hashtable(p.Value)));
                return InterleavedRunner.Timed("module.secrets", () => Check(Invoke(runspace,
                    "@(foreach ($w in $h.Keys) { Set-CfWorkerSecret -Script $w -Secret $h[$w] }).Count"), 1000))();
            },
            () =>
            {
                var values = NewValues();
                return InterleavedRunner.Timed("raw.secrets", () => RawSecretsBulk(http, emulator.State.AccountId, values))();
            });
        if (emulator.State.WorkerSecretText("bench-c", "SECRET_042") != $"value-{generation}-bench-c-42")
            throw new InvalidOperationException("the last sample's secrets did not arrive");
        results.Add(Comparison.Of(secrets, "e. Set-CfWorkerSecret, 1,000 new values, 5 Workers (bulk)", "HttpClient, same 10 PATCH batches", "raw.secrets", "module.secrets", 1.2));
        results.Add(Comparison.Of(secrets, "e. the same, process CPU time (incl. emulator)", "HttpClient, same 10 PATCH batches", "raw.secrets.cpu", "module.secrets.cpu", 1.2));
        }
    }

    // ---- b, c, d. fresh real pwsh processes ------------------------------------------------------------------
    if (only.IndexOfAny(['b', 'c', 'd']) >= 0)
    {
    var environment = new Dictionary<string, string>
    {
        ["CLOUDFLARE_API_TOKEN"] = secret,
        ["CLOUDFLARE_ACCOUNT_ID"] = emulator.State.AccountId,
        ["CLOUDFLARE_API_BASE_URL"] = emulator.BaseUri.ToString(),
        ["BENCH_MODULE"] = manifest,
        ["BENCH_EMPTY_MODULE"] = EmptyBinaryModule.LayOut(scratch.FullName),
    };
    var pwsh = new PwshProcess(root.FullName, environment, secret);
    var moduleScript = Script("module.ps1", """
        $sw = [Diagnostics.Stopwatch]::StartNew()
        Import-Module $env:BENCH_MODULE
        $import = $sw.Elapsed.TotalMilliseconds
        $connect = [Diagnostics.Stopwatch]::StartNew()
        Connect-CfAccount -FromEnvironment | Out-Null
        $cold = $connect.Elapsed.TotalMilliseconds
        $count = @(Get-CfToken).Count
        $first = $sw.Elapsed.TotalMilliseconds
        $connect.Restart()
        Connect-CfAccount -FromEnvironment | Out-Null
        $warm = $connect.Elapsed.TotalMilliseconds
        """ + Report("module.import", "$import", "module.first", "$first", "module.count", "$count", "connect.cold", "$cold", "connect.warm", "$warm"));
    var emptyScript = Script("empty.ps1", """
        $sw = [Diagnostics.Stopwatch]::StartNew()
        Import-Module $env:BENCH_EMPTY_MODULE
        $import = $sw.Elapsed.TotalMilliseconds
        """ + Report("empty.import", "$import"));
    var irmScript = Script("irm.ps1", """
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $base = $env:CLOUDFLARE_API_BASE_URL.TrimEnd('/')
        $headers = @{ Authorization = "Bearer $env:CLOUDFLARE_API_TOKEN" }
        $verify = Invoke-RestMethod "$base/user/tokens/verify" -Headers $headers
        if ($verify.result.status -ne 'active') { throw 'token not active' }
        $list = Invoke-RestMethod "$base/user/tokens?page=1&per_page=50" -Headers $headers
        $count = @($list.result).Count
        $first = $sw.Elapsed.TotalMilliseconds
        """ + Report("irm.first", "$first", "irm.count", "$count"));

    var fresh = runner.Run("fresh pwsh", () => pwsh.Run(moduleScript), () => pwsh.Run(emptyScript), () => pwsh.Run(irmScript));
    if (!fresh["module.count"].SequenceEqual(fresh["irm.count"]))
        throw new InvalidOperationException("Get-CfToken and Invoke-RestMethod saw different token counts");
    results.Add(Comparison.Of(fresh, "b. Import-Module (fresh pwsh)", "empty binary module", "empty.import", "module.import", 1.25));
    results.Add(Comparison.Of(fresh, "c. Import + Connect + Get-CfToken (fresh pwsh)", "Invoke-RestMethod verify + list", "irm.first", "module.first", 1.1));
    results.Add(Comparison.Of(fresh, "d. Connect-CfAccount, first in process", "second Connect in same process", "connect.warm", "connect.cold", null));
    }
}
finally
{
    scratch.Delete(recursive: true);
}
ResultTable.Print(results, rounds);
return;

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

string Script(string name, string text)
{
    var path = Path.Combine(scratch.FullName, name);
    File.WriteAllText(path, "$ErrorActionPreference = 'Stop'\n" + text);
    return path;
}

// Lines "BENCH name=value", formatted invariantly whatever the child's culture.
static string Report(params string[] namesAndValues) => "\n" + string.Join("\n", namesAndValues.Chunk(2).Select(p =>
    $"'BENCH {p[0]}=' + ([double]{p[1]}).ToString([cultureinfo]::InvariantCulture)"));

static object? Invoke(Runspace runspace, string script)
{
    using var ps = PowerShell.Create();
    ps.Runspace = runspace;
    var result = ps.AddScript(script).Invoke();
    if (ps.HadErrors) throw new InvalidOperationException(string.Join("; ", ps.Streams.Error));
    return result.Count > 0 ? result[0]?.BaseObject : null;
}

static int RawList(HttpClient http, string accountId)
{
    var count = 0;
    for (var page = 1; ; page++)
    {
        using var doc = JsonDocument.Parse(http.GetStringAsync($"accounts/{accountId}/tokens?page={page}&per_page=50&include_expired=true").GetAwaiter().GetResult());
        count += doc.RootElement.GetProperty("result").GetArrayLength();
        if (page >= doc.RootElement.GetProperty("result_info").GetProperty("total_pages").GetInt32()) return count;
    }
}

// The same batches the module sends: per Worker, merge patches of at most 100 secrets.
static void RawSecretsBulk(HttpClient http, string accountId, Dictionary<string, Dictionary<string, string>> values)
{
    foreach (var (worker, secrets) in values)
        foreach (var batch in secrets.Chunk(100))
        {
            var body = JsonSerializer.Serialize(new { secrets = batch.ToDictionary(p => p.Key, p => new { name = p.Key, text = p.Value, type = "secret_text" }) });
            using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/merge-patch+json");
            using var request = new HttpRequestMessage(HttpMethod.Patch, $"accounts/{accountId}/workers/scripts/{worker}/secrets-bulk") { Content = content };
            using var response = http.Send(request);
            response.EnsureSuccessStatusCode();
        }
}

static void Repeat(int times, Action action)
{
    for (var i = 0; i < times; i++) action();
}

static void Check(object? actual, int expected)
{
    if (Convert.ToInt32(actual, CultureInfo.InvariantCulture) != expected) throw new InvalidOperationException($"expected {expected}, got {actual}");
}
