using System.Diagnostics;
using System.Management.Automation;
using CfManagement.Emulator;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

public class ApiFailureTests : CmdletTestBase
{
    private FaultRule Fault(FaultKind kind, int times, string path = "/user/tokens", int status = 503, int retryAfter = 1, string method = "GET") =>
        Emulator.Faults.Add(new FaultRule { Kind = kind, Times = times, PathContains = path, StatusCode = status, RetryAfterSeconds = retryAfter, Method = method });

    [Fact]
    public void A_429_with_Retry_After_is_waited_out_and_retried()
    {
        ConnectOrFail();
        var rule = Fault(FaultKind.RateLimit, 1);
        var watch = Stopwatch.StartNew();
        var result = Ps.Run("Get-CfToken -Verbose");
        result.AssertNoErrors();
        Assert.NotEmpty(result.Output);
        Assert.Equal(1, rule.Hits);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), "Retry-After was not honoured");
        Assert.Contains(result.Verbose, v => v.Message.Contains("429"));
    }

    [Fact]
    public void A_persistent_429_becomes_ApiRateLimited_with_Cloudflares_code()
    {
        ConnectOrFail(extra: "-MaxRetryCount 1");
        Fault(FaultKind.RateLimit, -1);
        var error = Ps.Run("Get-CfToken").SingleError();
        Assert.StartsWith("ApiRateLimited,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, error.CategoryInfo.Category);
        Assert.Contains("971", error.ErrorDetails.Message);
        Assert.Contains("Retry after", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void A_Retry_After_longer_than_the_session_allows_fails_at_once()
    {
        ConnectOrFail(extra: "-MaxRetryWaitSeconds 2");
        var rule = Fault(FaultKind.RateLimit, -1, retryAfter: 300);
        var watch = Stopwatch.StartNew();
        var error = Ps.Run("Get-CfToken").SingleError();
        Assert.StartsWith("ApiRateLimited,", error.FullyQualifiedErrorId);
        Assert.Equal(1, rule.Hits);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
        Assert.Contains("300", error.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void Transient_5xx_on_a_read_is_retried_with_backoff()
    {
        ConnectOrFail();
        var rule = Fault(FaultKind.Status, 2, status: 502);
        var result = Ps.Run("Get-CfToken -Verbose");
        result.AssertNoErrors();
        Assert.Equal(2, rule.Hits);
        Assert.Equal(2, result.Verbose.Count(v => v.Message.Contains("502")));
    }

    [Fact]
    public void Persistent_5xx_becomes_ApiUnavailable()
    {
        ConnectOrFail(extra: "-MaxRetryCount 1");
        Fault(FaultKind.Status, -1, status: 503);
        var error = Ps.Run("Get-CfToken").SingleError();
        Assert.StartsWith("ApiUnavailable,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceUnavailable, error.CategoryInfo.Category);
        var ex = error.Exception;
        Assert.Equal(503, (int)ex.GetType().GetProperty("StatusCode")!.GetValue(ex)!);
    }

    [Fact]
    public void A_connection_reset_on_a_read_is_retried_and_a_persistent_one_is_ApiConnectionFailed()
    {
        ConnectOrFail(extra: "-MaxRetryCount 1");
        var once = Fault(FaultKind.Reset, 1);
        Ps.Run("Get-CfToken").AssertNoErrors();
        Assert.Equal(1, once.Hits);

        Fault(FaultKind.Reset, -1);
        var error = Ps.Run("Get-CfToken").SingleError();
        Assert.StartsWith("ApiConnectionFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
    }

    [Fact]
    public void A_401_keeps_Cloudflares_code_and_says_what_to_do()
    {
        var (id, value) = Emulator.State.AddUserToken(Emulator.State.AdminUserEmail, "soon-gone", Emulator.State.AdminTokenPermissionGroupIds);
        ConnectOrFail(value);
        Emulator.State.RevokeToken(id);
        var error = Ps.Run("Get-CfToken").SingleError();
        Assert.StartsWith("ApiAuthenticationFailed,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.AuthenticationError, error.CategoryInfo.Category);
        Assert.Contains("[9109]", error.ErrorDetails.Message);
        Assert.Contains("Test-CfToken", error.ErrorDetails.RecommendedAction);
        var codes = (System.Collections.IEnumerable)error.Exception.GetType().GetProperty("AllCodes")!.GetValue(error.Exception)!;
        Assert.Contains(9109, codes.Cast<int>());
    }

    [Fact]
    public void A_403_is_PermissionDenied_with_the_token_and_path()
    {
        ConnectOrFail(Emulator.State.OpsTokenValue);
        var error = Ps.Run("Get-CfToken -Scope Account").SingleError();
        Assert.StartsWith("ApiPermissionDenied,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
        Assert.Contains("/tokens", error.ErrorDetails.Message);
    }

    [Fact]
    public void Ctrl_C_cancels_a_slow_request_promptly()
    {
        ConnectOrFail();
        Emulator.Faults.Add(new FaultRule { Kind = FaultKind.Latency, Delay = TimeSpan.FromSeconds(30), Times = -1, PathContains = "/user/tokens", Method = "GET" });
        AssertCtrlCStopsPromptly("Get-CfToken", TimeSpan.FromMilliseconds(500));
    }
}
