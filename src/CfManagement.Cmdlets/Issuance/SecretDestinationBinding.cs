using System.Collections.Generic;
using CfManagement.Commands.Base;
using CfManagement.Secrets;

namespace CfManagement.Issuance
{
    /// <summary>A secret destination bound to the cmdlet whose runspace and session it writes through.</summary>
    internal sealed class SecretDestinationBinding : ICredentialDestination
    {
        private readonly ISecretDestination _destination;
        private readonly CfSessionCmdlet _cmdlet;

        public SecretDestinationBinding(ISecretDestination destination, CfSessionCmdlet cmdlet)
        {
            _destination = destination;
            _cmdlet = cmdlet;
        }

        public string Description => _destination.Description;

        public void Deliver(IssuedCredential credential, IReadOnlyDictionary<string, string> metadata) => _destination.Write(_cmdlet, credential, metadata);

        public void Remove() => _destination.Remove(_cmdlet);

        public static List<ICredentialDestination> Bind(IEnumerable<ISecretDestination> destinations, CfSessionCmdlet cmdlet)
        {
            var bound = new List<ICredentialDestination>();
            foreach (var destination in destinations) bound.Add(new SecretDestinationBinding(destination, cmdlet));
            return bound;
        }
    }
}
