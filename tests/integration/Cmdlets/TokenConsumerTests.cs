using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// The consumer map (Register-/Get-/Unregister-CfTokenConsumer) in process: the SQLite and D1 round trips through the
/// pipeline, and bad input refused with its ErrorId before anything is written. The Pester twin is
/// tests/pester/Consumers.Tests.ps1; the ledger methods are covered on both engines in tests/unit/Ledger.
/// </summary>
public class TokenConsumerTests : CmdletTestBase
{
    private const string Uuid = "0f2b6f0e-1c1d-4d3e-9a4b-5c6d7e8f9a0b";
    // Shaped like a live credential: the ledger and every stream must refuse or hide it.
    private const string TokenLike = "cfut_Zk3pQ9vX2mW7rT5yL8nB4cD6fG1hJ0aS9dF3gH5jK7l";

    /// <summary>The token_consumers rows as stored ("credential|destination|kind|description|client_id_name"), none when the file or table is absent.</summary>
    private List<string> StoredRows()
    {
        var rows = new List<string>();
        if (!File.Exists(LedgerPath)) return rows;
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = LedgerPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'token_consumers'";
        if (Convert.ToInt64(exists.ExecuteScalar()) == 0) return rows;
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM token_consumers ORDER BY credential, destination";
        using var reader = command.ExecuteReader();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i)))));
        return rows;
    }

    private string NewD1Database()
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseUri };
        http.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);
        var response = http.PostAsync($"accounts/{Emulator.State.AccountId}/d1/database",
            new StringContent("{\"name\":\"cf-ledger-" + Guid.NewGuid().ToString("N") + "\"}", System.Text.Encoding.UTF8, "application/json")).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return System.Text.Json.JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("result").GetProperty("uuid").GetString()!;
    }

    private static string Shown(PSObject o) => $"{o.Properties["Credential"].Value} -> {o.Properties["Destination"].Value}";

    [Fact]
    public void Registers_lists_sorted_filters_and_unregisters_through_the_pipeline_on_SQLite()
    {
        ConnectOrFail();
        Emulator.ClearRequests();
        var registered = Ps.Run(@"
Register-CfTokenConsumer CF_WAF_EDIT_RAXX_APP 'external:sre-agent (CI)' -Description 'Deploys WAF rate-limit rules on raxx.app'
Register-CfTokenConsumer -Credential CF_WAF_EDIT_RAXX_APP -Destination 'Worker:waf-deployer/CF_API_TOKEN'
Register-CfTokenConsumer -Credential CF_DNS_EDIT_GETRAXX_COM -Destination 'external:Terraform' -Description 'DNS records for getraxx.com'
Register-CfTokenConsumer -Credential CF_DNS_EDIT_GETRAXX_COM -Destination 'pages:raxx-site/Preview/CF_DNS_TOKEN'
Register-CfTokenConsumer -Credential CI_REGISTRY -Destination 'secrets-store:default_secrets_store/CI_REGISTRY_CLIENT_SECRET'
");
        registered.AssertSucceeded("register", 5);
        Assert.Empty(Emulator.Requests); // the consumer map is the ledger's alone: no Cloudflare request

        var all = Ps.Run("Get-CfTokenConsumer");
        all.AssertNoErrors();
        Assert.Equal(new[]
        {
            "CF_DNS_EDIT_GETRAXX_COM -> external:Terraform",
            "CF_DNS_EDIT_GETRAXX_COM -> pages:raxx-site/preview/CF_DNS_TOKEN",
            "CF_WAF_EDIT_RAXX_APP -> external:sre-agent (CI)",
            "CF_WAF_EDIT_RAXX_APP -> worker:waf-deployer/CF_API_TOKEN",
            "CI_REGISTRY -> secrets-store:default_secrets_store/CI_REGISTRY_CLIENT_SECRET",
        }, all.Output.Select(o => o.ToString()));
        dynamic worker = all.Output[3];
        Assert.Equal("Worker", worker.Kind.ToString());
        Assert.Equal("waf-deployer", (string)worker.Target);
        Assert.Equal("CF_API_TOKEN", (string)worker.SecretName);
        Assert.Equal("CF_API_TOKEN_CLIENT_ID", (string)worker.ClientIdName);
        Assert.Contains("@", (string)worker.RegisteredBy);
        dynamic pages = all.Output[1];
        Assert.Equal("preview", (string)pages.Environment);
        dynamic external = all.Output[0];
        Assert.Null((object?)external.Target);
        Assert.Null((object?)external.SecretName);
        Assert.Null((object?)external.ClientIdName);
        dynamic store = all.Output[4];
        Assert.Equal("CI_REGISTRY_CLIENT_ID", (string)store.ClientIdName);

        Assert.Equal(2, Ps.Run("Get-CfTokenConsumer -Credential 'cf_waf*'").Output.Count);
        Assert.Equal(3, Ps.Run("Get-CfTokenConsumer CF_DNS*, CI_*").Output.Count);
        Assert.Equal(4, Ps.Run("Get-CfTokenConsumer 'CF_[DW]*'").Output.Count);
        Assert.Equal(new[] { "CF_DNS_EDIT_GETRAXX_COM -> external:Terraform", "CF_WAF_EDIT_RAXX_APP -> external:sre-agent (CI)" },
            Ps.Run("Get-CfTokenConsumer -Kind External").Output.Select(o => o.ToString()));
        Assert.Single(Ps.Run("Get-CfTokenConsumer -Destination 'worker:*'").Output);
        Assert.Empty(Ps.Run("Get-CfTokenConsumer NOTHING_HERE").Output);

        var removed = Ps.Run("Get-CfTokenConsumer CF_WAF_EDIT_RAXX_APP | Unregister-CfTokenConsumer -Confirm:$false -PassThru");
        removed.AssertSucceeded("unregister", 2);
        Assert.Equal(3, StoredRows().Count);
        Assert.Empty(Ps.Run("Get-CfTokenConsumer CF_WAF*").Output);
        Assert.Empty(Emulator.Requests);
    }

    [Fact]
    public void Register_again_updates_the_entry_and_keeps_when_it_was_first_registered()
    {
        ConnectOrFail();
        var first = Ps.Run("Register-CfTokenConsumer CF_X 'github:CF_API_TOKEN' -Description 'first'");
        first.AssertSucceeded("first");
        var firstOn = (DateTimeOffset)((dynamic)first.Output[0]).RegisteredOn;
        Thread.Sleep(20);
        var again = Ps.Run("Register-CfTokenConsumer cf_x 'github:CF_API_TOKEN' -Verbose");
        again.AssertSucceeded("again");
        dynamic row = again.Output[0];
        Assert.Equal(firstOn, (DateTimeOffset)row.RegisteredOn);
        Assert.Equal("CF_X", (string)row.Credential); // the credential compares case-insensitively and keeps its first spelling
        Assert.Equal("first", (string)row.Description); // no -Description keeps the stored one
        Assert.Contains(again.Verbose, v => v.Message.Contains("registered already"));
        Ps.Run("Register-CfTokenConsumer CF_X 'github:CF_API_TOKEN' -Description 'second'").AssertNoErrors();
        Assert.Equal("second", (string)((dynamic)Ps.Run("Get-CfTokenConsumer CF_X").Output.Single()).Description);
        Assert.Single(StoredRows());
    }

    [Fact]
    public void Imports_a_csv_through_the_pipeline_and_the_client_id_name_is_kept()
    {
        ConnectOrFail();
        var csv = Path.Combine(Path.GetTempPath(), $"consumers-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(csv, new[]
        {
            "Credential,Destination,Description,ClientIdName",
            "CF_WAF_EDIT_RAXX_APP,external:sre-agent,Deploy and update WAF rate-limit rules on raxx.app,",
            "CF_DNS_EDIT_GETRAXX_COM,external:Terraform,DNS record creation and updates for getraxx.com,",
            "CI_REGISTRY,worker:ci-gate/REGISTRY_SECRET,Access service token of the registry,REGISTRY_ID",
        });
        try
        {
            Ps.Set("Csv", csv);
            var result = Ps.Run("Import-Csv $Csv | Register-CfTokenConsumer");
            result.AssertSucceeded("import", 3);
            Assert.Equal(3, StoredRows().Count);
            dynamic access = Ps.Run("Get-CfTokenConsumer CI_REGISTRY").Output.Single();
            Assert.Equal("REGISTRY_ID", (string)access.ClientIdName);
            Assert.Equal("REGISTRY_SECRET", (string)access.SecretName);
        }
        finally
        {
            File.Delete(csv);
        }
    }

    [Fact]
    public void WhatIf_writes_nothing_and_Unregister_of_an_unknown_consumer_is_ObjectNotFound()
    {
        ConnectOrFail();
        Ps.Run("Register-CfTokenConsumer CF_A 'external:a' -WhatIf").AssertNoErrors();
        Assert.Empty(StoredRows());
        Ps.Run("Register-CfTokenConsumer CF_A 'external:a'").AssertNoErrors();
        Ps.Run("Unregister-CfTokenConsumer CF_A 'external:a' -WhatIf").AssertNoErrors();
        Assert.Single(StoredRows());

        var missing = Ps.Run("Unregister-CfTokenConsumer CF_A 'external:b' -Confirm:$false").SingleError();
        Assert.StartsWith("TokenConsumerNotFound,", missing.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
        Assert.Single(StoredRows());
    }

    [Fact]
    public void The_D1_ledger_holds_the_same_map()
    {
        ConnectOrFail();
        var uuid = NewD1Database();
        Ps.Set("Db", uuid);
        Ps.Run("Register-CfTokenConsumer CF_X 'worker:api/CF_X' -LedgerDatabaseId $Db; Register-CfTokenConsumer CF_Y 'github-output:TOKEN' -LedgerDatabaseId $Db").AssertNoErrors();
        var listed = Ps.Run("Get-CfTokenConsumer -LedgerDatabaseId $Db");
        listed.AssertNoErrors();
        Assert.Equal(new[] { "CF_X -> worker:api/CF_X", "CF_Y -> github-output:TOKEN" }, listed.Output.Select(Shown));
        Assert.Empty(StoredRows()); // nothing in the SQLite file
        Ps.Run("Get-CfTokenConsumer CF_X -LedgerDatabaseId $Db | Unregister-CfTokenConsumer -LedgerDatabaseId $Db -Confirm:$false").AssertNoErrors();
        Assert.Equal(new[] { "CF_Y -> github-output:TOKEN" }, Ps.Run("Get-CfTokenConsumer -LedgerDatabaseId $Db").Output.Select(Shown));
    }

    public static TheoryData<string, string, string> BadInput => new()
    {
        // script, ErrorId, the parameter the message names
        { "Register-CfTokenConsumer CF_X 'worker:api'", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer CF_X 'worker:Bad Script/CF_X'", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer CF_X 'worker:api/1BAD'", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer CF_X 'secrets-store:default/has space'", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer CF_X 'pages:site/staging/CF_X'", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer CF_X 'pages:site/CF_X'", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer CF_X 'github:GITHUB_TOKEN'", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer CF_X 'github-output:has-dash'", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer CF_X 'external:   '", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer CF_X 'vault:Ops/CF_X'", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer CF_X 'ftp:somewhere'", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer CF_X 'CF_API_TOKEN'", "InvalidConsumerDestination", "-Destination" },
        { "Register-CfTokenConsumer '  ' 'external:x'", "InvalidConsumerCredential", "-Credential" },
        { "Register-CfTokenConsumer 'CF X' 'external:x'", "InvalidConsumerCredential", "-Credential" },
        { "Register-CfTokenConsumer 'CF_*' 'external:x'", "InvalidConsumerCredential", "-Credential" },
        { "Register-CfTokenConsumer CF_X__TOKEN_ID 'external:x'", "ConsumerCredentialIsCompanion", "-Credential" },
        { "Register-CfTokenConsumer CF_X__expires_at 'external:x'", "ConsumerCredentialIsCompanion", "-Credential" },
        { "Register-CfTokenConsumer CF_X 'external:x' -Description ('words ' * 101)", "InvalidConsumerDescription", "-Description" },
        { "Register-CfTokenConsumer CF_X 'external:x' -Description \"two`nlines\"", "InvalidConsumerDescription", "-Description" },
        { "Register-CfTokenConsumer CF_X 'external:x' -ClientIdName CF_X_ID", "ConflictingParameters", "-ClientIdName" },
        { "Register-CfTokenConsumer CF_X 'worker:api/CF_X' -ClientIdName 'cf_x'", "ConflictingParameters", "-ClientIdName" },
        { "Register-CfTokenConsumer CF_X 'worker:api/CF_X' -ClientIdName '1bad'", "InvalidSecretName", "-ClientIdName" },
        { $"Register-CfTokenConsumer CF_X 'external:x' -LedgerDatabaseId nope", "InvalidId", "-LedgerDatabaseId" },
        { $"Register-CfTokenConsumer CF_X 'external:x' -LedgerPath x.db -LedgerDatabaseId {Uuid}", "ConflictingParameters", "-LedgerPath" },
        { "Get-CfTokenConsumer 'CF_[A'", "InvalidWildcardPattern", "-Credential" },
        { "Get-CfTokenConsumer -Destination 'worker:[x'", "InvalidWildcardPattern", "-Destination" },
        { "Unregister-CfTokenConsumer CF_X 'nowhere' -Confirm:$false", "InvalidConsumerDestination", "-Destination" },
        { "Unregister-CfTokenConsumer CF_X__SCOPES 'external:x' -Confirm:$false", "ConsumerCredentialIsCompanion", "-Credential" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_is_refused_with_its_ErrorId_and_nothing_is_written(string script, string errorId, string parameter)
    {
        ConnectOrFail();
        Ps.Run("Register-CfTokenConsumer CF_KEEP 'external:keep'").AssertNoErrors();
        var before = StoredRows();
        Emulator.ClearRequests();

        var result = Ps.Run(script);
        var error = result.SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(parameter, error.ErrorDetails.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        if (errorId == "InvalidConsumerDestination")
            Assert.Contains("external:<free text>", error.ErrorDetails!.RecommendedAction);
        Assert.Empty(result.Output);
        Assert.Empty(Emulator.Requests);
        Assert.Equal(before, StoredRows());
    }

    [Theory]
    [InlineData("Register-CfTokenConsumer CF_X \"worker:api/$Leak\"", "-Destination")]
    [InlineData("Register-CfTokenConsumer CF_X 'external:x' -Description \"token is $Leak\"", "-Description")]
    [InlineData("Register-CfTokenConsumer CF_X \"external:paste $Leak\"", "-Destination")]
    [InlineData("Register-CfTokenConsumer $Leak 'external:x'", "-Credential")]
    [InlineData("Get-CfTokenConsumer $Leak", "-Credential")]
    [InlineData("Get-CfTokenConsumer -Destination \"worker:[$Leak\"", "-Destination")]
    [InlineData("Unregister-CfTokenConsumer CF_X \"github:$Leak\" -Confirm:$false", "-Destination")]
    [InlineData("Register-CfTokenConsumer CF_X 'worker:api/X' -ClientIdName $Leak", "-ClientIdName")]
    public void A_value_shaped_like_a_token_is_refused_and_never_echoed(string script, string parameter)
    {
        ConnectOrFail();
        Ps.Set("Leak", TokenLike);
        var result = Ps.Run(script + " -Verbose -Debug");
        var error = result.SingleError();
        Assert.StartsWith("ConsumerLooksLikeSecret,", error.FullyQualifiedErrorId);
        Assert.Contains(parameter, error.ErrorDetails.Message);
        Assert.Null(error.TargetObject);
        SecretAssert.NotLeaked(result, TokenLike);
        Assert.Empty(StoredRows());
    }

    [Fact]
    public void The_default_view_is_a_table_of_credential_kind_target_secret_name_and_description()
    {
        ConnectOrFail();
        Ps.Run("Register-CfTokenConsumer CF_WAF 'worker:waf-deployer/CF_API_TOKEN' -Description 'WAF rules'; Register-CfTokenConsumer CF_DNS 'external:Terraform'").AssertNoErrors();
        var text = Ps.Render("Get-CfTokenConsumer");
        Assert.Matches(@"Credential\s+Kind\s+Target\s+SecretName\s+Description", text);
        Assert.Matches(@"CF_WAF\s+Worker\s+waf-deployer\s+CF_API_TOKEN\s+WAF rules", text);
        Assert.Matches(@"CF_DNS\s+External\s+Terraform", text);
    }

    [Fact]
    public void Without_a_ledger_the_commands_say_what_the_other_ledger_commands_say()
    {
        // No session at all: NotConnected, as for Get-CfLedger.
        var notConnected = Ps.Run("Get-CfTokenConsumer").SingleError();
        Assert.StartsWith("NotConnected,", notConnected.FullyQualifiedErrorId);
        Assert.StartsWith("NotConnected,", Ps.Run("Get-CfLedger").SingleError().FullyQualifiedErrorId);

        ConnectOrFail();
        var missing = Path.Combine(Path.GetTempPath(), $"no-ledger-{Guid.NewGuid():N}.db");
        Ps.Set("Missing", missing);
        // An explicit -LedgerPath that does not exist: LedgerNotFound, and nothing is created.
        Assert.StartsWith("LedgerNotFound,", Ps.Run("Get-CfTokenConsumer -LedgerPath $Missing").SingleError().FullyQualifiedErrorId);
        Assert.StartsWith("LedgerNotFound,", Ps.Run("Get-CfLedger -LedgerPath $Missing").SingleError().FullyQualifiedErrorId);
        Assert.StartsWith("LedgerNotFound,", Ps.Run("Unregister-CfTokenConsumer CF_X external:x -LedgerPath $Missing -Confirm:$false").SingleError().FullyQualifiedErrorId);
        Assert.False(File.Exists(missing));
        // The session's ledger not created yet: nothing registered (Get is empty, Unregister is TokenConsumerNotFound), nothing created.
        Ps.Run("Get-CfTokenConsumer").AssertNoErrors();
        Assert.StartsWith("TokenConsumerNotFound,", Ps.Run("Unregister-CfTokenConsumer CF_X external:x -Confirm:$false").SingleError().FullyQualifiedErrorId);
        Assert.False(File.Exists(LedgerPath));
        // Register creates it, as every writing ledger command does.
        Ps.Run("Register-CfTokenConsumer CF_X external:x").AssertNoErrors();
        Assert.Single(StoredRows());
        // A D1 database that does not exist: LedgerUnavailable.
        Assert.StartsWith("LedgerUnavailable,", Ps.Run($"Register-CfTokenConsumer CF_X external:x -LedgerDatabaseId {Uuid}").SingleError().FullyQualifiedErrorId);
    }

    [Fact]
    public void A_D1_failure_is_LedgerUnavailable_with_Cloudflares_code_and_the_pipeline_goes_on()
    {
        ConnectOrFail();
        var uuid = NewD1Database();
        Ps.Set("Db", uuid);
        Ps.Run("Get-CfTokenConsumer -LedgerDatabaseId $Db").AssertNoErrors(); // the ledger is open and initialised
        Emulator.Faults.Add(new CfManagement.Emulator.FaultRule { Kind = CfManagement.Emulator.FaultKind.Status, StatusCode = 500, PathContains = "/query", Times = 1 });
        var result = Ps.Run("'external:a', 'external:b' | ForEach-Object { [pscustomobject]@{ Credential = 'CF_X'; Destination = $_ } } | Register-CfTokenConsumer -LedgerDatabaseId $Db");
        var error = result.SingleError();
        Assert.StartsWith("LedgerUnavailable,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        Assert.Contains("10013", error.ErrorDetails.Message);
        Assert.Equal(new[] { "CF_X -> external:b" }, result.Output.Select(Shown));
        Assert.Equal(new[] { "CF_X -> external:b" }, Ps.Run("Get-CfTokenConsumer -LedgerDatabaseId $Db").Output.Select(Shown));
    }
}
