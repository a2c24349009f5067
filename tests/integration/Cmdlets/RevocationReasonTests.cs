using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Remove-CfToken / Remove-CfAccessServiceToken -Reason (what Revoke-CfToken passes): the reason lands in the ledger's
/// Revocation entry; a target already gone is recorded as Skipped when a reason is given (also under -ErrorAction Stop,
/// where WriteError does not return), never under -WhatIf; a bad reason is refused before any request.
/// </summary>
public class RevocationReasonTests : CmdletTestBase
{
    private const string Unknown = "0123456789abcdef0123456789abcdef";

    [Fact]
    public void The_reason_is_the_detail_of_the_revocation_entry()
    {
        var (id, _) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "rr-reason", [Emulator.State.PermissionGroupId("DNS Read")]);
        ConnectOrFail();
        Ps.Run($"Remove-CfToken -Id {id} -Reason 'suspected compromise, INC-7' -Confirm:$false").AssertNoErrors();
        var entry = Assert.Single(LedgerReader.Entries(LedgerPath, kind: "Revocation"));
        Assert.Equal(("Succeeded", id, "suspected compromise, INC-7"), (entry.Outcome, entry.TokenId, entry.Detail));
    }

    [Theory]
    [InlineData("Continue")]
    [InlineData("Stop")]
    public void A_token_already_gone_is_recorded_as_Skipped_with_a_reason(string errorAction)
    {
        ConnectOrFail();
        var result = Ps.Run($"try {{ Remove-CfToken -Id {Unknown} -Reason 'emergency stop' -Confirm:$false -ErrorAction {errorAction} }} catch {{ $_ }}");
        Assert.Contains(result.Errors.Concat(result.Output.Select(o => o?.BaseObject).OfType<ErrorRecord>()), e => e.FullyQualifiedErrorId.StartsWith("TokenNotVisible,"));
        var entry = Assert.Single(LedgerReader.Entries(LedgerPath, kind: "Revocation"));
        Assert.Equal(("Skipped", Unknown, "TokenNotVisible"), (entry.Outcome, entry.TokenId, entry.ErrorId));
        Assert.StartsWith("emergency stop; not found at Cloudflare", entry.Detail);
    }

    [Fact]
    public void Without_a_reason_or_under_WhatIf_nothing_is_recorded_for_a_token_already_gone()
    {
        ConnectOrFail();
        Ps.Run($"Remove-CfToken -Id {Unknown} -Confirm:$false");
        Ps.Run($"Remove-CfToken -Id {Unknown} -Reason 'x' -WhatIf");
        Assert.Empty(LedgerReader.Entries(LedgerPath, kind: "Revocation"));
    }

    [Theory]
    [InlineData("' '")]
    [InlineData("\"a`nb\"")]
    [InlineData("('x' * 501)")]
    public void A_bad_reason_is_InvalidReason_before_any_request(string reason)
    {
        ConnectOrFail();
        var before = Emulator.Requests.Count;
        var error = Ps.Run($"Remove-CfToken -Id {Unknown} -Reason {reason} -Confirm:$false").SingleError();
        Assert.StartsWith("InvalidReason,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal(before, Emulator.Requests.Count);
        var access = Ps.Run($"Remove-CfAccessServiceToken -Id 0f2b6f0e-1c1d-4d3e-9a4b-5c6d7e8f9a0b -Reason {reason} -Confirm:$false").SingleError();
        Assert.StartsWith("InvalidReason,", access.FullyQualifiedErrorId);
        Assert.Equal(before, Emulator.Requests.Count);
    }
}
