using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CfManagement.Validation
{
    /// <summary>IP filters in token conditions are CIDRs; a bare address is its own /32 (or /128).</summary>
    public static class CidrValidator
    {
        /// <summary>The normalised CIDR, or null when <paramref name="value"/> is not an address or CIDR.</summary>
        public static string? Normalize(string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return null;
            var parts = value!.Trim().Split('/');
            // A zone id ("fe80::1%eth0") is local to one machine; IPAddress.TryParse takes it (and rewrites it), Cloudflare would not.
            if (parts.Length > 2 || parts[0].IndexOf('%') >= 0 || !IPAddress.TryParse(parts[0], out var address)) return null;
            // IPAddress.TryParse accepts "1" or "1.2"; a token filter needs the dotted quad or a real IPv6 text.
            if (address.AddressFamily == AddressFamily.InterNetwork && parts[0].Split('.').Length != 4) return null;
            var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            if (parts.Length == 1) return $"{address}/{max}";
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix) || prefix < 0 || prefix > max) return null;
            return $"{address}/{prefix}";
        }
    }
}
