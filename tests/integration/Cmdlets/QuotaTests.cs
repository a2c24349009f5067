using System.Management.Automation;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>Cloudflare's token quotas (50 per user, 500 per account) surface as Cloudflare's own error.</summary>
public class QuotaTests : CmdletTestBase
{
    protected override EmulatorOptions Options => new() { UserTokenQuota = 6 };

    [Fact]
    public void Creating_past_the_quota_keeps_Cloudflares_code_and_message()
    {
        ConnectOrFail();
        var owned = Emulator.State.AllTokens.Count(t => t.OwnerKind == TokenOwnerKind.User && t.OwnerEmail == Emulator.State.AdminUserEmail);
        for (var i = owned; i < 6; i++)
            Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, $"filler-{i}", [Emulator.State.PermissionGroupId("DNS Read")]);
        var error = Ps.Run("New-CfManagedToken -Name one-too-many -Purpose quota -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -Confirm:$false").SingleError();
        Assert.StartsWith("ApiInvalidRequest,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("[1114]", error.ErrorDetails.Message);
        Assert.Contains("maximum number of tokens", error.ErrorDetails.Message);
        Assert.DoesNotContain(Emulator.State.AllTokens, t => t.Name == "one-too-many");
    }
}
