using System.Collections.Generic;

namespace CfManagement.Issuance
{
    /// <summary>A place an issued credential is delivered to, as the issuance sequence sees it (bound to its host).</summary>
    internal interface ICredentialDestination
    {
        /// <summary>Secret-free, e.g. vault:Store/Name.</summary>
        string Description { get; }

        void Deliver(IssuedCredential credential, IReadOnlyDictionary<string, string> metadata);

        /// <summary>Removes what <see cref="Deliver"/> stored; already gone is not an error.</summary>
        void Remove();
    }
}
