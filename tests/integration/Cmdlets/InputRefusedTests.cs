using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Issue 7, section 2: input is refused, never rewritten or passed through. Every case here is a value the module
/// used to rewrite (010.0.0.1 sent as 8.0.0.1/32), send (a token value with an inner line feed), or fail on with a raw
/// .NET exception (NotSpecified) after a request. Each must now fail with its own ErrorId and category, name the
/// parameter, say how to fix it, and leave the emulator without a single request.
/// </summary>
public class InputRefusedTests : CmdletTestBase
{
    private const string Id = "0123456789abcdef0123456789abcdef";

    // ---- IP filters: only canonical dotted-decimal IPv4 and IPv6 without a zone id --------------------------------
    private static readonly string[] NonCanonicalIps =
    {
        "010.0.0.1", "0x7f.0.0.1", "0177.0.0.1", "10.0.0.01", "127.1", "2130706433", "10.0.0.1/08",
        "fe80::1%eth0", "fe80::1%2/64", "::ffff:010.0.0.1", " 10.0.0.1", "[2001:db8::1]",
    };

    private static readonly (string Template, string Parameter)[] IpCommands =
    {
        ("New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -AllowedIp '{0}'", "AllowedIp"),
        ("New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -DeniedIp '{0}'", "DeniedIp"),
        ($"Set-CfToken -Id {Id} -AllowedIp '{{0}}'", "AllowedIp"),
        ($"Set-CfToken -Id {Id} -DeniedIp '{{0}}'", "DeniedIp"),
        ("New-CfManagedToken -Name x -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -AllowedIp '{0}'", "AllowedIp"),
    };

    // ---- wildcard parameters: an unclosed '[' is our error, before the list request ---------------------------------
    private static readonly string[] BadPatterns = { "[", "admin-[manager", "ci-*[", "a[b-" };

    private static readonly (string Template, string Parameter)[] WildcardCommands =
    {
        ("Get-CfToken -Name '{0}'", "Name"),
        ("Get-CfZone -Name '{0}'", "Name"),
        ("Get-CfPermissionGroup -Name '{0}'", "Name"),
        ("Get-CfManagedToken -Name '{0}' -LedgerPath $CfTestLedger", "Name"),
        ("Get-CfManagedToken -Purpose '{0}' -LedgerPath $CfTestLedger", "Purpose"),
        ("Remove-CfExpiredManagedToken -Name '{0}' -LedgerPath $CfTestLedger -Confirm:$false", "Name"),
        ("Get-CfLedger -TokenName '{0}' -LedgerPath $CfTestLedger", "TokenName"),
    };

    // ---- ledger paths that cannot hold a ledger ------------------------------------------------------------------
    private static readonly string[] BadLedgerPaths = { "$NulPath", "$DirPath", "'/dev/null'", "$NotSqlitePath" };

    private static readonly string[] LedgerCommands =
    {
        "Get-CfLedger -LedgerPath {0}",
        "Get-CfManagedToken -LedgerPath {0}",
        "New-CfManagedToken -Name x -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -LedgerPath {0}",
        "Remove-CfExpiredManagedToken -LedgerPath {0} -Confirm:$false",
        $"Invoke-CfTokenRoll -Id {Id} -LedgerPath {{0}} -Confirm:$false",
        $"Remove-CfToken -Id {Id} -LedgerPath {{0}} -Confirm:$false",
        "Test-CfTokenHealth -LedgerPath {0}",
        "Connect-CfAccount -ApiToken $CfTestToken -ApiBaseUri $ApiBaseUri -LedgerPath {0}",
    };

