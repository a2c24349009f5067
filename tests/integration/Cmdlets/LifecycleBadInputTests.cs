using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Bad input to the lifecycle commands: each case has its ErrorId, names the parameter, and changes nothing. Cases
/// that need the permission-group catalogue or a zone lookup may read (GET) but never write; the catalogue is
/// warmed first, so purely local cases send no request at all.
/// </summary>
public class LifecycleBadInputTests : CmdletTestBase
{
    private static readonly string Long = new('n', 121);
    private const string Id = "0123456789abcdef0123456789abcdef";
    private const string Uuid = "0f2b6f0e-1c1d-4d3e-9a4b-5c6d7e8f9a0b";

    public static TheoryData<string, string, bool> Cases => new()
    {
        // New-CfToken (script, ErrorId, sends no request at all)
        { "New-CfToken -Name '  ' -PermissionGroup 'DNS Read' -AllZones", "InvalidName", true },
        { $"New-CfToken -Name '{Long}' -PermissionGroup 'DNS Read' -AllZones", "InvalidName", true },
        { "New-CfToken -Name x -PermissionGroup 'No Such Group'", "PermissionGroupNotFound", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Wirte' -AllZones", "PermissionGroupNotFound", true },
        { "New-CfToken -Name x -PermissionGroup 'Workers R2 Storage Write'", "PermissionGroupAmbiguous", true },
        { "New-CfToken -Name x -PermissionGroup 'R2Bucket:Workers R2 Storage Write'", "PermissionGroupScopeMismatch", true },
        { "New-CfToken -Name x -PermissionGroup 'API Tokens Write' -Scope Account", "PermissionGroupScopeMismatch", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Write'", "ZoneRequired", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Write' -Zone raxx.app -AllZones", "ConflictingParameters", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Write' -Zone nosuch.example", "ZoneNotFound", false },
        { $"New-CfToken -Name x -PermissionGroup 'DNS Write' -Zone {Id}", "ZoneNotFound", false },
        { "New-CfToken -Name x -PermissionGroup '  '", "InvalidName", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -Ttl 0", "InvalidTtl", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -Ttl -1:00:00", "InvalidTtl", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -ExpiresOn '2001-01-01'", "InvalidExpiry", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -ExpiresOn '2999-01-01' -Ttl 1:00:00", "ConflictingParameters", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -NotBefore '2999-01-01'", "InvalidNotBefore", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -AllowedIp 'not-an-ip'", "InvalidCidr", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -AllowedIp '10.0.0.0/33'", "InvalidCidr", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -AllowedIp '1.2.3'", "InvalidCidr", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -DeniedIp '2001:db8::/129'", "InvalidCidr", true },
        { "New-CfToken -Name x -PermissionGroup 'DNS Read' -AllZones -AllowedIp '10.0.0.1/abc'", "InvalidCidr", true },
        // Set-CfToken
        { $"Set-CfToken -Id {Id}", "NothingToChange", true },
        { $"Set-CfToken -Id {Id} -Enable -Disable", "ConflictingParameters", true },
        { $"Set-CfToken -Id {Id} -ClearExpiry -Ttl 1:00:00", "ConflictingParameters", true },
        { $"Set-CfToken -Id {Id} -Zone raxx.app -NewName y", "ConflictingParameters", true },
        { $"Set-CfToken -Id {Id} -NewName '{Long}'", "InvalidName", true },
        { $"Set-CfToken -Id {Id} -AllowedIp '300.1.1.1'", "InvalidCidr", true },
        { $"Set-CfToken -Id {Id} -Ttl 0", "InvalidTtl", true },
        { "Set-CfToken -Id 'not-an-id' -Disable", "InvalidId", true },
        { "Set-CfToken -Id 'ABCDEF0123456789ABCDEF0123456789' -Disable", "InvalidId", true },
        // Remove-CfToken
        { "Remove-CfToken -Id 'xyz' -Confirm:$false", "InvalidId", true },
        { "Remove-CfToken -Name '  ' -Confirm:$false", "InvalidName", true },
        { $"Remove-CfToken -Id {Id} -LedgerDatabaseId 'ledger' -Confirm:$false", "InvalidId", true },
        // Invoke-CfTokenRoll
        { "Invoke-CfTokenRoll -Id 'abc' -Confirm:$false", "InvalidId", true },
        { $"Invoke-CfTokenRoll -Id {Id} -WorkerScript 'Bad Name!' -Confirm:$false", "InvalidScriptName", true },
        { $"Invoke-CfTokenRoll -Id {Id} -WorkerScript api-worker -WorkerSecretName '1abc' -Confirm:$false", "InvalidSecretName", true },
        { $"Invoke-CfTokenRoll -Id {Id} -WorkerSecretName CF_TOKEN -Confirm:$false", "ConflictingParameters", true },
        { $"Invoke-CfTokenRoll -Id {Id} -SecretName stored -Confirm:$false", "ConflictingParameters", true },
        { $"Invoke-CfTokenRoll -Id {Id} -Vault Ops -Confirm:$false", "SecretManagementUnavailable", true },
        { $"Invoke-CfTokenRoll -Id {Id} -LedgerPath x.db -LedgerDatabaseId {Uuid} -Confirm:$false", "ConflictingParameters", true },
        // New-CfManagedToken
        { "New-CfManagedToken -Name x -Purpose ' ' -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00", "InvalidPurpose", true },
        { "New-CfManagedToken -Name x -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 0", "InvalidTtl", true },
        { "New-CfManagedToken -Name x -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl -0:05:00", "InvalidTtl", true },
        { "New-CfManagedToken -Name x -Purpose p -PermissionGroup 'Nope' -AllZones -Ttl 1:00:00", "PermissionGroupNotFound", true },
        { "New-CfManagedToken -Name x -Purpose p -PermissionGroup 'DNS Read' -Ttl 1:00:00", "ZoneRequired", true },
        { "New-CfManagedToken -Name x -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -WorkerScript 'UPPER'", "InvalidScriptName", true },
        { "New-CfManagedToken -Name x -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -DeniedIp 'x'", "InvalidCidr", true },
        { "New-CfManagedToken -Name x -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -Vault Ops", "SecretManagementUnavailable", true },
        { $"New-CfManagedToken -Name '{Long}' -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00", "InvalidName", true },
        // Get-CfZone, Get-CfLedger, Get-CfManagedToken
        { "Get-CfZone -Id 'raxx.app'", "InvalidId", true },
        { "Get-CfLedger -TokenId 'abc'", "InvalidId", true },
        { "Get-CfLedger -Since '2030-01-01' -Until '2020-01-01'", "ConflictingParameters", true },
        { "Get-CfManagedToken -LedgerDatabaseId 'nope'", "InvalidId", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refused_before_any_change(string script, string errorId, bool local)
    {
        ConnectOrFail();
        Ps.Run("Get-CfPermissionGroup -Name 'DNS Read'").AssertNoErrors(); // warm the session's catalogue cache
        Emulator.ClearRequests();
        var before = Emulator.State.AllTokens.Count;

        var result = Ps.Run(script);
        var error = result.SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.ObjectNotFound, ErrorCategory.NotInstalled });
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        Assert.Empty(result.Output);
        Assert.DoesNotContain(Emulator.Requests, r => r.Method != "GET");
        if (local) Assert.Empty(Emulator.Requests);
        Assert.Equal(before, Emulator.State.AllTokens.Count);
    }
}
