using System.Text;
using System.Text.Json.Nodes;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Workers;

/// <summary>Set/Get/Remove/Sync-CfWorkerSecret against the emulator: bulk batching under faults, the ledger's fingerprints, pruning.</summary>
public class WorkerSecretTests : CmdletTestBase
{
    private static readonly string[] Scripts = ["alpha", "bravo", "charlie", "delta", "echo"];

    private string TempFile(string name, string content)
    {
        var dir = Path.Combine(Path.GetTempPath(), "cf-wsec-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private static string ValueOf(string script, int i) => $"v-{script}-{i:D4}-{Guid.NewGuid():N}";

    private List<(string Script, string Name, string Value)> Thousand()
    {
        var list = new List<(string, string, string)>();
        foreach (var script in Scripts)
        {
            Emulator.State.AddWorkerScript(script);
            for (var i = 0; i < 200; i++) list.Add((script, $"SECRET_{i:D4}", ValueOf(script, i)));
        }
        return list;
    }

    private List<RecordedRequest> BulkRequests() => Emulator.Requests.Where(r => r.Method == "PATCH" && r.Path.EndsWith("/secrets-bulk", StringComparison.Ordinal)).ToList();

    private static List<string> NamesIn(RecordedRequest request) =>
        ((JsonObject)JsonNode.Parse(request.Body)!["secrets"]!).Select(p => request.Path.Split('/')[^2] + "/" + p.Key).ToList();

    private void AddFaultsMidway()
    {
        // The third script's first batch meets a 429, the fourth's a 503: mid-way through the 10 batches.
        Emulator.Faults.Add(new FaultRule { Method = "PATCH", PathContains = "/scripts/charlie/secrets-bulk", Kind = FaultKind.RateLimit, RetryAfterSeconds = 1 });
        Emulator.Faults.Add(new FaultRule { Method = "PATCH", PathContains = "/scripts/delta/secrets-bulk", Kind = FaultKind.Status, StatusCode = 503, RetryAfterSeconds = 1 });
    }

    private void AssertEverySecretSetOnce(List<(string Script, string Name, string Value)> wanted, PsResult result)
    {
        result.AssertNoErrors();
        var results = SecretResultView.Of(result).ToList();
        Assert.Equal(wanted.Count, results.Count);
        Assert.All(results, r => Assert.Equal("Applied", r.Status));
        Assert.Equal(wanted.Select(w => $"worker:{w.Script}/{w.Name}").Order(), results.Select(r => $"{r.Target}/{r.Name}").Order());
        foreach (var (script, name, value) in wanted)
            Assert.Equal(value, Emulator.State.WorkerSecretText(script, name));

        // 2 batches of 100 per script, plus exactly one resend of each of the two faulted batches.
        var bulk = BulkRequests();
        Assert.Equal(12, bulk.Count);
        var sent = bulk.SelectMany(NamesIn).ToList();
        Assert.Equal(1000, sent.Distinct().Count());
        Assert.Equal(1200, sent.Count);
        Assert.Equal(2, sent.GroupBy(n => n).Where(g => g.Count() == 2).Select(g => g.Key.Split('/')[0]).Distinct().Count());
        Assert.Empty(Emulator.Requests.Where(r => r.Method == "PUT"));
        Assert.Equal(2, Emulator.Faults.Rules.Sum(r => r.Hits));
    }

    [Fact]
    public void A_thousand_secrets_from_Import_Csv_across_five_scripts_survive_a_429_and_a_503()
    {
        ConnectOrFail();
        var wanted = Thousand();
        var csv = new StringBuilder("Script,Name,Value\n");
        foreach (var (script, name, value) in wanted) csv.Append(script).Append(',').Append(name).Append(',').Append(value).Append('\n');
        Ps.Set("csv", TempFile("secrets.csv", csv.ToString()));
        AddFaultsMidway();
        Emulator.ClearRequests();

        var result = Ps.Run("Import-Csv $csv | Set-CfWorkerSecret");

        AssertEverySecretSetOnce(wanted, result);
        Assert.Contains(result.Progress, p => p.StatusDescription.Contains(" of 1000 secrets", StringComparison.Ordinal));
        SecretAssert.NotLeaked(result, wanted.Select(w => w.Value).Take(50).ToArray());
    }

    [Fact]
    public void A_thousand_secrets_from_env_files_survive_a_429_and_a_503_and_a_second_run_sends_nothing()
    {
        ConnectOrFail();
        var wanted = Thousand();
        var files = new List<string>();
        foreach (var script in Scripts)
            files.Add(TempFile($"{script}.env", string.Join("\n", wanted.Where(w => w.Script == script).Select(w => $"{w.Name}=\"{w.Value}\""))));
        Ps.Set("files", files.Zip(Scripts, (f, s) => new System.Management.Automation.PSObject(new { Script = s, Path = f })).ToArray());
        AddFaultsMidway();
        Emulator.ClearRequests();

        const string run = "foreach ($f in $files) { Set-CfWorkerSecret -Script $f.Script -Path $f.Path }";
        var result = Ps.Run(run);
        AssertEverySecretSetOnce(wanted, result);

        Emulator.ClearRequests();
        var again = Ps.Run(run);
        again.AssertNoErrors();
        Assert.All(SecretResultView.Of(again), r => Assert.Equal("Unchanged", r.Status));
        Assert.Equal(1000, SecretResultView.Of(again).Count());
        Assert.Empty(BulkRequests());
        Assert.Equal(5, Emulator.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/secrets", StringComparison.Ordinal)));
    }

    [Fact]
    public void Sync_with_Prune_makes_the_Worker_equal_the_file_and_the_second_run_changes_nothing()
    {
        ConnectOrFail();
        Emulator.State.AddWorkerScript("api");
        Ps.Set("old", PsSession.Secure("old-value-1"));
        Ps.Run("Set-CfWorkerSecret api KEEP $old; Set-CfWorkerSecret api STALE $old; Set-CfWorkerSecret api CHANGE $old").AssertNoErrors();
        var env = TempFile(".env", "# api secrets\nexport KEEP=old-value-1\nCHANGE='new value'\nADDED=\"multi\nline\"\n");
        Ps.Set("env", env);

        var whatIf = Ps.Run("Sync-CfWorkerSecret -Script api -Path $env -Prune -WhatIf");
        whatIf.AssertNoErrors();
        Assert.Empty(whatIf.Output);
        Assert.Contains("worker:api/STALE", whatIf.HostText);
        Assert.Contains("worker:api/ADDED", whatIf.HostText);
        Assert.Contains("worker:api/CHANGE", whatIf.HostText);
        Assert.DoesNotContain("worker:api/KEEP", whatIf.HostText);
        Assert.DoesNotContain("new value", whatIf.HostText);
        Assert.Equal("old-value-1", Emulator.State.WorkerSecretText("api", "CHANGE"));

        Emulator.ClearRequests();
        var first = Ps.Run("Sync-CfWorkerSecret -Script api -Path $env -Prune");
        first.AssertNoErrors();
        var byName = SecretResultView.Of(first).ToDictionary(r => r.Name);
        Assert.Equal("Unchanged", byName["KEEP"].Status);
        Assert.Equal("Update", byName["CHANGE"].Change);
        Assert.Equal("Add", byName["ADDED"].Change);
        Assert.Equal("Remove", byName["STALE"].Change);
        Assert.Equal(["ADDED", "CHANGE", "KEEP"], Emulator.State.WorkerSecretNames("api"));
        Assert.Equal("new value", Emulator.State.WorkerSecretText("api", "CHANGE"));
        Assert.Equal("multi\nline", Emulator.State.WorkerSecretText("api", "ADDED"));
        Assert.Single(BulkRequests());

        Emulator.ClearRequests();
        var second = Ps.Run("Sync-CfWorkerSecret -Script api -Path $env -Prune -Verbose");
        second.AssertNoErrors();
        Assert.All(SecretResultView.Of(second), r => Assert.Equal("Unchanged", r.Status));
        Assert.Equal(3, SecretResultView.Of(second).Count());
        Assert.Contains(second.Verbose, v => v.Message.Contains("nothing to change", StringComparison.Ordinal));
        Assert.Empty(Emulator.Requests.Where(r => r.Method != "GET"));
    }

    [Fact]
    public void A_value_changed_outside_the_module_is_written_again_when_the_ledger_fingerprint_differs()
    {
        ConnectOrFail();
        Emulator.State.AddWorkerScript("api");
        Ps.Set("a", PsSession.Secure("first-value"));
        Ps.Set("b", PsSession.Secure("second-value"));
        Ps.Run("Set-CfWorkerSecret api TOKEN $a").AssertNoErrors();
        var result = Ps.Run("Set-CfWorkerSecret api TOKEN $b");
        result.AssertNoErrors();
        Assert.Equal("Update", Assert.Single(SecretResultView.Of(result)).Change);
        Assert.Equal("second-value", Emulator.State.WorkerSecretText("api", "TOKEN"));
    }

    [Fact]
    public void The_ledger_file_holds_fingerprints_but_no_secret_value()
    {
        ConnectOrFail();
        Emulator.State.AddWorkerScript("api");
        const string value = "ledger-must-not-hold-this-value-7f3a9c";
        Ps.Set("v", PsSession.Secure(value));
        Ps.Run("Set-CfWorkerSecret api SECRET_ONE $v").AssertNoErrors();
        Ps.Run("Disconnect-CfAccount").AssertNoErrors();
        var bytes = File.ReadAllBytes(LedgerPath);
        if (File.Exists(LedgerPath + "-wal")) bytes = bytes.Concat(File.ReadAllBytes(LedgerPath + "-wal")).ToArray();
        Assert.True(Encoding.UTF8.GetString(bytes).Contains("SECRET_ONE", StringComparison.Ordinal) ||
                    Encoding.Unicode.GetString(bytes).Contains("SECRET_ONE", StringComparison.Ordinal), "the fingerprint row is there");
        foreach (var encoding in new Encoding[] { Encoding.UTF8, Encoding.Unicode, Encoding.BigEndianUnicode })
            Assert.Equal(-1, IndexOf(bytes, encoding.GetBytes(value)));
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        return -1;
    }

    [Fact]
    public void Remove_takes_secrets_from_Get_and_a_secret_already_gone_is_WorkerSecretNotFound()
    {
        ConnectOrFail();
        Emulator.State.AddWorkerScript("api");
        Ps.Set("v", PsSession.Secure("value-1"));
        Ps.Run("Set-CfWorkerSecret api A $v; Set-CfWorkerSecret api B $v; Set-CfWorkerSecret api C $v").AssertNoErrors();

        var listed = Ps.Run("Get-CfWorkerSecret -Script api -Name A,B");
        listed.AssertNoErrors();
        Assert.Equal(["A", "B"], listed.Output.Select(o => o.Properties["Name"].Value).Cast<string>());

        Emulator.ClearRequests();
        Ps.Run("Get-CfWorkerSecret api -Name A,B | Remove-CfWorkerSecret -Confirm:$false").AssertNoErrors();
        Assert.Equal(["C"], Emulator.State.WorkerSecretNames("api"));
        Assert.Contains(Emulator.Requests, r => r.Method == "DELETE" && r.Query.Contains("url_encoded=true", StringComparison.Ordinal));

        var gone = Ps.Run("Remove-CfWorkerSecret api A -Confirm:$false").SingleError();
        Assert.StartsWith("WorkerSecretNotFound,", gone.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, gone.CategoryInfo.Category);
        Assert.Equal(["C"], Emulator.State.WorkerSecretNames("api"));

        // The fingerprint went with the secret: setting the same value again writes it.
        var again = Ps.Run("Set-CfWorkerSecret api A $v");
        Assert.Equal("Applied", Assert.Single(SecretResultView.Of(again)).Status);
    }

    [Fact]
    public void A_missing_script_is_WorkerScriptNotFound_with_a_Failed_result_per_secret_and_no_write()
    {
        ConnectOrFail();
        Ps.Set("v", PsSession.Secure("value-1"));
        var result = Ps.Run("Set-CfWorkerSecret -Script ghost -Secret @{ A = $v; B = 'b' }");
        var error = result.SingleError();
        Assert.StartsWith("WorkerScriptNotFound,", error.FullyQualifiedErrorId);
        Assert.Contains("-CreateIfMissing", error.ErrorDetails.RecommendedAction);
        Assert.All(SecretResultView.Of(result), r => Assert.Equal("Failed", r.Status));
        Assert.Equal(2, SecretResultView.Of(result).Count());
        Assert.Empty(Emulator.Requests.Where(r => r.Method != "GET" && r.Path.Contains("/workers/", StringComparison.Ordinal)));
    }

    [Fact]
    public void NoBulk_sends_one_PUT_per_secret()
    {
        ConnectOrFail();
        Emulator.State.AddWorkerScript("api");
        Emulator.ClearRequests();
        var result = Ps.Run("Set-CfWorkerSecret -Script api -Secret @{ A = 'a1'; B = 'b1'; C = 'c1' } -NoBulk");
        result.AssertNoErrors();
        Assert.Equal(3, Emulator.Requests.Count(r => r.Method == "PUT" && r.Path.EndsWith("/secrets", StringComparison.Ordinal)));
        Assert.Empty(BulkRequests());
        Assert.Equal("b1", Emulator.State.WorkerSecretText("api", "B"));
    }

    [Fact]
    public void A_JSON_file_with_null_deletes_and_sets_in_one_bulk_request()
    {
        ConnectOrFail();
        Emulator.State.AddWorkerScript("api");
        Ps.Run("Set-CfWorkerSecret -Script api -Secret @{ OLD = 'o'; KEEP = 'k' }").AssertNoErrors();
        Ps.Set("json", TempFile("secrets.json", "{\n  \"NEW\": \"n1\",\n  \"OLD\": null\n}\n"));
        Emulator.ClearRequests();
        var result = Ps.Run("Set-CfWorkerSecret -Script api -Path $json");
        result.AssertNoErrors();
        Assert.Equal(["KEEP", "NEW"], Emulator.State.WorkerSecretNames("api"));
        Assert.Single(BulkRequests());
        Assert.Contains(SecretResultView.Of(result), r => r.Name == "OLD" && r.Change == "Remove" && r.Status == "Applied");
    }

    [Fact]
    public void WhatIf_creates_no_ledger_and_shows_every_secret_as_a_change()
    {
        ConnectOrFail();
        Emulator.State.AddWorkerScript("api");
        var fresh = Path.Combine(Path.GetTempPath(), $"cf-wsec-whatif-{Guid.NewGuid():N}.db");
        Ps.Set("fresh", fresh);
        Emulator.ClearRequests();
        var result = Ps.Run("Set-CfWorkerSecret -Script api -Secret @{ A = 'a'; B = 'b' } -LedgerPath $fresh -WhatIf");
        result.AssertNoErrors();
        Assert.Contains("worker:api/A", result.HostText);
        Assert.Contains("worker:api/B", result.HostText);
        Assert.False(File.Exists(fresh));
        Assert.Empty(Emulator.State.WorkerSecretNames("api"));
        Assert.Empty(Emulator.Requests.Where(r => r.Method != "GET"));
    }
}
