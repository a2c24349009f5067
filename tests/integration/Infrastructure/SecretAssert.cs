using Xunit;

namespace CfManagement.Tests.Infrastructure;

/// <summary>
/// The reusable leak check: a secret value must appear in no stream (output, error, warning, verbose, debug,
/// information, progress, host text), no exception message or stack, no error detail, and no ToString() of any
/// object the command emitted, including nested property values.
/// </summary>
public static class SecretAssert
{
    public static void NotLeaked(PsResult result, params string[] secrets)
    {
        var texts = result.AllText().Concat(result.Output.SelectMany(PropertyTexts)).ToList();
        foreach (var secret in secrets.Where(s => !string.IsNullOrEmpty(s)))
        {
            // The body of the secret (past the public cfut_/cfat_ prefix) is what must never show.
            var body = secret.Length > 12 ? secret[5..] : secret;
            var leak = texts.FirstOrDefault(t => t.Contains(body, StringComparison.Ordinal));
            Assert.True(leak == null, $"secret leaked into: {Redact(leak, body)}");
        }
    }

    private static IEnumerable<string> PropertyTexts(System.Management.Automation.PSObject o)
    {
        if (o == null) yield break;
        foreach (var p in o.Properties)
        {
            object? value;
            try { value = p.Value; } catch { continue; }
            if (value is System.Collections.IEnumerable e and not string)
                foreach (var item in e) yield return item?.ToString() ?? "";
            else yield return value?.ToString() ?? "";
        }
    }

    private static string? Redact(string? text, string secret) => text?.Replace(secret, "<SECRET>");
}
