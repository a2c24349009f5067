using System.Collections;
using System.Security;

namespace CfManagement.Tests.Infrastructure;

/// <summary>
/// SecretManagement's Set-Secret/Remove-Secret contract, as functions in the test runspace (the real module is not
/// on this machine). Values land in $global:CfFakeVault; failures are switched on with $global:CfFakeVaultFailures
/// (N upcoming writes fail; -1 = all) so destination faults can be injected.
/// </summary>
public static class FakeVault
{
    private const string Script = """
        $global:CfFakeVault = @{}
        $global:CfFakeVaultMeta = @{}
        $global:CfFakeVaultFailures = 0
        $global:CfFakeVaultWrites = 0
        $global:CfFakeVaultDelayMs = 0
        $global:CfFakeVaultRemoveFailures = 0
        function global:Set-Secret {
            param([string] $Name, [object] $Secret, [string] $Vault, [hashtable] $Metadata)
            $global:CfFakeVaultWrites++
            if ($global:CfFakeVaultDelayMs -gt 0) { Start-Sleep -Milliseconds $global:CfFakeVaultDelayMs }
            if ($global:CfFakeVaultFailures -ne 0) {
                if ($global:CfFakeVaultFailures -gt 0) { $global:CfFakeVaultFailures-- }
                throw "Vault '$Vault' is unavailable."
            }
            $global:CfFakeVault["$Vault/$Name"] = $Secret
            if ($Metadata) { $global:CfFakeVaultMeta["$Vault/$Name"] = $Metadata }
        }
        function global:Get-SecretInfo {
            param([string] $Name, [string] $Vault)
            if ($global:CfFakeVault.ContainsKey("$Vault/$Name")) { [pscustomobject]@{ Name = $Name; VaultName = $Vault } }
        }
        function global:Remove-Secret {
            param([string] $Name, [string] $Vault)
            if ($global:CfFakeVaultRemoveFailures -ne 0) {
                if ($global:CfFakeVaultRemoveFailures -gt 0) { $global:CfFakeVaultRemoveFailures-- }
                throw "Vault '$Vault' refused the removal."
            }
            if (-not $global:CfFakeVault.ContainsKey("$Vault/$Name")) { throw "Secret '$Name' was not found in vault '$Vault'." }
            $global:CfFakeVault.Remove("$Vault/$Name")
        }
        """;

    public static void Install(PsSession ps)
    {
        var result = ps.Run(Script);
        if (result.Terminating != null) throw result.Terminating;
    }

    public static void FailNextWrites(PsSession ps, int count) => ps.Set("CfFakeVaultFailures", count);

    /// <summary>Every upcoming Set-Secret blocks this long first (a slow vault).</summary>
    public static void DelayWrites(PsSession ps, TimeSpan delay) => ps.Set("CfFakeVaultDelayMs", (int)delay.TotalMilliseconds);

    /// <summary>N upcoming Remove-Secret calls fail; -1 = all.</summary>
    public static void FailNextRemovals(PsSession ps, int count) => ps.Set("CfFakeVaultRemoveFailures", count);

    public static Hashtable Contents(PsSession ps) => (Hashtable)Unwrap(ps.Get("CfFakeVault"))!;

    public static Hashtable? Metadata(PsSession ps, string key) => ((Hashtable)Unwrap(ps.Get("CfFakeVaultMeta"))!)[key] as Hashtable;

    /// <summary>The stored value as plain text (tests only: to prove it is the live token value).</summary>
    public static string? Value(PsSession ps, string key) =>
        Unwrap(Contents(ps)[key]) switch
        {
            SecureString s => new System.Net.NetworkCredential("", s).Password,
            string s => s,
            _ => null,
        };

    private static object? Unwrap(object? value) => value is System.Management.Automation.PSObject pso ? pso.BaseObject : value;
}
