using CfManagement.Ledger;
using Xunit;

namespace CfManagement.Tests.Ledger;

/// <summary>
/// The behaviour every ledger engine must have. Each concrete subclass supplies a fresh, empty store per test;
/// the same cases then run against SQLite and D1 so the two engines cannot drift apart.
/// </summary>
public abstract partial class LedgerContractTests : IAsyncLifetime
{
    protected static readonly CancellationToken Ct = CancellationToken.None;
    protected static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);

    protected ILedger Ledger { get; private set; } = null!;

    /// <summary>A ledger over a new, empty store (not yet initialized). The first store created is the test's main one.</summary>
    protected abstract Task<ILedger> CreateLedgerAsync();

    /// <summary>Another ledger instance over the main store (the one <see cref="Ledger"/> uses).</summary>
    protected abstract ILedger OpenSecondInstance();

    protected abstract string ExpectedEngine { get; }

    protected virtual Task CleanupAsync() => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        Ledger = await CreateLedgerAsync();
        await Ledger.InitializeAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        Ledger.Dispose();
        await CleanupAsync();
    }

    protected static LedgerEntry Entry(
        string action = "mint",
        LedgerEntryKind kind = LedgerEntryKind.ManagedToken,
        LedgerOutcome outcome = LedgerOutcome.Succeeded,
        string? tokenId = "tok-1",
        string? tokenName = "ci-deploy",
        string? purpose = "deploy",
        string? operationId = null,
        DateTimeOffset? at = null,
        string? detail = null) => new()
    {
        OperationId = operationId ?? Guid.NewGuid().ToString(),
        Timestamp = at ?? T0,
        Kind = kind,
        Action = action,
        Outcome = outcome,
        TokenId = tokenId,
        TokenName = tokenName,
        Purpose = purpose,
        Detail = detail,
    };

    private async Task<IReadOnlyList<LedgerEntry>> Seed()
    {
        var op = "op-rotation-1";
        var entries = new[]
        {
            Entry("mint", LedgerEntryKind.ManagedToken, tokenId: "tok-1", tokenName: "ci-deploy", purpose: "deploy", at: T0),
            Entry("roll", LedgerEntryKind.Rotation, tokenId: "tok-1", tokenName: "ci-deploy", purpose: "deploy", operationId: op, at: T0.AddMinutes(10)),
            Entry("rollback", LedgerEntryKind.Rotation, LedgerOutcome.RolledBack, tokenId: "tok-1", tokenName: "ci-deploy", purpose: "deploy", operationId: op, at: T0.AddMinutes(11)),
            Entry("check", LedgerEntryKind.HealthCheck, tokenId: "tok-2", tokenName: "dns_editor", purpose: "dns", at: T0.AddMinutes(20)),
            Entry("check", LedgerEntryKind.HealthCheck, LedgerOutcome.Failed, tokenId: "tok-3", tokenName: "dnsXeditor", purpose: "dns", at: T0.AddMinutes(30)),
            Entry("cleanup", LedgerEntryKind.Cleanup, LedgerOutcome.Skipped, tokenId: null, tokenName: null, purpose: null, at: T0.AddMinutes(40)),
        };
        var appended = new List<LedgerEntry>();
        foreach (var entry in entries)
            appended.Add(await Ledger.AppendAsync(entry, Ct));
        return appended;
    }

    private static void AssertActions(IReadOnlyList<LedgerEntry> result, params string[] expected) =>
        Assert.Equal(expected, result.Select(e => $"{e.Action}:{e.TokenId}").ToArray());

    [Fact]
    public void Reports_its_engine_and_location()
    {
        Assert.Equal(ExpectedEngine, Ledger.Engine);
        Assert.False(string.IsNullOrWhiteSpace(Ledger.Location));
    }

    [Fact]
    public async Task Initializing_again_is_harmless_and_keeps_data()
    {
        var first = await Ledger.AppendAsync(Entry(), Ct);
        await Ledger.InitializeAsync(Ct);
        await Ledger.InitializeAsync(Ct);
        using var second = OpenSecondInstance();
        await second.InitializeAsync(Ct);

        var all = await Ledger.QueryAsync(new LedgerQuery(), Ct);
        Assert.Equal(first.Sequence, Assert.Single(all).Sequence);
    }

    [Fact]
    public async Task Append_returns_increasing_sequences_and_leaves_the_input_alone()
    {
        var input = Entry();
        var a = await Ledger.AppendAsync(input, Ct);
        var b = await Ledger.AppendAsync(Entry("store"), Ct);
        var c = await Ledger.AppendAsync(Entry("check"), Ct);

        Assert.Equal(0, input.Sequence);
        Assert.True(a.Sequence > 0);
        Assert.True(b.Sequence > a.Sequence);
        Assert.True(c.Sequence > b.Sequence);
    }

    [Fact]
    public async Task Every_field_round_trips()
    {
        var entry = new LedgerEntry
        {
            OperationId = Guid.NewGuid().ToString(),
            // A non-UTC offset and sub-millisecond ticks: stored as UTC text, read back as the same instant.
            Timestamp = new DateTimeOffset(2025, 6, 7, 8, 9, 10, TimeSpan.FromHours(2)).AddTicks(1234567),
            Kind = LedgerEntryKind.Repair,
            Action = "store",
            Outcome = LedgerOutcome.Pending,
            TokenId = "0123456789abcdef0123456789abcdef",
            TokenName = "ci-deploy 'quoted' ünïcode",
            Scope = "Account",
            AccountId = "fedcba9876543210fedcba9876543210",
            Purpose = "deploy",
            Destination = "vault:Store/ci-deploy",
            Actor = "runbook:rotate@host",
            Detail = "re-stored after vault write failed; 100% _fine_",
            ErrorId = "VaultWriteFailed",
            ExpiresOn = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        };
        var appended = await Ledger.AppendAsync(entry, Ct);

        var read = Assert.Single(await Ledger.QueryAsync(new LedgerQuery(), Ct));
        Assert.Equal(appended.Sequence, read.Sequence);
        Assert.Equal(entry.OperationId, read.OperationId);
        Assert.Equal(entry.Timestamp, read.Timestamp);
        Assert.Equal(entry.Timestamp.UtcTicks, read.Timestamp.UtcTicks);
        Assert.Equal(entry.Kind, read.Kind);
        Assert.Equal(entry.Action, read.Action);
        Assert.Equal(entry.Outcome, read.Outcome);
        Assert.Equal(entry.TokenId, read.TokenId);
        Assert.Equal(entry.TokenName, read.TokenName);
        Assert.Equal(entry.Scope, read.Scope);
        Assert.Equal(entry.AccountId, read.AccountId);
        Assert.Equal(entry.Purpose, read.Purpose);
        Assert.Equal(entry.Destination, read.Destination);
        Assert.Equal(entry.Actor, read.Actor);
        Assert.Equal(entry.Detail, read.Detail);
        Assert.Equal(entry.ErrorId, read.ErrorId);
        Assert.Equal(entry.ExpiresOn, read.ExpiresOn);
        Assert.Contains("Repair/store", read.ToString());
    }

    [Fact]
    public async Task Optional_fields_round_trip_as_null()
    {
        var entry = new LedgerEntry { OperationId = "op", Timestamp = T0, Kind = LedgerEntryKind.Cleanup, Action = "cleanup", Outcome = LedgerOutcome.Skipped };
        await Ledger.AppendAsync(entry, Ct);

        var read = Assert.Single(await Ledger.QueryAsync(new LedgerQuery(), Ct));
        Assert.Null(read.TokenId);
        Assert.Null(read.TokenName);
        Assert.Null(read.Scope);
        Assert.Null(read.AccountId);
        Assert.Null(read.Purpose);
        Assert.Null(read.Destination);
        Assert.Null(read.Actor);
        Assert.Null(read.Detail);
        Assert.Null(read.ErrorId);
        Assert.Null(read.ExpiresOn);
        Assert.Equal(LedgerOutcome.Skipped, read.Outcome);
    }

    [Fact]
    public async Task Empty_query_returns_everything_oldest_first()
    {
        var seeded = await Seed();
        var all = await Ledger.QueryAsync(new LedgerQuery(), Ct);
        Assert.Equal(seeded.Select(e => e.Sequence), all.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Query_by_kind()
    {
        await Seed();
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { Kind = LedgerEntryKind.HealthCheck }, Ct), "check:tok-2", "check:tok-3");
        Assert.Empty(await Ledger.QueryAsync(new LedgerQuery { Kind = LedgerEntryKind.Revocation }, Ct));
    }

    [Fact]
    public async Task Query_by_token_id()
    {
        await Seed();
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { TokenId = "tok-1" }, Ct), "mint:tok-1", "roll:tok-1", "rollback:tok-1");
    }

    [Fact]
    public async Task Query_by_token_name_wildcard()
    {
        await Seed();
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { TokenName = "ci-*" }, Ct), "mint:tok-1", "roll:tok-1", "rollback:tok-1");
        // Case-insensitive, like PowerShell's -like.
        Assert.Equal(3, (await Ledger.QueryAsync(new LedgerQuery { TokenName = "CI-DEPLOY" }, Ct)).Count);
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { TokenName = "dns?editor" }, Ct), "check:tok-2", "check:tok-3");
        // '_' is a literal in PowerShell wildcards, not SQL's any-character.
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { TokenName = "dns_editor" }, Ct), "check:tok-2");
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { TokenName = "*`?*" }, Ct));
        Assert.Empty(await Ledger.QueryAsync(new LedgerQuery { TokenName = "ci" }, Ct));
    }

    [Fact]
    public async Task Query_by_purpose()
    {
        await Seed();
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { Purpose = "dns" }, Ct), "check:tok-2", "check:tok-3");
    }

    [Fact]
    public async Task Query_by_operation_id()
    {
        await Seed();
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { OperationId = "op-rotation-1" }, Ct), "roll:tok-1", "rollback:tok-1");
    }

    [Fact]
    public async Task Query_by_outcome()
    {
        await Seed();
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { Outcome = LedgerOutcome.Failed }, Ct), "check:tok-3");
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { Outcome = LedgerOutcome.RolledBack }, Ct), "rollback:tok-1");
    }

    [Fact]
    public async Task Query_by_time_window_is_inclusive()
    {
        await Seed();
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { Since = T0.AddMinutes(30) }, Ct), "check:tok-3", "cleanup:");
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { Until = T0.AddMinutes(10) }, Ct), "mint:tok-1", "roll:tok-1");
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { Since = T0.AddMinutes(5), Until = T0.AddMinutes(20) }, Ct),
            "roll:tok-1", "rollback:tok-1", "check:tok-2");
        // Bounds in another offset mean the same instants.
        var plusTwo = TimeSpan.FromHours(2);
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { Since = T0.AddMinutes(40).ToOffset(plusTwo) }, Ct), "cleanup:");
    }

    [Fact]
    public async Task Query_last_n_returns_the_newest_oldest_first()
    {
        await Seed();
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { Last = 2 }, Ct), "check:tok-3", "cleanup:");
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { TokenId = "tok-1", Last = 2 }, Ct), "roll:tok-1", "rollback:tok-1");
        Assert.Equal(6, (await Ledger.QueryAsync(new LedgerQuery { Last = 100 }, Ct)).Count);
    }

    [Fact]
    public async Task Query_filters_combine()
    {
        await Seed();
        AssertActions(await Ledger.QueryAsync(new LedgerQuery { Kind = LedgerEntryKind.Rotation, Outcome = LedgerOutcome.Succeeded, TokenName = "ci-*" }, Ct), "roll:tok-1");
    }

    private static ManagedTokenRecord Record(string id, string name, DateTimeOffset created, string state = "Active") => new()
    {
        TokenId = id,
        TokenName = name,
        Scope = "User",
        Purpose = "deploy",
        AccountId = null,
        CreatedOn = created,
        ExpiresOn = created.AddDays(90),
        Destinations = new[] { "vault:Store/" + name, "github:org/repo/CF_TOKEN" },
        State = state,
    };

    [Fact]
    public async Task Upsert_inserts_then_updates_a_managed_token()
    {
        var record = Record("tok-1", "ci-deploy", T0);
        await Ledger.UpsertManagedTokenAsync(record, Ct);

        var read = await Ledger.GetManagedTokenAsync("tok-1", Ct);
        Assert.NotNull(read);
        Assert.Equal("ci-deploy", read!.TokenName);
        Assert.Equal("User", read.Scope);
        Assert.Equal("deploy", read.Purpose);
        Assert.Null(read.AccountId);
        Assert.Equal(T0, read.CreatedOn);
        Assert.Equal(T0.AddDays(90), read.ExpiresOn);
        Assert.Equal(record.Destinations, read.Destinations);
        Assert.Equal("Active", read.State);
        Assert.Null(read.LastRotatedOn);
        Assert.Null(read.ReplacedBy);

        await Ledger.UpsertManagedTokenAsync(new ManagedTokenRecord
        {
            TokenId = "tok-1", TokenName = "ci-deploy", Scope = "User", Purpose = "deploy", CreatedOn = T0,
            Destinations = record.Destinations, State = "Replaced", LastRotatedOn = T0.AddDays(30), ReplacedBy = "tok-9",
        }, Ct);

        var updated = await Ledger.GetManagedTokenAsync("tok-1", Ct);
        Assert.Equal("Replaced", updated!.State);
        Assert.Equal(T0.AddDays(30), updated.LastRotatedOn);
        Assert.Equal("tok-9", updated.ReplacedBy);
        Assert.Null(updated.ExpiresOn);
        Assert.Single(await Ledger.GetManagedTokensAsync(Ct));
    }

    [Fact]
    public async Task Unknown_managed_token_is_null()
    {
        Assert.Null(await Ledger.GetManagedTokenAsync("nope", Ct));
    }

    [Fact]
    public async Task GetManagedTokens_lists_all_oldest_first()
    {
        await Ledger.UpsertManagedTokenAsync(Record("tok-b", "second", T0.AddDays(1)), Ct);
        await Ledger.UpsertManagedTokenAsync(Record("tok-a", "first", T0), Ct);
        await Ledger.UpsertManagedTokenAsync(Record("tok-c", "third", T0.AddDays(2), "Revoked"), Ct);

        var all = await Ledger.GetManagedTokensAsync(Ct);
        Assert.Equal(new[] { "tok-a", "tok-b", "tok-c" }, all.Select(r => r.TokenId).ToArray());
        Assert.Equal("Revoked", all[2].State);
        Assert.Equal(2, all[0].Destinations.Count);
    }

    [Fact]
    public async Task Refuses_a_prefixed_token_value_in_detail_without_echoing_it()
    {
        const string secret = "cfut_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z";
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AppendAsync(Entry(detail: "minted " + secret), Ct));

        Assert.Equal("Detail", error.ParamName);
        Assert.Contains("Detail", error.Message);
        Assert.DoesNotContain(secret, error.Message);
        Assert.DoesNotContain("Ab3dEf6h", error.ToString());
        Assert.Empty(await Ledger.QueryAsync(new LedgerQuery(), Ct));
    }

    [Fact]
    public async Task Refuses_a_long_token_like_string_in_token_name()
    {
        const string secret = "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6kL9x"; // 40 characters
        Assert.Equal(40, secret.Length);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AppendAsync(Entry(tokenName: secret), Ct));

        Assert.Equal("TokenName", error.ParamName);
        Assert.DoesNotContain(secret, error.Message);
        Assert.Empty(await Ledger.QueryAsync(new LedgerQuery(), Ct));
    }

    [Fact]
    public async Task Refuses_a_token_value_in_a_managed_token_destination()
    {
        var record = Record("tok-1", "ci", T0);
        var leaky = new ManagedTokenRecord
        {
            TokenId = record.TokenId, TokenName = record.TokenName, Scope = record.Scope, Purpose = record.Purpose, CreatedOn = T0,
            Destinations = new[] { "vault:Store/ci", "cfat_Zy9xW8vU7tS6rQ5pO4nM3" },
        };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Ledger.UpsertManagedTokenAsync(leaky, Ct));

        Assert.Equal("Destinations[1]", error.ParamName);
        Assert.DoesNotContain("cfat_Zy9", error.Message);
        Assert.Null(await Ledger.GetManagedTokenAsync("tok-1", Ct));
    }

    [Fact]
    public async Task A_second_instance_on_the_same_store_sees_the_first_ones_writes()
    {
        var appended = await Ledger.AppendAsync(Entry(), Ct);
        await Ledger.UpsertManagedTokenAsync(Record("tok-1", "ci-deploy", T0), Ct);

        using var second = OpenSecondInstance();
        await second.InitializeAsync(Ct);
        Assert.Equal(appended.Sequence, Assert.Single(await second.QueryAsync(new LedgerQuery(), Ct)).Sequence);
        Assert.Equal("ci-deploy", (await second.GetManagedTokenAsync("tok-1", Ct))!.TokenName);

        var next = await second.AppendAsync(Entry("roll"), Ct);
        Assert.True(next.Sequence > appended.Sequence);
        Assert.Equal(2, (await Ledger.QueryAsync(new LedgerQuery(), Ct)).Count);
    }

    [Fact]
    public async Task Concurrent_appends_from_two_instances_all_land_with_distinct_sequences()
    {
        using var second = OpenSecondInstance();
        var writes = Enumerable.Range(0, 20)
            .Select(i => (i % 2 == 0 ? Ledger : second).AppendAsync(Entry("check", LedgerEntryKind.HealthCheck), Ct))
            .ToArray();
        var appended = await Task.WhenAll(writes);

        Assert.Equal(20, appended.Select(e => e.Sequence).Distinct().Count());
        Assert.Equal(20, (await Ledger.QueryAsync(new LedgerQuery(), Ct)).Count);
    }

    [Fact]
    public async Task Writes_without_explicit_initialize_create_the_schema()
    {
        // A separate, fresh store: the base class initialized Ledger already.
        using var fresh = await CreateLedgerAsync();
        var appended = await fresh.AppendAsync(Entry(), Ct);
        Assert.True(appended.Sequence > 0);
    }

    [Fact]
    public async Task Missing_required_fields_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AppendAsync(new LedgerEntry { Action = "mint" }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.AppendAsync(new LedgerEntry { OperationId = "op" }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.UpsertManagedTokenAsync(new ManagedTokenRecord(), Ct));
    }

    [Fact]
    public async Task A_state_change_succeeds_once_for_concurrent_runners()
    {
        await Ledger.UpsertManagedTokenAsync(new ManagedTokenRecord
        {
            TokenId = "tok-cas", TokenName = "short", Scope = "User", Purpose = "test", CreatedOn = T0, Destinations = new[] { "caller" }, State = "Active",
        }, Ct);
        Assert.True(await Ledger.TryChangeManagedTokenStateAsync("tok-cas", "Active", "Revoked", Ct));
        Assert.False(await Ledger.TryChangeManagedTokenStateAsync("tok-cas", "Active", "Revoked", Ct));
        Assert.False(await Ledger.TryChangeManagedTokenStateAsync("tok-missing", "Active", "Revoked", Ct));
        Assert.Equal("Revoked", (await Ledger.GetManagedTokenAsync("tok-cas", Ct))!.State);
    }

    [Fact]
    public async Task The_fingerprint_key_is_created_once_and_shared_by_every_instance()
    {
        var key = await Ledger.GetFingerprintKeyAsync(Ct);
        Assert.Equal(32, key.Length);
        Assert.Equal(key, await Ledger.GetFingerprintKeyAsync(Ct));
        using var second = OpenSecondInstance();
        Assert.Equal(key, await second.GetFingerprintKeyAsync(Ct));
    }

    [Fact]
    public async Task Secret_fingerprints_are_upserted_and_forgotten_per_account_and_target_in_chunks()
    {
        var many = Enumerable.Range(0, 130).ToDictionary(i => $"S{i:D3}", i => (string?)$"hmac-sha256:{i:x64}");
        await Ledger.SetSecretFingerprintsAsync("acct", "worker:a", many, Ct);
        await Ledger.SetSecretFingerprintsAsync("acct", "worker:b", new Dictionary<string, string?> { ["S000"] = "other" }, Ct);
        await Ledger.SetSecretFingerprintsAsync("acct", "worker:a", new Dictionary<string, string?> { ["S001"] = "changed" }, Ct);

        var a = await Ledger.GetSecretFingerprintsAsync("acct", "worker:a", Ct);
        Assert.Equal(130, a.Count);
        Assert.Equal("changed", a["S001"]);
        Assert.Equal(many["S129"], a["S129"]);
        Assert.Equal("other", (await Ledger.GetSecretFingerprintsAsync("acct", "worker:b", Ct))["S000"]);
        Assert.Empty(await Ledger.GetSecretFingerprintsAsync("other-account", "worker:a", Ct));

        var forget = Enumerable.Range(0, 120).ToDictionary(i => $"S{i:D3}", _ => (string?)null);
        await Ledger.SetSecretFingerprintsAsync("acct", "worker:a", forget, Ct);
        Assert.Equal(Enumerable.Range(120, 10).Select(i => $"S{i:D3}"), (await Ledger.GetSecretFingerprintsAsync("acct", "worker:a", Ct)).Keys.Order());
        Assert.Single(await Ledger.GetSecretFingerprintsAsync("acct", "worker:b", Ct));
    }
}
