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
//   e. 1,000 Worker secrets through Set-CfWorkerSecret (10 secrets-bulk PATCHes) vs a raw HttpClient loop sending the
//      same batches (WorkerSecretBulkScenario.cs).
//   f. 1,300 single puts (Set-CfWorkerSecret -NoBulk) under a scaled-down rate limit vs the rate-limit floor, computed
//      and measured by a perfectly paced HttpClient loop; 429s and errors counted (WorkerSecretRateLimitScenario.cs).
//   g. Events/s from the tail socket to the pipeline: Start-CfTail -First N, counted by the host (hosted runspace), and
//      piped to Measure-Object, vs a bare ClientWebSocket reader that only parses each message's JSON, and a reader that
//      only counts (TailThroughputScenario.cs).
//   h. Peak working set of a real pwsh while 1,000,000 events stream through Start-CfTail | Measure-Object, against
//      the same process idle with the module imported (TailMemoryScenario.cs).
// Every pwsh script times itself with a Stopwatch, so process start-up is not counted.
// Usage: dotnet run -c Release --project bench/CfManagement.Bench [-- --rounds N --warmup N --tokens N --only a,e,f]
// (--only takes scenario letters; b, c and d share their pwsh runs, so naming any of them runs all three.
// --ledger-dir DIR puts e and f's SQLite ledger there instead of the temp folder, e.g. on a RAM disk to see what the
// ledger's disk writes cost. --rate REQUESTS/SECONDS sets f's scaled limit, 60/1 by default; one far above what the
// module sends, e.g. 100000/1, shows how long its 1,300 puts take when the limit does not bind.
// --tail-events N sets g's events per sample (50,000); --tail-memory-events N h's (1,000,000) and --tail-memory-rounds N
// its fresh pwsh processes (1); --tail-queue N runs h with -QueueCapacity N (what the queue's share of the peak is).)
var rounds = Option("--rounds", 9);
var warmup = Option("--warmup", 2);
var tokenCount = Option("--tokens", 10_000);
var tailEvents = Option("--tail-events", 50_000);
var tailMemoryEvents = Option("--tail-memory-events", 1_000_000);
var tailMemoryRounds = Option("--tail-memory-rounds", 1);
var tailQueue = Option("--tail-queue", 0);
var only = OnlyOption();
var rate = (Array.IndexOf(args, "--rate") is var r && r >= 0 && r + 1 < args.Length ? args[r + 1] : "60/1").Split('/').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();

var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root != null && !File.Exists(Path.Combine(root.FullName, "CfManagement.sln"))) root = root.Parent;
var manifest = Path.Combine(root!.FullName, "out", "CfManagement", "CfManagement.psd1");
var scratch = Directory.CreateTempSubdirectory("cfbench-");
var ledgerFolder = LedgerFolder();
var runner = new InterleavedRunner(warmup, rounds);
var results = new List<Comparison>();
var notes = new List<string>();

try
{
    await using var emulator = await CloudflareEmulator.StartAsync(new EmulatorOptions { RateLimitRequests = 1_000_000 });
    var readGroup = emulator.State.PermissionGroupId("Workers Scripts Read");
    for (var i = 0; i < (Runs("a", "c") ? tokenCount : 0); i++)
        emulator.State.AddAccountToken(emulator.State.AdminUserEmail, $"bench-{i:D5}", [readGroup]);
    var expected = emulator.State.AllTokens.Count(t => t.OwnerKind == TokenOwnerKind.Account);
    var secret = emulator.State.AdminTokenValue;

    // ---- a, e, f. in a hosted runspace ------------------------------------------------------------------------
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

        // ---- a. listing and one verify
        if (Runs("a"))
        {
            var pages = (expected + 49) / 50;
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

        // ---- e, f. Worker secrets: bulk, and single puts under a scaled-down rate limit ------------------------------
        // The scenarios' own ledger, so that fingerprints from a user's real ledger never mark a secret unchanged.
        var ledger = Path.Combine(ledgerFolder, "ledger.db");
        var connectWithLedger = $"Connect-CfAccount -ApiToken $t -ApiBaseUri '{emulator.BaseUri}' -AccountId '{emulator.State.AccountId}' -LedgerPath '{ledger}' | Out-Null";
        if (Runs("e")) results.AddRange(WorkerSecretBulkScenario.Run(emulator, runspace, connectWithLedger, http, runner));
        // Its samples last ~21 s each; one warm-up round at most (the JIT is warm after the first hundred puts anyway).
        if (Runs("f")) results.AddRange(WorkerSecretRateLimitScenario.Run(emulator, runspace, connectWithLedger, http, new InterleavedRunner(Math.Min(warmup, 1), rounds), notes, rate[0], rate[1]));

        // ---- g. tail throughput ----------------------------------------------------------------------------------
        if (Runs("g"))
        {
            Invoke(runspace, connect);
            // One warm-up round at most: the JIT is warm after the first few thousand events, and a round has four arms.
            results.AddRange(TailThroughputScenario.Run(emulator, runspace, http, new InterleavedRunner(Math.Min(warmup, 1), rounds), notes, tailEvents));
        }
    }

    // ---- h. tail memory in a real pwsh (every sample a fresh process, so no warm-up; 1 by default: minutes each) ---
    if (Runs("h"))
        TailMemoryScenario.Run(emulator, root.FullName, manifest, Script, tailMemoryRounds, notes, tailMemoryEvents, tailQueue > 0 ? tailQueue : null);

    if (!Runs("b", "c", "d")) return Finish();
    // ---- b, c, d. fresh real pwsh processes ------------------------------------------------------------------
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
finally
{
    scratch.Delete(recursive: true);
    if (Directory.Exists(ledgerFolder)) Directory.Delete(ledgerFolder, recursive: true);
}
return Finish();

int Finish()
{
    ResultTable.Print(results, rounds);
    foreach (var note in notes) Console.WriteLine(note);
    ResultTable.PrintMarkdown(results, rounds);
    return 0;
}

HashSet<string>? OnlyOption()
{
    var index = Array.IndexOf(args, "--only");
    return index >= 0 && index + 1 < args.Length
        ? args[index + 1].Where(char.IsLetter).Select(c => char.ToLowerInvariant(c).ToString()).ToHashSet() // "e,f" or "ef"
        : null;
}

// The ledger's own folder inside --ledger-dir (removed at the end like scratch), or scratch itself.
string LedgerFolder()
{
    var index = Array.IndexOf(args, "--ledger-dir");
    return index >= 0 && index + 1 < args.Length ? Directory.CreateDirectory(Path.Combine(args[index + 1], scratch.Name)).FullName : scratch.FullName;
}

bool Runs(params string[] scenarios) => only == null || scenarios.Any(only.Contains);

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

static object? Invoke(Runspace runspace, string script) => HostedScript.Invoke(runspace, script);

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

static void Repeat(int times, Action action)
{
    for (var i = 0; i < times; i++) action();
}

static void Check(object? actual, int expected)
{
    if (Convert.ToInt32(actual, CultureInfo.InvariantCulture) != expected) throw new InvalidOperationException($"expected {expected}, got {actual}");
}
