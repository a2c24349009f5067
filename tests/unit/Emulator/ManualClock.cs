namespace CfManagement.Tests.Emulator;

/// <summary>A clock the test moves by hand (EmulatorOptions.Clock), so expiry and grace windows need no waiting.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
