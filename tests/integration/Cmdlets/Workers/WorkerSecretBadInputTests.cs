using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Workers;

/// <summary>
/// Bad Worker-secret input is refused before any request, with a stable ErrorId and a message that names the
/// parameter, or the file and line, and never the value.
/// </summary>
public class WorkerSecretBadInputTests : CmdletTestBase
{
    private const string Value = "bad-input-secret-value-5a1f";

    private static readonly Dictionary<string, string> Files = new()
    {
        ["noequals.env"] = "A=1\n# comment\nJUST_A_NAME\n",
        ["unterminated.env"] = "A=1\nB=\"unclosed-secret-text\nC=3\n",
        ["trailing.env"] = "A='trail-secret-text' trailing\n",
        ["badname.env"] = "A=1\nB=2\n\nMY-KEY=4\n",
        ["dup.env"] = "TOKEN=1\nOTHER=2\nexport TOKEN=3\n",
        ["empty.env"] = "A=1\nEMPTY=\n",
        ["big.env"] = "A=1\nBIG=" + new string('x', 5121) + "\n",
        ["startequals.env"] = "=value\n",
        ["bad.json"] = "{\n  \"A\": \"1\",\n  \"B\": \n}\n",
        ["number.json"] = "{\n  \"A\": \"1\",\n  \"B\": 42\n}\n",
        ["array.json"] = "[\"A\"]\n",
        ["dup.json"] = "{\n  \"A\": \"1\",\n  \"A\": \"2\"\n}\n",
        ["two.json"] = "{ \"A\": \"1\" }\n{ \"B\": \"2\" }\n",
    };

