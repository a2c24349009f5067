using System;
using System.IO;
using System.Runtime.InteropServices;

namespace CfManagement.Ledger;

/// <summary>Where the SQLite ledger lives when the caller does not say.</summary>
public static class LedgerPaths
{
    public const string PathVariable = "CFMANAGEMENT_LEDGER_PATH";

    /// <summary>
    /// $CFMANAGEMENT_LEDGER_PATH if set; on Windows %LOCALAPPDATA%\CfManagement\ledger.db (per user and per machine,
    /// which suits Automation hybrid workers); elsewhere $XDG_DATA_HOME/CfManagement/ledger.db or
    /// ~/.local/share/CfManagement/ledger.db, following the XDG base-directory convention.
    /// </summary>
    public static string DefaultSqlitePath()
    {
        var overridden = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
            return Path.GetFullPath(overridden);

        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "CfManagement", "ledger.db");

        // XDG says a relative XDG_DATA_HOME is invalid and must be ignored.
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
            return Path.Combine(xdg, "CfManagement", "ledger.db");

        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrWhiteSpace(home))
            home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "CfManagement", "ledger.db");
    }
}
