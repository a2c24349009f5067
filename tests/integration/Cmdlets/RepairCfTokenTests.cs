using System.Management.Automation;
using System.Security;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public class RepairCfTokenTests : CmdletTestBase
{
    private const string Loud = "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; ";
    private const string FakeVault = """
        $global:FakeVault = @{}; $global:VaultCalls = 0; $global:VaultFails = $false
        function global:Set-Secret { [CmdletBinding()] param($Name, $Secret, $Vault, $Metadata)
            $global:VaultCalls++
            if ($global:VaultFails) { throw "vault '$Vault' is locked" }
            $global:FakeVault[$Name] = $Secret }
        function global:Remove-Secret { [CmdletBinding()] param($Name, $Vault) $global:FakeVault.Remove($Name) }
        """;
    private readonly List<string> _secrets = new();

    private void Start(string? token = null, string extra = "")
    {
        ConnectOrFail(token, extra: extra);
        Ps.Run(FakeVault).AssertNoErrors();
        _secrets.Add(token ?? AdminToken);
    }

    /// <summary>Runs with -Verbose/-Debug preferences and checks that no known value, nor any value in the fake vault, leaked.</summary>
    private PsResult Run(string script)
    {
        var result = Ps.Run(Loud + script);
        SecretAssert.NotLeaked(result, _secrets.Concat(VaultValues()).Concat([AdminToken, Emulator.State.OpsTokenValue]).ToArray());
        return result;
    }

    // Values only: the NAME__TOKEN_ID / __EXPIRES_AT / __SCOPES companions beside them hold metadata, which output may show.
    private List<string> VaultValues() => Ps.Run("foreach ($k in @($global:FakeVault.Keys) -notlike '*__*') { [System.Net.NetworkCredential]::new('', $global:FakeVault[$k]).Password }")
        .Output.Select(o => o.ToString()).ToList();

    private string? VaultValue(string name)
    {
        Ps.Set("secretName", name);
        return Ps.Run("if ($global:FakeVault.ContainsKey($secretName)) { [System.Net.NetworkCredential]::new('', $global:FakeVault[$secretName]).Password }").Output.FirstOrDefault()?.ToString();
    }

    private string Group(string name) => Emulator.State.PermissionGroupId(name);

    private (string Id, string Value) UserToken(string name, params string[] groups)
    {
        var t = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, name, groups.Select(Group));
        _secrets.Add(t.Value);
        return t;
    }

    private IReadOnlyList<LedgerRow> Ledger() => LedgerReader.Entries(LedgerPath, kind: "Repair");

    private IEnumerable<TokenSnapshot> Named(string name) => Emulator.State.AllTokens.Where(t => t.Name == name);

    private int Writes() => Emulator.Requests.Count(r => r.Method is "PUT" or "POST" or "DELETE");

    private FaultRule Fault(FaultKind kind, string method, string path, int times = 1, int status = 503) =>
        Emulator.Faults.Add(new FaultRule { Kind = kind, Method = method, PathContains = path, Times = times, StatusCode = status, RetryAfterSeconds = 1 });

    /// <summary>An ops@example.com token that may manage account tokens, but (not being a Super Administrator) sees only its own.</summary>
    private string OpsManager()
    {
        var (_, value) = Emulator.State.AddUserToken(Emulator.State.OpsUserEmail, "ops-manager",
            new[] { "Account API Tokens Read", "Account API Tokens Write", "API Tokens Read", "API Tokens Write", "Workers Scripts Read", "Workers Scripts Write", "D1 Read" }.Select(Group));
        _secrets.Add(value);
        return value;
    }

    [Fact]
    public void A_visible_token_gets_the_missing_groups_and_keeps_its_others()
    {
        var (id, _) = UserToken("ci-repair", "DNS Read", "Workers Scripts Read");
        Start();
        var result = Run($"Repair-CfToken -Id {id} -AddPermissionGroup 'Zone Read','D1 Read' -AllZones -Confirm:$false -PassThru");
        result.AssertNoErrors();
        var token = Emulator.State.GetToken(id)!;
        foreach (var name in new[] { "DNS Read", "Workers Scripts Read", "Zone Read", "D1 Read" })
            Assert.Contains(Group(name), token.AllowedGroupIds);
        dynamic updated = Assert.Single(result.Output);
        Assert.Equal(id, (string)updated.Id);
        var entry = Assert.Single(Ledger());
        Assert.Equal(("update", "Succeeded", id), (entry.Action, entry.Outcome, entry.TokenId));
        Assert.Contains("Zone Read", entry.Detail);
    }

    [Fact]
    public void RequiredPermissionGroup_adds_only_what_is_missing_and_nothing_when_all_are_there()
    {
        var (id, _) = UserToken("ci-ensure", "D1 Read");
        Start();
        Run($"Repair-CfToken {id} -RequiredPermissionGroup 'D1 Read','Workers Scripts Read' -Confirm:$false").AssertNoErrors();
        var groups = Emulator.State.GetToken(id)!.Policies.SelectMany(p => p.PermissionGroupIds).ToList();
        Assert.Equal(2, groups.Count);
        Assert.Contains(Group("Workers Scripts Read"), groups);

        Emulator.ClearRequests();
        var again = Run($"Repair-CfToken -Id {id} -RequiredPermissionGroup 'D1 Read','Workers Scripts Read' -Confirm:$false");
        again.AssertNoErrors();
        Assert.Equal(0, Writes());
        Assert.Contains(again.Verbose, v => v.Message.Contains("nothing to repair"));
    }

    [Fact]
    public void Another_users_token_is_TokenNotVisible_naming_the_wall_and_Reissue()
    {
        Start();
        Emulator.ClearRequests();
        var error = Run($"Repair-CfToken -Id {Emulator.State.OpsTokenId} -AddPermissionGroup 'Zone Read' -AllZones -Confirm:$false").SingleError();
        Assert.StartsWith("TokenNotVisible,", error.FullyQualifiedErrorId);
        Assert.Contains("visibility wall", error.ErrorDetails.Message);
        Assert.Contains("-Reissue", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, Writes());
    }

    [Fact]
    public void An_account_token_created_by_another_user_is_invisible_to_a_non_super_admin()
    {
        Start(OpsManager());
        Emulator.ClearRequests();
        var error = Run($"Repair-CfToken -Id {Emulator.State.Seed.DashboardAccountTokenId} -Scope Account -AddPermissionGroup 'D1 Read' -Confirm:$false").SingleError();
        Assert.StartsWith("TokenNotVisible,", error.FullyQualifiedErrorId);
        Assert.Contains("-Reissue", error.ErrorDetails.RecommendedAction);
        Assert.Equal(0, Writes());

        // -Reissue without the old policies says the manager cannot read the old token.
        var noTemplate = Run($"Repair-CfToken -Id {Emulator.State.Seed.DashboardAccountTokenId} -Scope Account -AddPermissionGroup 'D1 Read' -Reissue -Confirm:$false").SingleError();
        Assert.StartsWith("TokenNotVisible,", noTemplate.FullyQualifiedErrorId);
        Assert.Contains("cannot read", noTemplate.ErrorDetails.Message);
        Assert.Equal(0, Writes());
    }

    [Fact]
    public void Ctrl_C_while_the_replacement_is_being_minted_leaves_nothing_behind()
    {
        var (oldId, oldValue) = UserToken("ci-stop", "Workers Scripts Read");
        Start();
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Latency, Delay = TimeSpan.FromSeconds(2), Times = 1, Method = "POST", PathContains = "/user/tokens" });
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript($"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue -WorkerScript api-worker -Confirm:$false");
        var async = ps.BeginInvoke();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!Emulator.Requests.Any(r => r.Method == "POST" && r.Path.EndsWith("/user/tokens")) && watch.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        Thread.Sleep(200);
        ps.Stop();
        Assert.True(async.IsCompleted);
        Assert.Empty(Named("ci-stop-reissued"));
        Assert.True(Emulator.State.IsValueLive(oldValue));
        Assert.Contains(Ledger(), e => e.Action == "rollback" && e.Outcome == "RolledBack");
    }

    [Fact]
    public void Reissue_mints_a_replacement_delivers_it_and_revokes_the_old_token()
    {
        var (oldId, oldValue) = UserToken("ci-deploy", "Workers Scripts Read");
        Start();
        var result = Run($"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue -Vault Fake -Confirm:$false");
        result.AssertNoErrors();
        var replacement = Assert.Single(Named("ci-deploy-reissued"));
        Assert.Contains(Group("Workers Scripts Read"), replacement.AllowedGroupIds);
        Assert.Contains(Group("D1 Read"), replacement.AllowedGroupIds);
        Assert.Null(Emulator.State.GetToken(oldId));
        Assert.False(Emulator.State.IsValueLive(oldValue));

        var stored = VaultValue("ci-deploy");
        Assert.NotNull(stored);
        Assert.True(Emulator.State.IsValueLive(stored!));
        dynamic credential = Assert.Single(result.Output);
        Assert.Equal(replacement.Id, (string)credential.Id);
        // Delivered to the vault: the credential carries no value (Export-Clixml would write it as reversible hex on Linux).
        Assert.Null((object?)credential.Value);
        Assert.Equal("vault:Fake/ci-deploy", (string)credential.Destination);

        var entries = Ledger();
        // The Pending trace (name, no id yet) comes first, so cleanup can find a replacement whose flow died after the create.
        Assert.Equal(["reissue:Pending", "reissue:Succeeded", "store:Succeeded", "revoke:Succeeded"], entries.Select(e => $"{e.Action}:{e.Outcome}").ToArray());
        Assert.Null(entries[0].TokenId);
        Assert.Single(entries.Select(e => e.OperationId).Distinct());
    }

    [Fact]
    public void Reissue_across_the_wall_uses_the_piped_template_and_leaves_revocation_to_the_owner()
    {
        var (oldId, oldValue) = Emulator.State.AddAccountToken(Emulator.State.AdminUserEmail, "dash-tok", [Group("Workers Scripts Read")]);
        _secrets.Add(oldValue);
        // The old token as read by a session that can see it (the admin, a Super Administrator)...
        Start();
        Run($"$old = Get-CfToken -Id {oldId} -Scope Account").AssertNoErrors();
        // ...repaired by a manager that cannot.
        ConnectOrFail(OpsManager());
        var result = Run("$old | Repair-CfToken -RequiredPermissionGroup 'D1 Read' -Reissue -WorkerScript api-worker -WorkerSecretName CF_TOKEN -Confirm:$false");
        result.AssertNoErrors();
        var replacement = Assert.Single(Named("dash-tok-reissued"));
        Assert.Equal(TokenOwnerKind.Account, replacement.OwnerKind);
        Assert.Equal(Emulator.State.OpsUserId, replacement.CreatedByUserId);
        Assert.Equal(new HashSet<string> { Group("Workers Scripts Read"), Group("D1 Read") }, replacement.AllowedGroupIds.ToHashSet());
        Assert.True(Emulator.State.IsValueLive(Emulator.State.WorkerSecretText("api-worker", "CF_TOKEN")!));
        Assert.NotNull(Emulator.State.GetToken(oldId));
        Assert.Contains(result.Warnings, w => w.Message.Contains("NOT revoked") && w.Message.Contains("owner must revoke"));
        var revoke = Ledger().Single(e => e.Action == "revoke");
        Assert.Equal("Skipped", revoke.Outcome);
        Assert.Equal(oldId, revoke.TokenId);
    }

    [Fact]
    public void A_failing_vault_rolls_the_replacement_back_and_orphans_nothing()
    {
        var (oldId, _) = UserToken("ci-vault", "Workers Scripts Read");
        Start();
        Ps.Run("$global:VaultFails = $true").AssertNoErrors();
        var result = Run($"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue -Vault Fake -Confirm:$false");
        var error = result.SingleError();
        Assert.StartsWith("DestinationWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("was deleted", error.ErrorDetails.Message);
        Assert.Equal(3, Convert.ToInt32(Ps.Get("VaultCalls")));
        Assert.Empty(Named("ci-vault-reissued"));
        Assert.NotNull(Emulator.State.GetToken(oldId));
        Assert.Empty(result.Output);
        var entries = Ledger();
        Assert.Contains(entries, e => e.Action == "rollback" && e.Outcome == "RolledBack");
        Assert.Contains(entries, e => e.Action == "store" && e.Outcome == "Failed" && e.ErrorId == "DestinationWriteFailed");
        Assert.DoesNotContain(entries, e => e.Action == "revoke");
    }

    [Fact]
    public void When_the_rollback_fails_too_the_replacement_value_rides_the_RollbackFailed_error()
    {
        var (oldId, _) = UserToken("ci-stuck", "Workers Scripts Read");
        Start(extra: "-MaxRetryCount 1");
        Ps.Run("$global:VaultFails = $true").AssertNoErrors();
        Fault(FaultKind.Status, "DELETE", "/user/tokens/", times: -1, status: 503);
        var result = Run($"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue -Vault Fake -Confirm:$false");
        var error = result.SingleError();
        Assert.StartsWith("RollbackFailed,", error.FullyQualifiedErrorId);
        dynamic credential = error.TargetObject;
        var replacement = Assert.Single(Named("ci-stuck-reissued"));
        Assert.Equal(replacement.Id, (string)credential.Id);
        SecureString value = credential.Value;
        var plain = new System.Net.NetworkCredential("", value).Password;
        _secrets.Add(plain);
        SecretAssert.NotLeaked(result, plain);
        Assert.True(Emulator.State.IsValueLive(plain));
        Assert.Contains(Ledger(), e => e.Action == "rollback" && e.Outcome == "Failed" && e.ErrorId == "RollbackFailed");
    }

    [Fact]
    public void Faults_during_the_update_are_retried_or_reported_without_changing_the_token()
    {
        var (id, _) = UserToken("ci-faulty", "DNS Read");
        Start(extra: "-MaxRetryCount 2");
        var limited = Fault(FaultKind.RateLimit, "PUT", "/user/tokens/" + id);
        Run($"Repair-CfToken -Id {id} -AddPermissionGroup 'D1 Read' -Confirm:$false").AssertNoErrors();
        Assert.Equal(1, limited.Hits);
        Assert.Contains(Group("D1 Read"), Emulator.State.GetToken(id)!.AllowedGroupIds);

        var reset = Fault(FaultKind.Reset, "PUT", "/user/tokens/" + id);
        Run($"Repair-CfToken -Id {id} -AddPermissionGroup 'Workers Scripts Read' -Confirm:$false").AssertNoErrors();
        Assert.Equal(1, reset.Hits);
        Assert.Contains(Group("Workers Scripts Read"), Emulator.State.GetToken(id)!.AllowedGroupIds);

        Fault(FaultKind.Status, "PUT", "/user/tokens/" + id, times: -1, status: 503);
        var error = Run($"Repair-CfToken -Id {id} -AddPermissionGroup 'Zone Read' -AllZones -Confirm:$false").SingleError();
        Assert.StartsWith("ApiUnavailable,", error.FullyQualifiedErrorId);
        Assert.DoesNotContain(Group("Zone Read"), Emulator.State.GetToken(id)!.AllowedGroupIds);
        Assert.Contains(Ledger(), e => e.Action == "update" && e.Outcome == "Failed" && e.ErrorId == "ApiUnavailable");
    }

    [Fact]
    public void Faults_during_the_reissue_create_are_retried_once_safe_or_leave_nothing_behind()
    {
        var (oldId, _) = UserToken("ci-create", "Workers Scripts Read");
        Start(extra: "-MaxRetryCount 2");
        Fault(FaultKind.Status, "POST", "/user/tokens", times: 1, status: 502);
        var error = Run($"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue -Confirm:$false").SingleError();
        Assert.StartsWith("ApiUnavailable,", error.FullyQualifiedErrorId);
        Assert.Empty(Named("ci-create-reissued"));
        Assert.NotNull(Emulator.State.GetToken(oldId));
        Assert.Contains(Ledger(), e => e.Action == "reissue" && e.Outcome == "Failed");

        var reset = Fault(FaultKind.Reset, "POST", "/user/tokens", times: 1);
        var resetError = Run($"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue -Confirm:$false").SingleError();
        Assert.StartsWith("ApiConnectionFailed,", resetError.FullyQualifiedErrorId);
        Assert.Equal(1, reset.Hits);
        Assert.Empty(Named("ci-create-reissued"));

        var limited = Fault(FaultKind.RateLimit, "POST", "/user/tokens", times: 1);
        var result = Run($"Repair-CfToken -Id {oldId} -RequiredPermissionGroup 'D1 Read' -Reissue -Confirm:$false");
        result.AssertNoErrors();
        Assert.Equal(1, limited.Hits);
        Assert.Single(Named("ci-create-reissued"));
        dynamic credential = Assert.Single(result.Output);
        Assert.IsType<SecureString>((object)credential.Value);
        Assert.Null(Emulator.State.GetToken(oldId));
    }

    [Fact]
    public void WhatIf_changes_nothing()
    {
        var (id, _) = UserToken("ci-whatif", "DNS Read");
        Start();
        Emulator.ClearRequests();
        Run($"Repair-CfToken -Id {id} -AddPermissionGroup 'D1 Read' -WhatIf").AssertNoErrors();
        Run($"Repair-CfToken -Id {id} -AddPermissionGroup 'D1 Read' -Reissue -Vault Fake -WhatIf").AssertNoErrors();
        Assert.Equal(0, Writes());
        Assert.Equal([Group("DNS Read")], Emulator.State.GetToken(id)!.AllowedGroupIds.ToArray());
        Assert.Empty(Named("ci-whatif-reissued"));
        Assert.Empty(VaultValues());
        Assert.Empty(Ledger());
    }

    [Fact]
    public void Bad_input_is_refused_before_any_change()
    {
        var (id, _) = UserToken("ci-bad", "DNS Read");
        Start();
        var cases = new (string Script, string ErrorId, bool ReadsAllowed)[]
        {
            ($"Repair-CfToken -Id {id} -Confirm:$false", "MissingPermissionGroup", false),
            ($"Repair-CfToken -Id {id} -AddPermissionGroup 'D1 Read' -RequiredPermissionGroup 'D1 Read' -Confirm:$false", "ConflictingParameters", false),
            ($"Repair-CfToken -Id {id} -AddPermissionGroup 'D1 Read' -Vault Fake -Confirm:$false", "ConflictingParameters", false),
            ($"Repair-CfToken -Id {id} -AddPermissionGroup 'DNS Read' -Zone example.com -AllZones -Confirm:$false", "ConflictingParameters", false),
            ($"Repair-CfToken -Id {id} -AddPermissionGroup 'D1 Read' -Reissue -WorkerScript 'Bad Name' -Confirm:$false", "InvalidScriptName", false),
            ($"Repair-CfToken -Id {id} -AddPermissionGroup 'D1 Read' -Reissue -NewName ' ' -Confirm:$false", "InvalidName", false),
            ($"Repair-CfToken -Id {id.ToUpperInvariant()} -AddPermissionGroup 'D1 Read' -Confirm:$false", "InvalidId", false),
            ($"Repair-CfToken -Id {id} -AddPermissionGroup 'D1 Raed' -Confirm:$false", "PermissionGroupNotFound", true),
            ($"Repair-CfToken -Id {id} -AddPermissionGroup 'Zone Read' -Confirm:$false", "ZoneRequired", true),
        };
        foreach (var (script, errorId, readsAllowed) in cases)
        {
            Emulator.ClearRequests();
            var result = Run(script);
            var error = result.AllErrors.FirstOrDefault();
            Assert.True(error != null, script + ": no error");
            Assert.True(error!.FullyQualifiedErrorId.StartsWith(errorId + ","), $"{script}: {error.FullyQualifiedErrorId}");
            Assert.Equal(0, Writes());
            if (!readsAllowed) Assert.True(Emulator.Requests.Count == 0, script + ": sent requests");
            if (errorId == "PermissionGroupNotFound")
                Assert.DoesNotContain(Emulator.Requests, r => r.Path.EndsWith(id));
        }
        Assert.Equal([Group("DNS Read")], Emulator.State.GetToken(id)!.AllowedGroupIds.ToArray());
        Assert.Empty(Ledger());
    }
}
