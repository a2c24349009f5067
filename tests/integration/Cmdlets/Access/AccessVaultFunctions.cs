using CfManagement.Tests.Infrastructure;

namespace CfManagement.Tests.Cmdlets.Access;

/// <summary>
/// SecretManagement's read side (Get-Secret, Get-SecretInfo) as functions in the test runspace, over
/// $global:CfAccessVault (NAME → @{ Secret; Metadata }): metadata like SecretStore, or a companion NAME__CLIENT_ID
/// secret like a vault without metadata.
/// </summary>
public static class AccessVaultFunctions
{
    private const string Script = """
        $global:CfAccessVault = @{}
        $global:CfAccessVaultReads = 0
        function global:Get-Secret {
            param([string] $Name, [string] $Vault, [switch] $AsPlainText)
            $global:CfAccessVaultReads++
            $entry = $global:CfAccessVault["$Vault/$Name"]
            if ($null -eq $entry) { throw "Get-Secret: The secret $Name was not found." }
            if ($AsPlainText -and $entry.Secret -is [securestring]) { return [Net.NetworkCredential]::new('', $entry.Secret).Password }
            $entry.Secret
        }
        function global:Get-SecretInfo {
            param([string] $Name, [string] $Vault)
            $global:CfAccessVault.Keys | Where-Object { $_ -like "$Vault/$Name" } | ForEach-Object {
                [pscustomobject]@{ Name = $_.Substring($Vault.Length + 1); VaultName = $Vault; Metadata = $global:CfAccessVault[$_].Metadata }
            }
        }
        function global:Set-TestAccessSecret {
            param([string] $Vault, [string] $Name, [object] $Secret, [hashtable] $Metadata)
            $global:CfAccessVault["$Vault/$Name"] = @{ Secret = $Secret; Metadata = $Metadata }
        }
        """;

    public static void Install(PsSession ps)
    {
        var result = ps.Run(Script);
        if (result.Terminating != null) throw result.Terminating;
    }

    /// <summary>Stores a service token as the Access commands do: the secret under NAME, the client id in metadata or a companion.</summary>
    public static void Store(PsSession ps, string vault, string name, string clientId, string secret, bool metadata = true)
    {
        ps.Set("CfAccessSecretValue", PsSession.Secure(secret));
        var result = metadata
            ? ps.Run($"Set-TestAccessSecret -Vault '{vault}' -Name '{name}' -Secret $CfAccessSecretValue -Metadata @{{ ClientId = '{clientId}'; ManagedBy = 'CfManagement' }}")
            : ps.Run($"Set-TestAccessSecret -Vault '{vault}' -Name '{name}' -Secret $CfAccessSecretValue; Set-TestAccessSecret -Vault '{vault}' -Name '{name}__CLIENT_ID' -Secret '{clientId}'");
        if (result.Terminating != null) throw result.Terminating;
    }
}
