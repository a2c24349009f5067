using System.Net.Http.Json;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Access;

/// <summary>
/// Test-CfAccessServiceToken against the emulator's Access-protected origin (Access in front of a loopback origin,
/// deciding 401/403/302/200 as the real edge does): every outcome, the token from parameters, pipeline and vault,
/// rotation with and without a grace window, and no secret in any stream with -Verbose -Debug.
/// </summary>
public class TestCfAccessServiceTokenOriginTests : CmdletTestBase
{
    private const string Loud = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; ";

    private string Origin(string hostAndPath) => new Uri(Emulator.AccessOriginUri, hostAndPath).ToString();

    /// <summary>A new service token through New-CfAccessServiceToken: its id, client id and secret (plain, for the assertions only).</summary>
    private (string Id, string ClientId, string Secret) NewServiceToken(string name)
    {
        var created = Ps.Run($"New-CfAccessServiceToken -Name {name} -Duration 24h -Confirm:$false");
        created.AssertSucceeded("New-CfAccessServiceToken");
        var credential = created.Output[0];
        Ps.Set("tok_" + name.Replace('-', '_'), credential);
        return ((string)credential.Properties["Id"].Value, (string)credential.Properties["ClientId"].Value, Plain.Of(credential.Properties["ClientSecret"].Value));
    }

    private PsResult Test(string uri, string clientId, string secret, string extra = "")
    {
        Ps.Set("probeSecret", PsSession.Secure(secret));
        return Ps.Run($"{Loud}Test-CfAccessServiceToken -Uri '{uri}' -AllowInsecure -ClientId '{clientId}' -ClientSecret $probeSecret {extra}");
    }

    private static dynamic Verdict(PsResult result)
    {
        result.AssertNoErrors();
        return Assert.Single(result.Output).BaseObject;
    }

    [Fact]
    public void Every_outcome_is_told_apart_with_its_evidence()
    {
        ConnectOrFail();
        var (ciId, ciClient, ciSecret) = NewServiceToken("ci");
        var (otherId, _, _) = NewServiceToken("other");
        Emulator.State.AddAccessApplication("app.example.com", ciId);
        Emulator.State.AddAccessApplication("locked.example.com", otherId);
        using (var admin = new HttpClient())
        {
            // An application without strict mode and with an allow policy: Access sends unauthenticated callers to its login page.
            var body = new
            {
                domain = "sso.example.com",
                service_auth_401_redirect = false,
                policies = new object[] { new { decision = "allow", include = new object[] { new { everyone = new { } } } } },
            };
            admin.PostAsJsonAsync(new Uri(Emulator.BaseUri, "/__emulator/access/apps"), body).GetAwaiter().GetResult().EnsureSuccessStatusCode();
        }
        var results = new List<PsResult>();
        dynamic Run(string uri, string secret)
        {
            var result = Test(uri, ciClient, secret);
            results.Add(result);
            return Verdict(result);
        }

        var authenticated = Run(Origin("app.example.com/health"), ciSecret);
        Assert.Equal("Authenticated", authenticated.Outcome.ToString());
        Assert.True(authenticated.Passed);
        Assert.Equal(200, authenticated.StatusCode);
        Assert.Null(authenticated.StatusCodeWithoutToken); // the Access cookie decided: no control request
        Assert.Contains("With the token: Set-Cookie CF_Authorization (value withheld)", (IEnumerable<string>)authenticated.Evidence);
        Assert.Equal("cloudflare", authenticated.AccessHeaders["server"]);

        var wrongSecret = Run(Origin("app.example.com/health"), new string('0', 64));
        Assert.Equal("NotAuthenticated", wrongSecret.Outcome.ToString());
        Assert.Equal(401, wrongSecret.StatusCode);
        Assert.StartsWith("Cloudflare-Access", (string)wrongSecret.AccessHeaders["www-authenticate"]);
        Assert.True(wrongSecret.AccessHeaders.ContainsKey("cf-access-aud"));

        var notAuthorized = Run(Origin("locked.example.com/"), ciSecret);
        Assert.Equal("NotAuthorized", notAuthorized.Outcome.ToString());
        Assert.Equal(403, notAuthorized.StatusCode);
        Assert.Contains("Access knows the token", (string)notAuthorized.Reason);

        var login = Run(Origin("sso.example.com/"), new string('0', 64));
        Assert.Equal("NotAuthenticated", login.Outcome.ToString());
        Assert.Equal(302, login.StatusCode);
        Assert.StartsWith("https://emulator.cloudflareaccess.com/cdn-cgi/access/login/sso.example.com?kid=", (string)login.RedirectLocation);
        Assert.Contains("Service Auth", (string)login.RecommendedAction);

        var open = Run(Origin("open.example.com/"), ciSecret);
        Assert.Equal("NotProtected", open.Outcome.ToString());
        Assert.Equal(200, open.StatusCode);
        Assert.Equal(200, open.StatusCodeWithoutToken);

        var unreachable = Run($"http://127.0.0.1:{LoopbackListener.ClosedPort()}/", ciSecret);
        Assert.Equal("Unreachable", unreachable.Outcome.ToString());

        // What the origin saw: the secret went with each probe; the one control request (open.example.com) carried none.
        var visits = Ps.Run("(Invoke-RestMethod -Uri $args[0]).result", args: [new Uri(Emulator.BaseUri, "/__emulator/access/origin-requests").ToString()]);
        visits.AssertNoErrors();
        var seen = visits.Output.Select(v => ((string)v.Properties["host"].Value, (bool)v.Properties["secret_sent"].Value)).ToList();
        Assert.Equal([("app.example.com", true), ("app.example.com", true), ("locked.example.com", true), ("sso.example.com", true),
            ("open.example.com", true), ("open.example.com", false)], seen);

        foreach (var result in results) SecretAssert.NotLeaked(result, ciSecret);
    }

