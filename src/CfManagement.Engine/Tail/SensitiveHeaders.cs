using System;

namespace CfManagement.Tail
{
    /// <summary>
    /// Which request headers of a tailed event carry credentials, so their values are replaced when the event is parsed
    /// (before any model, output stream or log ever holds them): the well-known ones by name, and any whose name
    /// contains token, secret, key, password, auth or session.
    /// </summary>
    public static class SensitiveHeaders
    {
        private static readonly string[] ExactNames =
        {
            "authorization", "proxy-authorization", "cookie", "set-cookie", "cf-access-client-secret", "cf-access-jwt-assertion",
            "cf-authorization", "x-auth-key", "x-auth-email",
        };

        private static readonly string[] NameParts = { "token", "secret", "key", "password", "passwd", "auth", "session", "credential", "signature" };

        public static bool IsSensitive(string headerName)
        {
            if (string.IsNullOrEmpty(headerName)) return false;
            // Case-insensitive comparisons rather than a lowered copy: this runs for every header of every tailed event.
            var name = headerName.Trim(); // the same instance when there is nothing to trim
            foreach (var exact in ExactNames)
                if (string.Equals(name, exact, StringComparison.OrdinalIgnoreCase)) return true;
            foreach (var part in NameParts)
                if (name.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0) return true;
            return false;
        }
    }
}
