using System.Diagnostics;
using System.Management.Automation;
using System.Security;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// New-CfToken with a destination (-Vault, -WorkerScript, -SecretsStore, -PagesProject; the GitHub Actions ones are in
/// NewTokenGitHubActionsTests): a withdrawable issuance. Delivered everywhere → the token's metadata (no value) and a
/// Creation record per step; any failed delivery or Ctrl+C → stored values removed in reverse, the token deleted at
/// Cloudflare; a delete that fails too → the live value rides the RollbackFailed error (or $CfRescuedCredentials).
/// </summary>
public class NewTokenDestinationTests : CmdletTestBase
{
    private const string Create = "New-CfToken -Name dns-reader -PermissionGroup 'DNS Read' -Zone raxx.app -Ttl 8:00:00 -Confirm:$false";

    private bool TokenExists(string name) => Emulator.State.AllTokens.Any(t => t.Name == name);

    private IReadOnlyList<LedgerRow> Ledger() => LedgerReader.Entries(LedgerPath);

    private static string Steps(IEnumerable<LedgerRow> rows) => string.Join(" ", rows.Select(e => $"{e.Action}:{e.Outcome}"));

    [Fact]
    public void Into_a_vault_with_metadata_returns_the_token_metadata_only_and_records_each_step()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        var result = Ps.Run(Create + " -Vault Ops -SecretName CF_DNS_READ -Verbose -Debug");
        result.AssertSucceeded("create into a vault", 1);

        var token = Assert.Single(result.Output);
        Assert.Equal("CfManagement.Model.CfToken", token.BaseObject.GetType().FullName);
        dynamic metadataOnly = token;
        Assert.Equal("dns-reader", (string)metadataOnly.Name);
        Assert.Null(token.Properties["Value"]);
        var stored = FakeVault.Value(Ps, "Ops/CF_DNS_READ")!;
        Assert.True(Emulator.State.IsValueLive(stored), "the vault holds the new token's live value");
        var meta = FakeVault.Metadata(Ps, "Ops/CF_DNS_READ")!;
        Assert.Equal((string)metadataOnly.Id, meta["TokenId"]);
        Assert.Equal("dns-reader", meta["TokenName"]);
        Assert.Equal("DNS Read", meta["Scopes"]);
        Assert.Equal("CfManagement", meta["ManagedBy"]);
        Assert.Equal(((DateTimeOffset)metadataOnly.ExpiresOn).UtcDateTime.ToString("o"), meta["ExpiresOn"]);
        Assert.True(DateTimeOffset.TryParse((string)meta["IssuedOn"]!, out _));

