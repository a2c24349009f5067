using CfManagement.Issuance;
using CfManagement.Model;
using Xunit;

namespace CfManagement.Tests.Issuance;

/// <summary>
/// The one issuance sequence without a pipeline: every step failing and Ctrl+C at every step, for a credential that
/// can be withdrawn (mint, reissue) and one that cannot (roll). Invariants: a live value is never dropped, a
/// withdrawn one leaves nothing stored, and nothing is written once stopping.
/// </summary>
public class CredentialIssuanceTests
{
    private readonly FakeFlowContext _context = new();
    private readonly List<string> _journal = new();
    private readonly FakeDestination _a;
    private readonly FakeDestination _b;

    public CredentialIssuanceTests()
    {
        _a = new FakeDestination("a", _journal);
        _b = new FakeDestination("b", _journal);
    }

    private FakePlan Plan(bool canWithdraw, params FakeDestination[] destinations) => new(_context, canWithdraw, _journal, destinations);

    private IssuanceOutcome Run(FakePlan plan) => new CredentialIssuance(_context).Run(plan);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Delivers_to_each_destination_in_order_then_completes_and_finalizes(bool canWithdraw)
    {
        var plan = Plan(canWithdraw, _a, _b);
        Assert.Equal(IssuanceOutcome.Delivered, Run(plan));
        Assert.Equal(new[] { "BeforeIssue", "Issue", "Issued", "Check", "deliver fake:a", "Stored fake:a", "deliver fake:b", "Stored fake:b", "Complete", "Finalize" }, _journal);
        Assert.Single(_context.Outputs);
        Assert.Empty(_context.Errors);
        Assert.Empty(_context.Rescued);
        Assert.False(plan.Revoked);
    }

