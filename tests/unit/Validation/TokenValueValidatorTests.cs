using System.Net;
using System.Security;
using CfManagement.Validation;
using Xunit;

namespace CfManagement.Tests.Validation;

/// <summary>Token values: surrounding white space trimmed (the one normalisation), anything inside refused, never shown.</summary>
public class TokenValueValidatorTests
{
    private const string Value = "cfut_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789";

    private static SecureString Secure(string plain)
    {
        var s = new SecureString();
        foreach (var c in plain) s.AppendChar(c);
        return s;
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData(" \t")]
    public void Surrounding_white_space_is_trimmed_into_a_copy(string around)
    {
        using var input = Secure(around + Value + around);
        Assert.Null(TokenValueValidator.Check(input, "Token", out var usable, out var copied));
        Assert.True(copied);
        Assert.Equal(Value, new NetworkCredential("", usable).Password);
        Assert.True(usable!.IsReadOnly());
        usable.Dispose();
    }

    [Fact]
    public void A_clean_value_is_used_as_is()
    {
        using var input = Secure(Value);
        Assert.Null(TokenValueValidator.Check(input, "Token", out var usable, out var copied));
        Assert.False(copied);
        Assert.Same(input, usable);
    }

    [Theory]
    [InlineData("\n", "line feed")]
    [InlineData("\r", "carriage return")]
    [InlineData(" ", "space")]
    [InlineData("\t", "tab")]
    [InlineData("\0", "NUL")]
    [InlineData("\u007f", "DEL")]
    [InlineData("\u00e9", "non-ASCII")]
    [InlineData("\u0001", "control character")]
    public void Anything_inside_is_refused_without_showing_the_value(string inner, string named)
    {
        using var input = Secure(Value.Insert(12, inner));
        var error = TokenValueValidator.Check(input, "Token", out var usable, out _);
        Assert.NotNull(error);
        Assert.Null(usable);
        Assert.StartsWith("InvalidTokenValue", error!.FullyQualifiedErrorId);
        Assert.Contains(named, error.ErrorDetails.Message);
        Assert.Contains("position 13", error.ErrorDetails.Message);
        Assert.DoesNotContain("AbCdEf", error.ErrorDetails.Message + error.Exception.Message + error.ErrorDetails.RecommendedAction);
        Assert.Null(error.TargetObject);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" \r\n")]
    public void Empty_is_MissingApiToken(string plain)
    {
        using var input = Secure(plain);
        Assert.StartsWith("MissingApiToken", TokenValueValidator.Check(input, "Token", out _, out _)!.FullyQualifiedErrorId);
        Assert.StartsWith("MissingApiToken", TokenValueValidator.Check(plain, "CLOUDFLARE_API_TOKEN", out _)!.FullyQualifiedErrorId);
    }

    [Fact]
    public void An_environment_value_is_trimmed_and_checked_the_same_way()
    {
        Assert.Null(TokenValueValidator.Check(Value + "\n", "CLOUDFLARE_API_TOKEN", out var usable));
        Assert.Equal(Value, usable);
        var error = TokenValueValidator.Check(Value.Insert(3, "\n"), "CLOUDFLARE_API_TOKEN", out _);
        Assert.Contains("$env:CLOUDFLARE_API_TOKEN", error!.ErrorDetails.Message);
    }
}
