using System.Management.Automation;
using CfManagement.Errors;

namespace CfManagement.Commands.SecretsStore
{
    /// <summary>The not-found records of the Secrets Store commands (ObjectNotFound, each with its own ErrorId).</summary>
    internal static class SecretsStoreErrors
    {
        public static ErrorRecord StoreNotFound(string store) =>
            Record($"No Secrets Store named or with id '{store}' is in the account.", ErrorIds.SecretsStoreNotFound, store,
                "Get-CfSecretsStore lists the account's stores; check the name, or connect to the account that has it (Secrets Store Read).");

        public static ErrorRecord SecretNotFound(string store, string name, string whatHappened) =>
            Record($"Secrets Store '{store}' has no secret named '{name}'{whatHappened}.", ErrorIds.SecretsStoreSecretNotFound, name,
                "Get-CfSecretsStoreSecret -Store <store> lists the secrets.");

        private static ErrorRecord Record(string message, string errorId, object target, string action) =>
            new ErrorRecord(new ItemNotFoundException(message), errorId, ErrorCategory.ObjectNotFound, target)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = action },
            };
    }
}