    [Fact]
    public void The_token_binds_from_New_CfAccessServiceToken_output_and_from_a_vault()
    {
        ConnectOrFail();
        var (id, clientId, secret) = NewServiceToken("piped");
        Emulator.State.AddAccessApplication("app.example.com", id);
        var url = Origin("app.example.com/");

        var piped = Ps.Run($"{Loud}$tok_piped | Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure");
        var fromPipeline = Verdict(piped);
        Assert.Equal("Authenticated", fromPipeline.Outcome.ToString());
        Assert.Equal("pipeline", fromPipeline.Source);
        Assert.Equal(clientId, fromPipeline.ClientId);

        var plain = Ps.Run($"{Loud}New-CfAccessServiceToken -Name plain -AsPlainText -Confirm:$false");
        plain.AssertSucceeded("New-CfAccessServiceToken -AsPlainText");
        var plainSecret = (string)plain.Output[0].Properties["ClientSecret"].Value;
        Emulator.State.AddAccessApplication("plain.example.com", (string)plain.Output[0].Properties["Id"].Value);
        Ps.Set("plainToken", plain.Output[0]);
        var fromPlain = Verdict(Ps.Run($"$plainToken | Test-CfAccessServiceToken -Uri '{Origin("plain.example.com/")}' -AllowInsecure"));
        Assert.Equal("Authenticated", fromPlain.Outcome.ToString());

        AccessVaultFunctions.Install(Ps);
        AccessVaultFunctions.Store(Ps, "Ops", "CI_ACCESS", clientId, secret);
        AccessVaultFunctions.Store(Ps, "Ops", "CI_COMPANION", clientId, secret, metadata: false);
        var vault = Ps.Run($"{Loud}Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -Vault Ops -SecretName CI_ACCESS");
        var fromVault = Verdict(vault);
        Assert.Equal("Authenticated", fromVault.Outcome.ToString());
        Assert.Equal("vault:Ops/CI_ACCESS", fromVault.Source);
        var companion = Ps.Run($"{Loud}Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -Vault Ops -SecretName CI_COMPANION");
        Assert.Equal("Authenticated", Verdict(companion).Outcome.ToString());
        var infos = Ps.Run($"{Loud}Get-SecretInfo -Vault Ops -Name 'CI_*' | Where-Object Name -notlike '*__*' | Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure");
        infos.AssertNoErrors();
        Assert.Equal(["Authenticated", "Authenticated"], infos.Output.Select(o => o.Properties["Outcome"].Value.ToString()).ToArray());
        var quiet = Ps.Run($"Test-CfAccessServiceToken -Uri '{url}' -AllowInsecure -Vault Ops -SecretName CI_ACCESS -Quiet");
        Assert.Equal(true, Assert.Single(quiet.Output).BaseObject);

        foreach (var result in new[] { piped, vault, companion, infos }) SecretAssert.NotLeaked(result, secret, plainSecret);
    }

