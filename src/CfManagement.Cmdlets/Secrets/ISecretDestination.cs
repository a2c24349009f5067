using System.Collections.Generic;
using CfManagement.Commands.Base;
using CfManagement.Issuance;

namespace CfManagement.Secrets
{
    /// <summary>
    /// Where a freshly minted or rolled value goes. Writes run on the cmdlet's pipeline thread (a vault is a
    /// PowerShell command); metadata is descriptive only and never holds the value.
    /// </summary>
    internal interface ISecretDestination
    {
        /// <summary>A stable, secret-free description for output, ShouldProcess and the ledger, e.g. vault:Store/Name.</summary>
        string Description { get; }

        /// <summary>Stores the credential (an API token: its one secret part; multi-part credentials choose their parts).</summary>
        void Write(CfSessionCmdlet cmdlet, IssuedCredential credential, IReadOnlyDictionary<string, string> metadata);

        /// <summary>Removes what <see cref="Write"/> stored (rollback and cleanup); missing is not an error.</summary>
        void Remove(CfSessionCmdlet cmdlet);
    }
}
