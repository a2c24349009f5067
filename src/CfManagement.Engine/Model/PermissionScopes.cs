using System;
using System.Collections.Generic;
using System.Linq;

namespace CfManagement.Model
{
    /// <summary>The permission-group scopes Cloudflare uses, with the short names the module accepts for them.</summary>
    public static class PermissionScopes
    {
        public const string User = "com.cloudflare.api.user";
        public const string Account = "com.cloudflare.api.account";
        public const string Zone = "com.cloudflare.api.account.zone";
        public const string R2Bucket = "com.cloudflare.edge.r2.bucket";

        private static readonly IReadOnlyDictionary<string, string> ShortToFull = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["User"] = User,
            ["Account"] = Account,
            ["Zone"] = Zone,
            ["R2Bucket"] = R2Bucket,
        };

        public static IEnumerable<string> ShortNames => ShortToFull.Keys;

        /// <summary>Accepts a short name or a full scope name; null when neither.</summary>
        public static string? Normalize(string scope)
        {
            if (string.IsNullOrWhiteSpace(scope)) return null;
            if (ShortToFull.TryGetValue(scope.Trim(), out var full)) return full;
            var match = ShortToFull.Values.FirstOrDefault(v => string.Equals(v, scope.Trim(), StringComparison.OrdinalIgnoreCase));
            return match;
        }

        public static string ToShortName(string fullScope)
        {
            foreach (var pair in ShortToFull)
                if (string.Equals(pair.Value, fullScope, StringComparison.OrdinalIgnoreCase)) return pair.Key;
            return fullScope;
        }
    }
}
