using System.Management.Automation;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public class TokenHealthTests : CmdletTestBase, IDisposable
{
    private const string Loud = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; ";
    private readonly string _dir = Directory.CreateTempSubdirectory("cfhealth-").FullName;
    private string LedgerFile => LedgerPath;
    private readonly List<string> _secrets = new();

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private void Start(string? token = null)
    {
        ConnectOrFail(token);
        _secrets.Add(token ?? AdminToken);
    }

    private PsResult Run(string script)
    {
        var result = Ps.Run(Loud + script);
        SecretAssert.NotLeaked(result, _secrets.Concat([AdminToken, Emulator.State.OpsTokenValue]).ToArray());
        return result;
    }

    private string Group(string name, string? scope = null) => Emulator.State.PermissionGroupId(name, scope);

    private (string Id, string Value) UserToken(string name, string[] groups, DateTimeOffset? expiresOn = null, string email = "admin@example.com")
    {
        var t = Emulator.State.AddUserToken(email, name, groups.Select(g => Group(g)), expiresOn: expiresOn);
        _secrets.Add(t.Value);
        return t;
    }

    private IReadOnlyList<LedgerRow> Ledger(string kind) => LedgerReader.Entries(LedgerFile, kind);

    private static dynamic One(PsResult result)
    {
        result.AssertNoErrors();
        return Assert.Single(result.Output);
    }

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void A_token_holding_every_required_group_is_healthy_and_the_check_is_recorded()
    {
        var (id, _) = UserToken("ci-dns", ["DNS Write", "Zone Read"]);
        Start();
        dynamic h = One(Run($"Test-CfTokenHealth -Id {id} -RequiredPermissionGroup 'Zone:DNS Write','Zone Read'"));
        Assert.True((bool)h.Healthy);
        Assert.True((bool)h.PermissionsKnown);
        Assert.Equal("ci-dns", (string)h.TokenName);
        Assert.Equal("active", (string)h.Status);
        Assert.Empty((IEnumerable<string>)h.MissingPermissionGroups);
        Assert.Empty((IEnumerable<string>)h.Issues);
        Assert.Null(h.DaysLeft);

        var entry = Assert.Single(Ledger("HealthCheck"));
        Assert.Equal("Succeeded", entry.Outcome);
        Assert.Equal(id, entry.TokenId);
        Assert.Equal("check", entry.Action);
    }

    [Fact]
    public void Missing_groups_are_listed_by_name_with_the_repair_command()
    {
        var (id, _) = UserToken("ci-partial", ["DNS Read"]);
        Start();
        dynamic h = One(Run($"Test-CfTokenHealth -Id {id} -RequiredPermissionGroup 'DNS Write','Zone Read','DNS Read'"));
        Assert.False((bool)h.Healthy);
        Assert.Equal(["DNS Write", "Zone Read"], ((IEnumerable<string>)h.MissingPermissionGroups).ToArray());
        var recommendations = ((IEnumerable<string>)h.Recommendations).ToList();
        Assert.Contains(recommendations, r => r.StartsWith($"Repair-CfToken -Id {id} ") && r.EndsWith("adds: DNS Write, Zone Read"));

        var entry = Assert.Single(Ledger("HealthCheck"));
        Assert.Equal("Failed", entry.Outcome);
        Assert.Contains("missing: DNS Write, Zone Read", entry.Detail);
    }

    [Fact]
    public void Expired_disabled_and_soon_expiring_tokens_get_issues_and_recommendations()
    {
        var soonAt = DateTimeOffset.UtcNow.AddDays(10).AddHours(2);
        var (soon, _) = UserToken("ci-soon", ["Zone Read"], soonAt);
        Start();
        var s = Emulator.State.Seed;
        var result = Run($"Test-CfTokenHealth -Id {s.ExpiredUserTokenId},{s.DisabledUserTokenId},{soon} -ExpiryWarningDays 14");
        result.AssertNoErrors();
        var byId = result.Output.ToDictionary(o => (string)((dynamic)o).TokenId, o => (dynamic)o);

        dynamic expired = byId[s.ExpiredUserTokenId];
        Assert.Equal("expired", (string)expired.Status);
        Assert.False((bool)expired.Healthy);
        Assert.Contains((IEnumerable<string>)expired.Recommendations, r => r.Contains($"Set-CfToken -Id {s.ExpiredUserTokenId} -ExpiresOn"));

        dynamic disabled = byId[s.DisabledUserTokenId];
        Assert.Contains($"Token is disabled: Set-CfToken -Id {s.DisabledUserTokenId} -Enable", (IEnumerable<string>)disabled.Recommendations);

        dynamic expiring = byId[soon];
        Assert.Equal(10, (int)expiring.DaysLeft);
        Assert.Contains((IEnumerable<string>)expiring.Recommendations, r => r.StartsWith("Roll or replace before " + soonAt.UtcDateTime.ToString("yyyy-MM-dd")));

        // Below the threshold it is healthy.
        dynamic relaxed = One(Run($"Test-CfTokenHealth -Id {soon} -ExpiryWarningDays 5"));
        Assert.True((bool)relaxed.Healthy);
        Assert.Equal(4, Ledger("HealthCheck").Count);
    }

    [Fact]
    public void A_JSON_profile_applies_requirements_and_thresholds_by_name_pattern()
    {
        UserToken("ci-a", ["DNS Write"], DateTimeOffset.UtcNow.AddDays(20));
        UserToken("ci-b", ["DNS Write", "Zone Read"]);
        var path = WriteFile("health.json", """
            { "tokens": {
                "ci-*": { "required": ["DNS Write", "Zone Read"], "expiryWarningDays": 14 },
                "other-*": { "required": ["D1 Read"] } } }
            """);
        Start();
        Ps.Set("p", path);
        var result = Run("Get-CfToken -Name 'ci-*' | Test-CfTokenHealth -Profile $p");
        result.AssertNoErrors();
        var byName = result.Output.ToDictionary(o => (string)((dynamic)o).TokenName, o => (dynamic)o);
        Assert.Equal(2, byName.Count);
        Assert.Equal(["Zone Read"], ((IEnumerable<string>)byName["ci-a"].MissingPermissionGroups).ToArray());
        // 20 days left is outside the profile's 14-day threshold (the default 30 would have warned).
        Assert.DoesNotContain((IEnumerable<string>)byName["ci-a"].Issues, i => i.Contains("expires in"));
        Assert.True((bool)byName["ci-b"].Healthy);
        Assert.Contains("'ci-*'", (string)byName["ci-b"].ExtraInfo);

        // An explicit -ExpiryWarningDays wins over the profile.
        dynamic strict = One(Run("Get-CfToken -Name 'ci-a' | Test-CfTokenHealth -Profile $p -ExpiryWarningDays 30"));
        Assert.Contains((IEnumerable<string>)strict.Issues, i => i.Contains("expires in"));
    }

    [Fact]
    public void A_psd1_profile_is_read_as_data()
    {
        UserToken("ci-psd", ["Zone Read"], DateTimeOffset.UtcNow.AddDays(10));
        var path = WriteFile("health.psd1", """
            @{
                Tokens = @{
                    'ci-*' = @{ Required = @('DNS Write', 'Zone Read'); ExpiryWarningDays = 7 }
                }
            }
            """);
        Start();
        Ps.Set("p", path);
        dynamic h = One(Run("Get-CfToken -Name 'ci-psd' | Test-CfTokenHealth -Profile $p"));
        Assert.Equal(["DNS Write"], ((IEnumerable<string>)h.MissingPermissionGroups).ToArray());
        Assert.DoesNotContain((IEnumerable<string>)h.Issues, i => i.Contains("expires in"));

        // A token no entry matches gets status and expiry checks only, and says so.
        var s = Emulator.State.Seed;
        dynamic other = One(Run($"Test-CfTokenHealth -Id {s.WorkersTokenId} -Profile $p"));
        Assert.True((bool)other.Healthy);
        Assert.Contains("No entry of profile", (string)other.ExtraInfo);
    }

    [Fact]
    public void A_psd1_profile_with_code_is_refused_and_never_runs()
    {
        var path = WriteFile("evil.psd1", "@{ Tokens = @{ 'ci-*' = @{ Required = @( (Set-Variable -Name CfPwned -Value 1 -Scope Global), 'DNS Write') } } }");
        Start();
        Ps.Set("p", path);
        Emulator.ClearRequests();
        var error = Run("Test-CfTokenHealth -Profile $p").SingleError();
        Assert.StartsWith("InvalidHealthProfile,", error.FullyQualifiedErrorId);
        Assert.Contains("evil.psd1", error.ErrorDetails.Message);
        Assert.Null(Ps.Get("CfPwned"));
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public void The_verify_only_path_reports_status_and_expiry_when_details_are_unreadable()
    {
        // Another user's token that lacks API Tokens Read: the admin cannot see it, and it cannot read itself.
        var expires = DateTimeOffset.UtcNow.AddDays(60);
        var (id, value) = UserToken("ops-readonly", ["DNS Read"], expires, email: "ops@example.com");
        Start();
        Ps.Set("v", PsSession.Secure(value));
        dynamic h = One(Run("Test-CfTokenHealth -Token $v -RequiredPermissionGroup 'DNS Write'"));
        Assert.Equal(id, (string)h.TokenId);
        Assert.Equal("active", (string)h.Status);
        Assert.Equal(60, (int)h.DaysLeft);
        Assert.False((bool)h.PermissionsKnown);
        Assert.False((bool)h.Healthy);
        Assert.Empty((IEnumerable<string>)h.MissingPermissionGroups);
        Assert.Contains("Permissions unknown", (string)h.ExtraInfo);
        Assert.Contains((IEnumerable<string>)h.Recommendations, r => r.Contains("API Tokens Read"));
        Assert.Equal(2, Emulator.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/user/tokens/" + id)));

        // A value whose details are readable gets the full check.
        var (ownId, own) = UserToken("ci-own", ["DNS Write"]);
        Ps.Set("w", PsSession.Secure(own));
        dynamic full = One(Run("$w | Test-CfTokenHealth -RequiredPermissionGroup 'DNS Write','Zone Read'"));
        Assert.Equal(ownId, (string)full.TokenId);
        Assert.True((bool)full.PermissionsKnown);
        Assert.Equal(["Zone Read"], ((IEnumerable<string>)full.MissingPermissionGroups).ToArray());

        // A value Cloudflare does not know is a result, not a failure.
        Ps.Set("bad", PsSession.Secure("cfut_" + new string('k', 40)));
        dynamic invalid = One(Run("Test-CfTokenHealth -Token $bad -RequiredPermissionGroup 'DNS Write'"));
        Assert.Equal("invalid", (string)invalid.Status);
        Assert.False((bool)invalid.Healthy);
    }

    [Fact]
    public void Without_a_target_it_checks_the_session_token()
    {
        Start();
        dynamic h = One(Run("Test-CfTokenHealth -RequiredPermissionGroup 'DNS Write','Account API Tokens Write'"));
        Assert.Equal(Emulator.State.AdminTokenId, (string)h.TokenId);
        Assert.True((bool)h.Healthy);
    }

    [Fact]
    public void Piped_tokens_are_each_checked_and_recorded()
    {
        var (a, _) = UserToken("ops-a", ["DNS Write"]);
        var (b, _) = UserToken("ops-b", ["Zone Read"]);
        Start();
        var result = Run("Get-CfToken -Name 'ops*' | Test-CfTokenHealth -RequiredPermissionGroup 'DNS Write'");
        result.AssertNoErrors();
        var byId = result.Output.ToDictionary(o => (string)((dynamic)o).TokenId, o => (dynamic)o);
        Assert.Equal(2, byId.Count);
        Assert.True((bool)byId[a].Healthy);
        Assert.Equal(["DNS Write"], ((IEnumerable<string>)byId[b].MissingPermissionGroups).ToArray());
        var entries = Ledger("HealthCheck");
        Assert.Equal(2, entries.Count);
        Assert.Contains(entries, e => e.TokenId == b && e.Outcome == "Failed");
        Assert.Contains(entries, e => e.TokenId == a && e.Outcome == "Succeeded");
    }

    [Fact]
    public void A_token_the_session_cannot_see_is_TokenNotVisible()
    {
        Start();
        var error = Run($"Test-CfTokenHealth -Id {Emulator.State.OpsTokenId} -RequiredPermissionGroup 'DNS Write'").SingleError();
        Assert.StartsWith("TokenNotVisible,", error.FullyQualifiedErrorId);
    }

    [Fact]
    public void Bad_input_is_refused_before_any_token_request()
    {
        var (id, _) = UserToken("ci-x", ["DNS Write"]);
        Start();
        Ps.Set("json", WriteFile("broken.json", "{ \"tokens\": { \"ci-*\": { \"required\": [\"DNS Write\" } }"));
        Ps.Set("empty", WriteFile("empty.json", "{ \"tokens\": {} }"));
        Ps.Set("negative", WriteFile("negative.json", "{ \"tokens\": { \"ci-*\": { \"required\": [\"DNS Write\"], \"expiryWarningDays\": -3 } } }"));
        Ps.Set("typo", WriteFile("typo.json", "{ \"tokens\": { \"ci-*\": { \"requred\": [\"DNS Write\"] } } }"));
        Ps.Set("unknownGroup", WriteFile("unknown.json", "{ \"tokens\": { \"ci-*\": { \"required\": [\"DNS Wrte\"] } } }"));
        Ps.Set("yaml", WriteFile("health.yaml", "tokens: {}"));
        Ps.Set("missing", Path.Combine(_dir, "nope.json"));

        var cases = new (string Script, string ErrorId, bool CatalogueAllowed)[]
        {
            ($"Test-CfTokenHealth -Id {id} -RequiredPermissionGroup 'DNS Wrte'", "PermissionGroupNotFound", true),
            ($"Test-CfTokenHealth -Id {id} -Profile $unknownGroup", "PermissionGroupNotFound", true),
            ($"Test-CfTokenHealth -Id {id} -Profile $json", "InvalidHealthProfile", false),
            ($"Test-CfTokenHealth -Id {id} -Profile $empty", "InvalidHealthProfile", false),
            ($"Test-CfTokenHealth -Id {id} -Profile $negative", "InvalidHealthProfile", false),
            ($"Test-CfTokenHealth -Id {id} -Profile $typo", "InvalidHealthProfile", false),
            ($"Test-CfTokenHealth -Id {id} -Profile $yaml", "InvalidHealthProfile", false),
            ($"Test-CfTokenHealth -Id {id} -Profile $missing", "InvalidHealthProfile", false),
            ($"Test-CfTokenHealth -Id {id} -Profile $json -RequiredPermissionGroup 'DNS Write'", "ConflictingParameters", false),
            ($"Test-CfTokenHealth -Id {id} -ExpiryWarningDays -1", "ParameterArgumentValidationError", false),
            ($"Test-CfTokenHealth -Id {id} -RequiredPermissionGroup ''", "InvalidName", false),
            ($"Test-CfTokenHealth -Id {id.ToUpperInvariant()} -RequiredPermissionGroup 'DNS Write'", "InvalidId", false),
        };
        foreach (var (script, errorId, catalogueAllowed) in cases)
        {
            Emulator.ClearRequests();
            var result = Run(script);
            var error = result.AllErrors.FirstOrDefault();
            Assert.True(error != null, script + ": no error");
            Assert.True(error!.FullyQualifiedErrorId.StartsWith(errorId + ","), $"{script}: {error.FullyQualifiedErrorId}");
            Assert.Empty(result.Output);
            var requests = Emulator.Requests.Where(r => !catalogueAllowed || !r.Path.EndsWith("/permission_groups")).ToList();
            Assert.True(requests.Count == 0, $"{script}: sent {string.Join(", ", requests.Select(r => r.Method + " " + r.Path))}");
            if (errorId == "InvalidHealthProfile") Assert.Contains(_dir, error.ErrorDetails.Message);
        }
        var unknownInProfile = Run($"Test-CfTokenHealth -Id {id} -Profile $unknownGroup").SingleError();
        Assert.Contains("unknown.json", unknownInProfile.ErrorDetails.Message);
        Assert.Empty(Ledger("HealthCheck"));
    }
}
