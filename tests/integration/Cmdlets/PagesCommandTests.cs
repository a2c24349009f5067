using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>Pages projects and their secrets, end to end against the emulator: what each command sends and returns.</summary>
public class PagesCommandTests : CmdletTestBase
{
    private static string? P(PSObject o, string name) => o.Properties[name]?.Value?.ToString();

    private const string SecretValue = "pages-value-never-shown-1234";

    [Fact]
    public void Projects_are_created_listed_by_wildcard_and_removed()
    {
        ConnectOrFail();
        var created = Ps.Run("New-CfPagesProject -Name my-site -SourceType GitHub -Owner raxx -Repository site -ProductionBranch main -BuildCommand 'npm run build' -DestinationDir dist -RootDir /");
        created.AssertSucceeded("create", 1);
        var project = Assert.Single(created.Output);
        Assert.Equal(["github", "raxx", "site", "npm run build", "dist", "/"], new[] { "SourceType", "Owner", "Repository", "BuildCommand", "DestinationDir", "RootDir" }.Select(n => P(project, n)));
        Ps.Run("New-CfPagesProject -Name docs").AssertSucceeded("direct upload", 1);
        Assert.Null(P(Ps.Run("Get-CfPagesProject -Name docs").Output.Single(), "SourceType"));

        Assert.Equal(["my-site", "docs"], Ps.Run("Get-CfPagesProject").Output.Select(p => P(p, "Name")));
        Assert.Equal(["my-site"], Ps.Run("Get-CfPagesProject -Name 'my-*'").Output.Select(p => P(p, "Name")));
        Assert.Empty(Ps.Run("Get-CfPagesProject -Name 'zz*'").Output);
        Ps.Run("Get-CfPagesProject -Name nope").AssertFailedWith("missing", "PagesProjectNotFound");
        Ps.Run("New-CfPagesProject -Name docs").AssertFailedWith("duplicate", "PagesProjectNameTaken");

        Ps.Run("New-CfPagesProject -Name whatif-site -WhatIf").AssertNoErrors();
        Assert.DoesNotContain("whatif-site", Emulator.State.PagesProjects);

        Ps.Run("Get-CfPagesProject -Name docs | Remove-CfPagesProject -Confirm:$false").AssertNoErrors();
        Assert.Equal(["my-site"], Emulator.State.PagesProjects);
        var gone = Ps.Run("Remove-CfPagesProject -Name docs -Confirm:$false").SingleError();
        Assert.StartsWith("PagesProjectNotFound,", gone.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, gone.CategoryInfo.Category);
    }

