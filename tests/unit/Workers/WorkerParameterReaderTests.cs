using System.Collections;
using System.Collections.Specialized;
using System.Security;
using System.Text.Json.Nodes;
using CfManagement.Workers;
using CfManagement.Workers.Upload;
using Xunit;

namespace CfManagement.Tests.Workers;

/// <summary>-Binding and -Var values (plain .NET, as the cmdlet unwraps them) into bindings; the planner's own checks.</summary>
public class WorkerParameterReaderTests
{
    private static string Fields(WorkerBinding b) =>
        new JsonObject(b.Fields.Select(f => new KeyValuePair<string, JsonNode?>(f.Key, f.Value?.DeepClone()))).ToJsonString();

    [Fact]
    public void Config_spellings_are_accepted_and_fields_are_sent_in_the_types_order()
    {
        var kv = WorkerParameterReader.Binding(new Dictionary<string, object?> { ["Binding"] = "CACHE", ["Type"] = "kv_namespace", ["id"] = "abc" }, "-Binding[0]");
        Assert.Equal(("CACHE", "kv_namespace", """{"namespace_id":"abc"}"""), (kv.Name, kv.Type, Fields(kv)));
        var d1 = WorkerParameterReader.Binding(new Dictionary<string, object?> { ["name"] = "DB", ["type"] = "d1", ["database_id"] = "x" }, "-Binding[1]");
        Assert.Equal("""{"id":"x"}""", Fields(d1));
        var svc = WorkerParameterReader.Binding(new Dictionary<string, object?> { ["entrypoint"] = "E", ["name"] = "S", ["type"] = "service", ["service"] = "w" }, "-Binding[2]");
        Assert.Equal("""{"service":"w","entrypoint":"E"}""", Fields(svc));
    }

    [Fact]
    public void A_secret_text_binding_needs_a_SecureString()
    {
        var ex = Assert.Throws<WorkerInputException>(() =>
            WorkerParameterReader.Binding(new Dictionary<string, object?> { ["name"] = "S", ["type"] = "secret_text", ["text"] = "p1ain-s3cret" }, "-Binding[0]"));
        Assert.Equal(WorkerInputFault.Binding, ex.Fault);
        Assert.Equal("Binding", ex.Source);
        Assert.DoesNotContain("p1ain-s3cret", ex.Message + ex.Fix);
        var secure = new SecureString();
        secure.AppendChar('x');
        Assert.Same(secure, WorkerParameterReader.Binding(new Dictionary<string, object?> { ["name"] = "S", ["type"] = "secret_text", ["text"] = secure }, "-Binding[0]").SecretText);
    }

    [Fact]
    public void Vars_are_plain_text_json_or_secret_by_value()
    {
        Assert.Equal("plain_text", WorkerParameterReader.Var("A", "x", "-Var A").Type);
        Assert.Equal("""{"json":42}""", Fields(WorkerParameterReader.Var("B", 42, "-Var B")));
        var ordered = new OrderedDictionary { ["z"] = 1, ["a"] = new object?[] { true, null } };
        Assert.Equal("""{"json":{"z":1,"a":[true,null]}}""", Fields(WorkerParameterReader.Var("C", ordered, "-Var C")));
        Assert.Equal("""{"json":{"a":2,"z":1}}""", Fields(WorkerParameterReader.Var("D", new Hashtable { ["z"] = 1, ["a"] = 2 }, "-Var D")));
        Assert.Equal("secret_text", WorkerParameterReader.Var("E", new SecureString(), "-Var E").Type);
    }

    [Theory]
    [InlineData("shop", true)]
    [InlineData("shop_api-2", true)]
    [InlineData("Shop", false)]
    [InlineData("shop-", false)]
    [InlineData("-shop", false)]
    [InlineData("shop.api", false)]
    [InlineData("", false)]
    public void Script_names_follow_wranglers_rule(string name, bool ok)
    {
        var error = Record.Exception(() => WorkerUploadPlanner.CheckScriptName(name, "Name"));
        Assert.Equal(ok, error == null);
        if (!ok) Assert.Equal(WorkerInputFault.ScriptName, Assert.IsType<WorkerInputException>(error).Fault);
        var longName = new string('a', 64);
        Assert.Throws<WorkerInputException>(() => WorkerUploadPlanner.CheckScriptName(longName, "Name"));
    }

    [Fact]
    public void The_compressed_size_limit_is_checked_before_anything_is_built()
    {
        using var p = new TempProject();
        var random = new byte[64 * 1024];
        new Random(1).NextBytes(random);
        p.WriteBytes("blob.bin", random);
        var d = new WorkerDefinition { Name = "w", Main = p.Write("index.js", "import b from './blob.bin';"), CompatibilityDate = "2025-01-01" };
        var ex = Assert.Throws<WorkerInputException>(() => WorkerUploadPlanner.Plan(d, new WorkerUploadOptions { MaxCompressedBytes = 32 * 1024 }));
        Assert.Equal(WorkerInputFault.BundleTooLarge, ex.Fault);
        Assert.Contains("blob.bin", ex.Fix);
        Assert.NotNull(WorkerUploadPlanner.Plan(d, new WorkerUploadOptions()));
    }

    [Fact]
    public void An_analytics_engine_binding_may_leave_the_dataset_to_cloudflare()
    {
        // wrangler sends what the config has; Cloudflare defaults the dataset to the binding name.
        var binding = WorkerParameterReader.Binding(new Dictionary<string, object?> { ["name"] = "EVENTS", ["type"] = "analytics_engine" }, "-Binding[0]");
        BindingKinds.Check(binding, "Binding");
        Assert.Empty(binding.Fields);
    }
}
