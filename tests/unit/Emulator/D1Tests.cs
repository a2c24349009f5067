using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class D1Tests : EmulatorTestBase
{
    private string Base => $"accounts/{AccountId}/d1/database";

    [Fact]
    public async Task Create_query_round_trip_and_delete()
    {
        var created = await Send("POST", Base, State.AdminTokenValue, new JsonObject { ["name"] = "audit" });
        AssertOk(created);
        var uuid = created.Result!["uuid"]!.GetValue<string>();
        AssertError(await Send("POST", Base, State.AdminTokenValue, new JsonObject { ["name"] = "audit" }), HttpStatusCode.BadRequest, 7502);

        var create = await Send("POST", $"{Base}/{uuid}/query", State.AdminTokenValue,
            new JsonObject { ["sql"] = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, n REAL); INSERT INTO t (name, n) VALUES (?, ?), (?, ?)", ["params"] = new JsonArray("a", 1.5, "b", null) });
        AssertOk(create);
        var meta = create.Result![0]!["meta"]!;
        Assert.Equal(2, meta["changes"]!.GetValue<long>());
        Assert.Equal(2, meta["last_row_id"]!.GetValue<long>());

        var select = await Send("POST", $"{Base}/{uuid}/query", State.AdminTokenValue,
            new JsonObject { ["sql"] = "SELECT id, name, n FROM t WHERE name = ?1 OR name = ?2 ORDER BY id", ["params"] = new JsonArray("a", "b") });
        AssertOk(select);
        var first = select.Result![0]!;
        Assert.True(first["success"]!.GetValue<bool>());
        var rows = first["results"]!.AsArray();
        Assert.Equal(2, rows.Count);
        Assert.Equal("a", rows[0]!["name"]!.GetValue<string>());
        Assert.Equal(1.5, rows[0]!["n"]!.GetValue<double>());
        Assert.Null(rows[1]!["n"]);

        var error = await Send("POST", $"{Base}/{uuid}/query", State.AdminTokenValue, new JsonObject { ["sql"] = "SELECT * FROM missing" });
        AssertError(error, HttpStatusCode.BadRequest, 7500);
        Assert.Contains("no such table", error.ErrorMessage);

        var details = await Send("GET", $"{Base}/{uuid}", State.AdminTokenValue);
        Assert.Equal(1, details.Result!["num_tables"]!.GetValue<int>());
        AssertOk(await Send("DELETE", $"{Base}/{uuid}", State.AdminTokenValue));
        AssertError(await Send("GET", $"{Base}/{uuid}", State.AdminTokenValue), HttpStatusCode.NotFound, 7404);
    }

    [Fact]
    public async Task Reads_need_D1_Read_and_writes_D1_Write()
    {
        var created = await Send("POST", Base, State.AdminTokenValue, new JsonObject { ["name"] = "perm" });
        var uuid = created.Result!["uuid"]!.GetValue<string>();
        var (_, reader) = State.AddUserToken(State.AdminUserEmail, "d1-reader", [Id("D1 Read")]);
        AssertOk(await Send("POST", $"{Base}/{uuid}/query", reader, new JsonObject { ["sql"] = "SELECT 1 AS one" }));
        AssertError(await Send("POST", $"{Base}/{uuid}/query", reader, new JsonObject { ["sql"] = "CREATE TABLE x (a)" }), HttpStatusCode.Forbidden, 10000);
        AssertError(await Send("GET", Base, State.OpsTokenValue), HttpStatusCode.Forbidden, 10000);
    }
}
