using System.Runtime.InteropServices;
using CfManagement.Ledger;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Ledger;

[Collection(EnvironmentCollection.Name)]
public sealed class LedgerPathsTests
{
    [Fact]
    public void CFMANAGEMENT_LEDGER_PATH_overrides_the_default()
    {
        var path = Path.Combine(Path.GetTempPath(), "cfledger-" + Guid.NewGuid().ToString("N"), "custom.db");
        using var env = new EnvironmentScope(("CFMANAGEMENT_LEDGER_PATH", path));

        Assert.Equal(path, LedgerPaths.DefaultSqlitePath());
    }

    [Fact]
    public async Task A_ledger_at_the_default_path_uses_the_override()
    {
        var root = Path.Combine(Path.GetTempPath(), "cfledger-" + Guid.NewGuid().ToString("N"));
        var path = Path.Combine(root, "sub", "ledger.db");
        try
        {
            using (new EnvironmentScope(("CFMANAGEMENT_LEDGER_PATH", path)))
            {
                using var ledger = new SqliteLedger(LedgerPaths.DefaultSqlitePath());
                await ledger.InitializeAsync(CancellationToken.None);
                Assert.Equal(path, ledger.Location);
            }
            Assert.True(File.Exists(path));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Without_the_override_it_follows_the_platform_convention()
    {
        using var env = new EnvironmentScope(("CFMANAGEMENT_LEDGER_PATH", null), ("XDG_DATA_HOME", "/xdg/data"));
        var path = LedgerPaths.DefaultSqlitePath();

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            Assert.Equal(Path.Combine(local, "CfManagement", "ledger.db"), path);
        }
        else
        {
            Assert.Equal("/xdg/data/CfManagement/ledger.db", path);
            using var noXdg = new EnvironmentScope(("XDG_DATA_HOME", null), ("HOME", "/home/runner"));
            Assert.Equal("/home/runner/.local/share/CfManagement/ledger.db", LedgerPaths.DefaultSqlitePath());
        }
    }
}
