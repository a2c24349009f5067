using System.Net;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Emulator;

public sealed class RateLimitTests : EmulatorTestBase
{
    protected override EmulatorOptions Options => new() { RateLimitRequests = 5, RateLimitWindow = TimeSpan.FromSeconds(2) };

    [Fact]
    public async Task Sixth_request_in_the_window_is_429_and_blocks_until_the_window_passes()
    {
        for (var i = 0; i < 5; i++)
        {
            var ok = await Send("GET", "user/tokens/verify", State.AdminTokenValue);
            AssertOk(ok);
            Assert.True(ok.Raw.Headers.Contains("Ratelimit"));
            Assert.False(ok.Raw.Headers.Contains("Retry-After"));
        }
        var limited = await Send("GET", "user/tokens/verify", State.AdminTokenValue);
        AssertError(limited, HttpStatusCode.TooManyRequests, 971);
        Assert.Equal("Please wait and consider throttling your request speed", limited.ErrorMessage);
        Assert.Equal(TimeSpan.FromSeconds(2), limited.Raw.Headers.RetryAfter!.Delta);

        // Other tokens have their own budget; the blocked one stays blocked for the window.
        AssertOk(await Send("GET", "user/tokens/verify", State.OpsTokenValue));
        AssertError(await Send("GET", "user", State.AdminTokenValue), HttpStatusCode.TooManyRequests, 971);
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        AssertOk(await Send("GET", "user/tokens/verify", State.AdminTokenValue));
    }

    [Fact]
    public async Task Unauthenticated_requests_do_not_count()
    {
        for (var i = 0; i < 8; i++)
            await Send("GET", "user/tokens/verify", "cfut_" + new string('n', 40));
        AssertOk(await Send("GET", "user/tokens/verify", State.AdminTokenValue));
    }
}
