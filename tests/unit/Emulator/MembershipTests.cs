using System.Net;
using Xunit;

namespace CfManagement.Tests.Emulator;

/// <summary>GET /memberships, which `wrangler whoami` and wrangler's account lookup call beside GET /accounts.</summary>
public sealed class MembershipTests : EmulatorTestBase
{
    [Fact]
    public async Task Admin_user_is_an_accepted_super_administrator_of_the_account()
    {
        var reply = await Send("GET", "memberships?page=1", State.AdminTokenValue);
        AssertOk(reply);
        var membership = Assert.Single(reply.Result!.AsArray())!;
        Assert.Equal(AccountId, membership["account"]!["id"]!.GetValue<string>());
        Assert.Equal(State.AccountName, membership["account"]!["name"]!.GetValue<string>());
        Assert.Equal("accepted", membership["status"]!.GetValue<string>());
        Assert.Equal("Super Administrator - All Privileges", Assert.Single(membership["roles"]!.AsArray())!.GetValue<string>());
        Assert.Matches("^[0-9a-f]{32}$", membership["id"]!.GetValue<string>());
        // wrangler pages while page * per_page < total_count.
        Assert.Equal(1, reply.Json["result_info"]!["total_count"]!.GetValue<int>());
        Assert.Equal(1, reply.Json["result_info"]!["page"]!.GetValue<int>());
    }

    [Fact]
    public async Task Token_that_sees_no_account_has_no_membership_and_account_tokens_get_10001()
    {
        var (_, userOnly) = State.AddUserToken(State.AdminUserEmail, "user-details-only", [State.PermissionGroupId("User Details Read")]);
        var reply = await Send("GET", "memberships", userOnly);
        AssertOk(reply);
        Assert.Empty(reply.Result!.AsArray());
        Assert.Equal(0, reply.Json["result_info"]!["total_count"]!.GetValue<int>());
        AssertError(await Send("GET", "memberships", State.AccountTokenValue), HttpStatusCode.Unauthorized, 10001);
    }
}
