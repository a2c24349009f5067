using CfManagement.Secrets;
using Xunit;

namespace CfManagement.Tests.Issuance;

/// <summary>The recorded destination syntax (the ledger's "where the value went") parses back into the destination that wrote it.</summary>
public sealed class DestinationParserTests
{
    [Theory]
    [InlineData("secrets-store:default_secrets_store/CI_DEPLOY", "default_secrets_store", "CI_DEPLOY")]
    [InlineData("secrets-store:0123456789abcdef0123456789abcdef/A-B", "0123456789abcdef0123456789abcdef", "A-B")]
    public void Secrets_store_descriptions_round_trip(string description, string store, string name)
    {
        var destination = Assert.IsType<SecretsStoreDestination>(DestinationParser.Parse(description));
        Assert.Equal(store, destination.Store);
        Assert.Equal(name, destination.SecretName);
        Assert.Equal(description, destination.Description);
        Assert.Equal(description, new SecretsStoreDestination(store, name).Description);
    }

    [Theory]
    [InlineData("secrets-store:")]
    [InlineData("secrets-store:store")]
    [InlineData("secrets-store:store/")]
    [InlineData("secrets-store:/NAME")]
    [InlineData("secretsstore:store/NAME")]
    [InlineData("Secrets-Store:store/NAME")]
    [InlineData("caller")]
    [InlineData("")]
    public void Anything_else_is_not_a_secrets_store_destination(string description) =>
        Assert.IsNotType<SecretsStoreDestination>(DestinationParser.Parse(description));

    [Fact]
    public void The_other_kinds_still_parse()
    {
        Assert.IsType<VaultDestination>(DestinationParser.Parse("vault:Ops/ci"));
        Assert.IsType<WorkerSecretDestination>(DestinationParser.Parse("worker:api-worker/CI"));
    }
}