    public static TheoryData<string, string, string, ErrorCategory> Cases
    {
        get
        {
            var data = new TheoryData<string, string, string, ErrorCategory>();
            foreach (var (template, parameter) in IpCommands)
                foreach (var ip in NonCanonicalIps)
                    data.Add(string.Format(template, ip), "InvalidCidr", "-" + parameter, ErrorCategory.InvalidArgument);
            foreach (var (template, parameter) in WildcardCommands)
                foreach (var pattern in BadPatterns)
                    data.Add(string.Format(template, pattern), "InvalidWildcardPattern", "-" + parameter, ErrorCategory.InvalidArgument);
            foreach (var template in LedgerCommands)
                foreach (var path in BadLedgerPaths)
                    data.Add(string.Format(template, path), "InvalidLedgerPath", "-LedgerPath", ErrorCategory.InvalidArgument);

            // Out-of-range dates and durations (were ArgumentOutOfRangeException, NotSpecified).
            data.Add("New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -Ttl ([timespan]::MaxValue)", "InvalidTtl", "-Ttl", ErrorCategory.InvalidArgument);
            data.Add("New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -ExpiresOn ([datetime]::MaxValue)", "InvalidExpiry", "-ExpiresOn", ErrorCategory.InvalidArgument);
            data.Add("New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -NotBefore ([datetime]::MaxValue)", "InvalidNotBefore", "-NotBefore", ErrorCategory.InvalidArgument);
            data.Add("New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -ExpiresOn ([datetime]::MinValue)", "InvalidExpiry", "-ExpiresOn", ErrorCategory.InvalidArgument);
            data.Add("New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -Ttl ([timespan]::FromDays(3650000))", "InvalidTtl", "-Ttl", ErrorCategory.InvalidArgument);
            data.Add($"Set-CfToken -Id {Id} -Ttl ([timespan]::MaxValue)", "InvalidTtl", "-Ttl", ErrorCategory.InvalidArgument);
            data.Add($"Set-CfToken -Id {Id} -ExpiresOn ([datetime]::MaxValue)", "InvalidExpiry", "-ExpiresOn", ErrorCategory.InvalidArgument);
            data.Add("New-CfManagedToken -Name x -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl ([timespan]::MaxValue)", "InvalidTtl", "-Ttl", ErrorCategory.InvalidArgument);

            // -OperationId is a 32-hex ledger id, nothing else.
            foreach (var operation in new[] { "abc", "0123456789ABCDEF0123456789ABCDEF", "0f2b6f0e-1c1d-4d3e-9a4b-5c6d7e8f9a0b", "x OR 1=1 --", "*", " " })
                data.Add($"Get-CfLedger -OperationId '{operation}' -LedgerPath $CfTestLedger", "InvalidOperationId", "-OperationId", ErrorCategory.InvalidArgument);

            // A group both added and removed is a contradiction.
            data.Add($"Set-CfToken -Id {Id} -AddPermissionGroup 'DNS Read' -RemovePermissionGroup 'DNS Read'", "ConflictingParameters", "-AddPermissionGroup", ErrorCategory.InvalidArgument);
            data.Add($"Set-CfToken -Id {Id} -AddPermissionGroup 'DNS Read' -RemovePermissionGroup 'dns read'", "ConflictingParameters", "-RemovePermissionGroup", ErrorCategory.InvalidArgument);
            data.Add($"Set-CfToken -Id {Id} -AddPermissionGroup 'Zone Read','DNS Read' -RemovePermissionGroup 'DNS Write','DNS Read' -AllZones", "ConflictingParameters", "-AddPermissionGroup", ErrorCategory.InvalidArgument);
            return data;
        }
    }

