using System.Net;
using System.Text.Json.Nodes;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

/// <summary>The Secrets Store contract of SecretsStore/SecretsStoreRoutes: shapes, every error code, values never returned or logged.</summary>
public sealed class SecretsStoreTests : EmulatorTestBase
{
    private const string Value = "ss-VALUE-never-echoed-0123456789";

    private string Base => $"accounts/{AccountId}/secrets_store";
    private string StoreId => State.SecretsStoreId("default_secrets_store");
    private string Secrets => $"{Base}/stores/{StoreId}/secrets";

    private static JsonObject Entry(string name, string value = Value, string[]? scopes = null, string? comment = null)
    {
        var entry = new JsonObject
        {
            ["name"] = name,
            ["value"] = value,
            ["scopes"] = new JsonArray((scopes ?? ["workers"]).Select(s => (JsonNode?)s).ToArray()),
        };
        if (comment is not null) entry["comment"] = comment;
        return entry;
    }

    private async Task<string> Create(string name, string value = Value)
    {
        var reply = await Send("POST", Secrets, State.AdminTokenValue, new JsonArray(Entry(name, value)));
        AssertOk(reply);
        return reply.Result![0]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task The_seed_has_the_default_store_and_the_quota_counts_secrets()
    {
        var list = await Send("GET", $"{Base}/stores", State.AdminTokenValue);
        AssertOk(list);
        var store = Assert.Single(list.Result!.AsArray())!;
        Assert.Equal("default_secrets_store", store["name"]!.GetValue<string>());
        Assert.Equal(AccountId, store["account_id"]!.GetValue<string>());
        foreach (var property in new[] { "id", "created", "modified" })
            Assert.False(string.IsNullOrEmpty(store[property]!.GetValue<string>()), property);
        Assert.Equal(1, list.Json["result_info"]!["total_count"]!.GetValue<int>());

        var get = await Send("GET", $"{Base}/stores/{StoreId}", State.AdminTokenValue);
        AssertOk(get);
        Assert.Equal("default_secrets_store", get.Result!["name"]!.GetValue<string>());

        await Create("ONE");
        var quota = await Send("GET", $"{Base}/quota", State.AdminTokenValue);
        AssertOk(quota);
        Assert.Equal(100, quota.Result!["secrets"]!["quota"]!.GetValue<int>());
        Assert.Equal(1, quota.Result!["secrets"]!["usage"]!.GetValue<int>());
    }

    [Fact]
    public async Task Create_returns_metadata_only_and_stores_the_value()
    {
        var reply = await Send("POST", Secrets, State.AdminTokenValue,
            new JsonArray(Entry("API_KEY", scopes: ["workers", "ai_gateway"], comment: "for the api"), Entry("OTHER", "v2")));
        AssertOk(reply);
        Assert.DoesNotContain(Value, reply.Json.ToJsonString());
        var created = reply.Result!.AsArray();
        Assert.Equal(2, created.Count);
        var first = created[0]!;
        Assert.Equal("API_KEY", first["name"]!.GetValue<string>());
        Assert.Equal(StoreId, first["store_id"]!.GetValue<string>());
        Assert.Equal("active", first["status"]!.GetValue<string>());
        Assert.Equal(["workers", "ai_gateway"], first["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("for the api", first["comment"]!.GetValue<string>());
        Assert.Null(first["value"]);
        Assert.Matches("^[0-9a-f]{32}$", first["id"]!.GetValue<string>());
        Assert.Null(created[1]!["comment"]);
        Assert.Equal(Value, State.SecretsStoreSecretValue("default_secrets_store", "API_KEY"));
        Assert.Equal("v2", State.SecretsStoreSecretValue("default_secrets_store", "OTHER"));

        var get = await Send("GET", $"{Secrets}/{first["id"]!.GetValue<string>()}", State.AdminTokenValue);
        AssertOk(get);
        Assert.Equal("API_KEY", get.Result!["name"]!.GetValue<string>());
        Assert.DoesNotContain(Value, get.Json.ToJsonString());
    }

    [Fact]
    public async Task List_pages_searches_and_never_returns_values()
    {
        foreach (var name in new[] { "B_KEY", "A_KEY", "C_TOKEN" })
            await Create(name);
        var all = await Send("GET", Secrets, State.AdminTokenValue);
        AssertOk(all);
        Assert.Equal(["A_KEY", "B_KEY", "C_TOKEN"], all.Result!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.DoesNotContain(Value, all.Json.ToJsonString());

        var page2 = await Send("GET", $"{Secrets}?page=2&per_page=2", State.AdminTokenValue);
        AssertOk(page2);
        Assert.Equal(["C_TOKEN"], page2.Result!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.Equal(3, page2.Json["result_info"]!["total_count"]!.GetValue<int>());
        Assert.Equal(2, page2.Json["result_info"]!["total_pages"]!.GetValue<int>());

        var search = await Send("GET", $"{Secrets}?search=key", State.AdminTokenValue);
        Assert.Equal(["A_KEY", "B_KEY"], search.Result!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        AssertError(await Send("GET", $"{Secrets}?per_page=0", State.AdminTokenValue), HttpStatusCode.BadRequest, ErrorCodes.InvalidPaging);
    }

    [Fact]
    public async Task Patch_changes_value_scopes_and_comment()
    {
        var id = await Create("ROTATE", "old-value");
        var reply = await Send("PATCH", $"{Secrets}/{id}", State.AdminTokenValue,
            new JsonObject { ["value"] = Value, ["scopes"] = new JsonArray("ai_gateway"), ["comment"] = "rotated" });
        AssertOk(reply);
        Assert.DoesNotContain(Value, reply.Json.ToJsonString());
        Assert.Equal(["ai_gateway"], reply.Result!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("rotated", reply.Result!["comment"]!.GetValue<string>());
        Assert.Equal(Value, State.SecretsStoreSecretValue("default_secrets_store", "ROTATE"));

        AssertOk(await Send("PATCH", $"{Secrets}/{id}", State.AdminTokenValue, new JsonObject { ["comment"] = "only the comment" }));
        Assert.Equal(Value, State.SecretsStoreSecretValue("default_secrets_store", "ROTATE"));
        AssertError(await Send("PATCH", $"{Secrets}/{id}", State.AdminTokenValue, new JsonObject()), HttpStatusCode.BadRequest, ErrorCodes.SecretsStoreInvalidSecret);
    }

    [Fact]
    public async Task Delete_single_and_bulk_and_unknown_ids()
    {
        var a = await Create("A");
        var b = await Create("B");
        var c = await Create("C");
        AssertOk(await Send("DELETE", $"{Secrets}/{a}", State.AdminTokenValue));
        Assert.Null(State.SecretsStoreSecretValue("default_secrets_store", "A"));
        AssertError(await Send("DELETE", $"{Secrets}/{a}", State.AdminTokenValue), HttpStatusCode.NotFound, ErrorCodes.SecretsStoreSecretNotFound);
        AssertError(await Send("GET", $"{Secrets}/{a}", State.AdminTokenValue), HttpStatusCode.NotFound, ErrorCodes.SecretsStoreSecretNotFound);
        AssertError(await Send("GET", $"{Secrets}/not-an-id", State.AdminTokenValue), HttpStatusCode.BadRequest, ErrorCodes.InvalidObjectIdentifier);

        // Bulk: one unknown id and nothing is deleted.
        AssertError(await Send("DELETE", Secrets, State.AdminTokenValue, new JsonArray(b, a)), HttpStatusCode.NotFound, ErrorCodes.SecretsStoreSecretNotFound);
        Assert.Equal(["B", "C"], State.SecretsStoreSecretNames("default_secrets_store"));
        AssertError(await Send("DELETE", Secrets, State.AdminTokenValue, new JsonArray()), HttpStatusCode.BadRequest, ErrorCodes.SecretsStoreInvalidSecret);
        AssertError(await Send("DELETE", Secrets, State.AdminTokenValue), HttpStatusCode.BadRequest, ErrorCodes.MalformedJson);
        AssertOk(await Send("DELETE", Secrets, State.AdminTokenValue, new JsonArray(b, c)));
        Assert.Empty(State.SecretsStoreSecretNames("default_secrets_store"));
    }

    [Fact]
    public async Task Duplicate_copies_the_value_under_a_new_name()
    {
        var id = await Create("SOURCE");
        var reply = await Send("POST", $"{Secrets}/{id}/duplicate", State.AdminTokenValue,
            new JsonObject { ["name"] = "COPY", ["scopes"] = new JsonArray("workers"), ["comment"] = "copied" });
        AssertOk(reply);
        Assert.Equal("COPY", reply.Result!["name"]!.GetValue<string>());
        Assert.NotEqual(id, reply.Result!["id"]!.GetValue<string>());
        Assert.Equal(Value, State.SecretsStoreSecretValue("default_secrets_store", "COPY"));
        AssertError(await Send("POST", $"{Secrets}/{id}/duplicate", State.AdminTokenValue,
            new JsonObject { ["name"] = "COPY", ["scopes"] = new JsonArray("workers") }), HttpStatusCode.Conflict, ErrorCodes.SecretsStoreDuplicateSecret);
    }

    public static TheoryData<string, int> InvalidCreates => new()
    {
        { """{"name":"X","value":"v","scopes":["workers"]}""", ErrorCodes.SecretsStoreInvalidSecret },          // an object, not an array
        { "[]", ErrorCodes.SecretsStoreInvalidSecret },
        { "[1]", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"value":"v","scopes":["workers"]}]""", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"name":"","value":"v","scopes":["workers"]}]""", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"name":"has space","value":"v","scopes":["workers"]}]""", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"name":"X","scopes":["workers"]}]""", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"name":"X","value":"","scopes":["workers"]}]""", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"name":"X","value":42,"scopes":["workers"]}]""", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"name":"X","value":"v"}]""", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"name":"X","value":"v","scopes":[]}]""", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"name":"X","value":"v","scopes":["pages"]}]""", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"name":"X","value":"v","scopes":"workers"}]""", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"name":"X","value":"v","scopes":["workers"],"comment":7}]""", ErrorCodes.SecretsStoreInvalidSecret },
        { """[{"name":"X","value":"v","scopes":["workers"]},{"name":"X","value":"w","scopes":["workers"]}]""", ErrorCodes.SecretsStoreDuplicateSecret },
        { "[{", ErrorCodes.MalformedJson },
    };

    [Theory]
    [MemberData(nameof(InvalidCreates))]
    public async Task Invalid_creates_are_refused_whole(string body, int code)
    {
        var reply = await Send("POST", Secrets, State.AdminTokenValue, body);
        Assert.Equal(code, reply.ErrorCode);
        Assert.False(reply.Json["success"]!.GetValue<bool>());
        Assert.Empty(State.SecretsStoreSecretNames("default_secrets_store"));
    }

    [Fact]
    public async Task Oversize_values_duplicates_and_the_quota_are_refused()
    {
        AssertError(await Send("POST", Secrets, State.AdminTokenValue, new JsonArray(Entry("BIG", new string('x', 65537)))),
            HttpStatusCode.BadRequest, ErrorCodes.SecretsStoreInvalidSecret);
        AssertOk(await Send("POST", Secrets, State.AdminTokenValue, new JsonArray(Entry("MAX", new string('x', 65536)))));
        AssertError(await Send("POST", Secrets, State.AdminTokenValue, new JsonArray(Entry("NEW"), Entry("MAX"))),
            HttpStatusCode.Conflict, ErrorCodes.SecretsStoreDuplicateSecret);
        Assert.Equal(["MAX"], State.SecretsStoreSecretNames("default_secrets_store"));

        var many = new JsonArray(Enumerable.Range(0, 99).Select(i => (JsonNode?)Entry($"S{i}", "v")).ToArray());
        AssertOk(await Send("POST", Secrets, State.AdminTokenValue, many));
        AssertError(await Send("POST", Secrets, State.AdminTokenValue, new JsonArray(Entry("ONE_TOO_MANY"))),
            HttpStatusCode.BadRequest, ErrorCodes.SecretsStoreQuotaExceeded);
    }

    [Fact]
    public async Task Stores_one_per_account_not_empty_and_force()
    {
        AssertError(await Send("POST", $"{Base}/stores", State.AdminTokenValue, new JsonObject { ["name"] = "second" }),
            HttpStatusCode.Conflict, ErrorCodes.SecretsStoreLimitReached);
        AssertError(await Send("POST", $"{Base}/stores", State.AdminTokenValue, new JsonObject { ["name"] = "default_secrets_store" }),
            HttpStatusCode.Conflict, ErrorCodes.SecretsStoreDuplicateStore);
        AssertError(await Send("POST", $"{Base}/stores", State.AdminTokenValue, new JsonObject { ["name"] = "bad name" }),
            HttpStatusCode.BadRequest, ErrorCodes.SecretsStoreInvalidStore);
        await Create("KEEP");
        var storeId = StoreId;
        AssertError(await Send("DELETE", $"{Base}/stores/{storeId}", State.AdminTokenValue), HttpStatusCode.Conflict, ErrorCodes.SecretsStoreNotEmpty);
        AssertOk(await Send("DELETE", $"{Base}/stores/{storeId}?force=true", State.AdminTokenValue));
        Assert.Empty(State.SecretsStoreNames);
        AssertError(await Send("GET", $"{Base}/stores/{storeId}", State.AdminTokenValue), HttpStatusCode.NotFound, ErrorCodes.SecretsStoreNotFound);
        AssertError(await Send("GET", $"{Base}/stores/{storeId}/secrets", State.AdminTokenValue), HttpStatusCode.NotFound, ErrorCodes.SecretsStoreNotFound);

        var created = await Send("POST", $"{Base}/stores", State.AdminTokenValue, new JsonObject { ["name"] = "fresh" });
        AssertOk(created);
        Assert.Equal("fresh", created.Result!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reads_need_Secrets_Store_Read_and_changes_Write()
    {
        var (_, reader) = State.AddUserToken(State.AdminUserEmail, "ss-reader", [State.PermissionGroupId("Secrets Store Read")]);
        var (_, writer) = State.AddUserToken(State.AdminUserEmail, "ss-writer", [State.PermissionGroupId("Secrets Store Write")]);
        AssertOk(await Send("GET", Secrets, reader));
        AssertOk(await Send("GET", $"{Base}/quota", writer)); // Write satisfies Read
        AssertError(await Send("POST", Secrets, reader, new JsonArray(Entry("NOPE"))), HttpStatusCode.Forbidden, ErrorCodes.AuthenticationError);
        AssertError(await Send("GET", Secrets, State.OpsTokenValue), HttpStatusCode.Forbidden, ErrorCodes.AuthenticationError);
        // Permission comes before lookup: an unknown store is 403 for a caller without the permission.
        AssertError(await Send("GET", $"{Base}/stores/{new string('0', 32)}", State.OpsTokenValue), HttpStatusCode.Forbidden, ErrorCodes.AuthenticationError);
        AssertOk(await Send("POST", Secrets, writer, new JsonArray(Entry("YES"))));
        Assert.Equal(["YES"], State.SecretsStoreSecretNames("default_secrets_store"));
    }

    [Fact]
    public async Task Values_never_reach_the_request_log()
    {
        var id = await Create("LOGGED");
        AssertOk(await Send("PATCH", $"{Secrets}/{id}", State.AdminTokenValue, new JsonObject { ["value"] = Value + "-2" }));
        await Send("POST", Secrets, State.AdminTokenValue, "[{\"name\":\"broken\",\"value\":\"" + Value + "-3\"");
        await Send("POST", Secrets, State.AdminTokenValue, "\"" + Value + "-4\"");
        var logged = Cf.Requests.Where(r => r.Path.Contains("/secrets_store/")).ToList();
        Assert.Equal(4, logged.Count);
        Assert.All(logged, r => Assert.DoesNotContain(Value, r.Body));
        Assert.Contains("[redacted]", logged[0].Body);
        Assert.Contains("LOGGED", logged[0].Body); // the name is kept: only the value is blanked
    }
}
