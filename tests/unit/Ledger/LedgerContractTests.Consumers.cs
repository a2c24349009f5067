using CfManagement.Ledger;
using Xunit;

namespace CfManagement.Tests.Ledger;

/// <summary>The consumer map (token_consumers) on every engine: the same cases run against SQLite and D1.</summary>
public abstract partial class LedgerContractTests
{
    protected static TokenConsumerRecord Consumer(string credential, string destination, string kind = "Worker", string? description = null,
        string? clientIdName = null, DateTimeOffset? on = null, string? by = "ops@host") => new()
    {
        Credential = credential,
        Destination = destination,
        Kind = kind,
        Description = description,
        ClientIdName = clientIdName,
        RegisteredOn = on ?? T0,
        RegisteredBy = by,
    };

    private static string[] Pairs(IEnumerable<TokenConsumerRecord> rows) => rows.Select(r => r.ToString()).ToArray();

    [Fact]
    public async Task Consumers_round_trip_every_field_and_list_by_credential_then_destination()
    {
        var stored = await Ledger.RegisterTokenConsumerAsync(Consumer("CF_WAF", "worker:waf/CF_API_TOKEN", description: "WAF rules", clientIdName: "CF_ID"), Ct);
        Assert.Equal("CF_WAF -> worker:waf/CF_API_TOKEN", stored.ToString());
        Assert.Equal("Worker", stored.Kind);
        Assert.Equal("WAF rules", stored.Description);
        Assert.Equal("CF_ID", stored.ClientIdName);
        Assert.Equal(T0, stored.RegisteredOn);
        Assert.Equal("ops@host", stored.RegisteredBy);

        await Ledger.RegisterTokenConsumerAsync(Consumer("CF_DNS", "external:Terraform", "External"), Ct);
        await Ledger.RegisterTokenConsumerAsync(Consumer("cf_alpha", "github:TOKEN", "GitHubEnv", by: null), Ct);
        await Ledger.RegisterTokenConsumerAsync(Consumer("CF_WAF", "external:sre-agent", "External"), Ct);

        var all = await Ledger.GetTokenConsumersAsync(null, Ct);
        // Credentials sort case-insensitively (the column is NOCASE), then destinations.
        Assert.Equal(new[] { "cf_alpha -> github:TOKEN", "CF_DNS -> external:Terraform", "CF_WAF -> external:sre-agent", "CF_WAF -> worker:waf/CF_API_TOKEN" }, Pairs(all));
        var alpha = all[0];
        Assert.Null(alpha.Description);
        Assert.Null(alpha.ClientIdName);
        Assert.Null(alpha.RegisteredBy);
    }

    [Fact]
    public async Task Registering_again_updates_in_place_and_keeps_the_first_registration()
    {
        await Ledger.RegisterTokenConsumerAsync(Consumer("CF_X", "worker:api/CF_X", description: "first", clientIdName: "CF_X_ID", on: T0, by: "alice@a"), Ct);
        var again = await Ledger.RegisterTokenConsumerAsync(Consumer("cf_x", "worker:api/CF_X", "Worker", description: null, clientIdName: null, on: T0.AddDays(1), by: "bob@b"), Ct);

        Assert.Equal("CF_X", again.Credential); // same credential, any case: the first spelling stays
        Assert.Equal("first", again.Description); // null keeps the stored description
        Assert.Equal("CF_X_ID", again.ClientIdName);
        Assert.Equal(T0, again.RegisteredOn);
        Assert.Equal("alice@a", again.RegisteredBy);

        var updated = await Ledger.RegisterTokenConsumerAsync(Consumer("CF_X", "worker:api/CF_X", description: "second", on: T0.AddDays(2)), Ct);
        Assert.Equal("second", updated.Description);
        Assert.Single(await Ledger.GetTokenConsumersAsync(null, Ct));
    }

