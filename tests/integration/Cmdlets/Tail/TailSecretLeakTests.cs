using System.Diagnostics;
using System.Management.Automation;
using System.Text.Json.Nodes;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Tail;

/// <summary>
/// Tailed requests carry credentials in their headers (Authorization, Cookie, CF-Access-Client-Secret, X-Api-Token,
/// X-Secret-..., Proxy-Authorization; the emulator's synthetic events add "SECRET-..." values of their own). Through
/// Start-CfTail (Worker and Pages), Get-CfTail and Stop-CfTail with -Verbose -Debug, none of those values (nor the
/// API token) reaches a stream, an error, a ToString, the default view, Format-List * or ConvertTo-Json; with
/// -IncludeSensitiveHeaders they do show, which proves the checks would see a leak.
/// </summary>
public class TailSecretLeakTests : CmdletTestBase
{
    private const string Preferences = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";
    private const int Generated = 10;

    private static readonly (string Header, string Value)[] Credentials =
    [
        ("Authorization", "Bearer leak-authz-4f9c2a7e1b"),
        ("Cookie", "session=leak-cookie-8d3e6b0a5c"),
        ("CF-Access-Client-Secret", "leak-access-2b7d9e4f1a"),
        ("X-Api-Token", "leak-apitoken-6c1a8f3d9e"),
        ("X-Secret-Signing", "leak-xsecret-9e2b4d7a0c"),
        ("Proxy-Authorization", "Basic leak-proxy-3a8c1e6f2d"),
    ];

    private WorkerUploads Uploads => new(Emulator.BaseUri, Emulator.State.AccountId, AdminToken);

    private EmulatorApi Api => new(Emulator.BaseUri, Emulator.State.AccountId, AdminToken);

    private EmulatorTails Tails => new(Emulator);

    /// <summary>The injected credential values, the synthetic events' marker, and the API token.</summary>
    private string[] Secrets => [.. Credentials.Select(c => c.Value), "SECRET-", AdminToken];

