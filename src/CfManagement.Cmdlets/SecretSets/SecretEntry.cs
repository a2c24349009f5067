using System.Security;

namespace CfManagement.SecretSets
{
    /// <summary>
    /// One secret change as the user gave it: a name and a value (null: delete it, as a JSON bulk file's null does),
    /// and where it came from ("app.env line 12", "pipeline object 3"), so every refusal can point at its source.
    /// </summary>
    internal sealed class SecretEntry
    {
        public SecretEntry(string name, SecureString? value, string origin)
        {
            Name = name;
            Value = value;
            Origin = origin;
        }

        public string Name { get; }
        public SecureString? Value { get; }
        public string Origin { get; }
        public bool IsDelete => Value == null;

        // Never the value.
        public override string ToString() => $"{Name} ({Origin})";
    }
}
