using CfManagement.Ledger;
using Xunit;

namespace CfManagement.Tests.Ledger;

/// <summary>The guard's rules on their own; the contract tests prove both engines call it before writing.</summary>
public sealed class SecretGuardTests
{
    private static LedgerEntry Entry(string? detail) => new() { OperationId = Guid.NewGuid().ToString(), Action = "mint", Detail = detail };

    [Theory]
    [InlineData("cfut_abcdefgh12345678")]
    [InlineData("value was cfat_ZZZZzzzz99998888 oops")]
    [InlineData("cfk_0123456789abcdef0123")]
    [InlineData("0123456789012345678901234567890123456789")] // 40 characters, the legacy token length
    [InlineData("x Ab-_Ab-_Ab-_Ab-_Ab-_Ab-_Ab-_Ab-_Ab-_Ab-_Ab-_ y")]
    public void Refuses_credential_like_text(string detail)
    {
        var error = Assert.Throws<ArgumentException>(() => SecretGuard.EnsureNoSecret(Entry(detail)));
        Assert.Equal("Detail", error.ParamName);
        Assert.DoesNotContain(detail.Trim(), error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("rotated; old token revoked after grace period")]
    [InlineData("uses the cfut_ prefix")] // naming the prefix is fine, a value after it is not
    [InlineData("0123456789abcdef0123456789abcdef")] // token and account ids are 32 hex characters
    [InlineData("3f2504e0-4f89-11d3-9a0c-0305e82c3301")] // operation ids are GUIDs
    [InlineData("012345678901234567890123456789012345678")] // 39 characters
    [InlineData("ci-deploy-production-eu-west-cluster-primary")] // a long token name: words, not a credential
    [InlineData("worker:nightly-dns-synchronisation-for-all-zones/CF_TOKEN")]
    [InlineData("worker:api-worker/CI_DEPLOY_PRODUCTION_EU_WEST_CLUSTER_PRIMARY")]
    public void Accepts_ordinary_text(string? detail)
    {
        SecretGuard.EnsureNoSecret(Entry(detail));
    }

    [Fact]
    public void Checks_every_text_field_of_a_record()
    {
        var record = new ManagedTokenRecord { TokenId = "id", TokenName = "n", Scope = "User", Purpose = "cfut_abcdefgh12345678" };
        var error = Assert.Throws<ArgumentException>(() => SecretGuard.EnsureNoSecret(record));
        Assert.Equal("Purpose", error.ParamName);
    }
}