        var entries = Ledger();
        Assert.Equal("create:Pending create:Succeeded store:Succeeded", Steps(entries));
        Assert.All(entries, e => Assert.Equal("Creation", e.Kind));
        Assert.Equal((string)metadataOnly.Id, entries[1].TokenId);
        Assert.Equal("vault:Ops/CF_DNS_READ", entries[2].Destination);
        SecretAssert.NotLeaked(result, stored, AdminToken);
        Assert.DoesNotContain(stored[5..], result.HostText);
        Assert.DoesNotContain(entries, e => e.ToString().Contains(stored[5..]));
    }

    [Fact]
    public void Into_a_Worker_secret_a_Secrets_Store_secret_and_a_Pages_secret_at_once()
    {
        ConnectOrFail();
        Emulator.State.AddPagesProject("docs-site");
        var result = Ps.Run(Create + " -WorkerScript cron-worker -SecretsStore default_secrets_store -SecretsStoreSecretName DNS_READER_TOKEN" +
                            " -PagesProject docs-site -PagesEnvironment preview -Verbose");
        result.AssertSucceeded("create into three destinations", 1);

        var worker = Emulator.State.WorkerSecretText("cron-worker", "DNS_READER")!; // default: the name in upper case
        Assert.True(Emulator.State.IsValueLive(worker));
        Assert.Equal(worker, Emulator.State.SecretsStoreSecretValue("default_secrets_store", "DNS_READER_TOKEN"));
        var pages = Emulator.State.PagesEnvVarOf("docs-site", "preview", "DNS_READER")!.Value;
        Assert.Equal("secret_text", pages.Type);
        Assert.Equal(worker, pages.Value);
        Assert.Null(Emulator.State.PagesEnvVarOf("docs-site", "production", "DNS_READER"));
        Assert.Equal("CfManagement.Model.CfToken", Assert.Single(result.Output).BaseObject.GetType().FullName);
        Assert.Equal(new[] { "worker:cron-worker/DNS_READER", "secrets-store:default_secrets_store/DNS_READER_TOKEN", "pages:docs-site/preview/DNS_READER" },
            Ledger().Where(e => e.Action == "store").Select(e => e.Destination));
        SecretAssert.NotLeaked(result, worker, AdminToken);
    }

    [Fact]
    public void Without_a_destination_the_value_comes_back_as_before_and_nothing_is_recorded()
    {
        ConnectOrFail();
        var secure = Ps.Run(Create);
        secure.AssertSucceeded("create to the caller", 1);
        dynamic credential = secure.Output.Single();
        Assert.IsType<SecureString>((object)credential.Value);
        Assert.True(Emulator.State.IsValueLive(Plain.Of(credential.Value)));
        Assert.Null((object?)credential.Destination);

        var plain = Ps.Run(Create.Replace("dns-reader", "dns-plain") + " -AsPlainText");
        plain.AssertSucceeded("create as plain text", 1);
        Assert.True(Emulator.State.IsValueLive((string)((dynamic)plain.Output.Single()).Value));
        Assert.Empty(Ledger());

        // An explicit -LedgerPath records a value returned to the caller too (destination: caller).
        var recorded = Ps.Run(Create.Replace("dns-reader", "dns-recorded") + $" -LedgerPath '{LedgerPath}'");
        recorded.AssertSucceeded("create with a ledger", 1);
        Assert.Equal("create:Pending create:Succeeded", Steps(Ledger()));
        Assert.All(Ledger(), e => Assert.Equal("caller", e.Destination));
    }

    [Fact]
    public void A_failing_vault_deletes_the_token_and_stores_nothing()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        FakeVault.FailNextWrites(Ps, -1);
        var result = Ps.Run(Create + " -Vault Ops");
        var error = result.SingleError();
        Assert.StartsWith("DestinationWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("was deleted", error.ErrorDetails.Message);
        Assert.Equal("dns-reader", error.TargetObject);
        Assert.Empty(result.Output);
        Assert.False(TokenExists("dns-reader"));
        Assert.Empty(FakeVault.Contents(Ps));
        Assert.Equal(3, (int)Ps.Get("CfFakeVaultWrites")!); // CredentialIssuance.DeliveryAttempts
        Assert.Equal("create:Pending create:Succeeded store:Failed rollback:RolledBack", Steps(Ledger()));
    }

    [Fact]
    public void A_failing_Worker_PUT_removes_the_vault_copy_and_deletes_the_token()
    {
        ConnectOrFail(extra: "-MaxRetryCount 1");
        FakeVault.Install(Ps);
        var rule = Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "PUT", PathContains = "/secrets" });
        var error = Ps.Run(Create + " -Vault Ops -WorkerScript api-worker").SingleError();
        Assert.StartsWith("DestinationWriteFailed,", error.FullyQualifiedErrorId);
        Assert.Contains("worker:api-worker/DNS_READER", error.ErrorDetails.Message);
        Assert.True(rule.Hits >= 1);
        Assert.Empty(FakeVault.Contents(Ps));
        Assert.Empty(Emulator.State.WorkerSecretNames("api-worker"));
        Assert.False(TokenExists("dns-reader"));
        Assert.Equal("create:Pending create:Succeeded store:Succeeded store:Failed unstore:RolledBack rollback:RolledBack", Steps(Ledger()));
        Assert.Equal("vault:Ops/dns-reader", Ledger().Single(e => e.Action == "unstore").Destination);
    }

    [Fact]
    public void Ctrl_C_during_delivery_withdraws_the_token()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Latency, Delay = TimeSpan.FromSeconds(30), Times = -1, Method = "PUT", PathContains = "/secrets" });
        using var ps = PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript(Create + " -Vault Ops -WorkerScript api-worker");
        var async = ps.BeginInvoke();
        var watch = Stopwatch.StartNew();
        while (!Emulator.Requests.Any(r => r.Method == "PUT" && r.Path.Contains("/secrets")) && watch.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        Assert.True(TokenExists("dns-reader"));
        ps.Stop();
        Assert.True(async.IsCompleted);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), "the stop did not wait for the 30 s write");
        Assert.False(TokenExists("dns-reader"));
        Assert.False(FakeVault.Contents(Ps).ContainsKey("Ops/dns-reader"));
        // The vault copy was stored before the Worker write, and removed by the rollback.
        Assert.Contains(Ledger(), e => e.Action == "store" && e.Outcome == "Succeeded" && e.Destination == "vault:Ops/dns-reader");
        Assert.Contains(Ledger(), e => e.Action == "unstore" && e.Destination == "vault:Ops/dns-reader");
        Assert.Contains(Ledger(), e => e.Action == "rollback" && e.Outcome == "RolledBack");
        Assert.Null(Ps.Get("CfRescuedCredentials")); // deleted: nothing to rescue
    }

    [Fact]
    public void Ctrl_C_while_the_create_is_in_flight_waits_for_the_answer_and_deletes_the_token()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Latency, Delay = TimeSpan.FromSeconds(2), Times = 1, Method = "POST", PathContains = "/user/tokens" });
        using var ps = PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript(Create + " -Vault Ops");
        var async = ps.BeginInvoke();
        var watch = Stopwatch.StartNew();
        while (!Emulator.Requests.Any(r => r.Method == "POST" && r.Path.EndsWith("/user/tokens")) && watch.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        ps.Stop();
        Assert.True(async.IsCompleted);
        Thread.Sleep(2500); // past the fault's delay: a token the server created anyway would exist by now
        Assert.False(TokenExists("dns-reader"));
        Assert.Empty(FakeVault.Contents(Ps));
        Assert.Contains(Ledger(), e => e.Action == "rollback" && e.Detail!.Contains("stopped during create"));
    }

    [Fact]
    public void When_the_delete_fails_too_the_live_value_rides_the_RollbackFailed_error()
    {
        ConnectOrFail(extra: "-MaxRetryCount 1");
        FakeVault.Install(Ps);
        FakeVault.FailNextWrites(Ps, -1);
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "DELETE", PathContains = "/user/tokens/" });
        var result = Ps.Run(Create + " -Vault Ops -Verbose -Debug");
        var error = result.SingleError();
        Assert.StartsWith("RollbackFailed,", error.FullyQualifiedErrorId);
        dynamic credential = error.TargetObject;
        SecureString value = credential.Value;
        var plain = new System.Net.NetworkCredential("", value).Password;
        Assert.True(Emulator.State.IsValueLive(plain), "the value in the error is the live token's");
        Assert.True(TokenExists("dns-reader"));
        Assert.Contains("Remove-CfToken -Id", error.ErrorDetails.RecommendedAction);
        Assert.Contains(Ledger(), e => e.Action == "rollback" && e.Outcome == "Failed" && e.ErrorId == "RollbackFailed");
        SecretAssert.NotLeaked(result, plain, AdminToken);
        Assert.DoesNotContain(Ledger(), e => e.ToString().Contains(plain[5..]));
    }

    [Fact]
    public void Ctrl_C_when_the_delete_fails_too_leaves_the_value_in_CfRescuedCredentials()
    {
        ConnectOrFail(extra: "-MaxRetryCount 0");
        FakeVault.Install(Ps);
        FakeVault.DelayWrites(Ps, TimeSpan.FromSeconds(3));
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Status, StatusCode = 503, Times = -1, Method = "DELETE", PathContains = "/user/tokens/" });
        using var ps = PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript(Create + " -Vault Ops");
        var async = ps.BeginInvoke();
        var watch = Stopwatch.StartNew();
        while (!TokenExists("dns-reader") && watch.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(20);
        Thread.Sleep(700); // inside the blocking Set-Secret
        ps.Stop();
        Assert.True(async.IsCompleted);
        Assert.True(TokenExists("dns-reader"));
        dynamic rescued = Assert.Single(Assert.IsAssignableFrom<System.Collections.IEnumerable>(Ps.Get("CfRescuedCredentials")).Cast<object>());
        Assert.True(Emulator.State.IsValueLive(Plain.Of(rescued.Value)));
        Assert.Contains(Ledger(), e => e.Action == "rescue" && e.Outcome == "Pending");
    }

    [Theory]
    [InlineData(FaultKind.Status, 500, "ApiUnavailable")]
    [InlineData(FaultKind.Reset, 0, "ApiConnectionFailed")]
    public void A_lost_create_answer_is_not_retried_and_the_error_says_how_to_find_the_token(FaultKind kind, int status, string errorId)
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        var rule = Emulator.Faults.Add(new FaultRule { Kind = kind, StatusCode = status, Times = -1, Method = "POST", PathContains = "/user/tokens" });
        var error = Ps.Run(Create + " -Vault Ops").SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(1, rule.Hits);
        Assert.Contains("not repeated", error.ErrorDetails.Message);
        Assert.Contains("Get-CfToken -Name 'dns-reader'", error.ErrorDetails.RecommendedAction);
        Assert.Empty(FakeVault.Contents(Ps));
        Assert.Equal("create:Pending create:Failed", Steps(Ledger()));
    }

    public static TheoryData<string, string, string> BadInput => new()
    {
        { "-Vault '  '", "InvalidName", "Vault" },
        { "-SecretName CF_X", "ConflictingParameters", "SecretName" },
        { "-Vault Ops -SecretName '  '", "InvalidSecretName", "SecretName" },
        { "-WorkerScript 'Bad Script!'", "InvalidScriptName", "WorkerScript" },
        { "-WorkerScript api-worker -WorkerSecretName 'bad-name'", "InvalidSecretName", "WorkerSecretName" },
        { "-WorkerSecretName CF_X", "ConflictingParameters", "WorkerSecretName" },
        { "-SecretsStore '  '", "InvalidSecretsStoreName", "SecretsStore" },
        { "-SecretsStore default_secrets_store -SecretsStoreSecretName 'bad name'", "InvalidSecretName", "SecretsStoreSecretName" },
        { "-SecretsStoreSecretName CF_X", "ConflictingParameters", "SecretsStoreSecretName" },
        { "-PagesProject 'Bad_Project'", "InvalidPagesProjectName", "PagesProject" },
        { "-PagesProject docs-site -PagesEnvironment staging", "InvalidPagesEnvironment", "PagesEnvironment" },
        { "-PagesProject docs-site -PagesSecretName 'bad-name'", "InvalidSecretName", "PagesSecretName" },
        { "-PagesEnvironment preview", "ConflictingParameters", "PagesEnvironment" },
        { "-PagesSecretName CF_X", "ConflictingParameters", "PagesSecretName" },
        { "-Vault Ops -AsPlainText", "ConflictingParameters", "AsPlainText" },
        { "-WorkerScript api-worker -LedgerDatabaseId not-a-uuid", "InvalidId", "LedgerDatabaseId" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_destination_input_is_refused_before_any_request(string destination, string errorId, string parameter)
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        var before = Emulator.Requests.Count;
        var error = Ps.Run(Create + " " + destination).SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Contains(parameter, error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.NotNull(error.ErrorDetails?.RecommendedAction);
        Assert.Equal(before, Emulator.Requests.Count);
        Assert.False(TokenExists("dns-reader"));
        Assert.Empty(FakeVault.Contents(Ps));
    }

    [Fact]
    public void A_vault_without_SecretManagement_is_refused_before_any_request()
    {
        ConnectOrFail();
        var before = Emulator.Requests.Count;
        var error = Ps.Run(Create + " -Vault Ops").SingleError();
        Assert.StartsWith("SecretManagementUnavailable,", error.FullyQualifiedErrorId);
        Assert.Equal(before, Emulator.Requests.Count);
    }

    [Fact]
    public void WhatIf_names_the_destinations_and_creates_nothing()
    {
        ConnectOrFail();
        FakeVault.Install(Ps);
        var result = Ps.Run(Create.Replace(" -Confirm:$false", "") + " -Vault Ops -WorkerScript api-worker -WhatIf");
        result.AssertNoErrors();
        Assert.Contains("vault:Ops/dns-reader, worker:api-worker/DNS_READER", result.HostText);
        Assert.False(TokenExists("dns-reader"));
        Assert.Empty(FakeVault.Contents(Ps));
    }
}