    public static TheoryData<string, string, string> Cases => new()
    {
        { "Set-CfWorkerSecret -Script 'Bad Name' -Name A -Value $v", "InvalidScriptName", "-Script" },
        { "Set-CfWorkerSecret -Script 'UPPER' -Name A -Value $v", "InvalidScriptName", "-Script" },
        { "Set-CfWorkerSecret -Script '-leading' -Name A -Value $v", "InvalidScriptName", "-Script" },
        { "Set-CfWorkerSecret -Script ('a' * 64) -Name A -Value $v", "InvalidScriptName", "63" },
        { "Set-CfWorkerSecret -Script '../accounts' -Name A -Value $v", "InvalidScriptName", "-Script" },
        { "Set-CfWorkerSecret -Script api -Name '1ABC' -Value $v", "InvalidSecretName", "1ABC" },
        { "Set-CfWorkerSecret -Script api -Name 'MY-KEY' -Value $v", "InvalidSecretName", "MY-KEY" },
        { "Set-CfWorkerSecret -Script api -Name ('N' * 256) -Value $v", "InvalidSecretName", "255" },
        { "Set-CfWorkerSecret -Script api -Name A -Value ([securestring]::new())", "EmptySecretValue", "A (-Name/-Value)" },
        { "Set-CfWorkerSecret -Script api -Name A -Value (ConvertTo-SecureString ('x' * 5121) -AsPlainText -Force)", "SecretValueTooLarge", "5121 bytes" },
        { "Set-CfWorkerSecret -Script api -Name A -Value (ConvertTo-SecureString ([string][char]0xE9 * 2561) -AsPlainText -Force)", "SecretValueTooLarge", "5122 bytes" },
        { "[pscustomobject]@{Name='A';Value='1'},[pscustomobject]@{Name='A';Value='2'} | Set-CfWorkerSecret -Script api", "DuplicateSecretName", "pipeline object 2" },
        { "[pscustomobject]@{Name='A'} | Set-CfWorkerSecret -Script api", "InvalidSecretInput", "no Value" },
        { "[pscustomobject]@{Value='1'} | Set-CfWorkerSecret -Script api", "InvalidSecretInput", "no Name" },
        { "[pscustomobject]@{Name='A';Value='1'} | Set-CfWorkerSecret", "InvalidSecretInput", "-Script" },
        { "[pscustomobject]@{Script='NOPE!';Name='A';Value='1'} | Set-CfWorkerSecret", "InvalidScriptName", "NOPE!" },
        { "Set-CfWorkerSecret -Script api -Secret @{ A = 42 }", "InvalidSecretInput", "Int32" },
        { "Set-CfWorkerSecret -Script api -Secret @{ A = '' }", "EmptySecretValue", "-Secret key 'A'" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'missing.env')", "SecretFileNotFound", "does not exist" },
        { "Set-CfWorkerSecret -Script api -Path $dir", "SecretFileNotFound", "directory" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'noequals.env')", "SecretFileSyntaxError", "noequals.env line 3" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'unterminated.env')", "SecretFileSyntaxError", "unterminated.env line 2" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'trailing.env')", "SecretFileSyntaxError", "trailing.env line 1" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'startequals.env')", "SecretFileSyntaxError", "startequals.env line 1" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'badname.env')", "InvalidSecretName", "badname.env line 4" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'dup.env')", "DuplicateSecretName", "dup.env line 1 and " },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'empty.env')", "EmptySecretValue", "empty.env line 2" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'big.env')", "SecretValueTooLarge", "big.env line 2" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'bad.json')", "SecretFileSyntaxError", "bad.json line 4" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'number.json')", "SecretFileSyntaxError", "number.json line 3" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'array.json')", "SecretFileSyntaxError", "array.json line 1" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'dup.json')", "DuplicateSecretName", "dup.json line 3" },
        { "Set-CfWorkerSecret -Script api -Path (Join-Path $dir 'two.json')", "SecretFileSyntaxError", "two.json line 2" },
        { "Set-CfWorkerSecret -Script api -Name A -Value $v -LedgerPath ''", "InvalidName", "-LedgerPath" },
        { "Set-CfWorkerSecret -Script api -Name A -Value $v -Message ''", "ParameterArgumentValidationError", "Message" },
        { "Sync-CfWorkerSecret -Script 'Bad_Script!' -Path (Join-Path $dir 'dup.env')", "InvalidScriptName", "-Script" },
        { "Sync-CfWorkerSecret -Script api -Path (Join-Path $dir 'missing.env') -Prune", "SecretFileNotFound", "missing.env" },
        { "Sync-CfWorkerSecret -Script api -Path (Join-Path $dir 'unterminated.env') -Prune", "SecretFileSyntaxError", "line 2" },
        { "Get-CfWorkerSecret -Script 'Not Valid'", "InvalidScriptName", "-Script" },
        { "Remove-CfWorkerSecret -Script api -Name '1x' -Confirm:$false", "InvalidSecretName", "-Name" },
        { "Remove-CfWorkerSecret -Script 'BAD' -Name A -Confirm:$false", "InvalidScriptName", "-Script" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_is_refused_with_its_ErrorId_and_no_request(string script, string errorId, string mentioned)
    {
        ConnectOrFail();
        Emulator.State.AddWorkerScript("api");
        var dir = Path.Combine(Path.GetTempPath(), "cf-wsec-bad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var (name, content) in Files) File.WriteAllText(Path.Combine(dir, name), content);
        Ps.Set("dir", dir);
        Ps.Set("v", PsSession.Secure(Value));
        Emulator.ClearRequests();

        var result = Ps.Run(script);

        var error = result.AllErrors.FirstOrDefault(e => e.FullyQualifiedErrorId.StartsWith(errorId + ",", StringComparison.Ordinal));
        Assert.True(error != null, $"expected {errorId}; got: {string.Join(" | ", result.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e))}");
        Assert.Contains(mentioned, error!.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction ?? error.Exception.Message));
        Assert.Empty(result.Output);
        Assert.Empty(Emulator.Requests);
        SecretAssert.NotLeaked(result, Value, new string('x', 5121), "unclosed-secret-text", "trail-secret-text");
        Directory.Delete(dir, recursive: true);
    }
}
