using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public class PermissionGroupTests : CmdletTestBase
{
    [Fact]
    public void Lists_the_catalogue_once_per_session_and_filters_by_wildcard_and_scope()
    {
        ConnectOrFail();
        var all = Ps.Run("Get-CfPermissionGroup");
        all.AssertNoErrors();
        Assert.True(all.Output.Count >= 30);
        var dns = Ps.Run("Get-CfPermissionGroup -Name 'DNS*' -Scope Zone");
        Assert.Equal(new[] { "DNS Read", "DNS Write" }, dns.Output.Select(o => (string)((dynamic)o).Name).Order());
        Assert.Equal("4755a26eedb94da69e1066d98aa820be", dns.Output.Select(o => (dynamic)o).Single(o => o.Name == "DNS Write").Id);
        Assert.Equal(1, RequestCount("/permission_groups"));

        Ps.Run("Get-CfPermissionGroup -Refresh").AssertNoErrors();
        Assert.Equal(2, RequestCount("/permission_groups"));
    }

    [Fact]
    public void An_unknown_name_is_PermissionGroupNotFound_with_suggestions()
    {
        ConnectOrFail();
        var error = Ps.Run("Get-CfPermissionGroup -Name 'DNS Wirte'").SingleError();
        Assert.StartsWith("PermissionGroupNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("'DNS Write'", error.ErrorDetails.Message);
        Assert.Contains("Get-CfPermissionGroup", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void A_name_in_two_scopes_returns_both_and_warns_until_a_scope_narrows_it()
    {
        ConnectOrFail();
        var both = Ps.Run("Get-CfPermissionGroup -Name 'Workers R2 Storage Write'");
        Assert.Equal(2, both.Output.Count);
        Assert.Contains("-Scope", Assert.Single(both.Warnings).Message);
        var one = Ps.Run("Get-CfPermissionGroup -Name 'Workers R2 Storage Write' -Scope R2Bucket");
        Assert.Single(one.Output);
        Assert.Empty(one.Warnings);
    }

    [Fact]
    public void Id_looks_up_by_32_hex_id()
    {
        ConnectOrFail();
        dynamic g = Ps.Run("Get-CfPermissionGroup -Id c8fed203ed3043cba015a93ad1616f1f").Output.Single();
        Assert.Equal("Zone Read", (string)g.Name);
        var error = Ps.Run("Get-CfPermissionGroup -Id 00000000000000000000000000000000").SingleError();
        Assert.StartsWith("PermissionGroupNotFound,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Name_and_scope_complete_from_the_live_catalogue()
    {
        ConnectOrFail();
        var input = "Get-CfPermissionGroup -Name 'DNS";
        var completion = CommandCompletion.CompleteInput(input, input.Length, null, PowerShellFor(Ps));
        var texts = completion.CompletionMatches.Select(m => m.CompletionText).ToList();
        Assert.Contains("'DNS Write'", texts);
        Assert.Contains("'DNS Read'", texts);

        var scopeInput = "Get-CfPermissionGroup -Scope R";
        var scopes = CommandCompletion.CompleteInput(scopeInput, scopeInput.Length, null, PowerShellFor(Ps));
        Assert.Equal(new[] { "R2Bucket" }, scopes.CompletionMatches.Select(m => m.CompletionText));
    }

    [Fact]
    public void A_token_without_token_read_access_gets_a_clear_permission_error()
    {
        ConnectOrFail(Emulator.State.OpsTokenValue);
        var error = Ps.Run("Get-CfPermissionGroup").SingleError();
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains("9109", error.ErrorDetails.Message);
        Assert.Contains("API Tokens Read", error.ErrorDetails.RecommendedAction);
    }

    private static PowerShell PowerShellFor(PsSession session)
    {
        var ps = PowerShell.Create();
        ps.Runspace = session.Runspace;
        return ps;
    }
}
