using System.Diagnostics;
using System.Management.Automation;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>
/// Waiting for a turn under the rate limit is not a timeout: the per-attempt timeout starts when a request is sent,
/// and a turn further away than -MaxRetryWaitSeconds fails at once as ApiRateLimited, with the wait, sending nothing.
/// </summary>
public class RateLimitWaitTests : CmdletTestBase
{
    private static TimeSpan RetryAfterOf(ErrorRecord error) =>
        (TimeSpan)error.Exception.GetType().GetProperty("RetryAfter")!.GetValue(error.Exception)!;

    [Fact]
    public void An_exhausted_client_budget_fails_at_once_as_ApiRateLimited_without_sending()
    {
        ConnectOrFail(extra: "-RequestsPerFiveMinutes 4 -RequestTimeoutSeconds 5 -MaxRetryCount 0");
        ErrorRecord? error = null;
        var sentBefore = 0;
        var watch = new Stopwatch();
        for (var i = 0; i < 6 && error == null; i++)
        {
            sentBefore = RequestCount();
            watch.Restart();
            var result = Ps.Run("Get-CfToken");
            watch.Stop();
            error = result.AllErrors.FirstOrDefault();
        }
        Assert.NotNull(error);
        Assert.StartsWith("ApiRateLimited,", error!.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"it waited {watch.Elapsed} instead of failing at once");
        Assert.Equal(sentBefore, RequestCount());                      // nothing was sent
        var wait = RetryAfterOf(error);
        Assert.InRange(wait, TimeSpan.FromSeconds(200), TimeSpan.FromMinutes(5)); // the 5-minute window of the 4-request budget
        Assert.Contains("not sent", error.ErrorDetails.Message);
        Assert.Contains($"{Math.Ceiling(wait.TotalSeconds):0} s", error.ErrorDetails.Message);
        Assert.Contains("Retry after", error.ErrorDetails.RecommendedAction);
        Assert.DoesNotContain(AdminToken, error.ErrorDetails.Message + error.ErrorDetails.RecommendedAction + error.Exception);
    }

    [Fact]
    public void After_a_429_with_a_long_Retry_After_the_next_call_fails_at_once_as_ApiRateLimited()
    {
        ConnectOrFail(extra: "-MaxRetryWaitSeconds 5 -RequestTimeoutSeconds 2 -MaxRetryCount 1");
        var rule = Emulator.Faults.Add(new FaultRule { Kind = FaultKind.RateLimit, RetryAfterSeconds = 30, Times = 1, PathContains = "/user/tokens", Method = "GET" });
        var first = Ps.Run("Get-CfToken").SingleError();
        Assert.StartsWith("ApiRateLimited,", first.FullyQualifiedErrorId);
        Assert.Equal(1, rule.Hits);

        var sent = RequestCount();
        var watch = Stopwatch.StartNew();
        var second = Ps.Run("Get-CfToken").SingleError();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"it waited {watch.Elapsed}");
        Assert.StartsWith("ApiRateLimited,", second.FullyQualifiedErrorId);
        Assert.Equal(sent, RequestCount());
        Assert.InRange(RetryAfterOf(second), TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Waiting_for_a_turn_does_not_count_against_the_request_timeout()
    {
        // The wait (4 s) is twice the request timeout (2 s), so a wait that counted would time out; the retried request
        // itself gets 2 s, room for a GC pause or a busy thread pool on a loaded runner.
        ConnectOrFail(extra: "-MaxRetryWaitSeconds 5 -RequestTimeoutSeconds 2 -MaxRetryCount 1");
        var rule = Emulator.Faults.Add(new FaultRule { Kind = FaultKind.RateLimit, RetryAfterSeconds = 4, Times = 1, PathContains = "/user/tokens", Method = "GET" });
        var watch = Stopwatch.StartNew();
        var result = Ps.Run("Get-CfToken -Verbose");
        result.AssertNoErrors();
        Assert.NotEmpty(result.Output);
        Assert.Equal(1, rule.Hits);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(3.5), $"Retry-After was not honoured ({watch.Elapsed})");
        Assert.Contains(result.Verbose, v => v.Message.Contains("not counted against the request timeout"));
    }

    [Fact]
    public void Ctrl_C_cancels_a_wait_for_a_turn_promptly()
    {
        ConnectOrFail(extra: "-MaxRetryWaitSeconds 60");
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.RateLimit, RetryAfterSeconds = 30, Times = 1, PathContains = "/user/tokens", Method = "GET" });
        AssertCtrlCStopsPromptly("Get-CfToken", TimeSpan.FromMilliseconds(700));
    }
}
