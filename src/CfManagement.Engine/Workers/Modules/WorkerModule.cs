namespace CfManagement.Workers.Modules
{
    /// <summary>One uploaded part: its name (path relative to the module root, '/' separated), content type and bytes.</summary>
    public sealed class WorkerModule
    {
        public WorkerModule(string name, string path, string contentType, byte[] content)
        {
            Name = name;
            Path = path;
            ContentType = contentType;
            Content = content;
        }

        public string Name { get; }

        /// <summary>The file it was read from.</summary>
        public string Path { get; }

        public string ContentType { get; }
        public byte[] Content { get; }
        public int Size => Content.Length;

        public override string ToString() => $"{Name} ({ContentType}, {Size} bytes)";
    }
}
