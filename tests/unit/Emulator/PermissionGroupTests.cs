using System.Net;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class PermissionGroupTests : EmulatorTestBase
{
    [Fact]
    public async Task Lists_all_groups_unpaged_with_real_ids()
    {
        var reply = await Send("GET", "user/tokens/permission_groups", State.AdminTokenValue);
        AssertOk(reply);
        Assert.Null(reply.Json["result_info"]);
        var groups = reply.Result!.AsArray();
        Assert.True(groups.Count >= 40);
        Assert.Contains(groups, g => g!["id"]!.GetValue<string>() == "4755a26eedb94da69e1066d98aa820be" && g["name"]!.GetValue<string>() == "DNS Write");
        Assert.Equal(groups.Count, groups.Select(g => g!["id"]!.GetValue<string>()).Distinct().Count());
        Assert.All(groups, g => Assert.Matches("^[0-9a-f]{32}$", g!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Names_repeat_across_scopes_so_filter_by_name_and_scope()
    {
        var byName = await Send("GET", "user/tokens/permission_groups?name=Workers%20R2%20Storage%20Write", State.AdminTokenValue);
        Assert.Equal(2, byName.Result!.AsArray().Count);
        var both = await Send("GET", "user/tokens/permission_groups?name=Workers%20R2%20Storage%20Write&scope=com.cloudflare.edge.r2.bucket", State.AdminTokenValue);
        var group = Assert.Single(both.Result!.AsArray());
        Assert.Equal("com.cloudflare.edge.r2.bucket", group!["scopes"]![0]!.GetValue<string>());
        Assert.Equal(State.PermissionGroupId("Workers R2 Storage Write", PermissionScopes.R2Bucket), group["id"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => State.PermissionGroupId("Workers R2 Storage Read"));
    }

    [Fact]
    public async Task Account_variant_omits_user_scope()
    {
        var reply = await Send("GET", $"accounts/{AccountId}/tokens/permission_groups", State.AccountTokenValue);
        AssertOk(reply);
        Assert.DoesNotContain(reply.Result!.AsArray(), g => g!["scopes"]![0]!.GetValue<string>() == "com.cloudflare.api.user");
    }

    [Fact]
    public async Task Token_without_api_tokens_read_gets_9109()
    {
        AssertError(await Send("GET", "user/tokens/permission_groups", State.OpsTokenValue), HttpStatusCode.Forbidden, 9109);
        AssertError(await Send("GET", $"accounts/{AccountId}/tokens/permission_groups", State.Seed.DashboardAccountTokenValue), HttpStatusCode.Forbidden, 9109);
    }
}
