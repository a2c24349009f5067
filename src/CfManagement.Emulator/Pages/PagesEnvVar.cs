namespace CfManagement.Emulator.Pages;

/// <summary>One environment variable of a Pages environment: plain_text (shown) or secret_text (write-only).</summary>
internal sealed record PagesEnvVar(string Type, string Value)
{
    public const string PlainText = "plain_text";
    public const string SecretText = "secret_text";

    public bool IsSecret => Type == SecretText;
}