    private void Prepare()
    {
        ConnectOrFail();
        Ps.Run("Get-CfPermissionGroup -Name 'DNS Read'").AssertNoErrors(); // warm the session's catalogue cache
        var dir = Path.Combine(Path.GetTempPath(), $"cf-ledger-dir-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var notSqlite = Path.Combine(Path.GetTempPath(), $"cf-not-sqlite-{Guid.NewGuid():N}.db");
        File.WriteAllText(notSqlite, "this is a text file, not a SQLite database\n");
        Ps.Set("DirPath", dir);
        Ps.Set("NotSqlitePath", notSqlite);
        Ps.Set("NulPath", "ledger\0.db");
        Emulator.ClearRequests();
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refused_with_its_ErrorId_and_no_request(string script, string errorId, string parameter, ErrorCategory category)
    {
        Prepare();
        var before = Emulator.State.AllTokens.Count;
        var notSqlite = (string)Ps.Get("NotSqlitePath")!;
        var content = File.ReadAllText(notSqlite);

        var result = Ps.Run(script);
        var error = result.SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(parameter, error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        Assert.Empty(result.Output);
        Assert.Empty(Emulator.Requests);
        Assert.Equal(before, Emulator.State.AllTokens.Count);
        Assert.Equal(content, File.ReadAllText(notSqlite)); // a file that is not a ledger is never overwritten
    }

    // ---- token values: trimmed of surrounding white space, refused for anything inside ------------------------------
    private const string Body = "cfut_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcd";

    private static readonly (string Value, string ErrorId)[] BadValues =
    {
        (Body.Insert(20, "\n"), "InvalidTokenValue"),
        (Body.Insert(20, "\r\n"), "InvalidTokenValue"),
        (Body.Insert(20, "\r"), "InvalidTokenValue"),
        (Body.Insert(20, " "), "InvalidTokenValue"),
        (Body.Insert(20, "\t"), "InvalidTokenValue"),
        (Body.Insert(20, "\0"), "InvalidTokenValue"),
        (Body + "\0", "InvalidTokenValue"),
        (Body.Insert(20, "\u007f"), "InvalidTokenValue"),
        (Body.Insert(20, "\u00e9"), "InvalidTokenValue"),
        (Body.Insert(20, "\u00a0"), "InvalidTokenValue"),
        ("\ufeff" + Body, "InvalidTokenValue"),
        (Body.Insert(20, "\u200b"), "InvalidTokenValue"),
        (Body + "\n" + Body + "\n", "InvalidTokenValue"),
        ("", "MissingApiToken"),
        (" \r\n\t", "MissingApiToken"),
    };

    private static readonly (string Script, string Parameter)[] ValueCommands =
    {
        ("Test-CfToken -Token $BadValue", "-Token"),
        ("Test-CfTokenHealth -Token $BadValue", "-Token"),
        ("Connect-CfAccount -ApiToken $BadValue -ApiBaseUri $ApiBaseUri", "-ApiToken"),
    };

    public static TheoryData<string, int, string, string> ValueCases
    {
        get
        {
            var data = new TheoryData<string, int, string, string>();
            foreach (var (script, parameter) in ValueCommands)
                for (var i = 0; i < BadValues.Length; i++)
                {
                    // An empty SecureString to Connect-CfAccount was already covered by BadInputTests.
                    if (script.StartsWith("Connect") && BadValues[i].Value.Length == 0) continue;
                    data.Add(script, i, BadValues[i].ErrorId, parameter);
                }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ValueCases))]
    public void A_bad_token_value_is_refused_unsent_and_unshown(string script, int valueIndex, string errorId, string parameter)
    {
        ConnectOrFail();
        var value = BadValues[valueIndex].Value;
        Ps.Set("BadValue", PsSession.Secure(value));
        Emulator.ClearRequests();

        var result = Ps.Run(script);
        var error = result.SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(parameter, error.ErrorDetails!.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails.RecommendedAction));
        Assert.Null(error.TargetObject);
        Assert.Empty(result.Output);
        Assert.Empty(Emulator.Requests);
        var shown = error.ErrorDetails.Message + error.Exception.Message + error.ErrorDetails.RecommendedAction + result.HostText + Ps.Host.Text;
        Assert.DoesNotContain("AbCdEfGhIjKlMnO", shown);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData(" ")]
    [InlineData("\t\r\n")]
    public void Surrounding_white_space_is_the_one_thing_trimmed(string around)
    {
        ConnectOrFail();
        Ps.Set("Padded", PsSession.Secure(around + AdminToken + around));
        Assert.Equal("active", Status("(Test-CfToken -Token $Padded).Status"));
        var health = Ps.Run("Test-CfTokenHealth -Token $Padded");
        health.AssertNoErrors();
        Assert.Single(health.Output);
        Ps.Run("Connect-CfAccount -ApiToken $Padded -ApiBaseUri $ApiBaseUri -AccountId $AccountId | Out-Null").AssertNoErrors();
        Assert.Equal("active", Status("(Test-CfToken).Status"));
    }

    private string? Status(string script)
    {
        var result = Ps.Run(script);
        result.AssertNoErrors();
        return result.Output.Single()?.ToString();
    }

    // ---- Get-CfLedger / Get-CfManagedToken never create a ledger -------------------------------------------------
    [Theory]
    [InlineData("Get-CfLedger -LedgerPath $Typo")]
    [InlineData("Get-CfManagedToken -LedgerPath $Typo")]
    [InlineData("Get-CfLedger -LedgerPath $Typo -Kind Rotation")]
    public void Reading_a_ledger_that_does_not_exist_creates_nothing(string script)
    {
        ConnectOrFail();
        var dir = Path.Combine(Path.GetTempPath(), $"cf-typo-{Guid.NewGuid():N}");
        var typo = Path.Combine(dir, "legder.db");
        Ps.Set("Typo", typo);
        Emulator.ClearRequests();

        var result = Ps.Run(script);
        var error = result.SingleError();
        Assert.StartsWith("LedgerNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("-LedgerPath", error.ErrorDetails!.Message);
        Assert.Empty(result.Output);
        Assert.Empty(Emulator.Requests);
        Assert.False(File.Exists(typo));
        Assert.False(Directory.Exists(dir));
    }

    // ---- a credential-like -Purpose is refused before any echo --------------------------------------------------
    [Theory]
    [InlineData("cfut_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789")]
    [InlineData("deploy with cfat_Zz9Yy8Xx7Ww6Vv5Uu4")]
    [InlineData("Q2xvdWRmbGFyZVRva2VuVmFsdWVIZXJlMTIzNDU2Nzg5MGFi")]
    public void A_credential_like_purpose_is_refused_before_it_is_echoed(string purpose)
    {
        ConnectOrFail();
        Ps.Run("Get-CfPermissionGroup -Name 'DNS Read'").AssertNoErrors();
        Ps.Set("P", purpose);
        Emulator.ClearRequests();

        var result = Ps.Run("New-CfManagedToken -Name x -Purpose $P -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -WhatIf -Verbose -LedgerPath $CfTestLedger");
        var error = result.SingleError();
        Assert.StartsWith("PurposeLooksLikeSecret,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("-Purpose", error.ErrorDetails!.Message);
        Assert.Null(error.TargetObject);
        Assert.Empty(Emulator.Requests);
        var fragment = purpose.Substring(purpose.Length - 12);
        Assert.DoesNotContain(fragment, string.Join("\n", result.Output.Select(o => o?.ToString())) + string.Join("\n", result.Verbose.Select(v => v.Message)) +
            error.ErrorDetails.Message + error.Exception.Message + result.HostText + Ps.Host.Text);
    }
}
