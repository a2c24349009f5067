namespace CfManagement.Api
{
    /// <summary>One entry of Cloudflare's <c>errors</c> or <c>messages</c> array: a numeric code and its text.</summary>
    public sealed class CloudflareError
    {
        public CloudflareError(int code, string message, System.Collections.Generic.IReadOnlyList<CloudflareError>? chain = null)
        {
            Code = code;
            Message = message ?? string.Empty;
            Chain = chain ?? System.Array.Empty<CloudflareError>();
        }

        public int Code { get; }
        public string Message { get; }
        /// <summary>Cloudflare's <c>error_chain</c>: the more specific causes (e.g. 6003 → 6111).</summary>
        public System.Collections.Generic.IReadOnlyList<CloudflareError> Chain { get; }

        public override string ToString() => Chain.Count == 0
            ? $"[{Code}] {Message}"
            : $"[{Code}] {Message} ({string.Join("; ", System.Linq.Enumerable.Select(Chain, c => c.ToString()))})";
    }
}
