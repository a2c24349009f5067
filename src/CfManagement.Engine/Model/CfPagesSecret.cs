namespace CfManagement.Model
{
    /// <summary>A variable of a Pages project environment, by name and type (secret_text or plain_text); never its value.</summary>
    public sealed class CfPagesSecret
    {
        public const string SecretText = "secret_text";
        public const string PlainText = "plain_text";

        public CfPagesSecret(string project, string environment, string name, string type)
        {
            Project = project;
            Environment = environment;
            Name = name;
            Type = type;
        }

        public string Project { get; }
        /// <summary>production or preview.</summary>
        public string Environment { get; }
        public string Name { get; }
        public string Type { get; }

        public override string ToString() => $"pages:{Project}/{Environment}/{Name} ({Type})";
    }
}
