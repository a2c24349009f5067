using System.Security;

namespace CfManagement.SecretSets
{
    /// <summary>A NAME/value pair read from a file, with its line (values already SecureString; null: delete).</summary>
    internal sealed class ParsedSecret
    {
        public ParsedSecret(string name, SecureString? value, int line)
        {
            Name = name;
            Value = value;
            Line = line;
        }

        public string Name { get; }
        public SecureString? Value { get; }
        public int Line { get; }
        public override string ToString() => $"{Name} (line {Line})";
    }
}
