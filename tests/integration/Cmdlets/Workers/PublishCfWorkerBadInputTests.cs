using System.Management.Automation;
using CfManagement.Tests.Infrastructure;
using Xunit;

namespace CfManagement.Tests.Cmdlets.Workers;

/// <summary>Publish-CfWorker refuses bad input with a stable ErrorId naming the parameter, before any request.</summary>
public class PublishCfWorkerBadInputTests : CmdletTestBase
{
    private const string Ok = "-Main $Dir/src/index.js -CompatibilityDate 2025-01-01";

    public static TheoryData<string, string, string> Cases => new()
    {
        { $"Publish-CfWorker -Name 'My_Worker' {Ok}", "InvalidScriptName", "-Name" },
        { $"Publish-CfWorker -Name ('a' * 64) {Ok}", "InvalidScriptName", "-Name" },
        { $"Publish-CfWorker -Name 'shop-' {Ok}", "InvalidScriptName", "-Name" },
        { "Publish-CfWorker -Name shop -Main $Dir/src/index.js -CompatibilityDate 2025-13-01", "InvalidCompatibilityDate", "-CompatibilityDate" },
        { "Publish-CfWorker -Name shop -Main $Dir/src/index.js -CompatibilityDate 2999-01-01", "InvalidCompatibilityDate", "-CompatibilityDate" },
        { "Publish-CfWorker -Name shop -Main $Dir/src/index.js -CompatibilityDate 01/02/2025", "InvalidCompatibilityDate", "-CompatibilityDate" },
        { "Publish-CfWorker -Name shop -Main $Dir/src/nope.js -CompatibilityDate 2025-01-01", "WorkerMainNotFound", "-Main" },
        { "Publish-CfWorker -Name shop -Main $Dir/src/broken.js -CompatibilityDate 2025-01-01", "WorkerModuleNotFound", "broken.js line 2" },
        { "Publish-CfWorker -Name shop -Main $Dir/src/outside.js -CompatibilityDate 2025-01-01", "WorkerModuleOutsideRoot", "-Main" },
        { "Publish-CfWorker -Name shop -Main $Dir/src/json.js -CompatibilityDate 2025-01-01", "WorkerModuleTypeUnsupported", "-Main" },
        { "Publish-CfWorker -Name shop -Main $Dir/src/big.js -CompatibilityDate 2025-01-01", "WorkerBundleTooLarge", "-Main" },
        { $"Publish-CfWorker -Name shop {Ok} -Binding @{{ type = 'kv_namespace'; name = 'KV' }}", "InvalidWorkerBinding", "namespace_id" },
        { $"Publish-CfWorker -Name shop {Ok} -Binding @{{ type = 'hyperdrive'; name = 'H'; id = 'x' }}", "InvalidWorkerBinding", "-Binding" },
        { $"Publish-CfWorker -Name shop {Ok} -Binding @{{ type = 'secret_text'; name = 'S'; text = 'plain' }}", "InvalidWorkerBinding", "SecureString" },
        { $"Publish-CfWorker -Name shop {Ok} -Binding @{{ type = 'kv_namespace'; name = '1KV'; namespace_id = 'x' }}", "InvalidWorkerBinding", "-Binding" },
        { $"Publish-CfWorker -Name shop {Ok} -Binding @{{ type = 'r2_bucket'; name = 'B'; bucket_name = 'b'; bucket = 'x' }}", "InvalidWorkerBinding", "bucket" },
        { $"Publish-CfWorker -Name shop {Ok} -Binding 'CACHE'", "InvalidWorkerBinding", "-Binding" },
        { $"Publish-CfWorker -Name shop {Ok} -Var @{{ DUP = 'a' }} -Binding @{{ type = 'kv_namespace'; name = 'DUP'; namespace_id = 'x' }}", "DuplicateWorkerBinding", "DUP" },
        { $"Publish-CfWorker -Name shop {Ok} -Tag ('x' * 101)", "InvalidVersionAnnotation", "-Tag" },
        { $"Publish-CfWorker -Name shop {Ok} -ScriptTag 'a,b'", "InvalidVersionAnnotation", "-ScriptTag" },
        { $"Publish-CfWorker -Name shop {Ok} -TailConsumer 'Bad Name'", "InvalidTailConsumer", "-TailConsumer" },
        { $"Publish-CfWorker -Name shop {Ok} -Observability 'yes'", "WorkerConfigInvalid", "-Observability" },
        { "Publish-CfWorker -Config $Dir/missing.toml", "WorkerConfigNotFound", "-Config" },
        { "Publish-CfWorker -Config $Dir/bad-syntax.toml", "WorkerConfigSyntax", "line 2" },
        { "Publish-CfWorker -Config $Dir/wrangler.toml -Environment nope", "WorkerEnvironmentNotFound", "-Environment" },
        { "Publish-CfWorker -Config $Dir/unsupported.toml", "WorkerConfigUnsupported", "assets" },
        { "Publish-CfWorker -Config $Dir/dup.toml", "DuplicateWorkerBinding", "CACHE" },
        { "Publish-CfWorker -Config $Dir/nodate.toml", "InvalidCompatibilityDate", "-Config" },
        { "Publish-CfWorker -Config $Dir/wrangler.toml -Name 'Shop'", "InvalidScriptName", "-Name" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_is_refused_without_a_request(string script, string errorId, string mentioned)
    {
        using var project = new WorkerProject(withLargeModule: script.Contains("big.js"));
        Ps.Set("Dir", project.Root);
        ConnectOrFail();
        Emulator.ClearRequests();
        var error = Ps.Run(script).SingleError();
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Contains(error.CategoryInfo.Category, new[] { ErrorCategory.InvalidArgument, ErrorCategory.InvalidData, ErrorCategory.ObjectNotFound, ErrorCategory.ParserError, ErrorCategory.LimitsExceeded });
        Assert.Contains(mentioned, error.ErrorDetails?.Message ?? error.Exception.Message);
        Assert.False(string.IsNullOrEmpty(error.ErrorDetails?.RecommendedAction), "every refusal says how to fix it");
        Assert.Empty(Emulator.Requests);
    }
}
