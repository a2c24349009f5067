using System;

namespace CfManagement.Model
{
    /// <summary>
    /// A live tail at Cloudflare (<c>POST .../workers/scripts/{name}/tails</c> answers <c>{id, url, expires_at}</c>).
    /// The server keeps the socket open past <see cref="ExpiresAt"/> but stops sending events, so a client renews before it.
    /// </summary>
    public sealed class CfTail
    {
        public CfTail(string scriptName, string id, Uri? url, DateTimeOffset? expiresAt)
        {
            ScriptName = scriptName;
            Id = id;
            Url = url;
            ExpiresAt = expiresAt;
        }

        public string ScriptName { get; }
        public string Id { get; }
        /// <summary>The <c>wss://</c> address of the trace-v1 socket (absent from a list answer).</summary>
        public Uri? Url { get; }
        public DateTimeOffset? ExpiresAt { get; }

        public override string ToString() => $"{ScriptName}/{Id}";
    }
}
