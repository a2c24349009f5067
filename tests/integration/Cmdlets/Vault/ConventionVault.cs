using System.Collections;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Vault;

/// <summary>
/// SecretManagement's commands as functions in the test runspace, over $global:CvStore ("Vault/Name" → @{ Secret;
/// Metadata }): Get-SecretVault (vault 'Ops', and 'Plain' whose Set-Secret rejects -Metadata), Get-SecretInfo
/// (wildcards, metadata like SecretStore), Get-Secret (-AsPlainText), Set-Secret, Remove-Secret. Counters prove the
/// scaling rules: $global:CvListings (Get-SecretInfo calls), $global:CvReads (names Get-Secret read), $global:CvWrites
/// and $global:CvRemoves (names written/removed). $global:CvFailList / CvFailWrite / CvFailRemove inject faults.
/// </summary>
public static class ConventionVault
{
    private const string Script = """
        $global:CvStore = @{}
        $global:CvListings = 0
        $global:CvReads = [System.Collections.Generic.List[string]]::new()
        $global:CvWrites = [System.Collections.Generic.List[string]]::new()
        $global:CvRemoves = [System.Collections.Generic.List[string]]::new()
        $global:CvFailList = $false
        $global:CvFailWrite = ''
        $global:CvFailRemove = ''
        function global:Get-SecretVault {
            param([string] $Name)
            foreach ($v in 'Ops', 'Plain') { if (-not $Name -or $v -like $Name) { [pscustomobject]@{ Name = $v; ModuleName = 'Fake'; IsDefault = ($v -eq 'Ops') } } }
        }
        function global:Get-SecretInfo {
            param([string] $Name = '*', [string] $Vault)
            $global:CvListings++
            if ($global:CvFailList) { throw "Vault '$Vault' is locked." }
            $global:CvStore.Keys | Where-Object { $_.StartsWith("$Vault/") -and $_.Substring($Vault.Length + 1) -like $Name } | Sort-Object | ForEach-Object {
                $meta = $global:CvStore[$_].Metadata
                [pscustomobject]@{ Name = $_.Substring($Vault.Length + 1); Type = 'String'; VaultName = $Vault
                    Metadata = if ($meta) { [System.Collections.ObjectModel.ReadOnlyDictionary[string, object]]::new([System.Collections.Generic.Dictionary[string, object]]$meta) } else { $null } }
            }
        }
        function global:Get-Secret {
            param([string] $Name, [string] $Vault, [switch] $AsPlainText)
            $global:CvReads.Add($Name)
            $entry = $global:CvStore["$Vault/$Name"]
            if ($null -eq $entry) { throw "Get-Secret: The secret $Name was not found." }
            if ($AsPlainText -and $entry.Secret -is [securestring]) { return [Net.NetworkCredential]::new('', $entry.Secret).Password }
            $entry.Secret
        }
        function global:Set-Secret {
            param([string] $Name, [object] $Secret, [string] $Vault, [hashtable] $Metadata)
            if ($Vault -eq 'Plain' -and $Metadata) { throw "Set-Secret: This vault does not support metadata." }
            if ($global:CvFailWrite -and $Name -like $global:CvFailWrite) { throw "Vault '$Vault' refused $Name." }
            $global:CvWrites.Add($Name)
            $copy = $null
            if ($Metadata) { $copy = [System.Collections.Generic.Dictionary[string, object]]::new([StringComparer]::OrdinalIgnoreCase); foreach ($k in $Metadata.Keys) { $copy[$k] = $Metadata[$k] } }
            elseif ($global:CvStore.ContainsKey("$Vault/$Name")) { $copy = $global:CvStore["$Vault/$Name"].Metadata }
            $global:CvStore["$Vault/$Name"] = @{ Secret = $Secret; Metadata = $copy }
        }
        function global:Remove-Secret {
            param([string] $Name, [string] $Vault)
            if ($global:CvFailRemove -and $Name -like $global:CvFailRemove) { throw "Vault '$Vault' refused to remove $Name." }
            if (-not $global:CvStore.ContainsKey("$Vault/$Name")) { throw "Secret '$Name' was not found in vault '$Vault'." }
            $global:CvRemoves.Add($Name)
            $global:CvStore.Remove("$Vault/$Name")
        }
        function global:Add-CvSecret {
            param([string] $Vault = 'Ops', [string] $Name, [object] $Secret, [hashtable] $Metadata)
            $copy = $null
            if ($Metadata) { $copy = [System.Collections.Generic.Dictionary[string, object]]::new([StringComparer]::OrdinalIgnoreCase); foreach ($k in $Metadata.Keys) { $copy[$k] = $Metadata[$k] } }
            $global:CvStore["$Vault/$Name"] = @{ Secret = $Secret; Metadata = $copy }
        }
        """;