    [Fact]
    public async Task Destinations_compare_exactly_credentials_case_insensitively()
    {
        await Ledger.RegisterTokenConsumerAsync(Consumer("CF_X", "worker:api/TOKEN"), Ct);
        await Ledger.RegisterTokenConsumerAsync(Consumer("CF_X", "worker:api/token"), Ct); // another binding: env.token is not env.TOKEN
        Assert.Equal(2, (await Ledger.GetTokenConsumersAsync("cf_x", Ct)).Count);

        Assert.False(await Ledger.UnregisterTokenConsumerAsync("CF_X", "WORKER:api/TOKEN", Ct));
        Assert.True(await Ledger.UnregisterTokenConsumerAsync("cf_x", "worker:api/TOKEN", Ct));
        Assert.False(await Ledger.UnregisterTokenConsumerAsync("cf_x", "worker:api/TOKEN", Ct)); // gone: a second remove says so
        Assert.Equal(new[] { "CF_X -> worker:api/token" }, Pairs(await Ledger.GetTokenConsumersAsync(null, Ct)));
    }

    [Theory]
    [InlineData("CF_*", new[] { "CF_DNS", "CF_WAF", "CF_WAF_2" })]
    [InlineData("cf_waf", new[] { "CF_WAF" })] // _ is literal, not LIKE's one-character match: CFXWAF stays out
    [InlineData("CF_WAF?2", new[] { "CF_WAF_2" })]
    [InlineData("CF`_WAF*", new[] { "CF_WAF", "CF_WAF_2" })]
    [InlineData("*%*", new[] { "odd%name" })] // LIKE's % is literal in a wildcard
    [InlineData("CFX*", new[] { "CFXWAF" })]
    [InlineData("nothing*", new string[0])]
    public async Task Consumers_filter_by_a_credential_wildcard(string wildcard, string[] expected)
    {
        foreach (var name in new[] { "CF_DNS", "CF_WAF", "CF_WAF_2", "CFXWAF", "odd%name" })
            await Ledger.RegisterTokenConsumerAsync(Consumer(name, "external:x", "External"), Ct);
        var found = await Ledger.GetTokenConsumersAsync(wildcard, Ct);
        Assert.Equal(expected, found.Select(r => r.Credential).ToArray());
    }

    [Theory]
    [InlineData("Destination", "worker:api/cfut_abcdefgh12345678")]
    [InlineData("Description", "the value is cfat_ZZZZzzzz99998888")]
    [InlineData("Credential", "Zk3pQ9vX2mW7rT5yL8nB4cD6fG1hJ0aS9dF3gH5jK7l")]
    [InlineData("ClientIdName", "Zk3pQ9vX2mW7rT5yL8nB4cD6fG1hJ0aS9dF3gH5jK7l")]
    public async Task A_consumer_that_looks_like_it_holds_a_credential_is_refused_and_nothing_is_written(string field, string value)
    {
        var consumer = field switch
        {
            "Destination" => Consumer("CF_X", value),
            "Description" => Consumer("CF_X", "external:x", "External", description: value),
            "Credential" => Consumer(value, "external:x", "External"),
            _ => Consumer("CF_X", "worker:api/X", clientIdName: value),
        };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Ledger.RegisterTokenConsumerAsync(consumer, Ct));
        Assert.Equal(field, error.ParamName);
        Assert.DoesNotContain(value, error.Message);
        Assert.Empty(await Ledger.GetTokenConsumersAsync(null, Ct));
    }

    [Fact]
    public async Task Consumers_need_a_credential_destination_and_kind()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.RegisterTokenConsumerAsync(Consumer(" ", "external:x"), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.RegisterTokenConsumerAsync(Consumer("CF_X", ""), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.RegisterTokenConsumerAsync(Consumer("CF_X", "external:x", ""), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Ledger.UnregisterTokenConsumerAsync("", "external:x", Ct));
        Assert.Empty(await Ledger.GetTokenConsumersAsync(null, Ct));
    }

    [Fact]
    public async Task A_second_instance_sees_the_consumer_map()
    {
        await Ledger.RegisterTokenConsumerAsync(Consumer("CF_X", "external:x", "External"), Ct);
        using var second = OpenSecondInstance();
        Assert.Equal(new[] { "CF_X -> external:x" }, Pairs(await second.GetTokenConsumersAsync(null, Ct)));
        Assert.True(await second.UnregisterTokenConsumerAsync("CF_X", "external:x", Ct));
        Assert.Empty(await Ledger.GetTokenConsumersAsync(null, Ct));
    }
}
