using CfManagement.Validation;
using Xunit;

namespace CfManagement.Tests.Validation;

/// <summary>Token IP filters: normalised CIDRs out, anything Cloudflare would not take refused (null).</summary>
public class CidrValidatorTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("192.0.2.1", "192.0.2.1/32")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("192.0.2.1/32", "192.0.2.1/32")]
    [InlineData("2001:db8::/32", "2001:db8::/32")]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1/128")]
    [InlineData("::1/128", "::1/128")]
    [InlineData("::/0", "::/0")]
    [InlineData("::ffff:192.0.2.1", "::ffff:192.0.2.1/128")]
    [InlineData("255.255.255.255/0", "255.255.255.255/0")]
    public void Valid_addresses_and_cidrs_are_normalised(string input, string expected) =>
        Assert.Equal(expected, CidrValidator.Normalize(input));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("10.0.0.0/33")]          // beyond an IPv4 prefix
    [InlineData("2001:db8::/129")]       // beyond an IPv6 prefix
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/+8")]
    [InlineData("10.0.0.0/ 8")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/8x")]          // trailing garbage after the prefix
    [InlineData("10.0.0.0/8/8")]
    [InlineData("10.0.0.1x")]            // trailing garbage after the address
    [InlineData("10.0.0")]               // IPAddress.TryParse would take this as 10.0.0.0
    [InlineData("1")]
    [InlineData("256.0.0.1")]
    [InlineData("example.com")]
    [InlineData("2001:db8::g")]
    [InlineData("fe80::1%eth0")]         // a link-local zone id means nothing to Cloudflare
    [InlineData("fe80::1%2/64")]
    [InlineData("  192.0.2.1/24 ")]      // surrounding white space: refused, not trimmed
    [InlineData("010.0.0.1")]            // octal to inet_aton and .NET: 8.0.0.1
    [InlineData("0x7f.0.0.1")]           // hex: 127.0.0.1
    [InlineData("0177.0.0.1")]
    [InlineData("10.0.0.01")]
    [InlineData("10.0.0.1/08")]
    [InlineData("2130706433")]           // a 32-bit integer: 127.0.0.1
    [InlineData("127.1")]
    [InlineData("::ffff:010.0.0.1")]     // a non-canonical embedded quad
    [InlineData("[2001:db8::1]")]
    [InlineData("１０.0.0.1")]            // full-width digits
    public void Anything_else_is_refused(string? input) => Assert.Null(CidrValidator.Normalize(input));
}
