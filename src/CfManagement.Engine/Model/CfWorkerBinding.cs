namespace CfManagement.Model
{
    /// <summary>A binding of a version: its name and type, never its value.</summary>
    public sealed class CfWorkerBinding
    {
        public CfWorkerBinding(string name, string type)
        {
            Name = name;
            Type = type;
        }

        public string Name { get; }
        public string Type { get; }
        public override string ToString() => $"{Name} ({Type})";
    }
}
