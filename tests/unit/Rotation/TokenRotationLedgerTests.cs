using CfManagement.Ledger;
using CfManagement.Model;
using CfManagement.Rotation;
using Xunit;

namespace CfManagement.Tests.Rotation;

/// <summary>How ledger entries become rotations: stages, pending stage, consumers, state, and the roll count.</summary>
public sealed class TokenRotationLedgerTests
{
    private const string Token = "0123456789abcdef0123456789abcdef";
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private long _seq;

    private LedgerEntry E(string op, string action, LedgerOutcome outcome, int seconds, string? destination = null, string? errorId = null, string? detail = null, string? tokenId = Token, string name = "CF_X") => new()
    {
        Sequence = ++_seq, OperationId = op, Timestamp = T0.AddSeconds(seconds), Kind = LedgerEntryKind.Rotation, Action = action, Outcome = outcome,
        TokenId = tokenId, TokenName = name, Purpose = action.StartsWith("rotation-") ? "ApiToken" : null,
        Destination = destination ?? (action.StartsWith("rotation-") && !action.EndsWith("-consumer") ? "vault:Ops/" + name : null), ErrorId = errorId, Detail = detail,
    };

    [Fact]
    public void A_rotation_interrupted_after_the_roll_started_shows_the_pending_stage_and_its_start()
    {
        var entries = new[]
        {
            E("a", "rotation-start", LedgerOutcome.Succeeded, 0),
            E("a", "rotation-verify", LedgerOutcome.Pending, 1),
            E("a", "rotation-verify", LedgerOutcome.Succeeded, 2),
            E("a", "rotation-roll", LedgerOutcome.Pending, 3),
        };
        var r = Assert.Single(TokenRotationLedger.Project(entries));
        Assert.Equal("a", r.Id);
        Assert.Equal("CF_X", r.SecretName);
        Assert.Equal("Ops", r.Vault);
        Assert.Equal("ApiToken", r.Kind);
        Assert.Equal(CfTokenRotationStage.Verify, r.Stage);
        Assert.Equal(CfTokenRotationStage.Roll, r.PendingStage);
        Assert.Equal(T0.AddSeconds(3), r.RollStartedOn);
        Assert.Equal(CfTokenRotationState.Running, r.State);
        Assert.Equal(0, r.Rolls);
    }

    [Fact]
    public void Consumers_failures_state_and_rolls_of_the_token_within_the_rotation_are_counted()
    {
        var entries = new[]
        {
            E("old", "roll", LedgerOutcome.Succeeded, -10, tokenId: Token),          // before the rotation: not counted
            E("a", "rotation-start", LedgerOutcome.Succeeded, 0),
            E("a", "rotation-verify", LedgerOutcome.Succeeded, 1),
            E("a", "rotation-roll", LedgerOutcome.Pending, 2),
            E("r1", "roll", LedgerOutcome.Succeeded, 3, tokenId: Token),
            E("r1", "roll", LedgerOutcome.Succeeded, 3, tokenId: "ffffffffffffffffffffffffffffffff"), // another token
            E("a", "rotation-roll", LedgerOutcome.Succeeded, 4),
            E("a", "rotation-distribute", LedgerOutcome.Pending, 5),
            E("a", "rotation-distribute-consumer", LedgerOutcome.Succeeded, 6, destination: "worker:api/CF_X"),
            E("a", "rotation-distribute-consumer", LedgerOutcome.Failed, 7, destination: "pages:site/production/CF_X", errorId: "ApiUnavailable", detail: "503"),
            E("a", "rotation-distribute-consumer", LedgerOutcome.Skipped, 7, destination: "external:terraform"),
            E("a", "rotation-distribute", LedgerOutcome.Failed, 8, errorId: "ConsumerUpdateFailed", detail: "1 consumer failed"),
        };
        var r = Assert.Single(TokenRotationLedger.Project(entries));
        Assert.Equal(CfTokenRotationStage.Roll, r.Stage);
        Assert.Null(r.PendingStage);
        Assert.Equal(CfTokenRotationState.Failed, r.State);
        Assert.Equal("ConsumerUpdateFailed", r.LastErrorId);
        Assert.Equal(1, r.Rolls);
        Assert.Equal(new[] { "worker:api/CF_X", "pages:site/production/CF_X", "external:terraform" }, r.Consumers.Select(c => c.Destination));
        Assert.Equal("ApiUnavailable", r.Consumers[1].ErrorId);
        Assert.Equal(new[] { "pages:site/production/CF_X" }, r.PendingConsumers);

        // Resumed: the failed consumer succeeds, then Distribute and Validate complete.
        var resumed = entries.Concat(new[]
        {
            E("a", "rotation-distribute-consumer", LedgerOutcome.Succeeded, 20, destination: "pages:site/production/CF_X"),
            E("a", "rotation-distribute", LedgerOutcome.Succeeded, 21),
            E("a", "rotation-validate", LedgerOutcome.Succeeded, 22),
            E("later", "roll", LedgerOutcome.Succeeded, 30, tokenId: Token), // after completion: not counted
        });
        var done = Assert.Single(TokenRotationLedger.Project(resumed));
        Assert.Equal(CfTokenRotationState.Completed, done.State);
        Assert.Equal(CfTokenRotationStage.Validate, done.Stage);
        Assert.Null(done.LastErrorId);
        Assert.Equal(1, done.Rolls);
        Assert.Empty(done.PendingConsumers);
        Assert.True(done.IsComplete);
    }

    [Fact]
    public void Entries_of_other_flows_are_not_rotations_and_a_vault_name_may_hold_a_slash_in_the_secret()
    {
        var entries = new[]
        {
            E("r1", "roll", LedgerOutcome.Succeeded, 0),
            E("b", "rotation-start", LedgerOutcome.Succeeded, 1, destination: "vault:My Vault/team/CF_Y", name: "team/CF_Y"),
        };
        var r = Assert.Single(TokenRotationLedger.Project(entries));
        Assert.Equal("My Vault", r.Vault);
        Assert.Equal("team/CF_Y", r.SecretName);
        Assert.Equal(CfTokenRotationStage.None, r.Stage);
    }

    [Theory]
    [InlineData(CfTokenRotationStage.Verify, false, "rotation-verify")]
    [InlineData(CfTokenRotationStage.Distribute, true, "rotation-distribute-consumer")]
    public void Stage_actions_are_stable(CfTokenRotationStage stage, bool consumer, string expected) =>
        Assert.Equal(expected, TokenRotationLedger.StageAction(stage, consumer));
}
