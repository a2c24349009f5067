using System.Diagnostics;
using System.Text.RegularExpressions;
using CfManagement.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace CfManagement.Tests.Cmdlets.Tail;

/// <summary>
/// A missing pong is a disconnect. CFMANAGEMENT_TAIL_PING_INTERVAL=1 makes the 10 s ping (and pong timeout) 1 s, so
/// the test takes seconds; it is process-wide, hence the non-parallel environment collection.
/// </summary>
[Collection(EnvironmentCollection.Name)]
public class TailPongTests(ITestOutputHelper output) : TailTestBase
{
    /// <summary>
    /// The tail goes quiet (no events) with its pongs withheld, as a dead connection looks: the ping after 1 s of quiet
    /// gets no pong, the socket counts as disconnected, a new tail is made, and the events sent after it all arrive.
    /// (A tail that is receiving events sends no pings: the events prove the connection alive.)
    /// </summary>
    [Fact]
    public async Task A_withheld_pong_is_a_disconnect_the_tail_reconnects_and_events_resume()
    {
        using var ping = new EnvironmentScope(("CFMANAGEMENT_TAIL_PING_INTERVAL", "1"));
        await PrepareAsync("api");
        using var watch = new TailWatch(Emulator);
        const int half = 600;
        TimeSpan? noticed = null;
        var driving = Task.Run(async () =>
        {
            await watch.WaitConnectedAsync("api");
            await AdminAsync("generate", new { target = "api", count = half, eventsPerSecond = 300, kind = "fetch" });
            await Task.Delay(3000); // 2 s of events, then 1 s quiet: pings are answered, the tail lives on
            await AdminAsync("withhold-pongs", new { target = "api", withhold = true });
            var withheld = watch.Clock.Elapsed;
            var waited = Stopwatch.StartNew();
            while (!Tails.All().Any(t => t.Connected && watch.Tails("api").FirstOrDefault()?.Id != t.Id))
            {
                if (waited.Elapsed > TimeSpan.FromSeconds(15)) return; // never reconnected: the assertions below say so
                await Task.Delay(20);
            }
            noticed = watch.Clock.Elapsed - withheld;
            await AdminAsync("generate", new { target = "api", count = half, eventsPerSecond = 300, kind = "fetch" });
        });
        var result = Ps.Run($"Start-CfTail -Script api -Status ok, error -First {2 * half} -Duration 00:00:30");
        await driving;

        result.AssertNoErrors();
        var reconnect = result.Warnings.Select(w => Regex.Match(w.Message, @"disconnected \((?<reason>.*)\); reconnected with a new tail after (?<gap>\d+\.\d) s")).Where(m => m.Success).ToList();
        Assert.True(reconnect.Count == 1, "warnings: " + Warnings(result));
        output.WriteLine($"reconnected {noticed?.TotalSeconds:0.0} s after the pongs were withheld; warning: {reconnect[0].Value}");
        Assert.Contains("Pong", reconnect[0].Groups["reason"].Value, StringComparison.OrdinalIgnoreCase);
        Assert.NotNull(noticed);
        Assert.True(noticed < TimeSpan.FromSeconds(8), $"the missing pong took {noticed} to notice: the 1 s ping interval was not used");
        var creations = TailCreations("api");
        Assert.Equal(2, creations.Count); // answered pings never caused a reconnect; the withheld one caused exactly one
        Assert.Equal(creations[0].Body, creations[1].Body);
        Assert.Equal(2, watch.Tails("api").Count);
        AssertEveryTailDeletedOnce(watch, "api");
        // The gap was quiet, so nothing is missing: the events before it and all those sent after the reconnection.
        Assert.Equal(Enumerable.Range(0, 2 * half).Select(i => (long)i), result.Output.Select(Seq));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("61")]
    public void A_ping_interval_that_is_not_0_1_to_60_seconds_is_refused_before_any_request(string value)
    {
        using var ping = new EnvironmentScope(("CFMANAGEMENT_TAIL_PING_INTERVAL", value));
        ConnectOrFail();
        Emulator.ClearRequests();
        var error = Ps.Run("Start-CfTail -Script api -Duration 00:00:05").SingleError();
        Assert.StartsWith("InvalidTailPingInterval,", error.FullyQualifiedErrorId);
        Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains("CFMANAGEMENT_TAIL_PING_INTERVAL", error.ErrorDetails.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails.RecommendedAction));
        Assert.Empty(Emulator.Requests);
    }
}
