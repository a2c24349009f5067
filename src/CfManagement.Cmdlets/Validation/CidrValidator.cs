using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CfManagement.Validation
{
    /// <summary>
    /// IP filters in token conditions are CIDRs; a bare address is its own /32 (or /128). Only canonical text is
    /// accepted: dotted-decimal IPv4 (four decimal octets, no leading zeros) and IPv6 without a zone id, with an
    /// optional decimal prefix. Anything .NET or inet_aton would reinterpret ("010.0.0.1" is octal 8.0.0.1,
    /// "0x7f.0.0.1" is 127.0.0.1, "1.2" is 1.0.0.2) is refused rather than rewritten.
    /// </summary>
    public static class CidrValidator
    {
        /// <summary>The CIDR to send, or null when <paramref name="value"/> is not a canonical address or CIDR.</summary>
        public static string? Normalize(string? value)
        {
            if (string.IsNullOrEmpty(value)) return null;
            var parts = value!.Split('/');
            if (parts.Length > 2) return null;
            var text = parts[0];
            int max;
            IPAddress? address;
            if (text.IndexOf(':') >= 0)
            {
                // IPv6: hex digits, colons and an optional embedded dotted quad; no zone id ("%eth0"), brackets or spaces.
                foreach (var c in text)
                    if (!(IsHex(c) || c == ':' || c == '.')) return null;
                var lastColon = text.LastIndexOf(':');
                if (text.IndexOf('.') >= 0 && !IsCanonicalIPv4(text.Substring(lastColon + 1))) return null;
                if (!IPAddress.TryParse(text, out address) || address.AddressFamily != AddressFamily.InterNetworkV6) return null;
                max = 128;
            }
            else
            {
                if (!IsCanonicalIPv4(text) || !IPAddress.TryParse(text, out address) || address.AddressFamily != AddressFamily.InterNetwork) return null;
                max = 32;
            }
            if (parts.Length == 1) return $"{address}/{max}";
            if (!IsCanonicalNumber(parts[1], 3) ||
                !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix > max) return null;
            return $"{address}/{prefix}";
        }

        /// <summary>Four decimal octets 0-255, each without a leading zero.</summary>
        public static bool IsCanonicalIPv4(string text)
        {
            var octets = text.Split('.');
            if (octets.Length != 4) return false;
            foreach (var octet in octets)
                if (!IsCanonicalNumber(octet, 3) || int.Parse(octet, NumberStyles.None, CultureInfo.InvariantCulture) > 255) return false;
            return true;
        }

        private static bool IsCanonicalNumber(string text, int maxDigits)
        {
            if (text.Length == 0 || text.Length > maxDigits) return false;
            foreach (var c in text)
                if (c < '0' || c > '9') return false;
            return text.Length == 1 || text[0] != '0';
        }

        private static bool IsHex(char c) => (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