    [Fact]
    public void During_a_grace_window_both_secrets_pass_and_after_it_only_the_new_one()
    {
        ConnectOrFail();
        var (id, clientId, oldSecret) = NewServiceToken("rotating");
        Emulator.State.AddAccessApplication("app.example.com", id);
        var url = Origin("app.example.com/");

        var rotated = Ps.Run($"Invoke-CfAccessServiceTokenRotate -Id {id} -GracePeriod 0:00:04 -Confirm:$false");
        rotated.AssertSucceeded("rotate with grace");
        var newSecret = Plain.Of(rotated.Output[0].Properties["ClientSecret"].Value);
        var graceEnds = (DateTimeOffset)rotated.Output[0].Properties["PreviousSecretExpiresAt"].Value;
        Assert.NotEqual(oldSecret, newSecret);

        Assert.Equal("Authenticated", Verdict(Test(url, clientId, oldSecret)).Outcome.ToString());
        Assert.Equal("Authenticated", Verdict(Test(url, clientId, newSecret)).Outcome.ToString());
        Assert.True(DateTimeOffset.UtcNow < graceEnds, "both secrets were tested inside the window");

        var wait = graceEnds - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(600);
        if (wait > TimeSpan.Zero) Thread.Sleep(wait);
        var oldAfter = Verdict(Test(url, clientId, oldSecret));
        Assert.Equal("NotAuthenticated", oldAfter.Outcome.ToString());
        Assert.Equal(401, oldAfter.StatusCode);
        Assert.Equal("Authenticated", Verdict(Test(url, clientId, newSecret)).Outcome.ToString());

        // Without -GracePeriod the secret it replaces dies at once, as the API does.
        var again = Ps.Run($"Invoke-CfAccessServiceTokenRotate -Id {id} -Confirm:$false");
        again.AssertSucceeded("rotate without grace");
        var newest = Plain.Of(again.Output[0].Properties["ClientSecret"].Value);
        Assert.Equal("NotAuthenticated", Verdict(Test(url, clientId, newSecret)).Outcome.ToString());
        Assert.Equal("Authenticated", Verdict(Test(url, clientId, newest)).Outcome.ToString());
    }

    [Fact]
    public void No_secret_leaks_with_Verbose_and_Debug_on_any_path()
    {
        ConnectOrFail();
        var (id, clientId, secret) = NewServiceToken("leak");
        Emulator.State.AddAccessApplication("app.example.com", id);
        // An origin that echoes what it was sent would be the likeliest leak: Access headers are the only ones kept,
        // so every outcome, rendered through the format view too, must be free of the secret.
        var results = new List<PsResult>
        {
            Test(Origin("app.example.com/"), clientId, secret),
            Test(Origin("app.example.com/"), clientId, secret + "0"),
            Test(Origin("open.example.com/"), clientId, secret),
            Test($"http://127.0.0.1:{LoopbackListener.ClosedPort()}/", clientId, secret),
        };
        Assert.Equal(["Authenticated", "NotAuthenticated", "NotProtected", "Unreachable"],
            results.Select(r => (string)Verdict(r).Outcome.ToString()).ToArray());
        Assert.All(results, r => Assert.NotEmpty(r.Verbose));
        Ps.Set("probeSecret", PsSession.Secure(secret));
        var rendered = Ps.Render($"Test-CfAccessServiceToken -Uri '{Origin("app.example.com/")}' -AllowInsecure -ClientId '{clientId}' -ClientSecret $probeSecret | Format-List *");
        Assert.Contains("Authenticated", rendered);
        Assert.Contains("CF_Authorization", rendered);
        results.Add(PsResult.Rendered(rendered));
        foreach (var result in results) SecretAssert.NotLeaked(result, secret);
        // The Access JWT (the CF_Authorization cookie's value) is a credential too: only its name is shown.
        Assert.DoesNotContain("eyJ", rendered);
    }
}
