using CfManagement.Errors;
using CfManagement.Sessions;
using Xunit;

namespace CfManagement.Tests.Sessions;

/// <summary>CFMANAGEMENT_REHEARSAL_RATE_LIMIT: REQUESTS/SECONDS replaces the client-side budget; anything else is refused, naming the variable.</summary>
public class RehearsalRateLimitTests
{
    [Theory]
    [InlineData("60/1", 60, 1)]
    [InlineData(" 120 / 10 ", 120, 10)]
    [InlineData("1200/300", 1200, 300)]
    public void A_budget_is_read(string text, int requests, int seconds)
    {
        var budget = RehearsalRateLimit.Parse(text, out var error);
        Assert.Null(error);
        Assert.Equal((requests, TimeSpan.FromSeconds(seconds)), budget);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Unset_means_the_default_budget(string? text)
    {
        Assert.Null(RehearsalRateLimit.Parse(text, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("60")]
    [InlineData("60/0")]
    [InlineData("0/1")]
    [InlineData("-5/1")]
    [InlineData("60/301")]
    [InlineData("60/1/2")]
    [InlineData("sixty/1")]
    public void Anything_else_is_refused_naming_the_variable(string text)
    {
        Assert.Null(RehearsalRateLimit.Parse(text, out var error));
        Assert.NotNull(error);
        Assert.Equal(ErrorIds.InvalidRehearsalRateLimit, error!.FullyQualifiedErrorId);
        Assert.Contains(RehearsalRateLimit.Variable, error.ErrorDetails.Message);
        Assert.Contains("60/1", error.ErrorDetails.RecommendedAction);
    }
}
