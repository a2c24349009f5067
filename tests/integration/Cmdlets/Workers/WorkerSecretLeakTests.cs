using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Workers;

/// <summary>
/// Secret values never reach any stream with -Verbose -Debug, for every Worker secret command; each command must
/// have really run (its success is asserted first), or the check would prove nothing.
/// </summary>
public class WorkerSecretLeakTests : CmdletTestBase
{
    private const string Single = "leak-check-single-value-0c9e41";
    private const string FromFile = "leak-check-file-value-77ab02";
    private const string FromCsv = "leak-check-csv-value-3d5f60";

    private string _env = "";
    private string _csv = "";

    private void Arrange()
    {
        ConnectOrFail();
        Emulator.State.AddWorkerScript("api");
        var dir = Path.Combine(Path.GetTempPath(), "cf-wsec-leak-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        _env = Path.Combine(dir, ".env");
        File.WriteAllText(_env, $"FILE_SECRET=\"{FromFile}\"\nSECOND='{FromFile}-2'\n");
        _csv = Path.Combine(dir, "s.csv");
        File.WriteAllText(_csv, $"Name,Value\nCSV_SECRET,{FromCsv}\n");
        Ps.Set("env", _env);
        Ps.Set("csv", _csv);
        Ps.Set("v", PsSession.Secure(Single));
    }

    private static readonly string[] All = [Single, FromFile, FromCsv];

    [Fact]
    public void Set_with_a_value_a_file_and_a_csv_leaks_nothing()
    {
        Arrange();
        foreach (var script in new[]
                 {
                     "Set-CfWorkerSecret api SINGLE $v -Verbose -Debug",
                     "Set-CfWorkerSecret api -Path $env -Verbose -Debug",
                     "Import-Csv $csv | Set-CfWorkerSecret -Script api -NoBulk -Verbose -Debug",
                     "Set-CfWorkerSecret api -Secret @{ HT = $v } -Verbose -Debug -WhatIf",
                 })
        {
            var result = Ps.Run(script);
            result.AssertNoErrors();
            if (!script.Contains("-WhatIf")) Assert.Contains(SecretResultView.Of(result), r => r.Status == "Applied");
            else Assert.Contains("worker:api/HT", result.HostText);
            Assert.NotEmpty(result.Verbose);
            SecretAssert.NotLeaked(result, All);
        }
        Assert.Equal(FromCsv, Emulator.State.WorkerSecretText("api", "CSV_SECRET"));
        Assert.Null(Emulator.State.WorkerSecretText("api", "HT"));
    }

    [Fact]
    public void Sync_Get_and_Remove_leak_nothing()
    {
        Arrange();
        Ps.Run("Set-CfWorkerSecret api SINGLE $v").AssertNoErrors();

        var sync = Ps.Run("Sync-CfWorkerSecret api $env -Prune -Verbose -Debug");
        sync.AssertNoErrors();
        Assert.Equal(3, SecretResultView.Of(sync).Count(r => r.Status == "Applied"));
        SecretAssert.NotLeaked(sync, All);

        var get = Ps.Run("Get-CfWorkerSecret api -Verbose -Debug");
        get.AssertNoErrors();
        Assert.Equal(2, get.Output.Count);
        SecretAssert.NotLeaked(get, All);

        var remove = Ps.Run("Get-CfWorkerSecret api | Remove-CfWorkerSecret -Confirm:$false -Verbose -Debug");
        remove.AssertNoErrors();
        Assert.Empty(Emulator.State.WorkerSecretNames("api"));
        Assert.NotEmpty(remove.Verbose);
        SecretAssert.NotLeaked(remove, All);

        // A failure path too: a secret already gone.
        var gone = Ps.Run("Remove-CfWorkerSecret api FILE_SECRET -Confirm:$false -Verbose -Debug");
        Assert.StartsWith("WorkerSecretNotFound,", gone.SingleError().FullyQualifiedErrorId);
        SecretAssert.NotLeaked(gone, All);
    }

    [Fact]
    public void The_emulator_request_log_keeps_no_value_from_bulk_calls()
    {
        Arrange();
        Ps.Run("Set-CfWorkerSecret api -Path $env").AssertNoErrors();
        Assert.Contains(Emulator.Requests, r => r.Path.EndsWith("/secrets-bulk", StringComparison.Ordinal));
        Assert.DoesNotContain(Emulator.Requests, r => r.Body.Contains(FromFile, StringComparison.Ordinal));
    }
}
