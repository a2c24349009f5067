namespace CfManagement.Model
{
    /// <summary>One secret of a Worker script as Cloudflare lists it: its name and type, never its value.</summary>
    public sealed class CfWorkerSecret
    {
        public CfWorkerSecret(string scriptName, string name, string type)
        {
            ScriptName = scriptName;
            Name = name;
            Type = type;
        }

        /// <summary>The Worker script; named ScriptName so the object pipes into -Script of the secret commands.</summary>
        public string ScriptName { get; }
        public string Name { get; }
        /// <summary>secret_text, or secret_key for a CryptoKey binding.</summary>
        public string Type { get; }
        public override string ToString() => $"{ScriptName}/{Name}";
    }
}
