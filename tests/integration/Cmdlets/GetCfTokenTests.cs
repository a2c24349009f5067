using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public class GetCfTokenTests : CmdletTestBase
{
    [Fact]
    public void Lists_the_users_tokens_as_typed_objects()
    {
        ConnectOrFail();
        var result = Ps.Run("Get-CfToken");
        result.AssertNoErrors();
        var names = result.Output.Select(o => (string)((dynamic)o).Name).ToList();
        Assert.Contains("admin-manager", names);
        Assert.All(result.Output, o => Assert.Equal("CfManagement.Model.CfToken", o.BaseObject.GetType().FullName));
        Assert.All(result.Output, o => Assert.Equal("User", ((dynamic)o).Scope.ToString()));
    }

    [Fact]
    public void Name_accepts_wildcards_and_a_literal_that_matches_nothing_is_TokenNotFound()
    {
        ConnectOrFail();
        foreach (var n in new[] { "deploy-web", "deploy-api", "other" })
            Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, n, [Emulator.State.PermissionGroupId("DNS Read")]);
        var result = Ps.Run("Get-CfToken -Name 'DEPLOY-*'");
        result.AssertNoErrors();
        Assert.Equal(new[] { "deploy-api", "deploy-web" }, result.Output.Select(o => (string)((dynamic)o).Name).Order());

        var missing = Ps.Run("Get-CfToken -Name nope, deploy-web");
        Assert.Single(missing.Output);
        var error = missing.SingleError();
        Assert.StartsWith("TokenNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("nope", error.TargetObject);
    }

    [Fact]
    public void Id_gets_one_token_and_pipes_by_value_and_by_property_name()
    {
        ConnectOrFail();
        var id = Emulator.State.AdminTokenId;
        Assert.Equal(id, (string)((dynamic)Ps.Run($"Get-CfToken -Id {id}").Output.Single()).Id);
        Assert.Equal(id, (string)((dynamic)Ps.Run($"'{id}' | Get-CfToken").Output.Single()).Id);
        Assert.Equal(id, (string)((dynamic)Ps.Run($"[pscustomobject]@{{ TokenId = '{id}' }} | Get-CfToken").Output.Single()).Id);
        var piped = Ps.Run("Get-CfToken -Name admin-manager | Get-CfToken");
        piped.AssertNoErrors();
        Assert.Equal(id, (string)((dynamic)piped.Output.Single()).Id);
    }

    [Fact]
    public void A_token_of_another_user_is_not_visible()
    {
        // The ops user may read its own tokens, but the admin's are invisible to it.
        var (_, reader) = Emulator.State.AddUserToken(Emulator.State.OpsUserEmail, "ops-reader", [Emulator.State.PermissionGroupId("API Tokens Read")]);
        ConnectOrFail(reader);
        var result = Ps.Run($"Get-CfToken -Id {Emulator.State.AdminTokenId}");
        var error = result.SingleError();
        Assert.StartsWith("TokenNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("-Scope Account", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Paging_streams_over_500_account_tokens()
    {
        for (var i = 0; i < 520; i++)
            Emulator.State.AddAccountToken(Emulator.State.AdminUserEmail, $"bulk-{i:D3}", [Emulator.State.PermissionGroupId("Workers Scripts Read")]);
        var expected = Emulator.State.AllTokens.Count(t => t.OwnerKind.ToString() == "Account");
        ConnectOrFail();
        Emulator.ClearRequests();

        var all = Ps.Run("Get-CfToken -Scope Account");
        all.AssertNoErrors();
        Assert.Equal(expected, all.Output.Count);
        Assert.Equal(expected, all.Output.Select(o => (string)((dynamic)o).Id).Distinct().Count());
        var pages = Emulator.Requests.Count(r => r.Path.EndsWith($"/accounts/{Emulator.State.AccountId}/tokens"));
        Assert.Equal((int)Math.Ceiling(expected / 50.0), pages);
        Assert.NotEmpty(all.Progress);

        // Streaming: the first object reaches Select-Object before later pages are requested.
        Emulator.ClearRequests();
        // (Select-Object is not among the hosted Core cmdlets; 'break' stops the pipeline the same way.)
        Ps.Run("$global:seen = 0; Get-CfToken -Scope Account | ForEach-Object { $global:seen++; if ($global:seen -ge 3) { break } }");
        Assert.Equal(3, Convert.ToInt32(Ps.Get("seen")));
        Assert.Equal(1, Emulator.Requests.Count(r => r.Path.EndsWith("/tokens")));
    }
}
