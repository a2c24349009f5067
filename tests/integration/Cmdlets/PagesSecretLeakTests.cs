using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Every Pages command with -Verbose -Debug, on success and failure paths: no secret value (and no token value) in any
/// stream, error, rendered view or object property, and none in the emulator's request log.
/// </summary>
public class PagesSecretLeakTests : CmdletTestBase
{
    private const string Preferences = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";

    [Fact]
    public void No_Pages_command_leaks_a_secret_value()
    {
        const string single = "pages-single-9f8e7d6c5b4a";
        const string fromFile = "pages-file-1a2b3c4d5e6f";
        const string fromCsv = "pages-csv-0a9b8c7d6e5f";
        var folder = Directory.CreateTempSubdirectory("pages-leak-").FullName;
        try
        {
            var envFile = Path.Combine(folder, "prod.env");
            File.WriteAllText(envFile, $"FILE_SECRET=\"{fromFile}\"\n");
            var badFile = Path.Combine(folder, "bad.env");
            File.WriteAllText(badFile, $"OK=1\nBROKEN {fromFile}\n");
            ConnectOrFail();
            Ps.Set("v", PsSession.Secure(single));
            Ps.Set("envFile", envFile);
            Ps.Set("badFile", badFile);
            Ps.Set("csvValue", fromCsv);

            var scripts = new (string Script, string? ErrorId, int MinOutput)[]
            {
                ("New-CfPagesProject -Name leak-site -SourceType gitlab -Owner o -Repository r -Verbose -Debug", null, 1),
                ("New-CfPagesProject -Name leak-site -Verbose -Debug", "PagesProjectNameTaken", 0),
                ("Get-CfPagesProject -Verbose -Debug", null, 1),
                ("Get-CfPagesProject -Name nope -Verbose -Debug", "PagesProjectNotFound", 0),
                ("Set-CfPagesSecret -Project leak-site -Name SINGLE -Value $v -Verbose -Debug", null, 1),
                ("Set-CfPagesSecret -Project leak-site -Name SINGLE -Value $v -WhatIf -Verbose -Debug", null, 0),
                ("Set-CfPagesSecret -Project leak-site -Path $envFile -Verbose -Debug", null, 1),
                ("Set-CfPagesSecret -Project leak-site -Path $badFile -Verbose -Debug", "SecretFileSyntaxError", 0),
                ("[pscustomobject]@{ Name = 'CSV_SECRET'; Value = $csvValue } | Set-CfPagesSecret -Project leak-site -Environment preview -Verbose -Debug", null, 1),
                ("Set-CfPagesSecret -Project nope -Name SINGLE -Value $v -Verbose -Debug", "PagesProjectNotFound", 1),
                ("Sync-CfPagesSecret -Project leak-site -Path $envFile -Prune -WhatIf -Verbose -Debug", null, 0),
                ("Sync-CfPagesSecret -Project leak-site -Path $envFile -Prune -Verbose -Debug", null, 1),
                ("Get-CfPagesSecret -Project leak-site -Verbose -Debug; Get-CfPagesSecret -Project leak-site -Environment preview -IncludePlainText", null, 2),
                ("Remove-CfPagesSecret -Project leak-site -Name FILE_SECRET -Confirm:$false -Verbose -Debug", null, 1),
                ("Remove-CfPagesSecret -Project leak-site -Name FILE_SECRET -Confirm:$false -Verbose -Debug", "PagesSecretNotFound", 0),
                ($"New-CfManagedToken -Name pages-leak -Purpose 'leak test' -PermissionGroup 'Pages Write' -Ttl 1:00:00 -PagesProject leak-site -LedgerPath '{LedgerPath}' -Confirm:$false -Verbose -Debug", null, 1),
                ($"New-CfManagedToken -Name pages-leak2 -Purpose 'leak test' -PermissionGroup 'Pages Write' -Ttl 1:00:00 -PagesProject nope -LedgerPath '{LedgerPath}' -Confirm:$false -Verbose -Debug", "ManagedTokenRolledBack", 0),
                ("Remove-CfPagesProject -Name leak-site -Confirm:$false -Verbose -Debug", null, 0),
            };
            var tokenValues = new List<string> { AdminToken };
            foreach (var (script, errorId, minOutput) in scripts)
            {
                var result = Ps.Run(Preferences + script);
                if (errorId == null) result.AssertSucceeded(script, minOutput);
                else result.AssertFailedWith(script, errorId);
                SecretAssert.NotLeaked(result, [single, fromFile, fromCsv, .. tokenValues]);
                if (script.Contains("pages-leak ") && Emulator.State.PagesEnvVarOf("leak-site", "production", "PAGES_LEAK") is { } minted)
                    tokenValues.Add(minted.Value);
            }
            Assert.Equal(2, tokenValues.Count); // the managed token was minted and delivered (its value is checked from then on)
            Assert.DoesNotContain("leak-site", Emulator.State.PagesProjects);

            foreach (var request in Emulator.Requests)
                foreach (var secret in new[] { single, fromFile, fromCsv })
                    Assert.DoesNotContain(secret, request.Body);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Views_render_names_never_values()
    {
        Emulator.State.AddPagesProject("view-site");
        ConnectOrFail();
        Ps.Set("v", PsSession.Secure("rendered-value-5e4d3c2b1a"));
        Ps.Run("Set-CfPagesSecret -Project view-site -Name VIEW_SECRET -Value $v").AssertSucceeded("set", 1);
        var rendered = Ps.Render("Get-CfPagesProject; Get-CfPagesSecret -Project view-site; Set-CfPagesSecret -Project view-site -Name VIEW_SECRET -Value $v");
        foreach (var expected in new[] { "view-site", "direct upload", "VIEW_SECRET", "secret_text", "Unchanged" })
            Assert.True(rendered.Contains(expected), $"'{expected}' not rendered: {rendered}");
        Assert.DoesNotContain("rendered-value-5e4d3c2b1a", rendered);
    }
}
