using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Bad input to the Secrets Store commands and the secrets-store destination: each case has its ErrorId and
/// category, names the fix, writes nothing, and (purely local cases) sends no request at all. Lookups (an unknown
/// store or secret) may read, never write.
/// </summary>
public class SecretsStoreBadInputTests : CmdletTestBase
{
    private const string Id = "0123456789abcdef0123456789abcdef";
    private const string Mint = "New-CfManagedToken -Name x -Purpose p -PermissionGroup 'DNS Read' -AllZones -Ttl 1:00:00 -Confirm:$false";
    private static readonly string LongName = new('n', 256);

    public static TheoryData<string, string, bool> Cases => new()
    {
        // Get-CfSecretsStore
        { "Get-CfSecretsStore -Name ''", "InvalidName", true },
        { "Get-CfSecretsStore -Name 'store-['", "InvalidWildcardPattern", true },
        { "Get-CfSecretsStore -Name no_such_store", "SecretsStoreNotFound", false },
        // Get-CfSecretsStoreSecret
        { "Get-CfSecretsStoreSecret -Store 'bad store'", "InvalidSecretsStoreName", true },
        { "Get-CfSecretsStoreSecret -Store 'a/b'", "InvalidSecretsStoreName", true },
        { $"Get-CfSecretsStoreSecret -Store default_secrets_store -Name '{LongName}'", "InvalidName", true },
        { "Get-CfSecretsStoreSecret -Store no_such_store", "SecretsStoreNotFound", false },
        { "Get-CfSecretsStoreSecret -Store default_secrets_store -Name NOT_THERE", "SecretsStoreSecretNotFound", false },
        // Set-CfSecretsStoreSecret
        { "Set-CfSecretsStoreSecret -Store 'bad/store' -Name A -Value $v", "InvalidSecretsStoreName", true },
        { "Set-CfSecretsStoreSecret -Store 'bücher' -Name A -Value $v", "InvalidSecretsStoreName", true },
        { "Set-CfSecretsStoreSecret -Store default_secrets_store -Name 'has space' -Value $v", "InvalidSecretName", true },
        { "Set-CfSecretsStoreSecret -Store default_secrets_store -Name 'semi;colon' -Value $v", "InvalidSecretName", true },
        { $"Set-CfSecretsStoreSecret -Store default_secrets_store -Name '{LongName}' -Value $v", "InvalidSecretName", true },
        { "Set-CfSecretsStoreSecret -Store default_secrets_store -Name A -Value $v -Scope pages", "InvalidSecretsStoreScope", true },
        { "Set-CfSecretsStoreSecret -Store default_secrets_store -Name A -Value $v -Scope workers, ''", "InvalidSecretsStoreScope", true },
        { "Set-CfSecretsStoreSecret -Store default_secrets_store -Name A -Value $v -Comment ('c' * 1025)", "InvalidComment", true },
        { "Set-CfSecretsStoreSecret -Store default_secrets_store -Name A -Value (New-Object System.Security.SecureString)", "InvalidSecretValue", true },
        { "Set-CfSecretsStoreSecret -Store default_secrets_store -Name A -Value $big", "InvalidSecretValue", true },
        { "Set-CfSecretsStoreSecret -Store default_secrets_store -Name A", "NothingToChange", true },
        { "Set-CfSecretsStoreSecret -Store default_secrets_store -Name NEW_ONE -Scope workers", "SecretValueRequired", false },
        { "Set-CfSecretsStoreSecret -Store no_such_store -Name A -Value $v", "SecretsStoreNotFound", false },
        // Remove-CfSecretsStoreSecret
        { "Remove-CfSecretsStoreSecret -Store default_secrets_store -Name 'bad name' -Confirm:$false", "InvalidSecretName", true },
        { "Remove-CfSecretsStoreSecret -Store 'x y' -Name A -Confirm:$false", "InvalidSecretsStoreName", true },
        { "Remove-CfSecretsStoreSecret -Store default_secrets_store -Name MISSING -Confirm:$false", "SecretsStoreSecretNotFound", false },
        { "Remove-CfSecretsStoreSecret -Store no_such_store -Name A -Confirm:$false", "SecretsStoreNotFound", false },
        // The secrets-store destination
        { $"{Mint} -SecretsStore 'bad store'", "InvalidSecretsStoreName", true },
        { $"{Mint} -SecretsStore 'store:name/x'", "InvalidSecretsStoreName", true },
        { $"{Mint} -SecretsStore default_secrets_store -SecretsStoreSecretName 'bad name'", "InvalidSecretName", true },
        { $"{Mint} -SecretsStoreSecretName CF_TOKEN", "ConflictingParameters", true },
        { $"Invoke-CfTokenRoll -Id {Id} -SecretsStore 'default_secrets_store/CF_TOKEN' -Confirm:$false", "InvalidSecretsStoreName", true },
        { $"Invoke-CfTokenRoll -Id {Id} -SecretsStore default_secrets_store -SecretsStoreSecretName '' -Confirm:$false", "InvalidSecretName", true },
        { $"Repair-CfToken -Id {Id} -RequiredPermissionGroup 'D1 Read' -SecretsStore default_secrets_store -Confirm:$false", "ConflictingParameters", true },
        { $"Repair-CfToken -Id {Id} -RequiredPermissionGroup 'D1 Read' -Reissue -SecretsStore 'secrets-store:x' -Confirm:$false", "InvalidSecretsStoreName", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refused_before_any_change(string script, string errorId, bool local)
    {
        ConnectOrFail();
        Ps.Run("Get-CfPermissionGroup -Name 'DNS Read'").AssertNoErrors(); // warm the session's catalogue cache
        Ps.Set("v", PsSession.Secure("a-value-that-is-fine"));
        Ps.Set("big", PsSession.Secure(new string('€', 30000))); // 90,000 bytes as UTF-8 (a SecureString holds at most 65,536 characters)
        Emulator.ClearRequests();
        var tokensBefore = Emulator.State.AllTokens.Count;

        var result = Ps.Run(script);
        var error = result.SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.ObjectNotFound });
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
        Assert.Empty(result.Output);
        Assert.DoesNotContain(Emulator.Requests, r => r.Method != "GET");
        if (local) Assert.Empty(Emulator.Requests);
        Assert.Equal(tokensBefore, Emulator.State.AllTokens.Count);
        Assert.Empty(Emulator.State.SecretsStoreSecretNames("default_secrets_store"));
        SecretAssert.NotLeaked(result, "a-value-that-is-fine");
    }
}
