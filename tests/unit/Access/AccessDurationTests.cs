using CfManagement.Model;
using Xunit;

namespace CfManagement.Tests.Access;

/// <summary>Go-style durations (time.ParseDuration) and forever, as the Access API takes them; bad ones say why.</summary>
public class AccessDurationTests
{
    [Theory]
    [InlineData("8760h", 8760 * 60)]
    [InlineData("60m", 60)]
    [InlineData("2h45m", 165)]
    [InlineData("1.5h", 90)]
    [InlineData(".5h", 30)]
    [InlineData("90s", 1.5)]
    [InlineData("1h0m30s", 60.5)]
    public void Go_durations_parse(string text, double minutes)
    {
        Assert.True(AccessDuration.TryParse(text, out var duration, out var problem), problem);
        Assert.Equal(TimeSpan.FromMinutes(minutes), duration!.Span);
        Assert.Equal(text, duration.Text);
    }

    [Theory]
    [InlineData("forever")]
    [InlineData(" Forever ")]
    public void Forever_never_expires(string text)
    {
        Assert.True(AccessDuration.TryParse(text, out var duration, out _));
        Assert.True(duration!.IsForever);
        Assert.Equal("forever", duration.Text);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("365", "no unit")]
    [InlineData("30d", "'d' is not a unit")]
    [InlineData("1y", "'y' is not a unit")]
    [InlineData("-5h", "sign")]
    [InlineData("0", "not longer than zero")]
    [InlineData("0h", "not longer than zero")]
    [InlineData("h", "no number")]
    [InlineData("1h30", "no unit")]
    [InlineData("3000000h", "292 years")]
    [InlineData("1 h", "' h' is not a unit")]
    public void Bad_durations_say_why(string text, string expected)
    {
        Assert.False(AccessDuration.TryParse(text, out var duration, out var problem));
        Assert.Null(duration);
        Assert.Contains(expected, problem);
    }

    [Theory]
    [InlineData(8760 * 60, "8760h")]
    [InlineData(90, "1h30m")]
    [InlineData(0.5, "30s")]
    public void TimeSpans_format_as_Go_durations(double minutes, string expected) =>
        Assert.Equal(expected, AccessDuration.Format(TimeSpan.FromMinutes(minutes)));
}
