using System.Diagnostics;
using System.Management.Automation;
using CfManagement.Emulator;
using Xunit;

namespace CfManagement.Tests.Infrastructure;

/// <summary>
/// Each test gets a fresh emulator (its own port, seed and fault rules) and a fresh runspace with the built module.
/// Fast retry settings keep fault tests quick; the behaviour under test is the same.
/// </summary>
public abstract class CmdletTestBase : IAsyncLifetime
{
    protected CloudflareEmulator Emulator { get; private set; } = null!;
    protected PsSession Ps { get; private set; } = null!;
    protected virtual EmulatorOptions Options => new();

    public async Task InitializeAsync()
    {
        Emulator = await CloudflareEmulator.StartAsync(Options);
        Ps = new PsSession();
        Ps.Set("ApiBaseUri", Emulator.BaseUri.ToString());
        Ps.Set("AccountId", Emulator.State.AccountId);
    }

    public async Task DisposeAsync()
    {
        Ps.Dispose();
        await Emulator.DisposeAsync();
        foreach (var file in new[] { LedgerPath, LedgerPath + "-wal", LedgerPath + "-shm" })
            try { File.Delete(file); } catch (IOException) { }
    }

    /// <summary>Each test's own SQLite ledger (never the user's real one).</summary>
    protected string LedgerPath { get; } = Path.Combine(Path.GetTempPath(), $"cf-ledger-{Guid.NewGuid():N}.db");

    protected string AdminToken => Emulator.State.AdminTokenValue;

    /// <summary>Connects the runspace with the given token value (default: the seeded admin user token).</summary>
    protected PsResult Connect(string? tokenValue = null, bool withAccount = true, string extra = "")
    {
        Ps.Set("CfTestToken", PsSession.Secure(tokenValue ?? AdminToken));
        Ps.Set("CfTestLedger", LedgerPath);
        var result = Ps.Run($"Connect-CfAccount -ApiToken $CfTestToken -ApiBaseUri $ApiBaseUri -LedgerPath $CfTestLedger {(withAccount ? "-AccountId $AccountId" : "")} {(extra.Contains("-MaxRetryWaitSeconds") ? "" : "-MaxRetryWaitSeconds 5")} {extra}");
        return result;
    }

    protected void ConnectOrFail(string? tokenValue = null, bool withAccount = true, string extra = "")
    {
        var result = Connect(tokenValue, withAccount, extra);
        result.AssertNoErrors();
    }

    /// <summary>
    /// Starts <paramref name="script"/> in the test runspace, presses Ctrl+C (PowerShell.Stop) after
    /// <paramref name="delay"/>, and asserts the pipeline stopped within 3 s: waits must honour cancellation.
    /// </summary>
    protected void AssertCtrlCStopsPromptly(string script, TimeSpan delay)
    {
        using var ps = PowerShell.Create();
        ps.Runspace = Ps.Runspace;
        ps.AddScript(script);
        var async = ps.BeginInvoke();
        Thread.Sleep(delay);
        var watch = Stopwatch.StartNew();
        ps.Stop();
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"Stop took {watch.Elapsed}");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);
        Assert.True(async.IsCompleted);
    }

    protected int RequestCount(string? pathContains = null) =>
        Emulator.Requests.Count(r => pathContains == null || r.Path.Contains(pathContains, StringComparison.Ordinal));
}
