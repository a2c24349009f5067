namespace CfManagement.SecretSets
{
    /// <summary>A secret a target has now: its name and type (values are never readable).</summary>
    internal sealed class SecretListing
    {
        public SecretListing(string name, string type)
        {
            Name = name;
            Type = type;
        }

        public string Name { get; }
        /// <summary>secret_text for a value the secret commands manage; other types (secret_key, plain_text) are never pruned.</summary>
        public string Type { get; }
    }
}