    /// <summary>Three requests whose headers hold every credential, each sent once.</summary>
    private static JsonArray InjectedEvents(string scriptName) => new(Enumerable.Range(1, 3).Select(n =>
    {
        var headers = new JsonObject { ["user-agent"] = "leak-test", ["cf-connecting-ip"] = "203.0.113.9" };
        foreach (var (header, value) in Credentials) headers[header] = value;
        return (JsonNode)new JsonObject
        {
            ["outcome"] = "ok",
            ["scriptName"] = scriptName,
            ["eventTimestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["logs"] = new JsonArray(new JsonObject { ["message"] = new JsonArray($"handled leak request {n}"), ["level"] = "log", ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }),
            ["exceptions"] = new JsonArray(),
            ["event"] = new JsonObject
            {
                ["request"] = new JsonObject { ["url"] = $"https://example.com/leak/{n}", ["method"] = "GET", ["headers"] = headers, ["cf"] = new JsonObject { ["colo"] = "AMS" } },
                ["response"] = new JsonObject { ["status"] = 200 },
            },
        };
    }).ToArray());

    /// <summary>Runs <paramref name="command"/> while, once its tail on <paramref name="target"/> is connected, the injected and synthetic events are sent.</summary>
    private PsResult TailWhileFeeding(string command, string target, string scriptName)
    {
        var feeding = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            while (!Tails.All().Any(t => t.Target == target && t.Connected))
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(20)) return;
                await Task.Delay(20);
            }
            await Tails.PostAsync("events", new { target, events = InjectedEvents(scriptName) });
            await Tails.PostAsync("generate", new { target, count = Generated, kind = "fetch" });
        });
        var result = Ps.Run(Preferences + command);
        feeding.GetAwaiter().GetResult();
        return result;
    }

    /// <summary>The command ran: every event arrived, the injected ones with their credential headers present but redacted.</summary>
    private static void AssertTailed(PsResult result, string what)
    {
        result.AssertSucceeded(what, 3 + Generated);
        Assert.Equal(3 + Generated, result.Output.Count);
        var injected = result.Output
            .Select(e => e.Properties["Request"].Value as PSObject ?? PSObject.AsPSObject(e.Properties["Request"].Value))
            .Where(r => ((string)r.Properties["Url"].Value).Contains("/leak/", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, injected.Count);
        foreach (var request in injected)
        {
            var headers = (System.Collections.IEnumerable)request.Properties["Headers"].Value;
            var pairs = headers.Cast<object>().Select(p => PSObject.AsPSObject(p)).ToDictionary(p => (string)p.Properties["Key"].Value, p => (string)p.Properties["Value"].Value, StringComparer.OrdinalIgnoreCase);
            foreach (var (header, _) in Credentials) Assert.Equal("REDACTED", pairs[header]);
            Assert.Equal("leak-test", pairs["user-agent"]);
        }
    }

    private void AssertViewsDoNotLeak(string variable, string expectedText)
    {
        foreach (var view in new[] { $"${variable}", $"${variable} | Format-List *", $"${variable}.Request | Format-List *", $"${variable} | ForEach-Object ToString", $"${variable} | ConvertTo-Json -Depth 6" })
        {
            var rendered = Ps.Render(view);
            Assert.True(rendered.Contains(expectedText, StringComparison.Ordinal), $"{view} did not render the events: {rendered[..Math.Min(400, rendered.Length)]}");
            foreach (var secret in Secrets)
                Assert.False(rendered.Contains(secret, StringComparison.Ordinal), $"{view} shows a secret value");
        }
    }

    [Fact]
    public async Task Worker_tail_commands_never_show_credential_header_values()
    {
        await Uploads.UploadScriptAsync("api");
        ConnectOrFail();

        var tailed = TailWhileFeeding($"$global:events = @(Start-CfTail -Script api -First {3 + Generated} -Duration 00:00:30 -Verbose -Debug); $events", "api", "api");
        AssertTailed(tailed, "Start-CfTail -Script");
        SecretAssert.NotLeaked(tailed, Secrets);
        AssertViewsDoNotLeak("events", "/leak/");

        var left = await Api.CreateWorkerTailAsync("api");
        foreach (var (script, errorId, minOutput) in new (string, string?, int)[]
        {
            ("Get-CfTail -Script api -Verbose -Debug", null, 1),
            ("Get-CfTail -Script api | Stop-CfTail -Confirm:$false -Verbose -Debug", null, 0),
            ($"Stop-CfTail -Script api -Id {left} -Confirm:$false -Verbose -Debug", "TailNotFound", 0),
            ("Start-CfTail -Script nope -Duration 00:00:05 -Verbose -Debug", "WorkerScriptNotFound", 0),
        })
        {
            var result = Ps.Run(Preferences + script);
            if (errorId == null) result.AssertSucceeded(script, minOutput);
            else result.AssertFailedWith(script, errorId);
            SecretAssert.NotLeaked(result, Secrets);
        }
        Assert.Empty(Tails.All());
    }

    [Fact]
    public async Task Pages_tail_never_shows_credential_header_values()
    {
        Emulator.State.AddPagesProject("docs");
        var deployment = await Api.DeployPagesAsync("docs");
        ConnectOrFail();

        var tailed = TailWhileFeeding($"$global:pevents = @(Start-CfTail -PagesProject docs -First {3 + Generated} -Duration 00:00:30 -Verbose -Debug); $pevents", $"docs/{deployment}", "docs");
        AssertTailed(tailed, "Start-CfTail -PagesProject");
        Assert.All(tailed.Output, e => Assert.Equal(deployment, e.Properties["DeploymentId"].Value));
        SecretAssert.NotLeaked(tailed, Secrets);
        AssertViewsDoNotLeak("pevents", "/leak/");
        Assert.Contains("docs: GET https://example.com/leak/1", Ps.Render("$pevents")); // the default view names the Pages project

        var missing = Ps.Run(Preferences + "Start-CfTail -PagesProject nope -Verbose -Debug");
        missing.AssertFailedWith("unknown project", "PagesProjectNotFound");
        SecretAssert.NotLeaked(missing, Secrets);
        Assert.Empty(Tails.All());
    }

    [Fact]
    public async Task IncludeSensitiveHeaders_shows_them_so_the_checks_can_fail()
    {
        await Uploads.UploadScriptAsync("api");
        ConnectOrFail();
        var tailed = TailWhileFeeding($"$global:shown = @(Start-CfTail -Script api -IncludeSensitiveHeaders -First {3 + Generated} -Duration 00:00:30); $shown", "api", "api");
        tailed.AssertSucceeded("-IncludeSensitiveHeaders", 3 + Generated);
        var json = Ps.Render("$shown | ConvertTo-Json -Depth 6");
        foreach (var secret in Secrets.Where(s => s != AdminToken))
            Assert.True(json.Contains(secret, StringComparison.Ordinal), $"'{secret}' is not shown with -IncludeSensitiveHeaders");
    }
}
