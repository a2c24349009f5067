namespace CfManagement.Model
{
    public sealed class CfZone
    {
        public CfZone(string id, string name, string status, string? accountId, string? accountName)
        {
            Id = id;
            Name = name;
            Status = status;
            AccountId = accountId;
            AccountName = accountName;
        }

        public string Id { get; }
        public string Name { get; }
        public string Status { get; }
        public string? AccountId { get; }
        public string? AccountName { get; }
        public override string ToString() => $"{Name} ({Id})";
    }
}