    public static void Install(PsSession ps)
    {
        var result = ps.Run(Script);
        if (result.Terminating != null) throw result.Terminating;
    }

    public static void Add(PsSession ps, string name, object secret, IDictionary? metadata = null, string vault = "Ops")
    {
        var result = ps.Run("param($v, $n, $s, $m) Add-CvSecret -Vault $v -Name $n -Secret $s -Metadata $m", args: [vault, name, secret, metadata!]);
        if (result.Terminating != null) throw result.Terminating;
        result.AssertNoErrors();
    }

    public static bool Has(PsSession ps, string name, string vault = "Ops") => Store(ps).ContainsKey($"{vault}/{name}");

    public static Hashtable Store(PsSession ps) => (Hashtable)Unwrap(ps.Get("CvStore"))!;

    public static object? Secret(PsSession ps, string name, string vault = "Ops") => Unwrap(((Hashtable)Unwrap(Store(ps)[$"{vault}/{name}"])!)["Secret"]);

    public static IDictionary? Metadata(PsSession ps, string name, string vault = "Ops") => Unwrap(((Hashtable)Unwrap(Store(ps)[$"{vault}/{name}"])!)["Metadata"]) as IDictionary;

    public static int Listings(PsSession ps) => Convert.ToInt32(Unwrap(ps.Get("CvListings")));

    public static IReadOnlyList<string> Reads(PsSession ps) => ((IEnumerable)Unwrap(ps.Get("CvReads"))!).Cast<object>().Select(o => o.ToString()!).ToList();

    public static IReadOnlyList<string> Writes(PsSession ps) => ((IEnumerable)Unwrap(ps.Get("CvWrites"))!).Cast<object>().Select(o => o.ToString()!).ToList();

    public static IReadOnlyList<string> Removes(PsSession ps) => ((IEnumerable)Unwrap(ps.Get("CvRemoves"))!).Cast<object>().Select(o => o.ToString()!).ToList();

    public static void ResetCounters(PsSession ps) => ps.Run("$global:CvListings = 0; $global:CvReads.Clear(); $global:CvWrites.Clear(); $global:CvRemoves.Clear()").AssertNoErrors();

    private static object? Unwrap(object? value) => value is System.Management.Automation.PSObject pso ? pso.BaseObject : value;
}

/// <summary>A CfVaultCredential read through its properties (the module's types live in its own load context).</summary>
public sealed record CfVaultCredential(string Name, string Vault, string Kind, string? TokenId, string? ClientId, string? TokenName, string? Scopes,
    DateTimeOffset? ExpiresOn, int? DaysLeft, DateTimeOffset? IssuedOn, string? Purpose, string MetadataSource, bool HasValue, bool IsRevoked,
    DateTimeOffset? RevokedOn, string? RevokedReason, string Text)
{
    public override string ToString() => Text;

    public static CfVaultCredential Of(System.Management.Automation.PSObject o)
    {
        Assert.Equal("CfManagement.Model.CfVaultCredential", o.BaseObject.GetType().FullName);
        T? P<T>(string name) => o.Properties[name].Value is T value ? value : default;
        return new(P<string>("Name")!, P<string>("Vault")!, P<string>("Kind")!, P<string>("TokenId"), P<string>("ClientId"), P<string>("TokenName"),
            P<string>("Scopes"), o.Properties["ExpiresOn"].Value as DateTimeOffset?, P<int?>("DaysLeft"),
            o.Properties["IssuedOn"].Value as DateTimeOffset?, P<string>("Purpose"), P<string>("MetadataSource")!, P<bool>("HasValue"), P<bool>("IsRevoked"),
            o.Properties["RevokedOn"].Value as DateTimeOffset?, P<string>("RevokedReason"), o.BaseObject.ToString()!);
    }
}

public static class VaultCredentialResults
{
    public static IEnumerable<CfVaultCredential> Credentials(this PsResult result) => result.Output.Select(CfVaultCredential.Of);
}
