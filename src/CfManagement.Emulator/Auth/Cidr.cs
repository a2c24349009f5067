using System.Net;
using System.Net.Sockets;

namespace CfManagement.Emulator.Auth;

/// <summary>IP / CIDR parsing and matching for token conditions (a bare IP means /32 or /128).</summary>
internal static class Cidr
{
    public static bool TryParse(string text, out IPAddress network, out int prefix)
    {
        network = IPAddress.None;
        prefix = 0;
        var parts = text.Split('/');
        if (parts.Length > 2 || !IPAddress.TryParse(parts[0], out var address) || parts[0].Contains('%'))
            return false;
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (address.AddressFamily == AddressFamily.InterNetwork && parts[0].Count(c => c == '.') != 3)
            return false; // IPAddress.TryParse accepts "10" or "10.1"; Cloudflare does not.
        prefix = max;
        if (parts.Length == 2 && (!int.TryParse(parts[1], out prefix) || prefix < 0 || prefix > max || parts[1].Length > 3))
            return false;
        network = address;
        return true;
    }

    public static bool Contains(string cidr, IPAddress ip)
    {
        if (!TryParse(cidr, out var network, out var prefix))
            return false;
        if (ip.IsIPv4MappedToIPv6)
            ip = ip.MapToIPv4();
        if (network.AddressFamily != ip.AddressFamily)
            return false;
        var a = network.GetAddressBytes();
        var b = ip.GetAddressBytes();
        for (var bit = 0; bit < prefix; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask))
                return false;
        }
        return true;
    }
}
