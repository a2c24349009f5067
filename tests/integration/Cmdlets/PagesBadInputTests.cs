using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets;

/// <summary>Every bad value given to a Pages command or the pages: destination is refused with its ErrorId, naming the parameter, before any request.</summary>
public class PagesBadInputTests : CmdletTestBase
{
    private static readonly string LongName = new('a', 59);

    public static TheoryData<string, string, string> Cases => new()
    {
        { "Get-CfPagesProject -Name 'My_Site'", "InvalidPagesProjectName", "-Name" },
        { "Get-CfPagesProject -Name '-site'", "InvalidPagesProjectName", "-Name" },
        { "Get-CfPagesProject -Name 'site-[ab'", "InvalidWildcardPattern", "-Name" },
        { $"New-CfPagesProject -Name '{LongName}'", "InvalidPagesProjectName", "-Name" },
        { "New-CfPagesProject -Name 'has space'", "InvalidPagesProjectName", "-Name" },
        { "New-CfPagesProject -Name site -ProductionBranch 'feature branch'", "InvalidBranchName", "-ProductionBranch" },
        { "New-CfPagesProject -Name site -ProductionBranch 'a..b'", "InvalidBranchName", "-ProductionBranch" },
        { "New-CfPagesProject -Name site -SourceType bitbucket -Owner o -Repository r", "InvalidPagesSource", "-SourceType" },
        { "New-CfPagesProject -Name site -SourceType github -Owner 'my org' -Repository r", "InvalidPagesSource", "-Owner" },
        { "New-CfPagesProject -Name site -SourceType github -Owner o -Repository 'o/r'", "InvalidPagesSource", "-Repository" },
        { "New-CfPagesProject -Name site -BuildCommand ' '", "InvalidName", "-BuildCommand" },
        { "Remove-CfPagesProject -Name 'Site' -Confirm:$false", "InvalidPagesProjectName", "-Name" },
        { "Get-CfPagesSecret -Project site -Environment staging", "InvalidPagesEnvironment", "-Environment" },
        { "Get-CfPagesSecret -Project 'UPPER'", "InvalidPagesProjectName", "-Project" },
        { "Set-CfPagesSecret -Project site -Environment dev -Name A -Value $v", "InvalidPagesEnvironment", "-Environment" },
        { "Set-CfPagesSecret -Project site -Name '1BAD' -Value $v", "InvalidSecretName", "1BAD" },
        { "Set-CfPagesSecret -Project site -Name 'HAS-DASH' -Value $v", "InvalidSecretName", "HAS-DASH" },
        { "Set-CfPagesSecret -Project site -Name EMPTY -Value (New-Object System.Security.SecureString)", "EmptySecretValue", "EMPTY" },
        { "Set-CfPagesSecret -Project site -Name BIG -Value $big", "SecretValueTooLarge", "BIG" },
        { "Set-CfPagesSecret -Project site -Secret @{ A = 1 }", "InvalidSecretInput", "-Secret" },
        { "[pscustomobject]@{ Name = 'A' } | Set-CfPagesSecret -Project site", "InvalidSecretInput", "no Value" },
        { "Set-CfPagesSecret -Project site -Path $badEnv", "SecretFileSyntaxError", "line 2" },
        { "Set-CfPagesSecret -Project site -Path $dupEnv", "DuplicateSecretName", "DUP" },
        { "Set-CfPagesSecret -Project site -Path ./no-such-file.env", "SecretFileNotFound", "no-such-file.env" },
        { "Sync-CfPagesSecret -Project site -Environment prod -Path $goodEnv -Prune", "InvalidPagesEnvironment", "-Environment" },
        { "Remove-CfPagesSecret -Project site -Name 'bad name' -Confirm:$false", "InvalidSecretName", "-Name" },
        { "Remove-CfPagesSecret -Project site -Name A, A -Confirm:$false", "DuplicateSecretName", "-Name" },
        { "New-CfManagedToken -Name ci -Purpose 'p' -PermissionGroup 'Pages Write' -Ttl 1:00:00 -PagesProject 'Bad_Project'", "InvalidPagesProjectName", "-PagesProject" },
        { "New-CfManagedToken -Name ci -Purpose 'p' -PermissionGroup 'Pages Write' -Ttl 1:00:00 -PagesProject site -PagesEnvironment staging", "InvalidPagesEnvironment", "-PagesEnvironment" },
        { "New-CfManagedToken -Name ci -Purpose 'p' -PermissionGroup 'Pages Write' -Ttl 1:00:00 -PagesProject site -PagesSecretName 'bad-name'", "InvalidSecretName", "-PagesSecretName" },
        { "New-CfManagedToken -Name ci -Purpose 'p' -PermissionGroup 'Pages Write' -Ttl 1:00:00 -PagesSecretName TOKEN", "ConflictingParameters", "-PagesProject" },
        { "Invoke-CfTokenRoll -Id 0123456789abcdef0123456789abcdef -PagesProject site -PagesEnvironment live -Confirm:$false", "InvalidPagesEnvironment", "-PagesEnvironment" },
        { "Repair-CfToken -Id 0123456789abcdef0123456789abcdef -RequiredPermissionGroup 'Pages Write' -PagesProject site -Confirm:$false", "ConflictingParameters", "-PagesProject" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pages_commands_refuse_bad_input_without_a_request(string script, string errorId, string mentioned)
    {
        ConnectOrFail();
        var folder = Directory.CreateTempSubdirectory("pages-bad-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "bad.env"), "GOOD=1\nNO_EQUALS_HERE\n");
            File.WriteAllText(Path.Combine(folder, "dup.env"), "DUP=1\nDUP=2\n");
            File.WriteAllText(Path.Combine(folder, "good.env"), "GOOD=1\n");
            Ps.Set("goodEnv", Path.Combine(folder, "good.env"));
            Ps.Set("badEnv", Path.Combine(folder, "bad.env"));
            Ps.Set("dupEnv", Path.Combine(folder, "dup.env"));
            Ps.Set("v", PsSession.Secure("value-1"));
            Ps.Set("big", PsSession.Secure(new string('x', 5 * 1024 + 1)));
            Emulator.ClearRequests();
            var result = Ps.Run(script);
            var error = Assert.Single(result.AllErrors);
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.ParserError, ErrorCategory.ObjectNotFound, ErrorCategory.LimitsExceeded });
            Assert.Contains(mentioned, error.ErrorDetails?.Message ?? error.Exception.Message);
            Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
            Assert.Empty(Emulator.Requests);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
