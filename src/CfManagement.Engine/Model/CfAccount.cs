namespace CfManagement.Model
{
    public sealed class CfAccount
    {
        public CfAccount(string id, string name)
        {
            Id = id;
            Name = name;
        }

        public string Id { get; }
        public string Name { get; }
        public override string ToString() => $"{Name} ({Id})";
    }
}
