using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class ValidationTests : EmulatorTestBase
{
    private JsonObject Valid(JsonObject? extra = null) => TokenBody("valid", [Id("DNS Read")], AllZones, extra);

    private async Task Rejects(JsonNode body, int code, string field)
    {
        var reply = await Send("POST", "user/tokens", State.AdminTokenValue, body);
        AssertError(reply, HttpStatusCode.BadRequest, code);
        Assert.Contains(field, reply.ErrorMessage);
    }

    [Fact]
    public async Task Name_rules()
    {
        var noName = Valid();
        noName.Remove("name");
        await Rejects(noName, 1101, "name");
        await Rejects(TokenBody(new string('n', 121), [Id("DNS Read")], AllZones), 1102, "name");
        AssertOk(await Send("POST", "user/tokens", State.AdminTokenValue, TokenBody(new string('n', 120), [Id("DNS Read")], AllZones)));
    }

    [Fact]
    public async Task Policy_rules()
    {
        await Rejects(new JsonObject { ["name"] = "x", ["policies"] = new JsonArray() }, 1103, "policies");
        await Rejects(TokenBody("x", ["not-a-group"], AllZones), 1105, "permission_groups");
        await Rejects(TokenBody("x", [new string('0', 32)], AllZones), 1105, "permission_groups");
        await Rejects(TokenBody("x", [Id("DNS Read")], new Dictionary<string, string> { ["com.cloudflare.api.zone.x"] = "*" }), 1106, "resources");
        var deny = Valid();
        deny["policies"]![0]!["effect"] = "maybe";
        await Rejects(deny, 1104, "effect");
    }

    [Fact]
    public async Task Time_rules()
    {
        await Rejects(Valid(new() { ["expires_on"] = "2099-01-01" }), 1107, "expires_on");
        await Rejects(Valid(new() { ["not_before"] = "soon" }), 1108, "not_before");
        await Rejects(Valid(new() { ["expires_on"] = "2099-01-01T00:00:00Z", ["not_before"] = "2099-02-01T00:00:00Z" }), 1109, "expires_on");
        await Rejects(Valid(new() { ["expires_on"] = "2001-01-01T00:00:00Z" }), 1110, "expires_on");
    }

    [Fact]
    public async Task Cidr_rules_and_both_condition_spellings()
    {
        await Rejects(Valid(new() { ["condition"] = new JsonObject { ["request_ip"] = new JsonObject { ["in"] = new JsonArray("10.0.0.0/33") } } }), 1111, "request_ip");
        await Rejects(Valid(new() { ["condition"] = new JsonObject { ["request.ip"] = new JsonObject { ["in"] = new JsonArray("nope") } } }), 1111, "request_ip");
        var ok = await Send("POST", "user/tokens", State.AdminTokenValue,
            Valid(new() { ["condition"] = new JsonObject { ["request.ip"] = new JsonObject { ["in"] = new JsonArray("192.0.2.0/24", "2001:db8::/32") } } }));
        AssertOk(ok);
        Assert.Equal(2, ok.Result!["condition"]!["request_ip"]!["in"]!.AsArray().Count);
    }

    [Fact]
    public async Task Update_validates_like_create_and_rejects_bad_status()
    {
        var reply = await Send("PUT", $"user/tokens/{State.Seed.WorkersTokenId}", State.AdminTokenValue, Valid(new() { ["status"] = "paused" }));
        AssertError(reply, HttpStatusCode.BadRequest, 1112);
        AssertError(await Send("PUT", $"user/tokens/{State.Seed.WorkersTokenId}", State.AdminTokenValue, new JsonObject { ["name"] = "x" }), HttpStatusCode.BadRequest, 1103);
    }

    [Fact]
    public async Task Delete_needs_no_body_and_nested_resources_are_accepted()
    {
        var nested = TokenBody("nested", [Id("DNS Read")], new Dictionary<string, string>());
        nested["policies"]![0]!["resources"] = new JsonObject { ["com.cloudflare.api.account." + AccountId] = new JsonObject { ["com.cloudflare.api.account.zone.*"] = "*" } };
        var created = await Send("POST", "user/tokens", State.AdminTokenValue, nested);
        AssertOk(created);
        var value = created.Result!["value"]!.GetValue<string>();
        Assert.Equal(4, (await Send("GET", "zones", value)).Result!.AsArray().Count);
        AssertOk(await Send("DELETE", $"user/tokens/{created.Result!["id"]!.GetValue<string>()}", State.AdminTokenValue));
    }
}
