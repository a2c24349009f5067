using System.Management.Automation;
using System.Net;
using System.Security;
using CfManagement.Api;
using CfManagement.Http;
using CfManagement.SecretSets;
using Xunit;

namespace CfManagement.Tests.SecretSets;

/// <summary>The shared secret-set engine with a fake target: rules, planning against fingerprints, batching and splitting.</summary>
public class SecretSetEngineTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static SecureString S(string plain) => SecureStringReader.FromPlainText(plain);
    private static SecretEntry E(string name, string? value, string origin = "test") => new(name, value == null ? null : S(value), origin);

    private static CloudflareApiException Failure(int status, int code) =>
        CloudflareApiException.FromResponse("PATCH", "/x", (HttpStatusCode)status, [new CloudflareError(code, "refused")], null);

    /// <summary>Accepts at most <see cref="RealLimit"/> per request and remembers what it applied.</summary>
    private sealed class FakeTarget(int batchLimit, int realLimit, Func<int, CloudflareApiException?>? failOnRequest = null) : ISecretSetTarget
    {
        public List<List<string>> Requests { get; } = [];
        public Dictionary<string, string?> Applied { get; } = [];
        public string Target => "fake:t";
        public int BatchLimit => batchLimit;
        public Task<IReadOnlyList<SecretListing>> ListAsync(CancellationToken ct) => Task.FromResult<IReadOnlyList<SecretListing>>([]);

        public Task ApplyAsync(IReadOnlyList<SecretChange> batch, CancellationToken ct)
        {
            Requests.Add(batch.Select(c => c.Name).ToList());
            if (batch.Count > realLimit) throw Failure(400, 100160);
            if (failOnRequest?.Invoke(Requests.Count) is { } failure) throw failure;
            foreach (var change in batch) Applied[change.Name] = change.Value == null ? null : SecureStringReader.ToPlainText(change.Value);
            return Task.CompletedTask;
        }

        public bool IsBatchTooLarge(CloudflareApiException failure) => failure.HasCode(100160);

        public SecretSetFailure Describe(CloudflareApiException failure) =>
            new("Refused" + failure.Errors[0].Code, ErrorCategory.InvalidOperation, failure.Message, "fix", stopsTarget: failure.HasCode(10215));
    }

    private static List<SecretChange> Changes(int n) =>
        Enumerable.Range(0, n).Select(i => new SecretChange($"S{i:D4}", S($"v{i}"), SecretChangeKind.Add, "fp")).ToList();

    [Fact]
    public void Batches_hold_at_most_the_limit_in_order()
    {
        var batches = SecretBatchApplier.Split(Changes(250), 100);
        Assert.Equal([100, 100, 50], batches.Select(b => b.Count));
        Assert.Equal(Changes(250).Select(c => c.Name), batches.SelectMany(b => b).Select(c => c.Name));
        Assert.Empty(SecretBatchApplier.Split([], 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => SecretBatchApplier.Split(Changes(1), 0));
    }

    [Fact]
    public async Task A_batch_refused_as_too_many_is_halved_until_accepted_and_each_secret_is_applied_once()
    {
        var target = new FakeTarget(100, 30);
        var outcome = await SecretBatchApplier.ApplyAsync(target, Changes(100), CancellationToken.None);
        Assert.Equal(100, outcome.Applied.Count);
        Assert.Empty(outcome.Failed);
        // 100 -> 50+50 -> 25+25+25+25: 1 + 2 + 4 requests.
        Assert.Equal(7, outcome.Requests);
        var accepted = target.Requests.Where(r => r.Count <= 30).SelectMany(r => r).ToList();
        Assert.Equal(100, accepted.Count);
        Assert.Equal(100, accepted.Distinct().Count());
    }

    [Fact]
    public async Task A_failure_after_a_split_retries_only_what_was_not_applied()
    {
        // The second accepted half fails: the first stays applied and is not sent again.
        var target = new FakeTarget(100, 50, request => request == 3 ? Failure(500, 10013) : null);
        var outcome = await SecretBatchApplier.ApplyAsync(target, Changes(100), CancellationToken.None);
        Assert.Equal(50, outcome.Applied.Count);
        Assert.Equal(50, outcome.Failed.Count);
        Assert.Equal(3, target.Requests.Count);
        Assert.Empty(outcome.Applied.Select(c => c.Name).Intersect(outcome.Failed.Select(f => f.Change.Name)));
        Assert.All(outcome.Failed, f => Assert.Equal("Refused10013", f.Failure.ErrorId));
        Assert.Null(outcome.Stop);
    }

    [Fact]
    public async Task A_failure_that_stops_the_target_sends_nothing_more()
    {
        var target = new FakeTarget(100, 50, _ => Failure(400, 10215));
        var outcome = await SecretBatchApplier.ApplyAsync(target, Changes(100), CancellationToken.None);
        Assert.Equal(2, target.Requests.Count); // the refused 100, then the first half; the second half is not sent
        Assert.Equal(100, outcome.Failed.Count);
        Assert.NotNull(outcome.Stop);
    }

    [Fact]
    public async Task A_single_secret_refused_as_too_many_fails_instead_of_looping()
    {
        var target = new FakeTarget(100, 0);
        var outcome = await SecretBatchApplier.ApplyAsync(target, Changes(1), CancellationToken.None);
        Assert.Single(outcome.Failed);
        Assert.Single(target.Requests);
    }

    [Fact]
    public void The_plan_sends_what_the_ledger_cannot_prove_and_prunes_only_secret_text()
    {
        var current = new List<SecretListing>
        {
            new("SAME", "secret_text"), new("CHANGED", "secret_text"), new("NO_PRINT", "secret_text"),
            new("STALE", "secret_text"), new("KEY", "secret_key"), new("GONE_ALREADY_NOT", "secret_text"),
        };
        var fingerprints = new Dictionary<string, string>
        {
            ["SAME"] = SecretFingerprint.Compute(Key, "acct", "fake:t", "SAME", S("same")),
            ["CHANGED"] = SecretFingerprint.Compute(Key, "acct", "fake:t", "CHANGED", S("old")),
            ["NEW"] = SecretFingerprint.Compute(Key, "acct", "fake:t", "NEW", S("new")), // recorded but deleted on Cloudflare since
        };
        var wanted = new List<SecretEntry> { E("SAME", "same"), E("CHANGED", "new"), E("NO_PRINT", "x"), E("NEW", "new"), E("ABSENT", null), E("GONE_ALREADY_NOT", null) };

        var plan = SecretSetPlanner.Plan("acct", "fake:t", current, wanted, fingerprints, Key, prune: true);

        Assert.Equal(["SAME", "ABSENT"], plan.Unchanged);
        Assert.Equal(["Update CHANGED", "Update NO_PRINT", "Add NEW", "Remove GONE_ALREADY_NOT", "Remove STALE"], plan.Changes.Select(c => c.ToString()));
        var noPrune = SecretSetPlanner.Plan("acct", "fake:t", current, wanted, fingerprints, Key, prune: false);
        Assert.DoesNotContain(noPrune.Changes, c => c.Name == "STALE");
    }

    [Fact]
    public void Fingerprints_depend_on_every_field_and_the_key_and_hold_no_value()
    {
        var baseline = SecretFingerprint.Compute(Key, "acct", "worker:a", "NAME", S("value"));
        Assert.Equal(baseline, SecretFingerprint.Compute(Key, "acct", "worker:a", "NAME", S("value")));
        Assert.StartsWith("hmac-sha256:", baseline);
        Assert.Equal("hmac-sha256:".Length + 64, baseline.Length);
        Assert.NotEqual(baseline, SecretFingerprint.Compute(Key, "acct2", "worker:a", "NAME", S("value")));
        Assert.NotEqual(baseline, SecretFingerprint.Compute(Key, "acct", "worker:b", "NAME", S("value")));
        Assert.NotEqual(baseline, SecretFingerprint.Compute(Key, "acct", "worker:a", "NAME2", S("value")));
        Assert.NotEqual(baseline, SecretFingerprint.Compute(Key, "acct", "worker:a", "NAME", S("value2")));
        Assert.NotEqual(baseline, SecretFingerprint.Compute(new byte[32], "acct", "worker:a", "NAME", S("value")));
        // Field boundaries are unambiguous.
        Assert.NotEqual(SecretFingerprint.Compute(Key, "ab", "c", "N", S("v")), SecretFingerprint.Compute(Key, "a", "bc", "N", S("v")));
    }

    [Fact]
    public void The_rules_refuse_bad_names_duplicates_empty_and_oversize_values_naming_the_origin()
    {
        var entries = new List<SecretEntry>
        {
            E("OK", "v"), E("1BAD", "v", "f line 2"), E("A-B", "v"), E("", "v"), E(new string('N', 256), "v"),
            E("DUP", "1", "f line 7"), E("DUP", "2", "f line 9"), E("EMPTY", ""), E("BIG", new string('x', 5121), "f line 11"),
            E("EXACT", new string('x', 5120)), E("MULTI", new string('\u00e9', 2561)), E("DEL", null),
        };
        var problems = SecretEntryRules.Check(entries, "worker:a", allowDelete: true);
        Assert.Equal(
            ["InvalidSecretName", "InvalidSecretName", "InvalidSecretName", "InvalidSecretName", "DuplicateSecretName", "EmptySecretValue", "SecretValueTooLarge", "SecretValueTooLarge"],
            problems.Select(p => p.ErrorId));
        Assert.Contains("f line 2", problems[0].Message);
        Assert.Contains("f line 7 and f line 9", problems[4].Message);
        Assert.Contains("5122 bytes", problems[7].Message);
        Assert.Contains(SecretEntryRules.Check([E("DEL", null)], "worker:a", allowDelete: false), p => p.ErrorId == "EmptySecretValue");
        Assert.All(problems, p => Assert.DoesNotContain("xxxxx", p.Message));
    }

    [Theory]
    [InlineData(400, 10215, "WorkerSecretNeedsNewVersion", true)]
    [InlineData(400, 10214, "WorkerSecretNeedsNewVersion", true)]
    [InlineData(404, 10007, "WorkerScriptNotFound", true)]
    [InlineData(404, 10090, "WorkerScriptNotFound", true)]
    [InlineData(404, 10222, "WorkerHasNoVersion", true)]
    [InlineData(403, 10000, "ApiPermissionDenied", true)]
    [InlineData(503, 10013, "ApiUnavailable", false)]
    [InlineData(400, 10021, "ApiInvalidRequest", false)]
    public void Worker_failures_map_to_their_ErrorId_and_whether_the_rest_of_the_script_is_sent(int status, int code, string errorId, bool stops)
    {
        var failure = WorkerSecretSetTarget.DescribeFailure(Failure(status, code), "api");
        Assert.Equal(errorId, failure.ErrorId);
        Assert.Equal(stops, failure.StopsTarget);
        Assert.Contains("refused", failure.Reason); // Cloudflare's message is kept
        if (code is 10215 or 10214) Assert.Contains("-NewVersion", failure.Fix);
        if (code is 10007 or 10090) Assert.Contains("-CreateIfMissing", failure.Fix);
    }

    [Fact]
    public void Only_a_404_about_the_secret_means_already_gone()
    {
        Assert.True(WorkerSecretSetTarget.IsSecretGone(Failure(404, 10056)));
        Assert.False(WorkerSecretSetTarget.IsSecretGone(Failure(404, 10007)));
        Assert.False(WorkerSecretSetTarget.IsSecretGone(Failure(400, 10056)));
    }
}