    [Fact]
    public void Secrets_are_set_from_every_source_listed_removed_and_a_second_run_changes_nothing()
    {
        Emulator.State.AddPagesProject("site");
        ConnectOrFail();
        Ps.Set("v", PsSession.Secure(SecretValue));
        var envFile = Path.Combine(Path.GetTempPath(), $"pages-{Guid.NewGuid():N}.env");
        File.WriteAllText(envFile, "# production secrets\nAPI_KEY=abc123\nexport DB_URL=\"postgres://x\"\n");
        try
        {
            var one = Ps.Run("Set-CfPagesSecret -Project site -Name SINGLE -Value $v");
            one.AssertSucceeded("single", 1);
            Assert.Equal(("secret_text", SecretValue), Emulator.State.PagesEnvVarOf("site", "production", "SINGLE"));

            Ps.Set("envFile", envFile);
            var fromFile = Ps.Run("Set-CfPagesSecret -Project site -Path $envFile");
            fromFile.AssertSucceeded("file", 2);
            Assert.All(fromFile.Output, r => Assert.Equal("Applied", P(r, "Status")));
            Assert.Equal(("secret_text", "postgres://x"), Emulator.State.PagesEnvVarOf("site", "production", "DB_URL"));

            Emulator.ClearRequests();
            var again = Ps.Run("Set-CfPagesSecret -Project site -Path $envFile");
            again.AssertSucceeded("again", 2);
            Assert.All(again.Output, r => Assert.Equal("Unchanged", P(r, "Status")));
            Assert.DoesNotContain(Emulator.Requests, r => r.Method == "PATCH");

            Ps.Run("@{ PREVIEW_ONLY = 'p' } | ForEach-Object { Set-CfPagesSecret -Project site -Environment preview -Secret $_ }").AssertSucceeded("hashtable", 1);
            Ps.Run("[pscustomobject]@{ Name = 'FROM_CSV'; Value = 'c' } | Set-CfPagesSecret -Project site -Environment Preview").AssertSucceeded("pipeline", 1);
            Assert.Equal(["FROM_CSV", "PREVIEW_ONLY"], Emulator.State.PagesEnvVarNames("site", "preview"));

            var listed = Ps.Run("Get-CfPagesSecret -Project site");
            Assert.Equal(["API_KEY", "DB_URL", "SINGLE"], listed.Output.Select(o => P(o, "Name")));

            // Sync -Prune: the file is the truth; a second run changes nothing.
            var sync = Ps.Run("Sync-CfPagesSecret -Project site -Path $envFile -Prune");
            sync.AssertSucceeded("sync", 3);
            Assert.Equal(["API_KEY", "DB_URL"], Emulator.State.PagesEnvVarNames("site", "production"));
            Emulator.ClearRequests();
            var second = Ps.Run("Sync-CfPagesSecret -Project site -Path $envFile -Prune");
            Assert.All(second.Output, r => Assert.Equal("Unchanged", P(r, "Status")));
            Assert.DoesNotContain(Emulator.Requests, r => r.Method == "PATCH");

            var removed = Ps.Run("Get-CfPagesSecret -Project site | Where-Object Name -eq API_KEY | Remove-CfPagesSecret -Confirm:$false");
            removed.AssertSucceeded("remove", 1);
            Assert.Null(Emulator.State.PagesEnvVarOf("site", "production", "API_KEY"));
            var repeat = Ps.Run("Remove-CfPagesSecret -Project site -Name API_KEY -Confirm:$false").SingleError();
            Assert.StartsWith("PagesSecretNotFound,", repeat.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, repeat.CategoryInfo.Category);
            Assert.Equal(["DB_URL"], Emulator.State.PagesEnvVarNames("site", "production"));
        }
        finally
        {
            File.Delete(envFile);
        }
    }

    [Fact]
    public void Secrets_of_a_missing_project_fail_with_PagesProjectNotFound()
    {
        ConnectOrFail();
        Ps.Set("v", PsSession.Secure(SecretValue));
        var set = Ps.Run("Set-CfPagesSecret -Project nope -Name A -Value $v");
        set.AssertFailedWith("set", "PagesProjectNotFound");
        Assert.Equal("Failed", P(set.Output.Single(), "Status"));
        Ps.Run("Get-CfPagesSecret -Project nope").AssertFailedWith("get", "PagesProjectNotFound");
        Ps.Run("Remove-CfPagesSecret -Project nope -Name A -Confirm:$false").AssertFailedWith("remove", "PagesProjectNotFound");
    }

    [Fact]
    public void A_managed_token_is_delivered_into_a_Pages_secret_and_cleaned_up_with_it()
    {
        Emulator.State.AddPagesProject("site");
        ConnectOrFail();
        var result = Ps.Run($"New-CfManagedToken -Name ci-deploy -Purpose 'pages deploys' -PermissionGroup 'Pages Write' -Ttl 0:00:02 -PagesProject site -PagesEnvironment preview -LedgerPath '{LedgerPath}' -Confirm:$false");
        result.AssertSucceeded("mint", 1);
        Assert.Contains("pages:site/preview/CI_DEPLOY", ((System.Collections.IEnumerable)result.Output.Single().Properties["Destinations"].Value).Cast<object>().Select(o => o.ToString()));
        var (type, value) = Emulator.State.PagesEnvVarOf("site", "preview", "CI_DEPLOY")!.Value;
        Assert.Equal("secret_text", type);
        Assert.True(Emulator.State.IsValueLive(value));

        Thread.Sleep(TimeSpan.FromSeconds(3));
        Ps.Run($"Remove-CfExpiredManagedToken -LedgerPath '{LedgerPath}' -Confirm:$false").AssertNoErrors();
        Assert.Null(Emulator.State.PagesEnvVarOf("site", "preview", "CI_DEPLOY"));
        Assert.False(Emulator.State.IsValueLive(value));
    }
}
