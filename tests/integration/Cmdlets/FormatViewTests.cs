using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>Default output goes through the module's format views (rendered by Out-Default into the test host).</summary>
public class FormatViewTests : CmdletTestBase
{
    [Fact]
    public void Tokens_render_as_the_token_table()
    {
        ConnectOrFail();
        var text = Ps.Render("Get-CfToken -Name admin-manager");
        Assert.Matches(@"Name\s+Id\s+Scope\s+Status\s+ExpiresOn\s+DaysLeft", text);
        Assert.Contains("admin-manager", text);
        Assert.DoesNotContain("Policies", text);
    }

    [Fact]
    public void Permission_groups_sessions_and_verifications_have_views()
    {
        ConnectOrFail();
        Assert.Matches(@"Name\s+Id\s+Scopes", Ps.Render("Get-CfPermissionGroup -Name 'Zone Read'"));
        Assert.Matches(@"Scope\s+TokenId\s+Status\s+ExpiresOn\s+DaysLeft\s+AccountName\s+ApiHost", Ps.Render("Get-CfSession"));
        Assert.Matches(@"TokenScope\s+:\s+User", Ps.Render("Get-CfSession | Format-List"));
        Assert.Matches(@"Id\s+Status\s+Scope\s+ExpiresOn\s+DaysLeft", Ps.Render("Test-CfToken"));
    }

    [Fact]
    public void Lifecycle_objects_have_views_that_never_show_a_value()
    {
        ConnectOrFail();
        var created = Ps.Render("New-CfToken -Name view-bot -PermissionGroup 'DNS Read' -AllZones -AsPlainText -Confirm:$false");
        Assert.Matches(@"Name\s+Id\s+Scope\s+ExpiresOn\s+Value\s+Destination", created);
        Assert.Contains("PlainText", created);
        Assert.DoesNotContain("cfut_", created);
        Assert.Matches(@"TokenName\s+Scope\s+Status\s+DaysLeft\s+Healthy\s+Missing", Ps.Render("Test-CfTokenHealth -RequiredPermissionGroup 'DNS Write'"));
        Ps.Run("New-CfManagedToken -Name view-managed -Purpose demo -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -Confirm:$false").AssertNoErrors();
        Assert.Matches(@"Name\s+Purpose\s+State\s+Cloudflare\s+ExpiresOn\s+Destinations", Ps.Render("Get-CfManagedToken"));
        Assert.Matches(@"Name\s+Id\s+Status\s+AccountName", Ps.Render("Get-CfZone -Name raxx.app"));
    }
}