    [Fact]
    public void Nothing_is_issued_when_the_step_before_refuses()
    {
        var plan = Plan(true, _a);
        plan.FailAt = "BeforeIssue";
        Assert.Equal(IssuanceOutcome.NotIssued, Run(plan));
        Assert.Equal(new[] { "BeforeIssue" }, _journal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_failed_issue_request_delivers_nothing(bool canWithdraw)
    {
        var plan = Plan(canWithdraw, _a);
        plan.FailAt = "Issue";
        Assert.Equal(IssuanceOutcome.NotIssued, Run(plan));
        Assert.Equal(new[] { "BeforeIssue", "Issue", "IssueFailed" }, _journal);
        Assert.Null(_a.Holds);
    }

    [Theory]
    [InlineData("Issued")]
    [InlineData("Check")]
    [InlineData("Stored fake:a")]
    [InlineData("Stored fake:b")]
    [InlineData("Complete")]
    public void Any_failing_step_withdraws_a_new_credential_everywhere_in_reverse_order(string failAt)
    {
        var plan = Plan(true, _a, _b);
        plan.FailAt = failAt;
        Assert.Equal(IssuanceOutcome.Withdrawn, Run(plan));
        Assert.Null(_a.Holds);
        Assert.Null(_b.Holds);
        Assert.True(plan.Revoked);
        Assert.True(plan.Withdrawal!.Complete);
        Assert.DoesNotContain("Finalize", _journal);
        Assert.Equal("RolledBack", Assert.Single(_context.Errors).FullyQualifiedErrorId);
        Assert.Empty(_context.Outputs);
        Assert.Empty(_context.Rescued);
        var removals = _journal.Where(j => j.StartsWith("remove ")).ToList();
        var expected = new[] { "remove fake:b", "remove fake:a" }.Where(r => _journal.Contains("deliver " + r[7..])).ToList();
        Assert.Equal(expected, removals); // reverse order of delivery
        Assert.True(_journal.IndexOf("Withdraw") > _journal.FindLastIndex(j => j.StartsWith("remove ")));
    }

    [Fact]
    public void Fewer_permissions_than_asked_withdraws_before_any_delivery()
    {
        var plan = Plan(true, _a);
        plan.CheckReason = "missing DNS Write";
        Assert.Equal(IssuanceOutcome.Withdrawn, Run(plan));
        Assert.Equal(0, _a.Attempts);
        Assert.Equal("missing DNS Write", plan.Withdrawal!.Reason);
    }

    [Fact]
    public void A_failing_destination_is_retried_then_the_credential_is_withdrawn()
    {
        _b.FailDeliveries = -1;
        var plan = Plan(true, _a, _b);
        Assert.Equal(IssuanceOutcome.Withdrawn, Run(plan));
        Assert.Equal(CredentialIssuance.DeliveryAttempts, _b.Attempts);
        Assert.Equal(CredentialIssuance.DeliveryAttempts - 1, _context.Pauses);
        Assert.Contains("StoreFailed fake:b", _journal);
        Assert.Null(_a.Holds);
        Assert.True(plan.Revoked);
    }

    [Fact]
    public void A_destination_that_fails_twice_succeeds_on_the_third_attempt()
    {
        _a.FailDeliveries = 2;
        Assert.Equal(IssuanceOutcome.Delivered, Run(Plan(true, _a)));
        Assert.Equal(3, _a.Attempts);
        Assert.Equal(2, _context.Written.Count(w => w.StartsWith("verbose: Writing to fake:a failed")));
    }

    [Theory]
    [InlineData("Issue")]
    [InlineData("Issued")]
    [InlineData("Check")]
    [InlineData("Stored fake:a")]
    [InlineData("Stored fake:b")]
    public void Ctrl_C_at_any_step_before_completion_withdraws_a_new_credential_silently(string stopAt)
    {
        var plan = Plan(true, _a, _b);
        plan.StopAt = stopAt;
        Assert.Equal(IssuanceOutcome.Withdrawn, Run(plan));
        Assert.Null(_a.Holds);
        Assert.Null(_b.Holds);
        Assert.True(plan.Revoked);
        Assert.True(plan.Withdrawal!.Stopped);
        Assert.Empty(_context.Errors);
        Assert.Empty(_context.Outputs);
        Assert.Empty(_context.Rescued); // revoked: the value is dead, nothing to keep
        Assert.DoesNotContain("Complete", _journal);
    }

    [Fact]
    public void Ctrl_C_after_completion_finishes_the_job()
    {
        var plan = Plan(true, _a);
        plan.StopAt = "Complete";
        Assert.Equal(IssuanceOutcome.Delivered, Run(plan));
        Assert.Contains("Finalize", _journal);
        Assert.NotNull(_a.Holds);
        Assert.Empty(_context.Outputs); // dropped: the pipeline is stopping, and the value is stored
        Assert.Empty(_context.Rescued);
    }

    [Fact]
    public void A_credential_that_cannot_be_revoked_travels_in_the_error()
    {
        var plan = Plan(true, _a);
        plan.CheckReason = "missing DNS Write";
        plan.FailAt = "Withdraw";
        Assert.Equal(IssuanceOutcome.Withdrawn, Run(plan));
        var error = Assert.Single(_context.Errors);
        Assert.Equal("RollbackFailed", error.FullyQualifiedErrorId);
        Assert.Equal(FakePlan.Value.Plain, Plain(((CfTokenCredential)error.TargetObject).Value));
        Assert.Empty(_context.Rescued);
    }

    [Fact]
    public void A_credential_that_cannot_be_revoked_after_Ctrl_C_is_rescued()
    {
        var plan = Plan(true, _a);
        plan.StopAt = "Issued";
        plan.FailAt = "Withdraw";
        Run(plan);
        Assert.Empty(_context.Errors);
        Assert.Equal(FakePlan.Value.Plain, Plain(Assert.Single(_context.Rescued).Value));
        Assert.Contains("Rescued", _journal);
    }

    [Fact]
    public void A_removal_that_fails_leaves_the_withdrawal_incomplete_and_names_what_is_left()
    {
        _a.FailRemove = true;
        var plan = Plan(true, _a, _b);
        plan.FailAt = "Complete";
        Run(plan);
        Assert.False(plan.Withdrawal!.Complete);
        Assert.True(plan.Withdrawal.Revoked);
        Assert.Equal(new[] { "fake:a" }, plan.Withdrawal.LeftStored);
        Assert.Null(_b.Holds);
    }

    [Fact]
    public void A_rolled_value_that_a_destination_refuses_is_kept_in_the_error()
    {
        _b.FailDeliveries = -1;
        var plan = Plan(false, _a, _b);
        Assert.Equal(IssuanceOutcome.Kept, Run(plan));
        Assert.NotNull(_a.Holds);
        Assert.False(plan.Revoked);
        var error = Assert.Single(_context.Errors);
        Assert.Equal(FakePlan.Value.Plain, Plain(((CfTokenCredential)error.TargetObject).Value));
        Assert.Empty(_context.Rescued);
    }

    [Fact]
    public void Ctrl_C_during_a_failing_delivery_of_a_rolled_value_rescues_it_without_retrying_or_writing()
    {
        _a.FailDeliveries = -1;
        _a.OnDeliver = () => _context.Stopping = true;
        var plan = Plan(false, _a);
        Assert.Equal(IssuanceOutcome.Kept, Run(plan));
        Assert.Equal(1, _a.Attempts);
        Assert.Equal(FakePlan.Value.Plain, Plain(Assert.Single(_context.Rescued).Value));
        Assert.Contains("Rescued", _journal);
        Assert.Empty(_context.Errors);
        Assert.DoesNotContain(_context.Written, w => w.StartsWith("verbose"));
    }

    [Fact]
    public void Ctrl_C_during_the_roll_request_still_delivers_the_rolled_value()
    {
        var plan = Plan(false, _a, _b);
        plan.StopAt = "Issue";
        Assert.Equal(IssuanceOutcome.Delivered, Run(plan));
        Assert.NotNull(_a.Holds);
        Assert.NotNull(_b.Holds);
        Assert.Empty(_context.Rescued);
        Assert.Empty(_context.Outputs);
    }

    [Fact]
    public void Ctrl_C_during_a_roll_with_no_destination_rescues_the_value()
    {
        var plan = Plan(false);
        plan.StopAt = "Issue";
        Assert.Equal(IssuanceOutcome.Kept, Run(plan));
        Assert.Equal(FakePlan.Value.Plain, Plain(Assert.Single(_context.Rescued).Value));
    }

    [Fact]
    public void A_credential_shows_its_parts_but_never_a_secret()
    {
        var plan = Plan(false, _a);
        Run(plan);
        var credential = _a.Holds!;
        Assert.Equal("ci-deploy (tok1)", credential.ToString());
        Assert.Equal(new[] { "TokenId: tok1", "Value (secret)" }, credential.Parts.Select(p => p.ToString()));
        Assert.All(_context.Written, w => Assert.DoesNotContain(FakePlan.Value.Plain, w));
    }

    private static string Plain(object value) => new System.Net.NetworkCredential("", (System.Security.SecureString)value).Password;
}
